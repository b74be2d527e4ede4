"""Document kind (official or article) and, for web articles, their own fields.

An official document follows Decree 30's layout: the national motto, a number line, a type
title. A web article (a portal's news item about a plan, a programme or a meeting) has none of
these, but carries news furniture: a publication line ("Ngày đăng", "Giờ đăng"), a source line
("Theo Cổng Thông tin điện tử Chính phủ"), a byline lead ("(Chinhphu.vn) - ..."), a lead that opens
on the event's day ("Sáng ngày 17/7/2023, ..."). The kind is decided from those cues and the cues
found are kept as its evidence.

For an article the record keeps the gold convention (corpus/ANNOTATION.md, "Web articles"):
doc_type "Bài viết", the headline as summary, the publication (else event) date, the publishing
unit as issuer, every cited document as a legal basis, and the targets and assignments it
reports in ``plan``; the persons it names go to ``article.persons``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.data import load_data
from pipeline.extract.plan import doc_year
from pipeline.extract.plan_targets import _target_from, target_segments
from pipeline.extract.plan_text import split_sentences
from pipeline.model import Document
from pipeline.nlp.header_lines import worded_date
from pipeline.nlp.indicators import indicators_in
from pipeline.nlp.numbering import type_names
from pipeline.nlp.targets import parse_target
from pipeline.nlp.text import ascii_key
from pipeline.nlp.timex import find_times
from pipeline.record.evidence import evidence_at
from pipeline.record.models import (
    Article,
    DocType,
    DocumentKind,
    Evidence,
    Header,
    LegalBasis,
    Person,
    Plan,
    Reference,
    Target,
    Task,
)
from pipeline.registry import Context, component, current_settings


@dataclass(frozen=True)
class ArticleSettings:
    """extract.article's measures (lines, characters, words)."""

    # The motto of an official document stands within this many lines of the top.
    head_lines: int = 40
    # A signing line ("Nguồn: ...", "PV") stands within this many lines of the end.
    tail_lines: int = 12
    # A source or signing line is at most this long; longer is prose.
    short_line: int = 100
    # A headline has at least this many words (a section label above it has fewer).
    headline_min_words: int = 5
    # The lead paragraph is at least this long; lines under half of it hold no target or duty.
    lead_min_chars: int = 120
    # How far before a deadline its relation word ("trước ngày 15/7") is looked for.
    relation_chars: int = 20
    # 'Thủ tướng Chính phủ giao ...': a reporter's subject this short stays in the task.
    short_subject: int = 4


def _settings() -> ArticleSettings:
    return current_settings(ArticleSettings)


@lru_cache(maxsize=1)
def _date() -> re.Pattern[str]:
    """A publication or event date, numbered ("12/03/2026") or worded ("ngày 12 tháng 3 năm
    2026", groups 4 to 6)."""
    return re.compile(
        r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d{2})(?!\d)|" + worded_date("w"),
        re.IGNORECASE,
    )


_BYLINE = re.compile(r"^\(([^()]{2,60})\)\s*[-–—]\s*")
_NAME_TOKEN = re.compile(r"[A-ZĐÀ-Ỹ][a-zđà-ỹ]+$")
_NOT_NAME_STARTS = {
    "Sở",
    "Bộ",
    "Ban",
    "Cục",
    "Ủy",
    "Uỷ",
    "Văn",
    "Trung",
    "Hội",
    "Tổng",
    "Công",
    "Chính",
    "Nhà",
}
_POSITIONS_END = re.compile(
    r"\s+(?:đã|vừa|sẽ|cho biết|phát biểu|chủ trì|khẳng định|nhấn mạnh|yêu cầu|đề nghị|chỉ đạo)\b|[.;:()]"
)


@lru_cache(maxsize=1)
def article_words() -> dict[str, Any]:
    text = load_data("article_words")
    data: dict[str, Any] = text
    return data


@dataclass(frozen=True)
class _Line:
    page: int
    index: int
    text: str
    bold: bool


