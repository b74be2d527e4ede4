"""Legal bases: the documents cited in the 'Căn cứ' lines, or, when a document has none,
in its opening paragraph ('Thực hiện ...', 'Triển khai ...')."""

from __future__ import annotations

from pipeline.layout.zones import ROMAN_HEADING
from pipeline.model import Document
from pipeline.nlp.numbering import find_citations
from pipeline.nlp.text import ascii_key
from pipeline.record.models import LegalBasis

Ref = tuple[int, int]

# How far into the body the opening paragraph may reach, in lines.
OPENING_LINES = 25


def paragraphs(doc: Document, refs: list[Ref]) -> list[str]:
    """Join wrapped lines: a paragraph ends at ';', '.', ':' or where the next one begins."""
    result: list[str] = []
    current = ""
    for page, index in refs:
        text = doc.pages[page].lines[index].text.strip()
        if not text:
            continue
        starts = ascii_key(text).startswith(
            ("can cu", "thuc hien", "trien khai", "xet de nghi", "theo de nghi")
        )
        if current and (starts or current.endswith((";", ".", ":"))):
            result.append(current)
            current = text
        else:
            current = f"{current} {text}".strip()
    if current:
        result.append(current)
    return result


def extract_legal_bases(doc: Document, body: list[Ref]) -> list[LegalBasis]:
    paras = paragraphs(doc, body[:200])
    basis = [p for p in paras if ascii_key(p).startswith("can cu")]
    if not basis:
        # No căn cứ lines: the opening paragraph's citations ("Thực hiện ...", "Tiếp tục
        # thực hiện ...", "Sở X nhận được Công văn số ..."), unless it is already a heading.
        basis = [p for p in paragraphs(doc, body[:OPENING_LINES])[:1] if not ROMAN_HEADING.match(p)]
    bases: list[LegalBasis] = []
    seen: set[str] = set()
    for paragraph in basis:
        for citation in find_citations(paragraph):
            if citation.number_symbol:
                if citation.number_symbol in seen:
                    continue  # cited again inside the same opening paragraph
                seen.add(citation.number_symbol)
            bases.append(
                LegalBasis(
                    doc_type=citation.doc_type,
                    number_symbol=citation.number_symbol,
                    date=citation.date,
                    issuer=citation.issuer,
                    text=citation.text,
                )
            )
    return bases
