"""Legacy TCVN3/VNI documents read and converted as the later stages see them (read + repair).

The tab-laid headers and closings of DOCX and RTF files are tested on small built files in
test_legacy_layout.py; this file keeps what needs a real PDF text layer."""

from __future__ import annotations

from pathlib import Path

from pipeline.model import Document
from pipeline.read import read_document
from pipeline.registry import Context
from pipeline.run import process_context


def _converted(path: Path) -> Document:
    document = read_document(path)
    process_context(Context(doc=document), ["repair.legacy", "repair.normalize"])
    return document


def test_a_pdf_text_layer_in_tcvn3_keeps_the_u_horn_at_a_line_end(corpus_docs: Path) -> None:
    # A TCVN3 "ư" at the end of a line is the byte a soft hyphen takes; the PDF's text layer
    # drops it there unless the converter restores it ("Đầu t" for "Đầu tư").
    document = _converted(corpus_docs / "145.pdf")
    lines = [line.text for page in document.pages for line in page.lines]
    assert any(text.endswith("Bộ Kế hoạch và Đầu tư") for text in lines)
    assert not any(text.endswith(" Đầu t") or text.endswith(" đầu t") for text in lines)