def _lines(doc: Document) -> list[_Line]:
    return [
        _Line(p, i, line.text.strip(), bool(line.bold))
        for p, page in enumerate(doc.pages)
        for i, line in enumerate(page.lines)
        if line.text.strip()
    ]


def _starts_with(text: str, words: list[str]) -> str | None:
    folded = text.casefold()
    for word in sorted(words, key=len, reverse=True):
        if folded.startswith(word.casefold()) and not folded[len(word) : len(word) + 1].isalpha():
            return word
    return None


def _has_motto(lines: list[_Line]) -> _Line | None:
    mottos = [m.casefold() for m in article_words()["motto"]]
    return next((line for line in lines[: _settings().head_lines] if line.text.casefold() in mottos), None)


def _published_line(lines: list[_Line]) -> _Line | None:
    labels = article_words()["published_labels"]
    return next(
        (
            line
            for line in lines
            if len(line.text) <= _settings().short_line and _starts_with(line.text, labels)
        ),
        None,
    )


def _source_line(lines: list[_Line]) -> tuple[_Line, str] | None:
    """'Theo Cổng Thông tin điện tử Chính phủ' near the end: the publishing unit."""
    for line in reversed(lines[-_settings().tail_lines :]):
        label = _starts_with(line.text, article_words()["source_labels"])
        if label is None or len(line.text) > _settings().short_line:
            continue
        name = line.text[len(label) :].strip(" :.-–")
        if name[:1].isupper() and len(name.split()) <= 12:
            return line, name
    return None


def _lead(lines: list[_Line]) -> _Line | None:
    """The first paragraph of running text."""
    return next(
        (line for line in lines if len(line.text) >= _settings().lead_min_chars and not line.bold), None
    )


def decide_kind(doc: Document, header: Header | None) -> DocumentKind:
    lines = _lines(doc)
    motto = _has_motto(lines)
    if motto is not None:
        return DocumentKind(name="official", cues=["national motto"], evidence=_evidence(doc, motto))
    if header is not None and (header.symbol or header.number):
        return DocumentKind(name="official", cues=["number and symbol line"], evidence=None)
    cues: list[str] = []
    first: _Line | None = None
    published = _published_line(lines)
    if published is not None:
        cues.append(f"publication line: {published.text}")
        first = published
    source = _source_line(lines)
    if source is not None:
        cues.append(f"source line: {source[0].text}")
        first = first or source[0]
    lead = _lead(lines)
    if lead is not None and _BYLINE.match(lead.text):
        cues.append(f"byline: {_BYLINE.match(lead.text).group(0).strip()}")  # type: ignore[union-attr]
        first = first or lead
    page_cues = [line for line in lines if _starts_with(line.text, article_words()["page_cues"])]
    if page_cues:
        cues.append(f"portal furniture: {page_cues[0].text[:40]}")
        first = first or page_cues[0]
    if lead is not None and _event_opening(lead.text):
        cues.append(f"lead opens on the event's day: {lead.text[:40]}")
        first = first or lead
    # A lead opening on a date is common in letters too: it only backs furniture found elsewhere.
    # One cue of news furniture is not enough for a page that has a document's type title.
    has_type = header is not None and header.doc_type is not None
    strong = len(cues) - (1 if lead is not None and _event_opening(lead.text) else 0)
    if strong >= 1 and len(cues) >= (2 if has_type else 1):
        return DocumentKind(name="article", cues=cues, evidence=_evidence(doc, first) if first else None)
    return DocumentKind(name="official", cues=["no news furniture"], evidence=None)


def _event_opening(text: str) -> bool:
    opener = _starts_with(text, article_words()["event_openers"])
    return opener is not None and bool(_date().match(text[len(opener) :].strip()))


def _evidence(doc: Document, line: _Line, start: int = 0, end: int | None = None) -> Evidence:
    return evidence_at(doc, line.page, line.index, start, end)


