"""PDF reader: positioned lines with the two header blocks apart, stamps, tables, errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.errors import PipelineError
from pipeline.model import Document, Line
from pipeline.read.pdf import read_pdf

FIXTURES = Path(__file__).parent / "fixtures"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")


Reader = Callable[[str], Document]


@pytest.fixture(scope="module")
def read(corpus_docs: Path) -> Reader:
    """Each corpus PDF read once per module."""
    cache: dict[str, Document] = {}

    def get(name: str) -> Document:
        if name not in cache:
            cache[name] = read_pdf(corpus_docs / name, tables=False)  # tables: see their own test
        return cache[name]

    return get


def _line(lines: list[Line], start: str) -> Line:
    found = [line for line in lines if line.text.strip().startswith(start)]
    assert found, f"no line starts with {start!r}"
    return found[0]


def test_header_blocks_side_by_side_are_separate_lines_left_first() -> None:
    # The Decree 30 header as a word processor prints it: a borderless two-column table, the
    # issuer beside the motto on one baseline, the number beside the place and date
    # (tests/fixtures/header_two_blocks.pdf, printed to PDF by LibreOffice).
    lines = (
        read_pdf(Path(__file__).parent / "fixtures" / "header_two_blocks.pdf", tables=False).pages[0].lines
    )
    assert [line.text for line in lines] == [
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "THÀNH PHỐ HÀ NỘI",
        "Số: 173/KH-UBND",
        "Hà Nội, ngày 18 tháng 8 năm 2026",
        "KẾ HOẠCH",
        "Tổ chức Lễ hội Văn hóa",
    ]
    issuer, motto = lines[0], lines[1]
    assert issuer.x1 is not None and motto.x0 is not None and issuer.x1 < motto.x0


@pytest.mark.parametrize("name", ["001.pdf", "063.pdf", "064.pdf", "072.pdf", "077.pdf", "069.pdf"])
def test_motto_never_merged_with_left_block(read: Reader, name: str) -> None:
    """End-to-end check on real born-digital PDFs of several producers: the motto is a line of
    its own, right of the number line, which keeps no date."""
    lines = read(name).pages[0].lines
    motto = [line for line in lines if any(m in line.text for m in MOTTO)]
    assert len(motto) == 1
    assert motto[0].text.strip() in MOTTO
    number = _line(lines, "Số:")
    assert number.x1 is not None and motto[0].x0 is not None
    assert number.x1 < motto[0].x0
    assert "ngày" not in number.text  # the place-and-date line stays in the right block


def test_lines_carry_geometry_and_style(read: Reader) -> None:
    """End-to-end on a real born-digital PDF: size, bold, italic, font and reading order."""
    page = read("001.pdf").pages[0]
    assert page.width == pytest.approx(595.32, abs=0.5) and page.height == pytest.approx(842.04, abs=0.5)
    title = _line(page.lines, "KẾ HOẠCH")
    assert title.bold is True and title.size == 14.0 and title.font and "Times" in title.font
    date = _line(page.lines, "Hà Nội, ngày")
    assert date.italic is True
    tops = [line.top for line in page.lines if line.top is not None]
    # Reading order: top to bottom, allowing same-row blocks to differ by a few points.
    assert all(later >= earlier - 6 for earlier, later in pairwise(tops))


def test_esigned_number_and_date_come_from_the_signature_widgets(read: Reader) -> None:
    """End-to-end on a real e-signed PDF: the signing tool prints the number and the date only
    in its widgets' appearances, and the signing time in the signature dictionary. Kept on the
    real file: what is checked is how the e-signing tools build those objects."""
    document = read("001.pdf")
    assert "appearance p1: 173" in document.stamps
    assert "signature.time: 2026-04-28T13:50:22+07:00" in document.stamps
    # Flattened into the page, the stamp fills the blank where a reader sees it.
    assert _line(document.pages[0].lines, "Số:").text.replace(" ", "") == "Số:173/KH-UBND"
    assert "ngày 28 tháng 4 năm 2026" in _line(document.pages[0].lines, "Hà Nội, ngày").text


def test_signature_reason_names_the_signer(read: Reader) -> None:
    """End-to-end on a real e-signed PDF: the signature's /Reason holds the signer's name."""
    stamps = read("063.pdf").stamps
    assert any(s.startswith("signature.reason: Nguyễn Minh<") for s in stamps)


def test_signature_dictionary_name_and_location_from_raw_bytes(read: Reader) -> None:
    """End-to-end on two real e-signed PDFs of different signing tools: /Name and /Location,
    which pdfium does not expose, read from the raw signature dictionaries."""
    assert "signature.name: HIỆP HỘI CÔNG CHỨNG VIÊN VIỆT NAM" in read("083.pdf").stamps
    stamps = read("065.pdf").stamps
    assert "signature.location: Hà Nội" in stamps
    assert any(s.startswith("signature.reason: Thủ tướng Chính phủ<ttg@") for s in stamps)
    # The signing box drawn by the widget is read as whole lines, not per text object.
    assert "appearance p5: Digitally signed by HIỆP HỘI CÔNG CHỨNG VIÊN VIỆT NAM" in read("083.pdf").stamps


def test_scan_with_only_a_signing_stamp_still_has_no_text(read: Reader) -> None:
    """End-to-end on a real e-signed scan: the signing stamp's text is a stamp, not the page's."""
    document = read("004.pdf")
    page = document.pages[0]
    assert page.origin == "none" and page.lines == []
    assert "appearance p1: Cơ quan: VĂN PHÒNG CHÍNH PHỦ" in document.stamps


def test_blank_page_is_kept_without_lines(tmp_path: Path) -> None:
    """A blank last page (a plan printed with an empty back page) keeps its place and number."""
    pdf = pdfium.PdfDocument(str(FIXTURES / "header_two_blocks.pdf"))
    pdf.new_page(612, 792)
    path = tmp_path / "with_blank.pdf"
    pdf.save(str(path))
    pages = read_pdf(path, tables=False).pages
    assert [page.number for page in pages] == [1, 2]
    assert pages[0].origin == "layer" and pages[0].lines
    assert pages[1].origin == "none" and pages[1].lines == []


def test_ruled_table_is_extracted_only_where_rules_exist(corpus_docs: Path) -> None:
    """End-to-end on two real PDFs: a plan whose first page has no rules gets no table; a meeting
    programme's ruled timetable is one table of eight rows."""
    assert read_pdf(corpus_docs / "001.pdf").pages[0].tables == []
    tables = read_pdf(corpus_docs / "087.pdf").pages[0].tables
    assert len(tables) == 1
    table = tables[0]
    assert [cell.text for cell in table.rows[0]] == ["Thời gian", "Nội dung", "Chủ trì"]
    assert len(table.rows) == 8 and (table.top, table.bottom) == (
        pytest.approx(210.74),
        pytest.approx(696.46),
    )


