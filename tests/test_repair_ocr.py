"""OCR fallback on real scans: which pages go to Tesseract, what comes back, and the switches."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.model import Document, Line, Page
from pipeline.options import Options
from pipeline.registry import Context
from pipeline.repair import ocr, tesseract
from pipeline.repair.quality import QUALITY_THRESHOLD, score_pages

needs_tesseract = pytest.mark.skipif(
    tesseract.tesseract_problem() is not None, reason="tesseract with vie missing"
)


def fold(text: str) -> str:
    """Lowercase, diacritics and đ removed: OCR slips on a mark should not fail a test."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def pdf_document(path: Path) -> Document:
    """The PDF's text layer, one Line per text line (empty pages for a scan)."""
    pdf = pdfium.PdfDocument(str(path))
    pages = [
        Page(number=i + 1, lines=[Line(text=t) for t in pdf[i].get_textpage().get_text_range().splitlines()])
        for i in range(len(pdf))
    ]
    return Document(path=str(path), format="pdf", pages=pages)


def repaired(path: Path, options: Options | None = None) -> Document:
    ctx = Context(doc=pdf_document(path), options=options or Options())
    score_pages(ctx)
    ocr.ocr_failing_pages(ctx)
    return ctx.doc


FIXTURES = Path(__file__).parent / "fixtures"
# The top of a scanned letter (image only, no text layer): the issuer's block left, the motto's
# block right, the number, the date line and the summary; cut from a real scan, 200 dpi JPEG.
SCAN_HEADER = FIXTURES / "scan_letter_header.pdf"
# A born-digital header (issuer and motto blocks) printed to PDF by LibreOffice: a clean layer.
CLEAN_LAYER = FIXTURES / "header_two_blocks.pdf"


def header_lines(page: Page, containing: str) -> list[Line]:
    return [line for line in page.lines if fold(containing) in fold(line.text)]


@needs_tesseract
def test_scanned_page_is_read_and_header_columns_stay_apart() -> None:
    """A scanned header goes to OCR, and the left and right blocks come back as separate lines
    in PDF points (the confidence's bounds only say Tesseract ran on a readable page)."""
    page = repaired(SCAN_HEADER).pages[0]
    assert page.origin == "ocr"
    assert page.ocr_confidence is not None and 0.5 < page.ocr_confidence <= 1
    assert page.quality is not None and page.quality > QUALITY_THRESHOLD
    issuer = header_lines(page, "VĂN PHÒNG CHÍNH PHỦ")
    motto = header_lines(page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA")
    assert issuer and motto
    assert issuer[0] is not motto[0]  # not merged across the columns
    assert issuer[0].x1 is not None and motto[0].x0 is not None
    assert issuer[0].x1 < motto[0].x0  # left block, right block, in PDF points
    assert page.width is not None and motto[0].x1 is not None and motto[0].x1 <= page.width
    number = header_lines(page, "Số: 3722/VPCP-CN")
    assert number and "ngay" not in fold(number[0].text)


def test_clean_text_layer_is_not_ocred(monkeypatch: pytest.MonkeyPatch) -> None:
    """A born-digital page whose text layer scores well is never sent to OCR."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a good page was sent to OCR")

    monkeypatch.setattr(ocr, "ocr_page", refuse)
    doc = repaired(CLEAN_LAYER)
    assert [page.origin for page in doc.pages] == ["layer"]
    assert doc.pages[0].quality == 1.0


def test_only_pdf_documents_are_ocred(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "ocr_page", lambda *a, **k: pytest.fail("OCR on a DOCX"))
    doc = Document(path="x.docx", format="docx", pages=[Page(number=1)])
    ocr.ocr_failing_pages(Context(doc=doc))
    assert not doc.warnings


def test_disabled_ocr_only_reports() -> None:
    """OCR switched off: a scan keeps its empty layer and the record says why."""
    doc = repaired(SCAN_HEADER, Options(ocr=False))
    assert doc.pages[0].origin == "layer"
    assert [code for code, _ in doc.warnings] == ["ocr.disabled"]


def test_environment_switch_is_read_per_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    # Read when a document starts, not when the module was imported.
    monkeypatch.setenv("VANBAN_OCR", "0")
    assert Options.from_env().ocr is False
    assert Context(doc=Document(path="x.pdf", format="pdf")).options.ocr is False
    monkeypatch.setenv("VANBAN_OCR", "1")
    assert Options.from_env().ocr is True


def test_missing_tesseract_degrades_to_a_warning(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No Tesseract on the machine: a warning, not a failure."""
    monkeypatch.setenv("VANBAN_TESSERACT", str(tmp_path / "no-such-tesseract"))
    tesseract.tesseract_problem.cache_clear()
    try:
        doc = repaired(SCAN_HEADER)
    finally:
        tesseract.tesseract_problem.cache_clear()
    assert [code for code, _ in doc.warnings] == ["ocr.unavailable"]
    assert doc.pages[0].origin == "layer"


def test_tsv_words_become_lines_cut_at_column_gaps() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "5\t1\t1\t1\t1\t1\t100\t100\t80\t40\t95\tỦY",
        "5\t1\t1\t1\t1\t2\t200\t100\t80\t40\t91\tBAN",
        "5\t1\t1\t1\t1\t3\t900\t100\t80\t40\t90\tCỘNG",
        "5\t1\t1\t1\t1\t4\t1000\t100\t80\t40\t-1\tHÒA",
    ]
    words = tesseract.parse_tsv("\n".join([header, *rows]), scale=72 / 300)
    lines = ocr.words_to_lines(words)
    assert [line.text for line in lines] == ["ỦY BAN", "CỘNG HÒA"]
    assert lines[0].x0 == pytest.approx(24.0)
    assert lines[1].top == pytest.approx(24.0)
    assert ocr.mean_confidence(words) == pytest.approx(0.92)