def _iso(match: re.Match[str]) -> str | None:
    day, month, year = (match.group(1), match.group(2), match.group(3))
    if day is None:
        day, month, year = match.group(4), match.group(5), match.group(6)
    d, m, y = int(day), int(month), int(year)
    if not (1 <= d <= 31 and 1 <= m <= 12):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _headline(lines: list[_Line], published: _Line | None) -> _Line | None:
    """A heading first line ('# ...' or bold), else the line right above the publication line."""
    furniture = article_words()["page_cues"]
    first = lines[0] if lines else None
    if (
        first is not None
        and first.bold
        and len(first.text.split()) >= _settings().headline_min_words
        and not _starts_with(first.text, furniture)
    ):
        return first
    if published is not None:
        position = lines.index(published)
        if position > 0:
            above = lines[position - 1]
            if len(above.text.split()) >= _settings().headline_min_words and not _starts_with(
                above.text, furniture
            ):
                return above
    return None


def _publisher(lines: list[_Line], lead: _Line | None) -> tuple[str, _Line] | None:
    source = _source_line(lines)
    if source is not None:
        return source[1], source[0]
    if lead is not None and (byline := _BYLINE.match(lead.text)):
        return byline.group(1).strip(), lead
    last_prose = max(
        (i for i, line in enumerate(lines) if len(line.text) >= _settings().lead_min_chars), default=-1
    )
    for line in lines[last_prose + 1 :]:
        letters = [c for c in line.text if c.isalpha()]
        if (
            len(letters) >= 3
            and all(c.isupper() for c in letters)
            and len(line.text) <= _settings().short_line
        ):
            return line.text, line
    return None


def find_persons(doc: Document, lines: list[_Line]) -> list[Person]:
    """'Ông Trương Ngọc Tuấn – Tỉnh ủy viên, Giám đốc Sở Nội vụ' -> name, positions, body."""
    words = article_words()
    titles = "|".join(re.escape(t) for t in words["person_titles"])
    pattern = re.compile(
        rf"(?<!\w)(?:{titles})\s+((?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+\s+){{1,3}}[A-ZĐÀ-Ỹ][a-zđà-ỹ]+)\s*[–—-]\s*"
    )
    persons: list[Person] = []
    seen: set[str] = set()
    for line in lines:
        for match in pattern.finditer(line.text):
            name = match.group(1)
            rest = line.text[match.end() :]
            stop = _POSITIONS_END.search(rest)
            positions_text = rest[: stop.start()] if stop else rest
            positions = [p.strip() for p in positions_text.split(",") if p.strip()]
            if not positions or name in seen:
                continue
            seen.add(name)
            persons.append(
                Person(
                    name=name,
                    positions=positions,
                    body=_body_of(positions),
                    evidence=_evidence(doc, line, match.start(), match.end() + len(positions_text)),
                )
            )
    return persons


def _body_of(positions: list[str]) -> str | None:
    for position in reversed(positions):
        word = _starts_with(position, article_words()["position_words"])
        if word is not None and position[len(word) :].strip():
            return position[len(word) :].strip()
    return None


def _targets(lines: list[_Line], year: int | None, doc: Document) -> list[Target]:
    cues = [c.casefold() for c in article_words()["goal_cues"]]
    found: list[Target] = []
    for line in lines:
        if len(line.text) < _settings().lead_min_chars / 2:
            continue
        for sentence in split_sentences(line.text):
            folded = sentence.casefold()
            if not any(re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", folded) for cue in cues):
                continue
            indicators = indicators_in(sentence)
            for segment in target_segments(sentence, parse_target):
                segment = _after_colon(segment, cues)
                target = _target_from(segment, year, parse_target)
                if target is None or not _is_goal(segment, cues):
                    continue
                if target.comparator == "top":
                    target.indicators = indicators
                start = line.text.find(segment)
                target.evidence = _evidence(doc, line, max(start, 0), max(start, 0) + len(segment))
                found.append(target)
    return found


def _has_word(folded: str, words: list[str]) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(word.casefold())}(?!\w)", folded) for word in words)


def _is_goal(segment: str, cues: list[str]) -> bool:
    folded = segment.casefold()
    return _has_word(folded, cues) and not _has_word(folded, article_words()["status_words"])


