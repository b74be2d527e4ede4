"""Legacy encodings on the real TCVN3 / VNI documents of the corpus, and never on clean ones."""

from __future__ import annotations

import ctypes
import json
import subprocess
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from pipeline.model import Cell, Document, Line, Page, Table
from pipeline.registry import Context
from pipeline.repair.legacy import (
    TCVN3,
    VNI,
    convert_text,
    font_encoding,
    repair_legacy,
    repair_page,
)

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def fold(text: str) -> str:
    """Case and tone placement folded, white space collapsed ("hoà" = "hòa")."""
    text = unicodedata.normalize("NFC", text).lower()
    for old, new in (("oà", "òa"), ("oá", "óa"), ("oả", "ỏa"), ("oã", "õa"), ("oạ", "ọa"), ("uỷ", "ủy")):
        text = text.replace(old, new)
    return " ".join(text.split())


def antiword_page(path: Path) -> Page:
    """A .doc as antiword gives it: the bytes decoded as cp1252, no font names."""
    text = subprocess.run(
        ["antiword", "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return Page(number=1, lines=[Line(text=t) for t in text.splitlines()])


def pdf_font_lines(path: Path, index: int) -> Page:
    """A PDF page as lines cut at every font change, each Line carrying its font name."""
    pdf = pdfium.PdfDocument(str(path))
    textpage = pdf[index].get_textpage()
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    lines: list[Line] = []
    text, font = "", None
    for i in range(pdfium_c.FPDFText_CountChars(textpage)):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage, i))
        pdfium_c.FPDFText_GetFontInfo(textpage, i, buffer, 256, ctypes.byref(flags))
        name = buffer.value.decode("latin-1")
        if char in "\r\n" or (name != font and text.strip()):
            if text.strip():
                lines.append(Line(text=text, font=font))
            text = "" if char in "\r\n" else char
        else:
            text += char
        font = name
    if text.strip():
        lines.append(Line(text=text, font=font))
    return Page(number=index + 1, lines=lines)


def converted(page: Page) -> str:
    repair_page(page)
    return fold(page.text)


def test_font_names() -> None:
    assert font_encoding(".VnTime") == font_encoding("ABCDEF+.VnTime,Bold")
    assert font_encoding(".VnTime").encoding == TCVN3  # type: ignore[union-attr]
    assert not font_encoding(".VnTime").capitals  # type: ignore[union-attr]
    assert font_encoding(".VnTimeH,Bold").capitals  # type: ignore[union-attr]
    assert font_encoding("VNI-Times").encoding == VNI  # type: ignore[union-attr]
    assert font_encoding("Times New Roman") is None
    assert font_encoding(None) is None
    # Vendor TCVN3 faces of an old .doc: no leading dot, a bracketed tag, the encoding in the name.
    assert font_encoding("VnArialH(Ds)") == font_encoding(".VnTimeH Tur") == font_encoding(".VnTimeH")
    assert font_encoding("VNSTCVN3") == font_encoding(".VnTime")


def test_tables_convert_known_phrases() -> None:
    assert convert_text("Céng hoµ x· héi chñ nghÜa ViÖt Nam", TCVN3) == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert convert_text("céng hoµ", TCVN3, capitals=True) == "CỘNG HOÀ"
    assert convert_text("COÄNG HOØA XAÕ HOÄI", VNI) == "CỘNG HÒA XÃ HỘI"


def test_tcvn3_doc_is_converted(corpus_docs: Path) -> None:
    page = antiword_page(corpus_docs / "138.doc")
    text = converted(page)
    assert fold(MOTTO) in text
    assert "độc lập - tự do - hạnh phúc" in text
    assert fold("Cải cách hành chính của thành phố Cần Thơ") in text
    assert page.encoding == TCVN3 and page.origin == "converted"


def test_vni_doc_is_converted(corpus_docs: Path) -> None:
    page = antiword_page(corpus_docs / "148.doc")
    text = converted(page)
    assert fold("ỦY BAN NHÂN DÂN") in text
    assert fold(MOTTO) in text
    assert fold("Về việc phê duyệt Kế hoạch thực hiện quy hoạch sử dụng rừng") in text
    assert page.encoding == VNI


def test_mixed_tcvn3_and_vni_doc(corpus_docs: Path) -> None:
    page = antiword_page(corpus_docs / "147.doc")
    counts = repair_page(page)
    assert counts[TCVN3] > 100 and counts[VNI] > 100
    text = fold(page.text)
    assert fold("Kế hoạch tổng thể phát triển CNTT tỉnh Lâm Đồng") in text  # TCVN3 part
    assert fold("máy chủ") in text  # VNI part