@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "issuer", "place"),
    [
        ("088.pdf", "ỦY BAN NHÂN DÂN", "Quảng Ngãi, ngày"),
        ("094.pdf", "ỦY BAN NHÂN DÂN", "Quảng Ngãi, ngày"),
        ("096.pdf", "ỦY BAN NHÂN DÂN", "Quảng Ngãi, ngày"),
    ],
)
def test_scan_headers_split_into_left_and_right(
    corpus_docs: Path, name: str, issuer: str, place: str
) -> None:
    """End-to-end OCR of real scans of one province's decisions: the issuer's block and the
    place-and-date line come back as separate lines, left before right."""
    doc = repaired(corpus_docs / name)
    assert all(page.origin == "ocr" for page in doc.pages)
    page = doc.pages[0]
    left = header_lines(page, issuer)
    right = header_lines(page, place)
    assert left and right
    assert "cong hoa" not in fold(left[0].text)
    assert fold(right[0].text).startswith(fold(place))
    assert left[0].x0 is not None and right[0].x0 is not None and left[0].x0 < right[0].x0


@needs_tesseract
@pytest.mark.slow
def test_stripped_diacritics_layer_is_replaced(corpus_docs: Path) -> None:
    """End-to-end OCR of a real scan whose producer's OCR layer lost the marks: every page is
    read again and then scores over the threshold."""
    doc = repaired(corpus_docs / "079.pdf")
    assert all(page.origin == "ocr" for page in doc.pages)
    assert all(page.quality is not None and page.quality > QUALITY_THRESHOLD for page in doc.pages)
    assert "uy ban nhan dan" in fold(doc.pages[0].text)


def test_blank_pages_are_not_sent_to_ocr(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A PDF that ends with an empty page: no text and no image, so nothing to read."""
    pdf = pdfium.PdfDocument(str(CLEAN_LAYER))
    pdf.new_page(612, 792)
    path = tmp_path / "with_blank.pdf"
    pdf.save(str(path))
    monkeypatch.setattr(ocr, "ocr_page", lambda *a, **k: pytest.fail("OCR on a blank page"))
    doc = repaired(path)
    assert len(doc.pages) == 2
    assert not doc.pages[-1].lines
    assert not doc.warnings


@needs_tesseract
@pytest.mark.slow
def test_broken_glyph_map_page_is_replaced_by_its_ocr(corpus_docs: Path) -> None:
    """End-to-end OCR of a real born-digital page whose glyph map lost its capitals (the
    excerpt of test_repair_quality): the OCR text has them back."""
    doc = repaired(corpus_docs / "072.pdf")
    page = doc.pages[0]
    assert page.origin == "ocr"
    text = fold(page.text)
    assert "so tai chinh" in text and "hiep hoi doanh nghiep" in text


@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("008.pdf", "21"),
        ("096.pdf", "09"),
        ("097.pdf", "239"),
        ("098.pdf", "22"),
        ("005.pdf", "115"),
        ("093.pdf", "16"),
    ],
)
def test_handwritten_number_is_reread_from_its_field(corpus_docs: Path, name: str, number: str) -> None:
    """End-to-end OCR of real scans with hand-filled numbers: "115" and "16" read "445" and
    "46" to Tesseract (the handwritten 1); the number field is read again on its own."""
    page = repaired(corpus_docs / name).pages[0]
    assert any(re.search(rf"S[ốóô]:?\s*{number}\s*/", line.text) for line in page.lines)


@needs_tesseract
@pytest.mark.slow
def test_unreadable_handwritten_number_is_left_blank(corpus_docs: Path) -> None:
    """End-to-end OCR of a real scan whose hand-filled "11" reads "M" to the recogniser and
    "44" to Tesseract: neither is written, and a warning says the number is unreadable."""
    doc = repaired(corpus_docs / "091.pdf")
    assert not any(re.search(r"S[ốóô]:?\s*\d+\s*/", line.text) for line in doc.pages[0].lines[:8])
    assert "header.number_unreadable" in [code for code, _ in doc.warnings]


@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "written"), [("007.pdf", "ngày 23 tháng 4"), ("092.pdf", "ngày 11 tháng 5")]
)
def test_handwritten_day_is_reread_from_its_date_line(corpus_docs: Path, name: str, written: str) -> None:
    """End-to-end OCR of real scans with a hand-filled day on the date line."""
    page = repaired(corpus_docs / name).pages[0]
    assert any(written in line.text for line in page.lines)


def test_ocr_words_repair_tone_slips_on_doubtful_words() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    texts = [("Kỳ", 96), ("thi", 96), ("trung", 96), ("học", 96), ("phố", 66), ("thông", 90)]
    rows = [
        f"5\t1\t1\t1\t1\t{i}\t{100 * i}\t100\t80\t40\t{conf}\t{text}" for i, (text, conf) in enumerate(texts)
    ]
    lines = ocr.words_to_lines(tesseract.parse_tsv("\n".join([header, *rows]), scale=1))
    assert [line.text for line in lines] == ["Kỳ thi trung học phổ thông"]