def _after_colon(segment: str, cues: list[str]) -> str:
    """'Tại Thông báo số 537/TB-VPCP, Phó Thủ tướng kết luận: Để hoàn thành 02 công trình ...'."""
    head, colon, tail = segment.partition(":")
    if colon and not _has_word(head.casefold(), cues) and _has_word(tail.casefold(), cues):
        return tail.strip()
    return segment


def _tasks(lines: list[_Line], year: int | None, doc: Document) -> list[Task]:
    """Assignments an article reports: '<who> yêu cầu|giao|đề nghị <lead> <work> ...', the duties
    listed after them ('Kiên quyết xử lý ...', 'Đồng thời, thực hiện nghiêm ...') and the dates
    by which a level must finish ('cấp tỉnh phấn đấu hoàn thành trước ngày 15/8')."""
    words = article_words()
    cues = "|".join(re.escape(c) for c in sorted(words["assign_cues"], key=len, reverse=True))
    verbs = "|".join(re.escape(v) for v in sorted(words["work_verbs"], key=len, reverse=True))
    cue_pattern = re.compile(rf"(?<!\w)(?:{cues})\s+", re.IGNORECASE)
    verb_pattern = re.compile(rf"\s(?:{verbs})(?!\w)")
    from pipeline.extract.plan_deadlines import make_deadline_parser

    parse_deadline = make_deadline_parser(year)
    tasks: list[Task] = []
    previous: Task | None = None  # the last task of the paragraph before, if it ended on ';'
    chained: Task | None = None  # the last task of the paragraph before, however it ended
    for line in lines:
        if line.bold:
            continue  # a sub-heading of the article: the list of duties goes on below it
        if len(line.text) < _settings().lead_min_chars / 2:
            previous = chained = None
            continue
        found_before = len(tasks)
        offset = 0
        for position, sentence in enumerate(split_sentences(line.text)):
            start_in_line = line.text.find(sentence, offset)
            offset = max(start_in_line, 0) + len(sentence)
            in_sentence = len(tasks)
            summary = len(tasks) - 1 if position > 0 and len(tasks) > found_before else None
            for clause in re.split(r";\s*", sentence):
                task = _task_of(clause, cue_pattern, verb_pattern, parse_deadline)
                if task is None and len(tasks) > in_sentence:
                    task = _finishing_level(clause, tasks[-1], parse_deadline)
                elif task is None and position > 0 and len(tasks) > found_before:
                    task = _finishing_level(clause, None, parse_deadline)
                if task is None:
                    continue
                begin = line.text.find(task.text[:40])
                task.evidence = _evidence(doc, line, max(begin, 0), max(begin, 0) + len(task.text))
                tasks.append(task)
            if summary is not None and len(tasks) > in_sentence and _starts_with(sentence, ["Trong đó"]):
                del tasks[summary]  # 'X yêu cầu A tập trung ... . Trong đó, X yêu cầu A <the work>'
            before = previous or chained
            if position == 0 and len(tasks) == in_sentence and before is not None:
                # A duty listed after an assignment: '<lead> cần ...;' / 'Kiên quyết xử lý ...'.
                duty = _listed_duty(sentence, previous is not None)
                if duty is not None:
                    lead = before.lead
                    tasks.append(
                        Task(
                            text=duty,
                            lead=list(lead),
                            deadline=_deadline(duty, parse_deadline),
                            source="prose",
                            evidence=_evidence(
                                doc, line, max(start_in_line, 0), max(start_in_line, 0) + len(duty)
                            ),
                        )
                    )
        last = tasks[-1] if len(tasks) > found_before else None
        previous = last if last is not None and line.text.rstrip().endswith(";") else None
        chained = last
    return _without_repeats(tasks)


def _listed_duty(sentence: str, after_semicolon: bool) -> str | None:
    """The words of a duty in a list: any first sentence after '...;', else one that opens with a
    duty verb ('Kiên quyết xử lý ...', 'Đồng thời, thực hiện nghiêm ...')."""
    text = sentence.strip().rstrip(" ;.")
    if after_semicolon:
        return text
    connective = _starts_with(text, article_words()["connectives"])
    rest = text[len(connective) :].strip(" ,") if connective else text
    return text if _starts_with(rest, article_words()["duty_openers"]) else None


