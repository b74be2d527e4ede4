"""The plan of a Kế hoạch (or of a plan annexed to a decision): sections, targets, tasks."""

from __future__ import annotations

import re
from typing import Any

from pipeline.extract.plan_deadlines import make_deadline_finder, make_deadline_parser
from pipeline.extract.plan_sections import build_sections
from pipeline.extract.plan_settings import PlanSettings, plan_settings
from pipeline.extract.plan_tables import table_tasks
from pipeline.extract.plan_targets import extract_targets, output_targets, plan_year
from pipeline.extract.plan_tasks import agency_tasks, assigned_tasks, drop_table_duplicates, labelled_tasks
from pipeline.extract.plan_text import (
    Para,
    Ref,
    build_paras,
    keyword_in,
    plan_words,
)
from pipeline.model import Document
from pipeline.nlp.targets import parse_target
from pipeline.nlp.text import ascii_key, is_upper_text
from pipeline.record.models import Plan, Task
from pipeline.registry import Context, component

_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")


def _line_text(doc: Document, ref: Ref) -> str:
    return doc.pages[ref[0]].lines[ref[1]].text


def _header_type(ctx: Context) -> str | None:
    """The type name extract.header read (it runs before: "header" is required)."""
    header = ctx.header
    return header.doc_type.name if header is not None and header.doc_type is not None else None


def _is_plan_title(text: str) -> bool:
    return is_upper_text(text) and ascii_key(text) in {ascii_key(w) for w in plan_words()["plan_title"]}


def _first_refs(doc: Document, count: int) -> list[Ref]:
    refs = [(p, i) for p, page in enumerate(doc.pages) for i in range(len(page.lines))]
    return refs[:count]


def is_plan_document(ctx: Context) -> bool:
    name = _header_type(ctx)
    if name is not None:
        return ascii_key(name) == "ke hoach"
    if any(
        _is_plan_title(_line_text(ctx.doc, ref)) for ref in _first_refs(ctx.doc, plan_settings().head_lines)
    ):
        return True
    # A dossier without a header block (a table of contents first): a capitals title line
    # 'KẾ HOẠCH TỔNG THỂ PHÁT TRIỂN ...' in its first pages.
    return any(
        _opens_with_plan_title(_line_text(ctx.doc, ref))
        for ref in _first_refs(ctx.doc, plan_settings().dossier_lines)
    )


def _opens_with_plan_title(text: str) -> bool:
    key = ascii_key(text)
    titles = [ascii_key(w) for w in plan_words()["plan_title"]]
    return is_upper_text(text) and any(key.startswith(title + " ") for title in titles)


def annexed_plan_refs(doc: Document, annex: list[Ref]) -> list[Ref]:
    """Lines of a plan issued with a decision: from the annex's 'KẾ HOẠCH' title to its own 'PHỤ LỤC'.

    The plan's task table is read from Page.tables; its annex text (an OCR'd table, a report
    outline) is not plan prose.
    """
    start = next((i for i, ref in enumerate(annex) if _is_plan_title(_line_text(doc, ref))), None)
    if start is None:
        return []
    lines = annex[start + 1 :]
    end = next((i for i, ref in enumerate(lines) if _is_annex_heading(_line_text(doc, ref))), len(lines))
    return lines[:end]


def _is_annex_heading(text: str) -> bool:
    """'PHỤ LỤC ...', or a short 'Phụ lục' line (OCR keeps neither case nor bullets reliably)."""
    stripped = text.lstrip(" *-•¬„.")
    if not keyword_in(stripped[:12], plan_words()["annex_starts"]):
        return False
    return is_upper_text(stripped) or len(stripped) <= plan_settings().annex_heading_chars


def _all_after_body(doc: Document, zones: dict[str, list[Ref]]) -> list[Ref]:
    """For decisions whose layout gave no annex: the lines after the decision's closing."""
    refs = [(p, i) for p, page in enumerate(doc.pages) for i in range(len(page.lines))]
    body = zones.get("body") or []
    last = max(body) if body else (0, -1)
    return [ref for ref in refs if ref > last]


def doc_year(ctx: Context) -> int | None:
    issued = ctx.header.issued_date if ctx.header is not None else None
    if issued:
        return int(issued[:4])
    for ref in _first_refs(ctx.doc, plan_settings().head_lines):
        match = _YEAR.search(_line_text(ctx.doc, ref))
        if match and "năm" in _line_text(ctx.doc, ref):
            return int(match.group(1))
    return None


