"""Tasks written in prose: labelled items, agency items and 'Sở X chủ trì ...' sentences.

- labelled item: a heading followed by "Đơn vị chủ trì: ...", "Thời gian thực hiện: ..." lines;
  the task is the heading's words.
- agency item: a paragraph that opens with a body ("1. Sở Nội vụ:", "Sở X chủ trì, phối
  hợp với Y ..."); when the paragraph is only the body's name, the task is its first duty.
Items under TỔ CHỨC THỰC HIỆN are "organization" tasks, the others "prose".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz

from pipeline.extract.plan_settings import plan_settings
from pipeline.extract.plan_text import Para, keyword_in, para_evidence, split_sentences
from pipeline.model import Document
from pipeline.nlp.bodies import (
    continues_collective,
    find_bodies,
    is_place,
    load_body_words,
    soft_key,
    split_bodies,
    starts_with_body,
    starts_with_place,
)
from pipeline.nlp.plan_words import plan_words
from pipeline.nlp.text import ascii_key
from pipeline.record.models import Task, TimeValue

DeadlineParser = Callable[[str], TimeValue | None]
DeadlineFinder = Callable[[str], TimeValue | None]
Source = Literal["table", "prose", "organization"]

_JOINERS = {"", ",", ";", "và"}  # between two leading bodies of one sentence


@dataclass
class Labelled:
    """The values of an item's 'Đơn vị chủ trì:', 'Đơn vị phối hợp:', 'Thời gian ...:' lines."""

    lead: str = ""
    cooperating: str = ""
    deadline: str = ""


def is_organization_section(path: list[str], para: Para) -> bool:
    top = path[0] if path else (para.title if para.kind == "roman" else "")
    title = ascii_key(re.sub(r"^[IVXL]+\.\s*", "", top))
    # "V. TỔ CHỨC THỰC HIỆN", not "II. CƠ QUAN CHỈ ĐẠO VÀ TỔ CHỨC THỰC HIỆN"
    return any(title.startswith(ascii_key(w)) for w in plan_words()["organization_section"])


def _label_of(text: str) -> tuple[str, str] | None:
    """('lead' | 'cooperating' | 'deadline' | 'output', value) of 'Đơn vị chủ trì: Sở X'."""
    stripped = text.strip().lstrip("-+•* ").strip()
    if ":" not in stripped[:60]:
        return _label_without_colon(stripped)
    name, value = stripped.split(":", 1)
    key = ascii_key(name)
    for field, words in plan_words()["labels"]:
        if any(key == ascii_key(word) or key.endswith(" " + ascii_key(word)) for word in words):
            return field, value.strip()
    return None


def _label_without_colon(text: str) -> tuple[str, str] | None:
    """'Thời gian thực hiện sau khi Chiến lược ... được ban hành.': a time label whose colon was
    left out, read when a time phrase follows it."""
    key = soft_key(text)
    for field, words in plan_words()["labels"]:
        if field != "deadline":
            continue
        for word in sorted(words, key=len, reverse=True):
            folded = soft_key(word)
            if not key.startswith(folded + " "):
                continue
            value = text[len(folded) + 1 :].strip()
            opener = soft_key(value)
            if any(opener.startswith(soft_key(cue) + " ") for cue in plan_words()["unlabelled_time_openers"]):
                return field, value
            return None
    return None


def _children(paras: list[Para], index: int) -> list[int]:
    level = paras[index].level
    result: list[int] = []
    for j in range(index + 1, len(paras)):
        if paras[j].kind is not None and paras[j].level <= level:
            break
        result.append(j)
    return result