_FINISHING = re.compile(r"(?:phấn đấu\s+)?hoàn thành\s+(?:trước|chậm nhất|trong)", re.IGNORECASE)


def _finishing_level(clause: str, current: Task | None, parse_deadline: Callable[[str], Any]) -> Task | None:
    """'...; cấp tỉnh phấn đấu hoàn thành trước ngày 15/8': a level's own date to finish by is a task;
    a clause that goes on with the same work ('đưa vào hoạt động ..., phấn đấu hoàn thành trước
    ngày 15/7') gives its date to the task it continues (``current``)."""
    match = _FINISHING.search(clause)
    deadline = _deadline(clause, parse_deadline) if match else None
    if match is None or deadline is None:
        return None
    text = clause.strip().rstrip(" ;.")
    if _starts_with(text, article_words()["duty_openers"]):
        if current is not None and current.deadline is None:
            current.deadline = deadline
            return None
        return None if current is not None else Task(text=text, deadline=deadline, source="prose")
    subject = clause[: match.start()].strip(" ,")
    # A level of government ("cấp tỉnh", "cấp xã") says who only in general: no body leads.
    named = 0 < len(subject.split()) <= _settings().short_subject and subject[:1].isalpha()
    lead = [subject] if named and not ascii_key(subject).startswith("cap ") else []
    return Task(text=text, lead=lead, deadline=deadline, source="prose")


def _without_repeats(tasks: list[Task]) -> list[Task]:
    """A news lead repeated as the first paragraph of the body reports the same assignment once."""
    kept: list[Task] = []
    seen: list[str] = []
    for task in tasks:
        key = re.sub(r"\W+", " ", task.text.casefold()).strip()
        same = next(
            (n for n, other in enumerate(seen) if key.startswith(other) or other.startswith(key)), None
        )
        if same is None:
            seen.append(key)
            kept.append(task)
        elif len(key) > len(seen[same]) or (kept[same].deadline is None and task.deadline is not None):
            seen[same], kept[same] = key, task  # the body's paragraph says more than the news lead
    return kept


def _work_verb(text: str, verb_pattern: re.Pattern[str]) -> re.Match[str] | None:
    """The first work verb, not a noun of the lead ('các cấp ủy, tổ chức đảng tiếp tục ...')."""
    for verb in verb_pattern.finditer(text):
        noun = verb.group(0).strip().casefold() == "tổ chức" and re.match(
            r"\s*(đảng|chính trị|,)", text[verb.end() :]
        )
        if not noun:
            return verb
    return None


def _assigning_cue(clause: str, cue_pattern: re.Pattern[str]) -> re.Match[str] | None:
    """The cue as a verb: lower case ('Ban Chỉ đạo' is a name) unless it opens the clause, and not
    passive ('chỉ tiêu được giao')."""
    for cue in cue_pattern.finditer(clause):
        word = cue.group(0)
        opens = not clause[: cue.start()].strip(" ,")
        if word[:1].isupper() and not opens:
            continue
        if re.search(r"(?<!\w)(được|bị)\s*$", clause[: cue.start()]):
            continue
        return cue
    return None