def plan_summary(ctx: Context) -> str | None:
    summary = ctx.header.summary if ctx.header is not None else None
    if summary:
        return summary
    # Before the header extractor has run: the lines right after the first 'KẾ HOẠCH' title.
    refs = [(p, i) for p, page in enumerate(ctx.doc.pages) for i in range(len(page.lines))]
    for position, ref in enumerate(refs):
        if _is_plan_title(_line_text(ctx.doc, ref)):
            following = [_line_text(ctx.doc, r) for r in refs[position + 1 : position + 3]]
            return " ".join(following)
    return None


def plan_paragraphs(ctx: Context) -> list[Para] | None:
    """The plan's text paragraphs, or None when the document holds no plan."""
    zones = ctx.zones
    body = zones.get("body", [])
    annex = zones.get("annex", [])
    if is_plan_document(ctx):
        return build_paras(ctx.doc, body)
    annexed = annexed_plan_refs(ctx.doc, annex or _all_after_body(ctx.doc, zones))
    if not annexed or not any(
        keyword_in(_line_text(ctx.doc, ref), plan_words()["annex_plan_cues"]) for ref in annexed[:8]
    ):
        return None
    return build_paras(ctx.doc, annexed)


def assigned_work(ctx: Context) -> list[Task]:
    """Tasks of a letter, directive, meeting conclusion or telegram (``assigning_types``) that
    assigns work, recorded as a plan's are: its task tables (a letter assigning work row by
    row) and its 'Giao Sở X chủ trì ...' / '2. Sở Nội vụ:' items; [] when nothing is assigned.
    """
    name = _header_type(ctx)
    if name is None or ascii_key(name) not in {ascii_key(t) for t in plan_words()["assigning_types"]}:
        return []
    year = doc_year(ctx)
    parse_deadline = make_deadline_parser(year)
    tables = table_tasks(ctx.doc, parse_deadline)
    paras = build_paras(ctx.doc, ctx.zones.get("body", []))
    labelled, used = labelled_tasks(ctx.doc, paras, parse_deadline)
    agencies = agency_tasks(ctx.doc, paras, used, make_deadline_finder(year), strict=True)
    prose = drop_table_duplicates(sorted([*labelled, *agencies], key=_position), tables)
    return [*tables, *prose]


def extract_plan(ctx: Context) -> Plan | None:
    paras = plan_paragraphs(ctx)
    if paras is None:
        return None
    year = doc_year(ctx)
    default_year = plan_year(plan_summary(ctx), year)
    parse_deadline = make_deadline_parser(year)
    tables = table_tasks(ctx.doc, parse_deadline)
    labelled, used = labelled_tasks(ctx.doc, paras, parse_deadline)
    assigned = assigned_tasks(ctx.doc, paras, used, make_deadline_finder(year))
    agencies = agency_tasks(ctx.doc, paras, used, make_deadline_finder(year))
    prose = drop_table_duplicates(sorted([*labelled, *assigned, *agencies], key=_position), tables)
    targets = extract_targets(ctx.doc, paras, default_year, parse_target)
    outputs = [(task.output, task.section_path, task.evidence) for task in tables if task.output]
    targets += output_targets(outputs, targets, default_year, parse_target)
    plan = Plan(sections=build_sections(ctx.doc, paras), targets=targets, tasks=[*tables, *prose])
    if not is_plan_document(ctx):
        plan.issued_by = _issuing_document(ctx)
    return plan


def _issuing_document(ctx: Context) -> str | None:
    """'Quyết định số 1627/QĐ-UBND': the document that issues the annexed plan ('Ban hành kèm theo
    Quyết định này Kế hoạch ...'), from its own header."""
    header = ctx.header
    name = _header_type(ctx)
    if header is None or name is None:
        return None
    number = "/".join(part for part in (header.number, header.symbol) if part)
    return f"{name} số {number}" if number else name


def _position(task: Any) -> tuple[int, int]:
    evidence = task.evidence
    return (evidence.page, evidence.start) if evidence else (0, 0)


@component(
    "extract.plan", requires=("zones", "header"), assigns=("plan", "assignments"), settings=PlanSettings
)
def plan_component(ctx: Context) -> None:
    ctx.plan = extract_plan(ctx)
    # Work a letter assigns is no plan (the gold convention): it is kept beside it.
    ctx.assignments = assigned_work(ctx) if ctx.plan is None else []
