"""Ruled tables from pdfium's paths and characters: the tables pdfplumber finds on the same page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pytest

from pipeline.read.pdf import _has_ruled_lines, _HyphenReader, read_pdf
from pipeline.read.pdf_rules import page_tables


def _texts(tables: list[Any]) -> list[list[list[str | None]]]:
    return [table.extract() for table in tables]


def _same_cells(ours: list[Any], theirs: list[Any]) -> bool:
    """The same cells, to pdfium's single precision (404.350005 is 404.34999 there)."""
    return len(ours) == len(theirs) and all(
        len(a.cells) == len(b.cells)
        and all(
            abs(u - v) < 1e-3
            for cell_a, cell_b in zip(a.cells, b.cells, strict=True)
            for u, v in zip(cell_a, cell_b, strict=True)
        )
        for a, b in zip(ours, theirs, strict=True)
    )


# Ruled pages of different makers: Word tables drawn as thin filled rectangles (077, 300),
# stroked lines, several tables on one page, hyphens and merged cells.
@pytest.mark.parametrize(
    ("name", "index"), [("087.pdf", 0), ("077.pdf", 30), ("300.pdf", 3), ("301.pdf", 0), ("083.pdf", 5)]
)
def test_tables_equal_pdfplumbers_own(corpus_docs: Path, name: str, index: int) -> None:
    path = corpus_docs / name
    pdf = pdfium.PdfDocument(path)
    try:
        assert _has_ruled_lines(pdf[index])
        ours = page_tables(pdf, index, _HyphenReader())
    finally:
        pdf.close()
    with pdfplumber.open(path) as plumber:
        theirs = plumber.pages[index].find_tables()
        assert ours is not None and ours
        assert _same_cells(ours, theirs)
        assert _texts(ours) == _texts(theirs)


def test_rotated_page_is_left_to_pdfplumber(corpus_docs: Path, tmp_path: Path) -> None:
    source = pdfium.PdfDocument(corpus_docs / "087.pdf")
    source[0].set_rotation(90)
    turned = tmp_path / "turned.pdf"
    source.save(turned)
    source.close()
    pdf = pdfium.PdfDocument(turned)
    try:
        assert page_tables(pdf, 0, _HyphenReader()) is None
    finally:
        pdf.close()
    with pdfplumber.open(turned) as plumber:
        expected = [[cell or "" for cell in row] for row in plumber.pages[0].find_tables()[0].extract()]
    # The reader still has the table, from pdfplumber itself.
    table = read_pdf(turned).pages[0].tables[0]
    assert [cell.text for cell in table.rows[0]] == [cell for cell in expected[0] if cell]