def _task_of(
    clause: str,
    cue_pattern: re.Pattern[str],
    verb_pattern: re.Pattern[str],
    parse_deadline: Callable[[str], Any],
) -> Task | None:
    cue = _assigning_cue(clause, cue_pattern)
    if cue is None:
        return _body_task(clause, verb_pattern, parse_deadline)
    after = clause[cue.end() :]
    verb = _work_verb(" " + after, verb_pattern)
    if verb is not None and verb.start() == 0:
        return _unassigned_task(clause, cue, parse_deadline)
    lead = after[: verb.start()].strip(" ,") if verb is not None else ""
    # A lead is a body or a group of people, not a long phrase; else the cue was no assignment
    # ('chủ động trong giao đất'): the clause may still open with a body.
    if (
        verb is None
        or not lead
        or len(lead.split()) > 14
        or not re.match(r"[\wĐđ]", lead)
        or _starts_with(lead, article_words()["lead_stops"])
    ):
        return _body_task(clause, verb_pattern, parse_deadline)
    cooperating: list[str] = []
    coop = re.search(
        r"chủ trì,?\s+phối hợp với\s+(.+?)(?=\s(?:để|tiếp|rà|tăng|hoàn|thực|xây|triển)\b)", after
    )
    if coop:
        cooperating = [coop.group(1).strip(" ,")]
    subject = clause[: cue.start()].strip(" ,")
    connective = _starts_with(subject, article_words()["connectives"])
    if connective is not None:
        subject = subject[len(connective) :].strip(" ,")
    if not subject and connective is not None:
        text = after[verb.start() :].strip()  # 'Theo đó, yêu cầu <lead> thực hiện nghiêm ...'
    elif len(subject.split()) <= _settings().short_subject:
        text = clause.strip()  # 'Bộ Chính trị yêu cầu các cấp ủy ...'
    else:
        text = after.strip()  # 'UBND tỉnh Khánh Hòa vừa có văn bản khẩn yêu cầu <lead> ...'
    deadline = _deadline(clause, parse_deadline)
    return Task(
        text=text.rstrip(" ;"), lead=[lead], cooperating=cooperating, deadline=deadline, source="prose"
    )


def _unassigned_task(clause: str, cue: re.Match[str], parse_deadline: Callable[[str], Any]) -> Task | None:
    """'Thủ tướng đề nghị đẩy mạnh truyền thông ...': work asked for without naming who does it.
    After a connective ('Cùng với đó, Thủ tướng yêu cầu tiếp tục ...') the work's own words."""
    subject = clause[: cue.start()].strip(" ,")
    connective = _starts_with(subject, article_words()["connectives"])
    # Only a proposal ('đề nghị') or a request that goes on a list ('Cùng với đó, ... yêu cầu'):
    # 'Thủ tướng chỉ đạo quyết liệt triển khai ...' reports what was done.
    if not subject or (connective is None and not _starts_with(cue.group(0), ["đề nghị"])):
        return None
    after_cue = connective is not None or len(subject.split()) > _settings().short_subject
    text = (clause[cue.end() :] if after_cue else clause).strip().rstrip(" ;.")
    return Task(text=text, deadline=_deadline(clause, parse_deadline), source="prose")


def _body_task(
    clause: str, verb_pattern: re.Pattern[str], parse_deadline: Callable[[str], Any]
) -> Task | None:
    """'Sở Nội vụ chủ trì, phối hợp với ...', 'các cơ quan, đơn vị, địa phương cần ...': a clause that
    opens with a body (the gazetteer's) and goes on with the work it must do."""
    from pipeline.extract.plan_tasks import leading_bodies

    stripped = clause.strip()
    connective = _starts_with(stripped, article_words()["connectives"])
    if connective is not None:
        stripped = stripped[len(connective) :].strip(" ,")
    bodies, offset = leading_bodies(stripped)
    # 'Chính phủ sẽ ban hành ...': the work may be announced in the future tense
    work = re.sub(r"^sẽ\s+", "", stripped[offset:].lstrip(" ,"))
    if not bodies or not verb_pattern.match(" " + work):
        return None
    rest = stripped[offset:]
    cooperating: list[str] = []
    coop = re.match(
        r"\s*chủ trì,?\s+phối hợp với\s+(.+?)(?=\s(?:để|tiếp|rà|tăng|hoàn|thực|xây|triển)\b)", rest
    )
    if coop:
        cooperating = [coop.group(1).strip(" ,")]
    return Task(
        text=stripped.rstrip(" ;."),
        lead=bodies,
        cooperating=cooperating,
        deadline=_deadline(clause, parse_deadline),
        source="prose",
    )