def labelled_tasks(
    doc: Document, paras: list[Para], parse_deadline: DeadlineParser
) -> tuple[list[Task], set[int]]:
    """Headings whose own lines carry 'Đơn vị chủ trì:' / 'Thời gian ...:' labels.

    When the labels come in several blocks under one heading, each after its own bullets
    ("- Thường xuyên rà soát ..." / "Đơn vị chủ trì: ..." / "- Tổ chức tập huấn ..." / "Đơn vị
    chủ trì: ..."), each block is a task of its own, named by its first bullet.
    """
    tasks: list[Task] = []
    used: set[int] = set()
    for index, para in enumerate(paras):
        if not para.is_heading_like or index in used or _in_status_section(para):
            continue
        blocks: list[tuple[int | None, Labelled]] = []
        item: int | None = None
        labels = Labelled()
        in_labels = False
        members: list[list[int]] = [[]]  # the duties of each block
        for child in _children(paras, index):
            if paras[child].is_heading_like:
                break  # labels below a sub-heading belong to that sub-heading
            label = _label_of(paras[child].text)
            if label is None:
                bullet = paras[child].kind in ("dash", "plus")
                if in_labels and bullet:
                    blocks.append((item, labels))
                    members.append([])
                    labels, item, in_labels = Labelled(), None, False
                # a duty: a bullet, or a plain paragraph under the heading before its labels
                duty = bullet or (paras[child].kind is None and not in_labels)
                members[-1] += [child] if duty else []
                item = child if item is None and duty else item
                # '- Tổng hợp ... gửi Bộ Tài chính. Thời gian hoàn thành: Trước ngày 31/5/2026.'
                for field, value in _inline_labels(paras[child].title)[1] if bullet else []:
                    if field in ("lead", "cooperating", "deadline") and not getattr(labels, field):
                        setattr(labels, field, value)
                        in_labels = True
                continue
            field, value = label
            if field in ("lead", "cooperating", "deadline") and not getattr(labels, field):
                setattr(labels, field, value)
                in_labels = True
            used.add(child)
        if in_labels:
            blocks.append((item, labels))
        kept = [number for number, (_, labels) in enumerate(blocks) if labels.lead or labels.deadline]
        blocks = [blocks[number] for number in kept]
        if not blocks:
            continue
        used.add(index)
        per_item = len(blocks) > 1 and all(item is not None for item, _ in blocks)
        # The duties written out under the heading before its labels: the first one's own words
        # are the task's text, the others go with it.
        first = blocks[0][0]
        only_duty = len(blocks) == 1 and first is not None
        if first is not None and len(members[kept[0]]) > 1 and paras[first].title.rstrip().endswith(":"):
            only_duty = False  # '- Các nội dung ... bao gồm:' opens a list: the heading names the task
        if per_item or only_duty:
            used.update(child for number in kept for child in members[number])
        # Blocks that give only a time: the heading names the body ("1.2. Sở Tài chính - ...").
        heading_lead = (leading_bodies(para.title)[0] or _responsible_party(para.title)) if per_item else []
        if per_item and not all(labels.lead for _, labels in blocks) and not heading_lead:
            per_item = False
        if len(blocks) > 1 and not per_item:
            blocks = [(None, _merged(labels for _, labels in blocks))]
        for item, labels in blocks:
            shares = _shared_duty(paras, item) if item is not None else []
            if item is not None and shares and (per_item or only_duty or len(blocks) == 1):
                used.update([item, *shares])
                tasks += [_share_task(doc, paras[share], labels, parse_deadline) for share in shares]
                continue
            named = paras[item] if (per_item or only_duty) and item is not None else para
            if (per_item or only_duty) and item is not None:
                used.add(item)
            text = named.title.strip().lstrip("-+• ").rstrip(":").strip()
            text = text[: _inline_labels(text)[0]].strip()
            if not _has_work(text):
                continue
            if only_duty and not per_item:
                text = _with_heading(para.title, text)
            tasks.append(
                Task(
                    text=text,
                    lead=_label_bodies(labels.lead) if labels.lead else list(heading_lead),
                    cooperating=split_bodies(labels.cooperating),
                    deadline=parse_deadline(labels.deadline.rstrip(".;")) if labels.deadline else None,
                    source="organization" if is_organization_section(para.path, para) else "prose",
                    section_path=para.path,
                    evidence=para_evidence(doc, named),
                )
            )
    return tasks, used


def _inline_labels(text: str) -> tuple[int, list[tuple[str, str]]]:
    """Labels written at the end of a duty's own paragraph ('... gửi Bộ Tài chính. Thời gian hoàn
    thành: Trước ngày 31/5/2026.'): where they start in ``text`` and their (field, value) pairs."""
    sentences = split_sentences(text)
    for position, sentence in enumerate(sentences[1:], start=1):
        if _label_of(sentence) is None:
            continue
        found = [label for later in sentences[position:] if (label := _label_of(later)) is not None]
        return text.find(sentence), [(field, value.rstrip(" .;")) for field, value in found]
    return len(text), []