def _encrypted_pdf() -> bytes:
    """A one-page PDF behind the standard security handler with an unknown user password."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -44 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    file_id = b"<00112233445566778899aabbccddeeff>"
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [%s %s] >>\n" % (
        len(objects) + 1,
        file_id,
        file_id,
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_password_protected_pdf_raises_pdf_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted_pdf())
    with pytest.raises(PipelineError) as caught:
        read_pdf(path)
    assert caught.value.code == "pdf.encrypted"


@pytest.mark.parametrize("keep", [0.5, 0.05])
def test_truncated_pdf_raises_pdf_corrupt(tmp_path: Path, keep: float) -> None:
    """A download cut short: half the file, or only its first twentieth."""
    data = (FIXTURES / "task_table_unruled.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(PipelineError) as caught:
        read_pdf(path)
    assert caught.value.code == "pdf.corrupt"


def test_garbage_after_pdf_header_raises_pdf_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    with pytest.raises(PipelineError) as caught:
        read_pdf(path)
    assert caught.value.code == "pdf.corrupt"


def test_raised_stamp_joins_the_number_line_it_fills(read: Reader) -> None:
    """End-to-end on a real e-signed PDF: the number stamped a little above its blank."""
    lines = read("074.pdf").pages[0].lines
    assert _line(lines, "Số:").text == "Số: 12094 /BNV-CCHC"
    assert not any(line.text.strip() == "12094" for line in lines)


def test_every_text_pdf_shows_its_gold_number_on_the_number_line(corpus: Path) -> None:
    """End-to-end check on the real corpus: e-signed copies print the number only in the signing
    widget; it must reach the number line of every born-digital PDF."""
    missing = {}
    for entry in (json.loads(row) for row in (corpus / "manifest.jsonl").read_text().splitlines()):
        if entry["format"] != "pdf-text":
            continue
        gold = json.loads((corpus / "gold" / f"{entry['file'][:3]}.json").read_text())
        lines = read_pdf(corpus / "docs" / entry["file"], tables=False).pages[0].lines
        number_lines = [line.text for line in lines if line.text.startswith("Số")]
        if gold["number"] and not any(gold["number"] in text for text in number_lines):
            missing[entry["file"]] = (gold["number"], number_lines)
    assert missing == {}
