"""Legacy encodings (TCVN3, VNI, VISCII) on excerpts of real documents, and never on clean ones."""

from __future__ import annotations

import ctypes
import json
import subprocess
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

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


FIXTURES = Path(__file__).parent / "fixtures"


def excerpt_page(name: str, *, drop: str = "") -> Page:
    """Lines of a text excerpt under tests/fixtures/ (antiword's output of a legacy .doc, kept
    as antiword gives it: the legacy bytes decoded as cp1252); ``drop`` characters removed."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return Page(number=1, lines=[Line(text=_drop(t, drop)) for t in text.splitlines()])


def _drop(text: str, characters: str) -> str:
    for char in characters:
        text = text.replace(char, "")
    return text


def test_tcvn3_doc_is_converted() -> None:
    """A decision typed in .VnTime (TCVN3) read by antiword: no font names, so the page's
    statistics pick the encoding; the header, title and grounds come out in Unicode."""
    page = excerpt_page("legacy_tcvn3_decision_antiword.txt")
    assert repair_page(page) == {TCVN3: 7}
    # Words typed in a capitals font keep antiword's case ("ủY BAN"): without the font name
    # nothing says they were capitals (a known limit; the LibreOffice path keeps the font).
    texts = [" ".join(line.text.split()) for line in page.lines]
    assert texts == [
        "ủy Ban Nhân Dân Cộng hòa xã hội chủ nghĩa việt nam",
        "thành phố cần thơ Độc lập - Tự do - Hạnh phúc",
        "XV80",
        "Số: 256 /2004/QĐ-UB TP.Cần Thơ, ngày 01 tháng 7 năm 2004",
        "QUYẾT ĐỊNH của ủY BAN NHÂN DÂN THÀNH PHỐ cần thơ",
        "V/v ban hành Chương trình Cải cách hành chính của thành phố Cần Thơ giai đoạn 2004 - 2010",
        "ủY BAN NHÂN DÂN THÀNH PHỐ Cần Thơ",
        "Căn cứ Luật Tổ chức Hội đồng nhân dân và ủy ban nhân dân ngày 26/11/2003;",
    ]
    assert page.encoding == TCVN3 and page.origin == "converted"


def test_vni_doc_is_converted() -> None:
    """A decision typed in VNI-Times (a .doc saved from a real excerpt) through antiword: the
    8-bit VNI text ("UÛY BAN NHAÂN DAÂN") is recognised and converted."""
    page = antiword_page(FIXTURES / "legacy_vni_header.doc")
    repair_page(page)
    texts = [" ".join(line.text.split()) for line in page.lines if line.text.strip()]
    assert texts == [
        "ỦY BAN NHÂN DÂN CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỈNH BÌNH PHƯỚC Độc lập - Tự do - Hạnh phúc",
        "Số: 991/QĐ-UBND Đồng Xoài, ngày 14 tháng5 năm 2008",
        "QUYẾT ĐỊNH",
        "Về việc phê duyệt Kế hoạch thực hiện quy hoạch sử dụng rừng, đất rừng",
        "và đất chuyển ra khỏi lâm phần sau rà soát quy hoạch 03 loại rừng",
    ]
    assert page.encoding == VNI


def test_mixed_tcvn3_and_vni_doc() -> None:
    """A plan whose table of contents is TCVN3 and whose later chapters were pasted in VNI:
    each line is converted by its own encoding."""
    page = excerpt_page("legacy_mixed_tcvn3_vni_antiword.txt")
    assert repair_page(page) == {TCVN3: 5, VNI: 8}
    texts = [" ".join(line.text.split()) for line in page.lines]
    assert texts[0] == "PHẦN THỨ NHẤT: Kế hoạch tổng thể phát triển CNTT tỉnh Lâm Đồng giai đoạn 1998 - 2000"
    assert texts[3] == "CHƯƠNG III: Hệ thống các dự án CNTT trong kế hoạch tổng thể (1998-2000)"
    assert texts[5] == "II. 10. TRANG BỊ CƠ SỞ HẠ TẦNG KỸ THUẬT CNTT TẠI CÁC ĐƠN VỊ ĐƯỢC TRIỂN KHAI"
    assert texts[8] == (
        "* 01 máy chủ làm nhiệm vụ quản lý files (Files Server), quản lý CSDL và truyền thông."
    )


def _rtf_escaped(text: str) -> str:
    """Text as an RTF writer stores it: every byte over 0x7F as a \\'xx escape."""
    return "".join(f"\\'{ord(char):02x}" if ord(char) > 0x7F else char for char in text)