def _deadline(clause: str, parse_deadline: Callable[[str], Any]) -> Any:
    for start, end, value in find_times(clause):
        if value.relation in ("before", "by"):
            # The relation word ("trước ngày 15/7") is printed with the deadline; the span leaves it out.
            window = clause[max(0, start - _settings().relation_chars) : start]
            relation = re.search(r"(trước|chậm nhất|đến|hoàn thành)\s*(ngày\s*)?$", window, re.IGNORECASE)
            begin = start - len(window) + relation.start() if relation else start
            return parse_deadline(clause[begin:end])
    return None


@lru_cache(maxsize=1)
def _number_only_citation() -> re.Pattern[str]:
    """'Kết luận số 155, ngày 17/5/2025': a document cited by its number alone (news style)."""
    types = "|".join(re.escape(name) for name in type_names())
    return re.compile(
        rf"(?<!\w)(?P<type>{types})\s+số\s+(?P<number>\d{{1,5}})(?!\d)(?![/\-–.]\w)\s*,?\s*"
        rf"(?:ngày\s+(?P<d>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}})\s*/\s*(?P<y>\d{{4}}))?"
    )


def _cited(doc: Document, lines: list[_Line], references: list[Reference]) -> list[Reference]:
    """Every document the article cites, in the order printed: the references extractor's, less
    dates read as laws ('pháp luật có hiệu lực từ 1/7/2025'), plus documents cited by number alone."""
    kept = [r for r in references if r.number_symbol or r.text[:1].isupper()]
    extra: list[Reference] = []
    known = {r.number_symbol for r in kept if r.number_symbol}
    for line in lines:
        for match in _number_only_citation().finditer(line.text):
            number = match.group("number")
            if number in known:
                continue
            known.add(number)
            date = None
            if match.group("y"):
                day, month, year = int(match.group("d")), int(match.group("m")), int(match.group("y"))
                date = f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 and 1 <= month <= 12 else None
            extra.append(
                Reference(
                    doc_type=match.group("type"),
                    number_symbol=number,
                    date=date,
                    text=match.group(0).rstrip(" ,"),
                    evidence=_evidence(doc, line, match.start(), match.end()),
                )
            )
    extra += _signed_unnumbered(doc, lines)
    return sorted(
        [*kept, *extra], key=lambda r: (r.evidence.page, r.evidence.start) if r.evidence else (0, 0)
    )


# 'ngày 10/10, Chính phủ đã ban hành Nghị định 261 ...', 'Ngày 25/5/2025, thay mặt Bộ Chính trị, đồng
# chí Trần Cẩm Tú ký ban hành Kết luận số 157-KL/TW': the date of issue opens the sentence.
_ISSUED_ON = re.compile(
    r"(?i:ngày)\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{4}))?,?\s+"
    r"(?P<between>[^.;]{0,120}?)(?i:ký ban hành|ban hành|ký)\s+(?P<cited>[^.;]{0,80})"
)


def _dated_by_sentence(reference: Reference, lines: list[_Line], year: int | None) -> Reference:
    """A cited document printed without its date gets the date of the sentence that reports its
    issue ('ngày 10/10, Chính phủ đã ban hành Nghị định 261 ...'; the news item's year when none)."""
    if reference.date is not None or not reference.number_symbol or not reference.doc_type:
        return reference
    number = re.split(r"[/-]", reference.number_symbol)[0]
    cited = re.compile(
        rf"^{re.escape(reference.doc_type)}\s+(?:số\s+)?{re.escape(number)}(?![\d])", re.IGNORECASE
    )
    for line in lines:
        for match in _ISSUED_ON.finditer(line.text):
            if not cited.match(match.group("cited")):
                continue
            day, month = int(match.group("d")), int(match.group("m"))
            issued_year = int(match.group("y")) if match.group("y") else year
            if issued_year is None or not (1 <= day <= 31 and 1 <= month <= 12):
                continue
            return reference.model_copy(update={"date": f"{issued_year:04d}-{month:02d}-{day:02d}"})
    return reference