def _shared_duty(paras: list[Para], item: int) -> list[int]:
    """A duty shared out among agencies ('- Phối hợp hướng dẫn ... Trong đó:' / '+ Sở Xây dựng:
    hướng dẫn ...' / '+ Sở Công Thương: hướng dẫn ...'): the items below it that each open with an
    agency and a colon; [] when the duty is not split that way."""
    if not paras[item].title.rstrip().endswith(":"):
        return []
    shares: list[int] = []
    for child in _children(paras, item):
        if paras[child].kind is None:
            break  # the labels under the shares ('Thời gian thực hiện: ...')
        title = paras[child].title
        lead, after = leading_bodies(title)
        if not lead or not 0 <= title.find(":", after) <= plan_settings().max_heading:
            return []
        shares.append(child)
    return shares if len(shares) > 1 else []


def _share_task(doc: Document, para: Para, labels: Labelled, parse_deadline: DeadlineParser) -> Task:
    """One agency's share of a split duty: its words as printed, the agency names the lead."""
    title = para.title.strip()
    lead, after = leading_bodies(title)
    colon = title.find(":", after)
    return Task(
        text=title.rstrip(" .;"),
        lead=lead + [b for b in _bodies_before_colon(title, after) if b not in lead],
        cooperating=_cooperating(title[after:colon]) or split_bodies(labels.cooperating),
        deadline=parse_deadline(labels.deadline.rstrip(".;")) if labels.deadline else None,
        source="organization" if is_organization_section(para.path, para) else "prose",
        section_path=para.path,
        evidence=para_evidence(doc, para),
    )


def _responsible_party(heading: str) -> list[str]:
    """'Trách nhiệm của đối tượng thực hiện kiểm kê:' -> ['đối tượng thực hiện kiểm kê']."""
    key = soft_key(heading)
    for opener in plan_words()["responsibility_openers"]:
        folded = soft_key(opener)
        if key.startswith(folded + " "):
            party = re.split(r"[(:]", heading[len(folded) + 1 :], maxsplit=1)[0].strip(" .;")
            return [party] if 0 < len(party) <= plan_settings().max_sub_unit else []
    return []


def _with_heading(heading: str, duty: str) -> str:
    """'Rà soát văn bản' + '- Nội dung: Rà soát các văn bản ...' -> 'Rà soát văn bản: Rà soát các
    văn bản ...'; a duty written out in full keeps its own words."""
    key = soft_key(duty)
    for label in sorted(plan_words()["content_labels"], key=len, reverse=True):
        match = re.match(rf"{re.escape(soft_key(label))}\s*:\s*", key)
        if match:
            return f"{heading.strip().rstrip(':.').strip()}: {duty[match.end() :].strip()}"
    return duty