def test_rtf_escapes_are_converted(corpus_docs: Path) -> None:
    from striprtf.striprtf import rtf_to_text

    raw = rtf_to_text((corpus_docs / "144.rtf").read_text("latin-1"))
    page = Page(number=1, lines=[Line(text=t) for t in raw.splitlines()])
    text = converted(page)
    assert fold(MOTTO) in text
    assert fold("Sửa đổi, bổ sung một số điều của Nghị định số 30/1998/NĐ-CP") in text


def test_tcvn3_pdf_capitals_come_from_the_font(corpus_docs: Path) -> None:
    page = pdf_font_lines(corpus_docs / "145.pdf", 0)
    repair_page(page)
    # The motto is set in .VnTimeH,Bold with lowercase codes: only the font says capitals.
    assert MOTTO in page.text
    assert "Căn cứ Luật Tổ chức Chính phủ" in page.text  # .VnTime keeps its case
    assert page.encoding == TCVN3


def test_table_cells_are_converted() -> None:
    table = Table(rows=[[Cell("Céng hoµ x· héi chñ nghÜa ViÖt Nam"), Cell("Sè: 12/Q§-UB")]])
    lines = [Line(text="Bé tr\xadëng Bé KÕ ho¹ch vµ §Çu t\xad, Thñ t\xadíng ChÝnh phñ")]
    doc = Document(path="x.doc", format="doc", pages=[Page(number=1, lines=lines, tables=[table])])
    repair_legacy(Context(doc=doc))
    assert table.rows[0][0].text == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert table.rows[0][1].text == "Số: 12/QĐ-UB"
    assert [code for code, _ in doc.warnings] == ["encoding.converted"]


def test_unicode_line_in_a_legacy_font_is_left_alone() -> None:
    # A PDF whose .VnTime font has a ToUnicode map already yields Unicode.
    line = Line(text="Cộng hòa xã hội chủ nghĩa Việt Nam, Độc lập - Tự do - Hạnh phúc", font=".VnTime")
    page = Page(number=1, lines=[line])
    assert not repair_page(page)
    assert line.text.startswith("Cộng hòa")
    assert page.origin == "layer"


def _non_legacy_files(corpus: Path) -> list[str]:
    manifest = [json.loads(line) for line in (corpus / "manifest.jsonl").read_text().splitlines()]
    return [e["file"] for e in manifest if e["format"] in {"pdf-text", "pdf-scan-badocr", "docx", "doc"}]


def _pages_of(path: Path) -> list[Page]:
    if path.suffix == ".pdf":
        pdf = pdfium.PdfDocument(str(path))
        texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
        return [
            Page(number=i + 1, lines=[Line(text=t) for t in text.splitlines()])
            for i, text in enumerate(texts)
        ]
    if path.suffix == ".doc":
        return [antiword_page(path)]
    import docx

    document = docx.Document(str(path))
    lines = [Line(text=p.text) for p in document.paragraphs]
    tables = [Table(rows=[[Cell(c.text) for c in row.cells] for row in t.rows]) for t in document.tables]
    return [Page(number=1, lines=lines, tables=tables)]


def test_clean_corpus_documents_are_never_converted(corpus: Path) -> None:
    files = _non_legacy_files(corpus)
    assert len(files) > 30
    touched = {}
    for name in files:
        doc = Document(path=name, format=name.rsplit(".", 1)[1], pages=_pages_of(corpus / "docs" / name))
        before = doc.text
        repair_legacy(Context(doc=doc))
        if doc.text != before or doc.warnings:
            touched[name] = doc.warnings
    assert not touched


LEGACY_DOCS = ["139.doc", "140.doc", "141.doc", "142.doc", "143.doc", "149.doc", "150.doc"]


@pytest.mark.parametrize("name", LEGACY_DOCS)
def test_every_legacy_doc_reads_as_vietnamese_after_conversion(corpus_docs: Path, name: str) -> None:
    from pipeline.repair.quality import syllable_quality

    page = antiword_page(corpus_docs / name)
    assert syllable_quality(page.text) < 0.5
    repair_page(page)
    assert syllable_quality(page.text) > 0.95


def _as_viscii_through_cp1252(text: str) -> str:
    """Unicode text as a reader shows VISCII bytes: Latin-1 letters, C1 bytes via cp1252."""
    from viparse.normalize.encodings import CHARMAPS

    to_byte = {unicode: legacy for legacy, unicode in CHARMAPS["viscii"].pairs}
    out = []
    for char in text:
        code = ord(to_byte.get(char, char))
        out.append(
            bytes([code]).decode("cp1252", errors="ignore") or chr(code) if 0x80 <= code < 0xA0 else chr(code)
        )
    return "".join(out)


def test_viscii_is_detected_by_statistics() -> None:
    source = (
        "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc. "
        "Ủy ban nhân dân tỉnh Quảng Ngãi ban hành kế hoạch cải cách hành chính năm 2025."
    )
    page = Page(number=1, lines=[Line(text=_as_viscii_through_cp1252(source))])
    assert page.text != source
    repair_page(page)
    assert page.text == source
    assert page.encoding == "viscii"


