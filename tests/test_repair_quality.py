"""Syllable quality: the validator, and excerpts of real text layers on both sides of the threshold."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.model import Document, Line, Page
from pipeline.registry import Context
from pipeline.repair.quality import (
    QUALITY_THRESHOLD,
    Verdict,
    classify_piece,
    is_code_piece,
    is_syllable,
    page_fails_quality,
    page_quality,
    score_pages,
    syllable_counts,
    syllable_quality,
)


def pdf_pages(path: Path) -> list[Page]:
    """Pages of a PDF's text layer, one Line per text line (no reader needed)."""
    pdf = pdfium.PdfDocument(str(path))
    pages = []
    for index in range(len(pdf)):
        text = pdf[index].get_textpage().get_text_range()
        pages.append(Page(number=index + 1, lines=[Line(text=t) for t in text.splitlines()]))
    return pages


def scored(path: Path) -> Document:
    doc = Document(path=str(path), format="pdf", pages=pdf_pages(path))
    score_pages(Context(doc=doc))
    return doc


@pytest.mark.parametrize(
    "word",
    [
        "Cộng", "hòa", "hoà", "xã", "hội", "chủ", "nghĩa", "Việt", "Độc", "lập", "Hạnh", "phúc",
        "quốc", "quyết", "giữa", "gì", "gìn", "giết", "khuya", "hươu", "thuở", "ủy", "uỷ", "thủy",
        "thuỷ", "nguyễn", "nghiêng", "kế", "ghế", "yên", "khuyên", "người", "được", "xoong", "Đắk",
        "CHỦ", "TỊCH",
    ],
)  # fmt: skip
def test_real_syllables_are_valid(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize(
    "word",
    [
        "Céng", "hoµ", "héi", "chñ", "nghÜa", "ViÖt",  # TCVN3 mojibake
        "COÄNG", "HOØA", "XAÕ",  # VNI mojibake
        "iệp", "ce", "ka", "ngi", "gha",  # spelling: iê needs an onset; k/gh/ngh only before i e ê
        "cát̀", "thàt", "hỏc",  # two tones, stop coda with huyền / hỏi
        "taì",  # tone on the glide
        "ndm", "ngdy",
    ],
)  # fmt: skip
def test_malformed_syllables_are_invalid(word: str) -> None:
    assert not is_syllable(word)


@pytest.mark.parametrize("piece", ["UBND", "HĐND", "TTr", "QyĐ", "1185", "2025", "K4", "III", "ii", "V", "a"])
def test_numbers_and_abbreviations_are_neutral(piece: str) -> None:
    assert classify_piece(piece) is Verdict.NEUTRAL


def test_broken_text_is_invalid_not_neutral() -> None:
    # OCR digits in words, case flips from lost fonts, and symbols glued to letters.
    for piece in ["D6ng", "H4nh", "ceNG", "cHUNG", "hoµ"]:
        assert classify_piece(piece) is Verdict.INVALID, piece


def test_quality_of_prose_and_mojibake() -> None:
    clean = "Số: 153/KH-UBND Quảng Ngãi, ngày 07 tháng 7 năm 2023. Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert syllable_quality(clean) == 1.0
    assert syllable_quality("Céng hoµ x· héi chñ nghÜa ViÖt Nam") < 0.5
    assert syllable_quality("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM") < 0.5


def test_words_glued_by_a_lost_space_still_count() -> None:
    assert syllable_quality("thuộcThành phố HồChí Minh") == 1.0


FIXTURES = Path(__file__).parent / "fixtures"


def text_pages(name: str) -> list[Page]:
    """Pages of a text-layer excerpt under tests/fixtures/ (a form feed between pages)."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [
        Page(number=number, lines=[Line(text=line) for line in chunk.strip("\n").splitlines()])
        for number, chunk in enumerate(text.split("\f"), start=1)
    ]


def scored_excerpt(name: str) -> Document:
    doc = Document(path=name, format="pdf", pages=text_pages(name))
    score_pages(Context(doc=doc))
    return doc


def test_broken_glyph_map_page_is_under_threshold() -> None:
    """A born-digital letter whose glyph map lost most capitals ("Sở ài chính", "iệp hội",
    "ghị định"): its text layer cannot be trusted and the page goes to OCR."""
    page = scored_excerpt("quality_capitals_lost_from_glyph_map.txt").pages[0]
    assert page.quality is not None
    assert round(page.quality, 4) == 0.9275
    assert page.quality < QUALITY_THRESHOLD
    assert page_fails_quality(page)


def test_clean_page_is_over_threshold() -> None:
    """The first page of a born-digital report: every syllable sound, no warning."""
    doc = scored_excerpt("quality_clean_report_page.txt")
    page = doc.pages[0]
    assert page.quality == 1.0
    assert not page_fails_quality(page)
    assert not [code for code, _ in doc.warnings if code == "page.low_quality"]


def test_stripped_diacritics_ocr_layer_is_flagged() -> None:
    """A scan whose producer added an OCR layer that lost the marks ("uY BAN NgAN nAN",
    "H4nh phric"): every page scores under one half and gets its own warning."""
    doc = scored_excerpt("quality_ocr_layer_without_marks.txt")
    assert [round(p.quality, 4) if p.quality is not None else None for p in doc.pages] == [0.2432, 0.3716]
    assert [code for code, _ in doc.warnings].count("page.low_quality") == 2


def test_scan_without_text_layer_fails_without_a_score(tmp_path: Path) -> None:
    """A page with no text layer at all (a bare scan): no score, and it fails the check."""
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    path = tmp_path / "blank.pdf"
    pdf.save(str(path))
    page = scored(path).pages[0]
    assert page.quality is None
    assert page_fails_quality(page)


def test_legacy_doc_scores_low() -> None:
    """A .doc typed in a VNI font, read by antiword as 8-bit text ("COÄNG HOAØ"), scores under
    one half before the legacy conversion."""
    text = subprocess.run(
        ["antiword", "-m", "UTF-8.txt", str(FIXTURES / "legacy_vni_header.doc")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "COÄNG HOAØ" in text
    assert syllable_quality(text) < 0.5


def _clean_text_pdfs(corpus: Path) -> list[str]:
    manifest = [json.loads(line) for line in (corpus / "manifest.jsonl").read_text().splitlines()]
    pdfs = [e["file"] for e in manifest if e["format"] == "pdf-text"]
    # A born-digital PDF whose first page lost its capitals (the case of
    # test_broken_glyph_map_page_is_under_threshold) is the one text layer meant to fail.
    lost_capitals = (FIXTURES / "quality_capitals_lost_from_glyph_map.txt").read_text(encoding="utf-8")
    return [name for name in pdfs if lost_capitals.split("\n")[3] not in _first_page(corpus / "docs" / name)]


def _first_page(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    return pdf[0].get_textpage().get_text_range() if len(pdf) else ""


@pytest.mark.slow
def test_every_clean_text_layer_page_passes(corpus: Path) -> None:
    """End-to-end check on the real corpus: every page of every born-digital PDF, but the one
    whose glyph map lost its capitals, scores over the threshold."""
    failing = []
    for name in _clean_text_pdfs(corpus):
        for page in scored(corpus / "docs" / name).pages:
            if page.quality is not None and page.quality < QUALITY_THRESHOLD:
                failing.append((name, page.number, round(page.quality, 3)))
    assert not failing


def _page_of(name: str) -> Page:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return Page(number=1, lines=[Line(text=line) for line in text.splitlines()])


def test_a_technical_annex_of_numbers_and_codes_passes() -> None:
    # The text layer of a born-digital decision's annex (a table of reservoir figures:
    # 'Qmax', 'Wtb', 'mm', 'Max'): its Vietnamese words are sound, its codes spell no syllable.
    page = _page_of("technical_annex.txt")
    valid, counted = syllable_counts(page.text)
    assert valid / counted < QUALITY_THRESHOLD  # the plain share would send it to OCR
    quality = page_quality(page)
    assert quality is not None and quality >= QUALITY_THRESHOLD
    assert not page_fails_quality(Page(number=1, lines=page.lines, quality=quality))
    assert is_code_piece("Qmax") and is_code_piece("Wtb") and not is_code_piece("thac")


def test_a_broken_layer_of_a_table_still_fails() -> None:
    # An OCR layer that lost its marks, over a table of well figures: as many numbers, but
    # its invalid words are Vietnamese without marks ('khai thac', 'gieng'), not codes.
    quality = page_quality(_page_of("broken_layer_table.txt"))
    assert quality is not None and quality < 0.8
