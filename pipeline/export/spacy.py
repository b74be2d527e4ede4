"""Records as spaCy ``Doc``s, a ``vanban`` spaCy component, and DocBin export (the ``spacy`` extra).

In the manner of Explosion's spacy-layout for Docling: the document's text becomes a ``Doc`` and
what the pipeline extracted becomes spans that point into it, ready for NLP work or as training
data for a named-entity model.

- The text is the record's normalised page texts joined by ``PAGE_BREAK``; every value with
  evidence (page and character span) becomes a span at exactly that place.
- Span groups (``doc.spans``): ``issuer``, ``dates`` (issued date, task deadlines), ``bodies``
  (task leads and cooperating bodies), ``persons`` (the signer), ``legal_references`` (every cited
  document), ``summary``, ``tasks``, ``targets``, ``deadlines``, ``leads``, ``cooperating``.
  A value printed away from its evidence (a lead in a table column) is looked for within its
  task's row text; a value not found is left out, never placed at a guess.
- ``doc.ents``: a non-overlapping subset for NER training, labels ``ORG`` (issuer, bodies),
  ``DATE``, ``PERSON`` and ``LAW`` (legal references).
- ``doc.user_data["vanban"]``: the record itself (JSON, without its page texts).

spaCy is imported only here; the batch workers never load it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

from pipeline.record.models import Evidence, Record

PAGE_BREAK = "\n\n"
# How far after a task's text its lead, cooperating bodies and deadline are looked for: the rest
# of its table row. The search also stops where the next task's text starts.
ROW_WINDOW = 400

GROUPS = (
    "issuer",
    "summary",
    "dates",
    "bodies",
    "persons",
    "legal_references",
    "tasks",
    "leads",
    "cooperating",
    "deadlines",
    "targets",
)
ENTITY_LABELS = {
    "issuer": "ORG",
    "bodies": "ORG",
    "dates": "DATE",
    "persons": "PERSON",
    "legal_references": "LAW",
}


def blank_nlp() -> Language:
    """spaCy's rule-based multi-language tokenizer (the 'vi' one needs pyvi for word segmentation)."""
    return spacy.blank("xx")


class _Builder:
    def __init__(self, doc: Doc, pages: list[str]) -> None:
        self.doc = doc
        self.pages = pages
        self.starts = []
        offset = 0
        for page in pages:
            self.starts.append(offset)
            offset += len(page) + len(PAGE_BREAK)
        self.spans: dict[str, list[Span]] = {name: [] for name in GROUPS}

    def at(self, evidence: Evidence | None, group: str, label: str) -> Span | None:
        if evidence is None or not 1 <= evidence.page <= len(self.pages):
            return None
        base = self.starts[evidence.page - 1]
        return self._add(base + evidence.start, base + evidence.end, group, label)

    def near(
        self, text: str | None, after: Evidence | None, until: Evidence | None, group: str, label: str
    ) -> Span | None:
        """``text`` as printed within the row that starts at ``after`` (a task's evidence) and ends
        before ``until`` (the next task's) or ``ROW_WINDOW`` characters on."""
        if not text or after is None or not 1 <= after.page <= len(self.pages):
            return None
        page = self.pages[after.page - 1]
        stop = after.end + ROW_WINDOW
        if until is not None and until.page == after.page and after.end <= until.start < stop:
            stop = until.start
        found = page.find(text, after.start, stop)
        if found < 0:
            return None
        base = self.starts[after.page - 1]
        return self._add(base + found, base + found + len(text), group, label)

    def _add(self, start: int, end: int, group: str, label: str) -> Span | None:
        span = self.doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is None or not span.text.strip():
            return None
        self.spans[group].append(span)
        return span