def test_statistics_convert_only_on_the_gain_the_settings_ask() -> None:
    from pipeline.repair.legacy import LegacySettings

    source = "Ủy ban nhân dân tỉnh Quảng Ngãi ban hành kế hoạch cải cách hành chính năm 2025."
    strict = LegacySettings(page_min_gain=1.0, line_min_gain=1.0)  # no text reads that much better
    page = Page(number=1, lines=[Line(text=_as_viscii_through_cp1252(source))])
    assert not repair_page(page, strict) and page.text != source and page.origin == "layer"
    assert repair_page(page) == {"viscii": 1} and page.text == source


def test_lost_u_horn_is_restored_in_words() -> None:
    from pipeline.repair.legacy import restore_lost_u_horn

    assert (
        restore_lost_u_horn("Chơng trình, nhng đợc Trơng Chí Trung")
        == "Chương trình, nhưng được Trương Chí Trung"
    )
    assert restore_lost_u_horn("TM. CT-UBND; điểm c khoản 2") == "TM. CT-UBND; điểm c khoản 2"


def test_doc_read_without_soft_hyphens_gets_its_u_horn_back(corpus_docs: Path) -> None:
    # A reader going through DOCX drops <w:softHyphen/>, which is TCVN3's ư (byte 0xAD).
    page = antiword_page(corpus_docs / "139.doc")
    for line in page.lines:
        line.text = line.text.replace("\xad", "")
    text = converted(page)
    assert fold("Chính sách khuyến khích và ưu đãi đầu tư đối với một số lĩnh vực") in text
    assert "đợc" not in text and "được" in text


def test_capitals_typed_in_a_plain_tcvn3_font_become_capitals() -> None:
    # TCVN3 has no capital toned vowels: "KÕ HO¹CH" typed in caps shows "Kế HOạCH".
    assert convert_text("KÕ HO¹CH TæNG THÓ PH¸T TRIÓN CNTT", TCVN3) == "KẾ HOẠCH TỔNG THỂ PHÁT TRIỂN CNTT"
    assert convert_text("PHÇN THø NHÊT: KÕ ho¹ch tæng thÓ", TCVN3) == "PHẦN THỨ NHẤT: Kế hoạch tổng thể"
    assert convert_text("Sè: 256 /2004/Q§-UB TP.CÇn Th¬", TCVN3) == "Số: 256 /2004/QĐ-UB TP.Cần Thơ"


def test_runs_in_different_legacy_fonts_are_converted_each_by_its_font() -> None:
    from pipeline.repair.legacy import convert_runs

    runs: list[tuple[str, str | None]] = [
        ("thµnh phè cÇn th¬", ".VnTimeH"),
        ("\t ", None),
        ("§éc lËp - Tù do - H¹nh phóc", ".VnTime"),
    ]
    assert convert_runs(runs) == (["THÀNH PHỐ CẦN THƠ", "\t ", "Độc lập - Tự do - Hạnh phúc"], TCVN3)
    mixed: list[tuple[str, str | None]] = [("Céng hoµ ", ".VnTime"), ("XAÕ HOÄI", "VNI-Times")]
    assert convert_runs(mixed) == (["Cộng hoà ", "XÃ HỘI"], TCVN3)
    # One legacy font for the whole line: the Line's font says it all, repair.legacy converts.
    assert convert_runs([("Céng hoµ ", ".VnTime"), ("x· héi", ".VnTime,Bold")]) is None
    assert convert_runs([("Cộng hòa", "Times New Roman")]) is None


def test_unicode_lines_on_a_legacy_page_are_not_converted_again() -> None:
    # A reader converted "THÀNH PHỐ CẦN THƠ" run by run (mixed .VnTimeH/.VnTime) and left
    # no font: the page's other unlabelled lines are TCVN3, this one must stay as it is.
    page = Page(
        number=1,
        lines=[
            Line(text="Céng hoµ x· héi chñ nghÜa ViÖt Nam"),
            Line(text="§éc lËp - Tù do - H¹nh phóc"),
            Line(text="Hµ Néi, ngµy 13 th¸ng 3 n¨m 2001"),
            Line(text="THÀNH PHỐ CẦN THƠ Độc lập - Tự do"),
            # Read as TCVN3 codes these spell syllables too ("Thụng tư", "Cụng", "Phỳ").
            Line(text="Thông tư của Bộ Công an"),
            Line(text="Sở Công Thương, Phú Thọ"),
        ],
    )
    repair_page(page)
    assert page.encoding == TCVN3
    assert [line.text for line in page.lines[3:]] == [
        "THÀNH PHỐ CẦN THƠ Độc lập - Tự do",
        "Thông tư của Bộ Công an",
        "Sở Công Thương, Phú Thọ",
    ]
    assert page.lines[0].text == "Cộng hoà xã hội chủ nghĩa Việt Nam"
