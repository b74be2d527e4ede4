"""Evidence spans carry the boxes of the page lines they cover (PDF points; none without layout)."""

from __future__ import annotations

from pathlib import Path

import pipeline
from pipeline.model import Document, Line, Page
from pipeline.record.evidence import line_boxes

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _doc() -> Document:
    lines = [
        Line("ỦY BAN NHÂN DÂN", x0=50, top=40, x1=200, bottom=52),
        Line("TỈNH LÂM ĐỒNG", x0=60, top=54, x1=190, bottom=66),
        Line("Số: 12/KH-UBND", x0=70, top=70, x1=180, bottom=82),
        Line("no position"),
    ]
    return Document(path="x.pdf", format="pdf", pages=[Page(number=1, lines=lines, width=595, height=842)])


def test_a_span_gets_the_boxes_of_exactly_the_lines_it_touches() -> None:
    doc = _doc()
    text = doc.pages[0].text
    start = text.index("NHÂN")
    end = text.index("LÂM") + 3  # across the first line break
    boxes = line_boxes(doc, 1, start, end)
    assert [(box.x0, box.top, box.x1, box.bottom) for box in boxes] == [(50, 40, 200, 52), (60, 54, 190, 66)]
    symbol = text.index("12/KH")
    assert [box.top for box in line_boxes(doc, 1, symbol, symbol + 8)] == [70]
    # A line without a position, a page that does not exist: no box, no error.
    last = text.index("no position")
    assert line_boxes(doc, 1, last, last + 2) == []
    assert line_boxes(doc, 2, 0, 5) == []


def test_records_of_a_pdf_have_boxes_inside_the_page_and_a_docx_none() -> None:
    options = pipeline.Options(include_text=True, ocr=False)
    record = pipeline.extract(SAMPLES / "070.pdf", options)
    assert record.document is not None and record.text is not None
    page = record.source.pages[0]
    assert page.width and page.height
    evidence = record.document.evidence["symbol"]
    assert evidence.boxes, "a text-layer PDF gives line boxes"
    for box in evidence.boxes:
        assert 0 <= box.x0 < box.x1 <= page.width and 0 <= box.top < box.bottom <= page.height
    docx = pipeline.extract(SAMPLES / "056.docx", options)
    assert docx.document is not None
    assert all(not ev.boxes for ev in docx.document.evidence.values())
    assert docx.source.pages[0].width is None
