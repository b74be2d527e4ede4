"""References: every document cited anywhere in the text, normalised, with evidence.

Unlike legal bases (the grounds in the preamble), this is the whole citation graph:
what a search or document-management system links the record to.
"""

from __future__ import annotations

from pipeline.model import Document
from pipeline.nlp.numbering import find_citations
from pipeline.record.models import Evidence, Reference
from pipeline.registry import Context, component


def extract_references(doc: Document) -> list[Reference]:
    references: list[Reference] = []
    seen: set[str] = set()
    own = _own_symbol(doc)
    for index, page in enumerate(doc.pages):
        text = page.text
        for citation in find_citations(text):
            key = (citation.number_symbol or f"{citation.doc_type}|{citation.date}").casefold()
            if key in seen or (citation.number_symbol is None and citation.date is None):
                continue
            seen.add(key)
            if own and citation.number_symbol and citation.number_symbol.endswith(own):
                continue  # an annex's "(Kèm theo Kế hoạch số .../KH-UBND)" cites the document itself
            references.append(
                Reference(
                    **citation.described(),
                    evidence=Evidence(
                        page=index + 1, start=citation.start, end=citation.end, text=citation.text
                    ),
                )
            )
    return references


def _own_symbol(doc: Document) -> str | None:
    return doc.metadata.get("symbol")


@component("extract.references", requires=("header",), assigns=("references",))
def references_component(ctx: Context) -> None:
    header = ctx.header
    if header is not None and header.symbol and header.number:
        ctx.doc.metadata["symbol"] = f"{header.number}/{header.symbol}"
    ctx.references = extract_references(ctx.doc)