def _label_bodies(value: str) -> list[str]:
    """The bodies of a lead label: a list of names, or sentences that open with them ('Sở X tiến
    hành rà soát ...; các sở, ngành liên quan và UBND các xã rà soát ...')."""
    bodies = split_bodies(_strip_trailing_clause(value))
    if all(len(body) <= plan_settings().max_lead_prefix // 2 for body in bodies):
        return bodies
    found: list[str] = []
    for clause in re.split(r";|\.\s", value):
        for body in leading_bodies(clause.strip())[0]:
            if soft_key(body) not in {soft_key(known) for known in found}:
                found.append(body)
    return found or bodies


def _merged(blocks: Iterable[Labelled]) -> Labelled:
    """The first value of each label over several blocks (one task for the whole heading)."""
    merged = Labelled()
    for labels in blocks:
        for field in ("lead", "cooperating", "deadline"):
            if not getattr(merged, field):
                setattr(merged, field, getattr(labels, field))
    return merged


def _strip_trailing_clause(text: str) -> str:
    return text.rstrip(".;").strip()


def _assign_start(text: str) -> int:
    """Offset after a leading 'Giao' / 'Đề nghị' / 'Mời' that is not part of the body."""
    key = soft_key(text)
    for word in plan_words()["assign_prefixes"]:
        folded = soft_key(word)
        if key.startswith(folded + " "):
            return len(word) + 1
    return 0


def leading_bodies(text: str) -> tuple[list[str], int]:
    """The bodies a sentence opens with and the offset where the rest of the sentence starts."""
    start = _assign_start(text)
    start += _intro_clause_end(text[start:])
    start += _assign_start(text[start:])  # "Căn cứ Kế hoạch này, đề nghị các đơn vị ..."
    rest = text[start:]
    end = _gazetteer_prefix_end(rest)
    if end == 0 or (_continues_list(rest, end) and not _starts_with_any(text, "scope_prefixes")):
        end = max(end, _prefix_before_verb(rest))
    if end == 0:
        return [], 0
    delegated = _delegated_start(rest, end)
    if delegated:
        return leading_bodies(rest[delegated:])[0], start + end
    return [_without_parenthesis(b) for b in split_bodies(rest[:end])], start + end


def _starts_with_any(text: str, words: str) -> bool:
    key = soft_key(text.lstrip(" -+•*"))
    return any(re.match(rf"{re.escape(soft_key(word))}(?=[\s,:])", key) for word in plan_words()[words])


def _delegated_start(text: str, end: int) -> int:
    """'Chủ tịch UBND tỉnh giao Sở Nội vụ chủ trì ...': offset of the body that is given the work."""
    words = "|".join(re.escape(w) for w in plan_words()["delegation_words"])
    match = re.match(rf"\s*(?:{words})\s+", text[end:], re.IGNORECASE)
    if match and starts_with_body(text[end + match.end() :]):
        return end + match.end()
    return 0


def _gazetteer_prefix_end(text: str) -> int:
    """End of the run of gazetteer bodies at the start of ``text`` ("Sở X, Sở Y và các ...")."""
    end = 0
    for span_start, span_end, _ in find_bodies(text):
        if text[end:span_start].strip() not in _JOINERS or (end == 0 and span_start != 0):
            break
        end = span_end
    return end


def _continues_list(text: str, end: int) -> bool:
    """After the known names the list goes on: ', Hội Nông dân tỉnh, Tỉnh đoàn ...'."""
    match = re.match(r"\s*(?:,|và)\s+", text[end:])
    if match is None:
        return False
    rest = text[end + match.end() :]
    return starts_with_body(rest) or (match.group().strip() == "," and continues_collective(text[:end], rest))


def _intro_clause_end(text: str) -> int:
    """Offset after 'Căn cứ ..., ' / 'Quý I/2027, ' when a body follows the comma."""
    key = soft_key(text[:30])
    if not any(key.startswith(soft_key(w) + " ") for w in plan_words()["intro_words"]):
        return 0
    first = split_sentences(text)[0] if text.strip() else ""
    for match in re.finditer(r",\s+", first):
        after = first[match.end() :]
        if _opens_strong_body(after[_assign_start(after) :]):
            return match.end()
    return 0


def _opens_strong_body(text: str) -> bool:
    """A body after a comma: a gazetteer name, 'các ...' or a capitalised head word."""
    spans = find_bodies(text[:150])
    if spans and spans[0][0] == 0:
        return True
    return starts_with_body(text) and (text[:1].isupper() or soft_key(text[:4]) == "cac ")


def _without_parenthesis(body: str) -> str:
    """'Sở Nội vụ (Cơ quan Thường trực ...)' -> 'Sở Nội vụ'; a sub-unit or an abbreviation in
    brackets is part of the name ('Sở Nội vụ (Ban Thi đua Khen thưởng Thành phố)', '... (VOV)')."""
    match = re.search(r"\s*\(([^)]*)\)?\s*$", body)
    if match is None:
        return body
    inner = match.group(1).strip()
    is_role = any(soft_key(word) in soft_key(inner) for word in plan_words()["role_words"])
    names_unit = inner[:1].isupper() and len(inner) <= plan_settings().max_sub_unit
    if names_unit and not is_role:
        return body
    return body[: match.start()].strip() or body


def _prefix_before_verb(text: str) -> int:
    """Where the first assignment verb or ':' starts, for bodies missing from the gazetteer.

    Verbs count in lower case only: 'Phòng Kiểm tra Xây dựng' is a name, 'kiểm tra' a verb.
    """
    if not starts_with_body(text):
        return 0
    key = _mask_name_phrases(soft_key(text, keep_case=True))
    cut = len(text) if ":" not in text[:150] else text.index(":")
    verbs = [soft_key(v) for v in plan_words()["assign_verbs"]]
    verbs += [soft_key(v, keep_case=True) for v in plan_words()["run_in_verbs"]]
    verbs += [soft_key(v) for v in plan_words()["name_stops"]]
    for verb in verbs:
        match = re.search(rf"\s{re.escape(verb)}\b", key[:cut])
        if match and match.start() < cut:
            cut = match.start()
    if cut >= plan_settings().max_lead_prefix and _is_body_list(text[:cut]):
        return cut  # a long heading that only lists bodies
    if cut >= plan_settings().max_lead_prefix or re.search(r"(?:,|\bvà)\s*$", text[:cut]):
        return 0  # no verb close by, or a list cut in the middle: not a lead
    if starts_with_place(text) and not all(is_place(p) for p in re.split(r",|\bvà\b", text[:cut])):
        return 0  # 'Tỉnh Lâm Đồng có 124 xã': a place names an authority only in a list of places
    return cut


def _is_body_list(text: str) -> bool:
    """'Ủy ban MTTQ tỉnh, Liên đoàn Lao động tỉnh, ..., Tỉnh đoàn Thanh niên': names, no verb."""
    parts = [part.strip() for part in re.split(r",|\bvà\b", text.rstrip(" .:;"))]
    return all(part and starts_with_body(part) for part in parts)


def _mask_name_phrases(key: str) -> str:
    """Blank out words of a name that are verbs elsewhere ('dự án đầu tư xây dựng')."""
    for phrase in load_body_words()["name_phrases"]:
        folded = soft_key(phrase)
        key = re.sub(rf"(?i)(?<!\w){re.escape(folded)}\b", "_" * len(folded), key)
    return key


def _is_name_only(paras: list[Para], index: int, after: int) -> bool:
    """A heading that names the agency ('1. Sở Nội vụ:'): its duties follow below it."""
    para = paras[index]
    if not para.is_heading_like or not _children(paras, index):
        return False
    title = para.title.rstrip()
    if title.endswith(":"):
        return True
    if not _names_assignment(para.title, after):
        rest = para.title[after:].strip(" .-")
        return len(rest) <= plan_settings().max_name_only or rest.startswith(("(", ":"))
    # "3.3. Bộ Chỉ huy quân sự tỉnh chỉ đạo lực lượng Bộ đội Biên phòng" over its duties
    return len(title) <= plan_settings().max_heading and not title.endswith((".", ";"))


def _is_agency_heading(paras: list[Para], index: int, after: int) -> bool:
    """'2. Sở Nội vụ:' over the agency's duties: the name and a colon, nothing more."""
    title = paras[index].title.rstrip()
    rest = title[after:].strip()
    return rest == ":" and after <= plan_settings().max_heading and bool(_children(paras, index))


def _is_sub_agency(para: Para) -> bool:
    """'2.1. Công an Thành phố: ...' under '2. Các Sở, ban, ngành Thành phố:'."""
    title = para.title[_assign_start(para.title) :]
    return para.is_heading_like and starts_with_body(title)


def _is_only_a_name(text: str) -> bool:
    """'Ủy ban nhân dân thành phố Hà Nội.' or a phone number: nothing to do in it."""
    short_name = len(text) <= plan_settings().max_heading // 2 and starts_with_body(text)
    return short_name or not any(ch.isalpha() for ch in text)


def _first_duty(paras: list[Para], children: list[int]) -> str:
    """The first duty below an agency heading; one ending in ':' goes on with the next item."""
    text = paras[children[0]].title
    if text.rstrip().endswith(":") and len(children) > 1:
        text = f"{text.rstrip()} {paras[children[1]].title}"
    return text


def _run_in_colon(title: str, after: int) -> int:
    """Offset of the colon that ends an agency phrase ('Sở X, Sở Y: Chỉ đạo ...'), or -1."""
    colon = title.find(":", after)
    if (
        colon < 0
        or colon > after + plan_settings().max_heading
        or len(title) - colon <= plan_settings().max_name_only
    ):
        return -1
    if colon <= after + plan_settings().max_name_only:
        return colon
    # a longer phrase ('... chỉ đạo lực lượng Bộ đội Biên phòng và đề nghị Bộ tư lệnh ...:'),
    # unless the colon opens a list or a quote ('các nội dung tại Tiểu dự án 1:')
    tail = f" {ascii_key(title[max(after, colon - plan_settings().max_name_only) : colon])} "
    words = plan_words()["list_intro_words"]
    if any(f" {ascii_key(w)} " in tail for w in words):
        return -1
    return colon if _asked_bodies(title[after:colon]) else -1


def _after_run_in_colon(title: str, after: int) -> str:
    """'Sở X, Sở Y: Chỉ đạo ...' -> 'Chỉ đạo ...': the task is what follows the agencies."""
    colon = _run_in_colon(title, after)
    return title[colon + 1 :].strip() if colon >= 0 else title


def _bodies_before_colon(title: str, after: int) -> list[str]:
    """'... và đề nghị Bộ tư lệnh Vùng Cảnh sát biển 3:' -> the bodies asked in the phrase."""
    colon = _run_in_colon(title, after)
    if colon <= after + plan_settings().max_name_only:
        return []
    return _asked_bodies(title[after:colon])


def _asked_bodies(phrase: str) -> list[str]:
    """Bodies named after 'đề nghị' / 'giao' inside a phrase."""
    found: list[str] = []
    for word in plan_words()["assign_prefixes"]:
        for match in re.finditer(rf"\b{re.escape(word)}\s+", phrase, re.IGNORECASE):
            found += split_bodies(phrase[match.end() :]) if starts_with_body(phrase[match.end() :]) else []
    return found


def _is_scope_heading(title: str, after: int) -> bool:
    """'Đối với UBND cấp xã: Có kết quả ...' states a case, it assigns nothing."""
    colon = title.find(":", after)
    return _starts_with_any(title, "scope_prefixes") and 0 <= colon - after <= plan_settings().max_scope_gap


def _heading_bodies(title: str) -> list[str]:
    """The agencies a name-only heading lists, as printed ('Các cơ quan, đơn vị được kiểm tra')."""
    name = title.strip().rstrip(":.").strip()
    name = name[_assign_start(name) :]
    return [_without_parenthesis(body) for body in split_bodies(name)]


def assigned_tasks(
    doc: Document,
    paras: list[Para],
    skip: set[int],
    find_deadline: DeadlineFinder,
) -> list[Task]:
    """A duty, then the sentence that assigns it: '- Rà soát ... . Giao Sở Nội vụ chủ trì, phối
    hợp với Sở Tư pháp thực hiện, hoàn thành trong Quý II/2026.' The task is the duty's words; the
    lead, the cooperating bodies and the deadline come from the assigning sentence."""
    tasks: list[Task] = []
    for index, para in enumerate(paras):
        if index in skip or para.kind in ("roman", "part", "upper", "chapter") or not para.path:
            continue
        sentences = split_sentences(para.title)
        for position, sentence in enumerate(sentences[1:], start=1):
            if not soft_key(sentence).startswith(soft_key("giao") + " "):
                continue
            lead, after = leading_bodies(sentence)
            if not lead:
                continue
            text = " ".join(sentences[:position]).rstrip(" .;")
            rest = sentence[after:]
            tasks.append(
                Task(
                    text=text,
                    lead=lead,
                    cooperating=_sentence_cooperating(rest) or _cooperating(rest),
                    deadline=find_deadline(" ".join(sentences[position:])),
                    source="organization" if is_organization_section(para.path, para) else "prose",
                    section_path=para.path,
                    evidence=para_evidence(doc, para),
                )
            )
            skip.add(index)
            break
    return tasks


def agency_tasks(
    doc: Document,
    paras: list[Para],
    skip: set[int],
    find_deadline: DeadlineFinder,
    *,
    strict: bool = False,
) -> list[Task]:
    """Paragraphs that open with a body: one task each (a name-only heading: its first duty).

    ``strict`` for documents other than plans (letters, directives, conclusions): they have
    no section I to start from, and a paragraph counts only when it assigns work in so many
    words ('Giao Sở X chủ trì ...', 'Sở X khẩn trương ...') or heads an agency's duties
    ('2. Sở Nội vụ:').
    """
    tasks: list[Task] = []
    started = strict
    duties: set[int] = set()  # the bullets under an agency heading of TỔ CHỨC THỰC HIỆN
    for index, para in enumerate(paras):
        if para.kind in ("roman", "part", "upper", "chapter"):
            started = True  # the opening paragraph before section I assigns nothing
            continue
        if index in skip or index in duties or not started or _label_of(para.text) is not None:
            continue
        if _in_award_criteria(para) or _in_purpose_section(para) or _is_contingency(para.title):
            continue
        if _is_closing_request(para.title):
            continue
        if _in_status_section(para):
            continue  # 'IV. PHÂN TÍCH VÀ ĐÁNH GIÁ HIỆN TRẠNG': what bodies do today, not what they must do
        lead, after = leading_bodies(para.title)
        if not lead or _is_scope_heading(para.title, after):
            continue
        if all(len(body.split()) < 2 for body in lead):
            continue  # a bare head word ('Ban', 'Viện') names no body
        in_org = is_organization_section(para.path, para)
        if strict and (
            any(
                len(body) > plan_settings().max_sub_unit for body in lead
            )  # a sentence read up to a verb, not a name
            or not (_names_assignment(para.title, after) or _is_agency_heading(paras, index, after))
        ):
            continue
        if _is_name_only(paras, index, after):
            if not _names_assignment(para.title, after):
                lead = _heading_bodies(para.title) or lead
            children = _children(paras, index)
            text = _first_duty(paras, children)
            cooperating = _cooperating(text) or _cooperating(para.title[after:])
            if in_org:  # its bullets are duties; numbered sub-agencies are items of their own
                duties.update(c for c in children if not _is_sub_agency(paras[c]))
        elif _assigns_work(para, after, in_org):
            text = _after_run_in_colon(para.title, after)
            lead = lead + [b for b in _bodies_before_colon(para.title, after) if b not in lead]
            tail = text.rsplit(":", 1)[-1].strip() if ":" in text else ""
            if _is_only_a_name(text) or (tail and not any(ch.isalpha() for ch in tail)):
                continue  # "Cơ quan chỉ đạo: Ủy ban nhân dân thành phố Hà Nội.", "Công ty X: 0246.6758.683"
            cooperating = _cooperating(para.title[after:])
        else:
            continue
        source: Source = "organization" if in_org else "prose"
        tasks.append(
            Task(
                text=text.strip(),
                lead=lead,
                cooperating=cooperating,
                deadline=find_deadline(text),
                source=source,
                section_path=para.path,
                evidence=para_evidence(doc, para),
            )
        )
        if in_org and _is_name_only(paras, index, after):
            tasks += _dated_duties(doc, paras, _children(paras, index)[1:], lead, source, find_deadline)
    return tasks


def _is_closing_request(title: str) -> bool:
    """'Ủy ban nhân dân tỉnh yêu cầu các cơ quan, đơn vị, địa phương nghiêm túc triển khai thực
    hiện./.': the plan's last words ask for the whole plan to be carried out."""
    if not title.rstrip().endswith("/."):
        return False
    key = soft_key(title)
    return any(soft_key(cue) in key for cue in plan_words()["closing_cues"])


def _in_status_section(para: Para) -> bool:
    """A heading that describes the present state ('Phân tích và đánh giá hiện trạng ...') or
    estimates costs ('Tổng hợp các dự toán kinh phí ...')."""
    words = [*plan_words()["state_sections"], *plan_words()["estimate_sections"]]
    headings = [*para.path, para.title] if para.is_heading_like else para.path
    return any(keyword_in(heading, words) for heading in headings)


def _has_work(text: str) -> bool:
    """Words of some work after any 'X:' opener: 'Cục Thống kê: 34.000.000đ' or '' has none."""
    head, colon, tail = text.partition(":")
    rest = tail if colon and len(head) <= plan_settings().max_heading else text
    return len(re.findall(r"[^\W\d_]{2,}", rest)) >= 2


def _in_purpose_section(para: Para) -> bool:
    """'I. MỤC ĐÍCH, YÊU CẦU' / '2. Yêu cầu' / '- Các sở, ngành ... triển khai nghiêm túc ...'."""
    words = [soft_key(word) for word in plan_words()["purpose_sections"]]
    for heading in para.path:
        title = soft_key(re.sub(r"^[\dIVXLA-Z]+(?:\.\d+)*\s*[.):]?\s*", "", heading))
        if any(title.startswith(word) for word in words):
            return True
    return False


def _is_contingency(title: str) -> bool:
    """'Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các sở ... phản ánh về ...'."""
    head = soft_key(split_sentences(title)[0] if title.strip() else "")
    return any(soft_key(cue) in head for cue in plan_words()["contingency_cues"])


def _in_award_criteria(para: Para) -> bool:
    """'1. Tiêu chí thi đua / b) Đối với các doanh nghiệp / - Sản xuất kinh doanh hiệu quả ...'."""
    words = plan_words()["award_criteria_sections"]
    return any(keyword_in(heading, words) for heading in para.path)


def _dated_duties(
    doc: Document,
    paras: list[Para],
    children: list[int],
    lead: list[str],
    source: Source,
    find_deadline: DeadlineFinder,
) -> list[Task]:
    """Further duties of an agency that carry their own deadline ('báo cáo ... trước ngày 20/6')."""
    tasks: list[Task] = []
    for child in children:
        para = paras[child]
        deadline = find_deadline(para.title)
        if deadline is None or _is_sub_agency(para):
            continue
        tasks.append(
            Task(
                text=para.title.strip(),
                lead=lead,
                cooperating=_cooperating(para.title),
                deadline=deadline,
                source=source,
                section_path=para.path,
                evidence=para_evidence(doc, para),
            )
        )
    return tasks


def _assigns_work(para: Para, after: int, in_org: bool) -> bool:
    """A paragraph that gives the bodies it opens with some work (not a bare list of names)."""
    rest = para.title[after:].strip()
    if len(rest.strip(" .;:")) <= plan_settings().max_name_only or (
        not in_org and _starts_with_any(rest, "narrative_openers")
    ):
        return False  # a bare name, or 'UBND tỉnh đã ra quyết định ...'

    if in_org or _names_assignment(para.title, after) or _starts_with_any(rest, "work_openers"):
        return True  # '... Thành phố trong công tác triển khai ...', '... phải đảm bảo ...'

    return _opens_with_known_body(para.title) and not rest.startswith(":")


def _opens_with_known_body(title: str) -> bool:
    start = _assign_start(title)
    start += _intro_clause_end(title[start:])
    start += _assign_start(title[start:])
    return _gazetteer_prefix_end(title[start:]) > 0


def _names_assignment(title: str, after: int) -> bool:
    """'Sở X chủ trì/tham mưu/phối hợp ...' or 'Sở X: Chủ trì ...': a verb right after the bodies."""
    tail = title[after:]
    run_in = tail.lstrip().startswith(":")  # after a colon the verb opens a sentence: any case
    rest = soft_key(tail.lstrip(" ,:"), keep_case=not run_in)
    return any(rest.startswith(soft_key(verb)) for verb in plan_words()["assign_verbs"])


@lru_cache(maxsize=1)
def _cooperation() -> re.Pattern[str]:
    """'phối hợp (với) Y' up to the next verb or clause mark: Y are the cooperating bodies
    (a colon before names goes on: 'UBND các phường: Hoàn Kiếm, Cửa Nam ...').

    Verbs end Y only in lower case, so that 'Sở Xây dựng' is not cut at 'xây dựng'.
    """
    words = plan_words()
    cues = "|".join(re.escape(soft_key(c)) for c in sorted(words["cooperation_cues"], key=len, reverse=True))
    stops = "|".join(
        re.escape(soft_key(v))
        for v in [*words["cooperation_stops"], *words["assign_verbs"], *words["name_stops"]]
    )
    return re.compile(
        rf"(?i:{cues})\s+(?P<who>(?:\([^()]*\)|[^()])+?)(?:\s+(?:{stops})\b|[.;]|:(?!\s*[A-ZĐÀ-Ỹ])|$)"
    )


def _cooperating(rest: str) -> list[str]:
    """Bodies after 'phối hợp (với)' in the first sentence that names some ('Chủ trì, phối hợp
    với các bộ, ngành liên quan ...' may come after the duty's first sentence)."""
    sentences = split_sentences(rest) if rest.strip() else []
    for position, sentence in enumerate(sentences):
        if position and not _starts_with_any(sentence, "lead_cues"):
            continue  # a later sentence counts when the body leads it ('Chủ trì, phối hợp với ...')
        found = _sentence_cooperating(sentence)
        if found:
            return found
    return []


def _sentence_cooperating(first: str) -> list[str]:
    match = _cooperation().search(_mask_name_phrases(soft_key(first, keep_case=True)))
    if not match:
        return []
    who = first[match.start("who") : match.end("who")]
    if not starts_with_body(who):
        return []
    return [_without_parenthesis(body) for body in split_bodies(who)]


def _same_task(prose: str, table: str) -> bool:
    shorter, longer = sorted((prose, table), key=len)
    if len(shorter) < plan_settings().min_length_ratio * len(longer):
        return False
    return fuzz.partial_ratio(prose, table) >= plan_settings().duplicate_score


def drop_table_duplicates(prose: list[Task], table: list[Task]) -> list[Task]:
    """Prose items that restate a table row are the table's task, not new ones."""
    if not table:
        return prose
    table_texts = [ascii_key(task.text) for task in table]
    kept: list[Task] = []
    for task in prose:
        key = ascii_key(task.text)
        if task.source == "prose" and any(_same_task(key, t) for t in table_texts):
            continue
        kept.append(task)
    return kept
