"""Legacy (TCVN3, VNI) documents laid out with tabs instead of tables, as the later stages see
them (read + repair.legacy + layout.tab_tables + repair.normalize).

Older Word and RTF documents set the header's two blocks and the closing's recipients and
signer side by side with tabs, in 8-bit fonts. The reader keeps the runs' fonts, the converter
reads every line, a paragraph that mixes a capitals font with a plain one included, and the
tab layout step then finds the motto, the date line and the recipients label in Unicode and
splits the lines into a borderless two-column table.

The fixtures are small RTF and DOCX files built here from real header and closing lines,
each letter written as the byte its font gives it (TCVN3's "ư" is byte 0xAD, which Word
keeps as a soft hyphen).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement

from pipeline.model import Document, Line
from pipeline.read.docx import read_docx
from pipeline.read.rtf import read_rtf
from pipeline.registry import Context
from pipeline.repair.legacy import TCVN3, VNI, legacy_spellings
from pipeline.run import process_context

# A paragraph: its runs as (font, text) with None for a tab, and whether it is centred.
Run = tuple[str, str] | None
Paragraph = tuple[list[Run], bool]
TAB: Run = None
CAPS = {TCVN3: ".VnTimeH", VNI: "VNI-Times"}  # .VnTimeH draws every letter as a capital
PLAIN = {TCVN3: ".VnTime", VNI: "VNI-Times"}
GROUNDS = "Căn cứ Luật Tổ chức Hội đồng nhân dân và Uỷ ban nhân dân ngày 26/11/2003;"


def _write_rtf(path: Path, encoding: str, paragraphs: list[Paragraph]) -> Document:
    fonts = sorted({CAPS[encoding], PLAIN[encoding]})
    numbers = {font: f"f{at + 1}" for at, font in enumerate(fonts)}
    table = "".join(f"{{\\{numbers[font]} {font};}}" for font in fonts)
    body = ""
    for runs, centred in paragraphs:
        parts = []
        for run in runs:
            if run is None:
                parts.append(r"\tab ")
                continue
            font, text = run
            legacy = legacy_spellings(text)[encoding]
            escaped = "".join(c if ord(c) < 128 else f"\\'{c.encode('cp1252')[0]:02x}" for c in legacy)
            parts.append(f"{{\\{numbers[font]} {escaped}}}")
        body += r"{\pard" + (r"\qc" if centred else "") + " " + "".join(parts) + r"\par}"
    head = r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman\fcharset0 Times New Roman;}" + table + "}"
    path = path.with_suffix(".rtf")
    path.write_bytes((head + body + "}").encode("ascii"))
    return read_rtf(path)


def _write_docx(path: Path, encoding: str, paragraphs: list[Paragraph]) -> Document:
    document = docx.Document()
    for runs, centred in paragraphs:
        paragraph = document.add_paragraph()
        if centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in runs:
            if run is None:
                paragraph.add_run().add_tab()
                continue
            font, text = run
            for at, part in enumerate(legacy_spellings(text)[encoding].split("\xad")):
                if at:  # Word's soft hyphen element, where TCVN3 has its "ư"
                    hyphen = paragraph.add_run()
                    hyphen.font.name = font
                    hyphen._r.append(OxmlElement("w:softHyphen"))
                paragraph.add_run(part).font.name = font
    path = path.with_suffix(".docx")
    document.save(str(path))
    return read_docx(path)


Writer = Callable[[Path, str, list[Paragraph]], Document]
WRITERS = pytest.mark.parametrize("write", [_write_rtf, _write_docx], ids=["rtf", "docx"])


def _read(write: Writer, tmp_path: Path, encoding: str, paragraphs: list[Paragraph]) -> Document:
    document = write(tmp_path / encoding, encoding, paragraphs)
    process_context(Context(doc=document), ["repair.legacy", "layout.tab_tables", "repair.normalize"])
    return document


def _table(lines: list[Line], index: int) -> list[tuple[int | None, int | None, str]]:
    return [(line.row, line.column, line.text) for line in lines if line.table_index == index]


def _tcvn3_decision(write: Writer, tmp_path: Path) -> Document:
    caps, plain = CAPS[TCVN3], PLAIN[TCVN3]
    return _read(
        write,
        tmp_path,
        TCVN3,
        [
            ([(caps, "ủy ban nhân dân"), TAB, (caps, "cộng hòa xã hội chủ nghĩa việt nam")], False),
            # One paragraph, two fonts: the capitals face and the plain one.
            ([(caps, "thành phố "), (plain, "Cần Thơ"), TAB, (plain, "Độc lập - Tự do - Hạnh phúc")], False),
            ([(plain, "Số: 256/2004/QĐ-UB"), TAB, (plain, "Cần Thơ, ngày 01 tháng 3 năm 2004")], False),
            ([(caps, "quyết định")], True),
            ([(plain, GROUNDS)], False),
            ([(plain, "Nơi nhận:"), TAB, TAB, TAB, TAB, (caps, "tm. ủy ban nhân dân")], False),
            ([(plain, "- Bộ Tư pháp;"), TAB, TAB, TAB, (caps, "chủ tịch")], False),
            ([(plain, "- Lưu VT."), TAB, TAB, TAB, TAB, (plain, "Võ Thanh Tòng")], False),
        ],
    )


@WRITERS
def test_a_tab_laid_legacy_header_becomes_a_two_column_table(write: Writer, tmp_path: Path) -> None:
    page = _tcvn3_decision(write, tmp_path).pages[0]
    assert _table(page.lines, 0) == [
        (0, 0, "ỦY BAN NHÂN DÂN"),
        (0, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (1, 0, "THÀNH PHỐ Cần Thơ"),  # each run keeps its font's case
        (1, 1, "Độc lập - Tự do - Hạnh phúc"),
        (2, 0, "Số: 256/2004/QĐ-UB"),
        (2, 1, "Cần Thơ, ngày 01 tháng 3 năm 2004"),  # the header ends at the date line
    ]
    assert page.tables[0].borderless


@WRITERS
def test_a_tab_laid_legacy_closing_splits_recipients_from_signer(write: Writer, tmp_path: Path) -> None:
    page = _tcvn3_decision(write, tmp_path).pages[0]
    assert _table(page.lines, 1) == [
        (0, 0, "Nơi nhận:"),
        (0, 1, "TM. ỦY BAN NHÂN DÂN"),
        (1, 0, "- Bộ Tư pháp;"),
        (1, 1, "CHỦ TỊCH"),
        (2, 0, "- Lưu VT."),
        (2, 1, "Võ Thanh Tòng"),
    ]


@WRITERS
def test_the_body_between_is_converted_once(write: Writer, tmp_path: Path) -> None:
    page = _tcvn3_decision(write, tmp_path).pages[0]
    assert [line.text for line in page.lines if line.block == "body"] == ["QUYẾT ĐỊNH", GROUNDS]
    assert (page.encoding, page.origin) == (TCVN3, "converted")
    assert not any("\xad" in line.text for line in page.lines)


@WRITERS
def test_a_vni_header_is_found_in_its_own_spelling(write: Writer, tmp_path: Path) -> None:
    font = PLAIN[VNI]
    page = _read(
        write,
        tmp_path,
        VNI,
        [
            ([(font, "BỘ NỘI VỤ"), TAB, (font, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")], False),
            ([(font, "Số: 12/QĐ-BNV"), TAB, (font, "Độc lập - Tự do - Hạnh phúc")], False),
            ([TAB, TAB, TAB, (font, "Hà Nội, ngày 5 tháng 3 năm 2001")], False),
            ([(font, "QUYẾT ĐỊNH")], True),
        ],
    ).pages[0]
    assert _table(page.lines, 0) == [
        (0, 0, "BỘ NỘI VỤ"),
        (0, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (1, 0, "Số: 12/QĐ-BNV"),
        (1, 1, "Độc lập - Tự do - Hạnh phúc"),
        (2, 1, "Hà Nội, ngày 5 tháng 3 năm 2001"),
    ]


@WRITERS
@pytest.mark.parametrize("right", ["Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 5 tháng 3 năm 2001"])
def test_tab_laid_lines_without_the_motto_stay_lines(write: Writer, tmp_path: Path, right: str) -> None:
    font = PLAIN[TCVN3]
    page = _read(
        write,
        tmp_path,
        TCVN3,
        [
            ([(font, "Tên đơn vị"), TAB, (font, "Số lượng")], False),  # a tabbed list, no header
            ([(font, "Sở Tư pháp"), TAB, (font, right)], False),
        ],
    ).pages[0]
    assert page.tables == []
    assert [line.text for line in page.lines] == ["Tên đơn vị Số lượng", f"Sở Tư pháp {right}"]


@WRITERS
def test_the_closing_stops_at_the_next_documents_motto(write: Writer, tmp_path: Path) -> None:
    caps, plain = CAPS[TCVN3], PLAIN[TCVN3]
    page = _read(
        write,
        tmp_path,
        TCVN3,
        [
            ([(plain, GROUNDS)], False),
            ([(plain, "Nơi nhận:"), TAB, TAB, TAB, TAB, (caps, "chủ tịch")], False),
            ([(plain, "- Lưu VT."), TAB, TAB, TAB, TAB, (plain, "Võ Thanh Tòng")], False),
            ([(caps, "cộng hòa xã hội chủ nghĩa việt nam")], True),  # a second document in the file
            ([(plain, "Độc lập - Tự do - Hạnh phúc")], True),
        ],
    ).pages[0]
    assert _table(page.lines, 0) == [
        (0, 0, "Nơi nhận:"),
        (0, 1, "CHỦ TỊCH"),
        (1, 0, "- Lưu VT."),
        (1, 1, "Võ Thanh Tòng"),
    ]
    assert [line.text for line in page.lines if line.block == "body"][1:] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
