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
from tests.esigned_pdf import Page as EsignedPage
from tests.esigned_pdf import Text, Widget, write_pdf

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


# A signing stamp as the e-signing tools draw it in a /Sig widget's appearance.
STAMP = [
    Text("Người ký: Nguyễn Văn An", 4, 40, 8),
    Text("Cơ quan: Ủy ban nhân dân tỉnh Lâm Đồng", 4, 28, 8),
    Text("Thời gian ký: 28.04.2026 13:50:22 +07:00", 4, 16, 8),
]
SIGNATURE = {
    "Reason": "Nguyễn Văn An<an@lamdong.gov.vn>",
    "M": "D:20260428135022+07'00'",
    "Name": "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
    "Location": "Lâm Đồng",
    "ContactInfo": "0263 3822 111",
}
HEADER = [
    Text("ỦY BAN NHÂN DÂN", 60, 780),
    Text("Số:        /KH-UBND", 60, 740),
    Text("Lâm Đồng, ngày      tháng      năm 2026", 300, 740),
]


def _esigned(tmp_path: Path, widgets: list[Widget], texts: list[Text] | None = None) -> Document:
    pdf = write_pdf(
        tmp_path / "signed.pdf", [EsignedPage(texts=HEADER if texts is None else texts, widgets=widgets)]
    )
    return read_pdf(pdf, tables=False)


def test_esigned_number_and_date_fill_their_blanks_from_the_widgets(tmp_path: Path) -> None:
    """The issuing office's tool prints the number and the date only in widgets laid over the
    blanks: flattened into the page, they fill the lines where a reader sees them."""
    document = _esigned(
        tmp_path,
        [
            Widget((82, 738, 110, 752), [Text("173", 2, 2)], name="SoVanBan"),
            Widget((392, 738, 410, 752), [Text("28", 2, 2)], name="Ngay"),
            Widget((460, 738, 472, 752), [Text("4", 2, 2)], name="Thang"),
        ],
    )
    lines = [line.text for line in document.pages[0].lines]
    assert lines == ["ỦY BAN NHÂN DÂN", "Số: 173 /KH-UBND", "Lâm Đồng, ngày 28 tháng 4 năm 2026"]
    # The stamps' own text, line by line (the day and the month stand on one line).
    assert document.stamps == ["appearance p1: 173", "appearance p1: 28 4"]


def test_raised_stamp_joins_the_number_line_it_fills(tmp_path: Path) -> None:
    """A number stamped a little above its blank still joins the number line."""
    document = _esigned(tmp_path, [Widget((82, 742, 120, 756), [Text("12094", 2, 2)], name="SoVanBan")])
    lines = [line.text for line in document.pages[0].lines]
    assert lines[1] == "Số: 12094 /KH-UBND"
    assert "12094" not in lines


def test_signature_dictionary_and_stamp_are_stamps(tmp_path: Path) -> None:
    """/Reason and /M through pdfium; /Name, /Location and /ContactInfo from the raw bytes
    (the /Name of the signing app's /Prop_Build is skipped); the stamp drawn by the /Sig
    widget read line by line."""
    build = "<< /App << /Name (VGCA Sign Service) /REx (2.0) >> >>"
    document = _esigned(tmp_path, [Widget((330, 580, 560, 640), STAMP, SIGNATURE, build=build)])
    assert document.stamps == [
        "signature.reason: Nguyễn Văn An<an@lamdong.gov.vn>",
        "signature.time: 2026-04-28T13:50:22+07:00",
        "signature.name: ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
        "signature.location: Lâm Đồng",
        "signature.contact: 0263 3822 111",
        "appearance p1: Người ký: Nguyễn Văn An",
        "appearance p1: Cơ quan: Ủy ban nhân dân tỉnh Lâm Đồng",
        "appearance p1: Thời gian ký: 28.04.2026 13:50:22 +07:00",
    ]


def test_a_stamp_line_of_several_text_objects_is_one_stamp(tmp_path: Path) -> None:
    """The signing box's line drawn as two text runs is read as one line, not per run."""
    line = [Text("Ký bởi:", 4, 20, 8), Text("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", 36, 20, 8)]
    document = _esigned(tmp_path, [Widget((330, 580, 560, 640), line, SIGNATURE)])
    assert [s for s in document.stamps if s.startswith("appearance")] == [
        "appearance p1: Ký bởi: ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    ]


def test_scan_with_only_a_signing_stamp_still_has_no_text(tmp_path: Path) -> None:
    """A page whose only text is the signing stamp (a signed scan) has no lines, so that it
    goes to OCR; the stamp's text is a stamp, not the page's."""
    document = _esigned(tmp_path, [Widget((330, 580, 560, 640), STAMP, SIGNATURE)], texts=[])
    page = document.pages[0]
    assert (page.origin, page.lines) == ("none", [])
    assert "appearance p1: Cơ quan: Ủy ban nhân dân tỉnh Lâm Đồng" in document.stamps


def test_esigned_number_from_a_real_signing_tool(read: Reader) -> None:
    """End-to-end check on a real e-signed PDF, kept because it shows what a built file cannot:
    the nested appearance forms and embedded font subsets a real signing tool writes."""
    document = read("001.pdf")
    assert "appearance p1: 173" in document.stamps
    assert "signature.time: 2026-04-28T13:50:22+07:00" in document.stamps
    assert _line(document.pages[0].lines, "Số:").text.replace(" ", "") == "Số:173/KH-UBND"
    assert "ngày 28 tháng 4 năm 2026" in _line(document.pages[0].lines, "Hà Nội, ngày").text


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
