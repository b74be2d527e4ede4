"""The plan's headings as a tree: parts (A./PHẦN), Roman sections, 1., 1.1, a)."""

from __future__ import annotations

from pipeline.extract.plan_settings import plan_settings
from pipeline.extract.plan_text import Para, para_evidence
from pipeline.model import Document
from pipeline.nlp.text import ascii_key
from pipeline.record.models import Section

# Bullets are content, not headings.
_HEADING_KINDS = ("part", "upper", "chapter", "roman", "arabic", "dotted", "letter")


def clean_title(title: str) -> str:
    """Heading title as printed, without the trailing colon of 'II. NỘI DUNG KẾ HOẠCH:'."""
    return title.strip().rstrip(":;").strip()


def top_kind(paras: list[Para]) -> str | None:
    """The kind that numbers the plan's top-level sections: Roman numerals, else parts."""
    kinds = {p.kind for p in paras}
    if "part" in kinds:
        return "part"
    if "roman" in kinds:
        return "roman"
    return None


def build_sections(doc: Document, paras: list[Para]) -> list[Section]:
    """Section tree; the top is the Roman level (or PHẦN in dossiers with parts)."""
    top = top_kind(paras)
    if top is None:
        return []
    top_level = _level_of(paras, top)
    roots: list[Section] = []
    stack: list[tuple[int, Section]] = []
    started = False
    for para in paras:
        if para.kind not in _HEADING_KINDS:
            continue
        if para.kind == top:
            started = True
        if not started or para.level < top_level:
            continue
        while stack and stack[-1][0] >= para.level:
            stack.pop()
        section = Section(
            label=para.label,
            title=clean_title(para.title),
            level=len(stack) + 1,  # depth in the tree: 1 for the top-level sections
            evidence=para_evidence(doc, para),
        )
        if stack:
            stack[-1][1].children.append(section)
        else:
            roots.append(section)
        stack.append((para.level, section))
    return _without_contents_entries(roots)


def _without_contents_entries(roots: list[Section]) -> list[Section]:
    """A table of contents lists the parts again: a section whose label and title come again
    later is that entry (plans also repeat a numeral with another title: both are kept)."""
    from rapidfuzz import fuzz

    def repeated(index: int) -> bool:
        section = roots[index]
        return any(
            later.label == section.label
            and fuzz.ratio(ascii_key(later.title), ascii_key(section.title)) >= plan_settings().same_title
            for later in roots[index + 1 :]
        )

    return [section for index, section in enumerate(roots) if not repeated(index)]


def _level_of(paras: list[Para], kind: str) -> int:
    return min(p.level for p in paras if p.kind == kind)


def section_titles(sections: list[Section]) -> list[str]:
    return [section.title for section in sections]