# 'Thủ tướng Chính phủ Phạm Minh Chính vừa ký ban hành Công điện yêu cầu ...': a document whose
# signing the article reports without its number; the issuer is the office printed before the name.
_SIGNED = re.compile(
    r"(?<!\w)(?:đã|vừa)?\s*ký(?:\s+ban\s+hành)?\s+(?P<type>Công điện|Quyết định|Chỉ thị|Công văn)(?!\s+số)"
)
_SIGNING_OFFICE = re.compile(
    r"(?<!\w)(?P<office>(?:Phó\s+)?Thủ tướng(?:\s+Chính phủ)?)\s+(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+\s+){1,3}"
)


def _signed_unnumbered(doc: Document, lines: list[_Line]) -> list[Reference]:
    found: list[Reference] = []
    for line in lines:
        for match in _SIGNED.finditer(line.text):
            before = line.text[max(0, match.start() - 80) : match.start()]
            office = None
            for candidate in _SIGNING_OFFICE.finditer(before):
                office = candidate.group("office")
            if office is not None and office.startswith("Phó"):
                office = None  # a deputy signs for the Prime Minister: no body is printed
            elif office == "Thủ tướng":
                office = "Thủ tướng Chính phủ"
            found.append(
                Reference(
                    doc_type=match.group("type"),
                    issuer=office,
                    text=match.group("type"),
                    evidence=_evidence(doc, line, match.start("type"), match.end("type")),
                )
            )
    # The same signing reported twice (a lead repeated as the first paragraph) is one document.
    unique: list[Reference] = []
    for reference in found:
        if not any(r.doc_type == reference.doc_type and r.issuer == reference.issuer for r in unique):
            unique.append(reference)
    return unique


def extract_article(ctx: Context, kind: DocumentKind) -> tuple[Header, Article, Plan]:
    doc = ctx.doc
    lines = _lines(doc)
    published = _published_line(lines)
    lead = _lead(lines)
    header = Header.model_validate({})
    header.doc_type = DocType(name="Bài viết", code=None)
    headline = _headline(lines, published)
    if headline is not None:
        header.summary = headline.text
        header.evidence["summary"] = _evidence(doc, headline)
    published_date = event_date = None
    if published is not None and (match := _date().search(published.text)):
        published_date = _iso(match)
        header.evidence["issued_date"] = _evidence(doc, published, match.start(), match.end())
    if lead is not None and (match := _date().search(lead.text)):
        event_date = _iso(match)
        if published_date is None:
            header.evidence["issued_date"] = _evidence(doc, lead, match.start(), match.end())
    header.issued_date = published_date or event_date
    publisher = _publisher(lines, lead)
    if publisher is not None:
        header.issuer = publisher[0]
        header.evidence["issuer"] = _evidence(doc, publisher[1])
    references = _cited(doc, lines, ctx.references)
    year_of_news = int(header.issued_date[:4]) if header.issued_date else doc_year(ctx)
    references = [_dated_by_sentence(reference, lines, year_of_news) for reference in references]
    header.legal_bases = [
        LegalBasis(
            doc_type=reference.doc_type,
            number_symbol=reference.number_symbol,
            date=reference.date,
            issuer=reference.issuer,
            text=reference.text,
        )
        for reference in references
    ]
    year = int(header.issued_date[:4]) if header.issued_date else doc_year(ctx)
    article = Article(
        headline=header.summary,
        published=published_date,
        event_date=event_date,
        publisher=header.issuer,
        persons=find_persons(doc, lines),
    )
    plan = Plan(sections=[], targets=_targets(lines, year, doc), tasks=_tasks(lines, year, doc))
    return header, article, plan


@component(
    "extract.article",
    requires=("zones", "header", "plan", "references"),
    assigns=("kind", "article", "header", "plan"),
    settings=ArticleSettings,
)
def article_component(ctx: Context) -> None:
    kind = decide_kind(ctx.doc, ctx.header)
    ctx.kind = kind
    if kind.name != "article":
        return
    header, article, plan = extract_article(ctx, kind)
    ctx.header = header
    ctx.article = article
    ctx.plan = plan