def record_to_doc(record: Record, nlp: Language | None = None) -> Doc:
    """The record's text as a ``Doc`` with its values as spans (see the module's description)."""
    nlp = nlp or blank_nlp()
    pages = list(record.text.pages) if record.text is not None else []
    doc = nlp.make_doc(PAGE_BREAK.join(pages))
    build = _Builder(doc, pages)
    header = record.document
    if header is not None:
        build.at(header.evidence.get("issuer"), "issuer", "ISSUER")
        build.at(header.evidence.get("summary"), "summary", "SUMMARY")
        build.at(header.evidence.get("issued_date"), "dates", "ISSUED_DATE")
        build.at(header.evidence.get("signer.name"), "persons", "SIGNER")
    for reference in record.references:
        build.at(reference.evidence, "legal_references", "LEGAL_REFERENCE")
    tasks = record.tasks
    if tasks:
        for index, task in enumerate(tasks):
            build.at(task.evidence, "tasks", "TASK")
            until = tasks[index + 1].evidence if index + 1 < len(tasks) else None
            for body in task.lead:
                if span := build.near(body, task.evidence, until, "leads", "LEAD"):
                    build.spans["bodies"].append(span)
            for body in task.cooperating:
                if span := build.near(body, task.evidence, until, "cooperating", "COOPERATING"):
                    build.spans["bodies"].append(span)
            if task.deadline is not None and (
                span := build.near(task.deadline.text, task.evidence, until, "deadlines", "DEADLINE")
            ):
                build.spans["dates"].append(span)
    if record.plan is not None:
        for target in record.plan.targets:
            build.at(target.evidence, "targets", "TARGET")
    for name, spans in build.spans.items():
        doc.spans[name] = spans
    entities = [
        Span(doc, span.start, span.end, label=ENTITY_LABELS[group])
        for group in ENTITY_LABELS
        for span in build.spans[group]
    ]
    doc.ents = filter_spans(entities)
    doc.user_data["vanban"] = record.model_dump(mode="json", exclude={"text"})
    return doc


class VanbanLayout:
    """``VanbanLayout(nlp)(path_or_bytes)`` -> a ``Doc`` of the document (as spacy-layout for Docling)."""

    def __init__(self, nlp: Language | None = None, *, ocr: bool = True) -> None:
        self.nlp = nlp or blank_nlp()
        self.ocr = ocr

    def __call__(self, source: str | Path | bytes, name: str | None = None) -> Doc:
        from pipeline.api import extract_record

        return record_to_doc(extract_record(source, name=name, ocr=self.ocr), self.nlp)


@Language.factory("vanban", default_config={"ocr": False})
def make_vanban_component(nlp: Language, name: str, ocr: bool) -> VanbanComponent:
    return VanbanComponent(nlp, ocr=ocr)


class VanbanComponent:
    """A spaCy pipeline component: runs vanban on ``doc.text`` (read as a plain-text document) and
    sets the same span groups and entities as ``record_to_doc``; spans land where the record's
    normalised text lines up with ``doc.text`` and are left out where it does not."""

    def __init__(self, nlp: Language, *, ocr: bool = False) -> None:
        self.nlp = nlp
        self.ocr = ocr

    def __call__(self, doc: Doc) -> Doc:
        from pipeline.api import extract_record

        record = extract_record(doc.text.encode("utf-8"), name="doc.txt", ocr=self.ocr)
        made = record_to_doc(record, self.nlp)
        shift = _alignment(made.text, doc.text)
        for group, spans in made.spans.items():
            moved = [_move(doc, span, shift) for span in spans]
            doc.spans[group] = [span for span in moved if span is not None]
        doc.ents = filter_spans([s for s in (_move(doc, e, shift) for e in made.ents) if s is not None])
        doc.user_data["vanban"] = made.user_data["vanban"]
        return doc


def _alignment(made: str, original: str) -> dict[int, int] | None:
    """None when both texts are the same; else a map of character offsets made -> original (equal runs)."""
    if made == original:
        return None
    from difflib import SequenceMatcher

    mapping: dict[int, int] = {}
    for block in SequenceMatcher(None, made, original, autojunk=False).get_matching_blocks():
        for index in range(block.size):
            mapping[block.a + index] = block.b + index
    return mapping


def _move(doc: Doc, span: Span, shift: dict[int, int] | None) -> Span | None:
    start, end = span.start_char, span.end_char
    if shift is not None:
        if start not in shift or end - 1 not in shift:
            return None
        start, end = shift[start], shift[end - 1] + 1
    return doc.char_span(start, end, label=span.label_, alignment_mode="expand")


def docbin_of(records: Iterable[Record], nlp: Language | None = None) -> DocBin:
    """A DocBin of records (with their span groups, entities and user data)."""
    nlp = nlp or blank_nlp()
    docbin = DocBin(store_user_data=True)
    for record in records:
        if record.text is not None:
            docbin.add(record_to_doc(record, nlp))
    return docbin


def catalog_records(catalog: Any) -> Iterable[Record]:
    """The catalog's records with their page texts put back (those loaded without text are skipped)."""
    from sqlalchemy import select

    from pipeline.catalog.models import Document

    with catalog.session() as session:
        rows = session.execute(
            select(Document.record, Document.page_texts).where(Document.page_texts.is_not(None))
        )
        for data, pages in rows:
            yield Record.model_validate({**data, "text": {"pages": pages}})


__all__ = ["VanbanLayout", "docbin_of", "record_to_doc"]