def test_rtf_escapes_are_converted() -> None:
    """An RTF decree in .VnTime: the TCVN3 bytes are \\'xx escapes, which striprtf decodes as
    cp1252; the legacy conversion then gives Unicode. Lines from a real decree's header."""
    from striprtf.striprtf import rtf_to_text

    source = [
        "Céng hßa x· héi chñ nghÜa viÖt nam",
        "§éc lËp - Tù do - H¹nh phóc",
        "Sè :  26/2001/N§-CP",
        "nghÞ ®Þnh cña chÝnh phñ",
        "Söa ®æi, bæ sung mét sè ®iÒu cña NghÞ ®Þnh sè 30/1998/N§-CP",
    ]
    body = "".join(f"\\pard \\f15 {_rtf_escaped(line)}\\par\n" for line in source)
    rtf = "{\\rtf1\\ansi\\ansicpg1252\\deff15{\\fonttbl{\\f15\\fswiss\\fcharset0 .VnTime;}}\n" + body + "}"
    raw = rtf_to_text(rtf)
    assert raw.splitlines()[0] == source[0]
    page = Page(number=1, lines=[Line(text=t) for t in raw.splitlines() if t.strip()])
    repair_page(page)
    assert [line.text for line in page.lines] == [
        "Cộng hòa xã hội chủ nghĩa việt nam",
        "Độc lập - Tự do - Hạnh phúc",
        "Số :  26/2001/NĐ-CP",
        "nghị định của chính phủ",
        "Sửa đổi, bổ sung một số điều của Nghị định số 30/1998/NĐ-CP",
    ]


def test_tcvn3_pdf_capitals_come_from_the_font() -> None:
    """A born-digital decree set in TCVN3 fonts without a ToUnicode map (the first page of a
    real decree): .VnTimeH draws capitals from lowercase codes, so only the font name says
    the motto is in capitals; .VnTime keeps its case."""
    page = pdf_font_lines(FIXTURES / "legacy_tcvn3_decree_page.pdf", 0)
    repair_page(page)
    texts = [line.text for line in page.lines]
    assert texts[:3] == ["CHÍNH PHỦ", "------------- ", "Số"]
    assert texts[4:6] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc "]
    assert "Hà nội, ngày 02 tháng 4 năm 2004" in texts
    assert "Căn cứ Luật Tổ chức Chính phủ" in page.text
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
    """End-to-end check on the real corpus: no Unicode document (PDF text layers, DOCX, Unicode
    .doc) is touched by the legacy conversion, nor warned about."""
    files = _non_legacy_files(corpus)
    assert {name.rsplit(".", 1)[1] for name in files} == {"pdf", "docx", "doc"}
    touched = {}
    for name in files:
        doc = Document(path=name, format=name.rsplit(".", 1)[1], pages=_pages_of(corpus / "docs" / name))
        before = doc.text
        repair_legacy(Context(doc=doc))
        if doc.text != before or doc.warnings:
            touched[name] = doc.warnings
    assert not touched


def test_every_legacy_doc_reads_as_vietnamese_after_conversion(corpus: Path) -> None:
    """End-to-end check on the real corpus's legacy .doc files (the manifest's TCVN3, VNI and
    mixed ones) read by antiword: each scores under one half before the conversion and over
    0.95 after."""
    from pipeline.repair.quality import syllable_quality

    manifest = [json.loads(line) for line in (corpus / "manifest.jsonl").read_text().splitlines()]
    legacy = [e["file"] for e in manifest if e["format"].startswith("doc-")]
    assert {e["format"] for e in manifest if e["file"] in legacy} == {"doc-tcvn3", "doc-vni", "doc-tcvn3+vni"}
    scores = {}
    for name in legacy:
        page = antiword_page(corpus / "docs" / name)
        before = syllable_quality(page.text)
        repair_page(page)
        scores[name] = (before, syllable_quality(page.text))
    assert {name: score for name, score in scores.items() if score[0] >= 0.5 or score[1] <= 0.95} == {}


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


def test_doc_read_without_soft_hyphens_gets_its_u_horn_back() -> None:
    """A reader going through DOCX drops <w:softHyphen/>, which is TCVN3's ư (byte 0xAD): the
    lost ư comes back in words ("đợc") and, on a page that shows the loss, as a letter
    ("u đãi", "đầu t"). A TCVN3 regulation's first lines, soft hyphens removed."""
    page = excerpt_page("legacy_tcvn3_soft_hyphens_antiword.txt", drop="\xad")
    assert "\xad" not in page.text
    repair_page(page)
    texts = [" ".join(line.text.split()) for line in page.lines]
    assert texts[6] == "Chính sách khuyến khích và ưu đãi đầu tư đối với một số"
    assert texts[11] == "Chương I"
    assert texts[18].startswith("Các hoạt động đầu tư tại khoản 2 và 3 Điều này được thực hiện")
    assert "đợc" not in page.text


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
