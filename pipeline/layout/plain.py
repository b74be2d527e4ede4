"""The plain cut of a document the Decree 30 layout could not cut into a body: a page of lines
with a type title somewhere ("KẾ HOẠCH"), a "Nơi nhận" list and perhaps an annex.

Body: after the first type title, up to "Nơi nhận". Annex: from the first "PHỤ LỤC" or type
title after that (a plan issued with a decision starts with its own "KẾ HOẠCH"). Without a type
title the whole document is body. ``layout.zones`` falls back on it, so that the extractors
read one set of zones whatever cut them.
"""

from __future__ import annotations

from pipeline.model import Document
from pipeline.nlp.numbering import type_names
from pipeline.nlp.plan_words import keyword_in, plan_words
from pipeline.nlp.text import ascii_key, is_upper_text

Ref = tuple[int, int]


def _all_refs(doc: Document) -> list[Ref]:
    return [(p, i) for p, page in enumerate(doc.pages) for i in range(len(page.lines))]


def _is_type_title(text: str) -> bool:
    """A type line in capitals: 'KẾ HOẠCH', 'QUYẾT ĐỊNH'."""
    return is_upper_text(text) and ascii_key(text) in {ascii_key(name) for name in type_names()}


def plain_zones(doc: Document) -> dict[str, list[Ref]]:
    """Body and annex of ``doc`` from its type titles and its "Nơi nhận" label alone."""
    words = plan_words()
    body: list[Ref] = []
    annex: list[Ref] = []
    state = "header"
    for ref in _all_refs(doc):
        text = doc.pages[ref[0]].lines[ref[1]].text.strip()
        if state == "header" and _is_type_title(text):
            state = "body"
            continue
        if state == "body" and keyword_in(text[:20], words["recipients_label"]):
            state = "closing"
        if state == "closing" and (
            _is_type_title(text) or (is_upper_text(text) and keyword_in(text[:12], words["annex_starts"]))
        ):
            state = "annex"
        if state == "body":
            body.append(ref)
        elif state == "annex":
            annex.append(ref)
    if state == "header":  # no title line found: read everything as body
        body = _all_refs(doc)
    return {"body": body, "annex": annex}
