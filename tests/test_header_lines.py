"""The header's number label and place-and-date line: one grammar (nlp/header_lines.py) that
every stage uses, accepting what OCR and legacy encodings make of the words."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pipeline.nlp import header_lines
from pipeline.nlp.numbering import parse_number_line, parse_place_date
from pipeline.nlp.vocabulary import authority_head
from pipeline.repair.legacy import TCVN3, VNI, convert_text, legacy_spellings

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"
HOME = PACKAGE / "nlp" / "header_lines.py"

# What makes a string literal a regular expression rather than prose.
REGEX_SYNTAX = re.compile(r"\\[sdwSDW]|\(\?|\[[^\]]+\]")
# The grammars this module owns, as another module would spell them again.
DATE_WORDS = re.compile(r"ng(?:ày|\[aà\]y|µy|aøy).*(?:th(?:áng|\[áa\]ng)|n(?:ăm|\[ăa\]m|¨m|aêm))", re.DOTALL)
NUMBER_LABEL = re.compile(r"S\[[^\]]*[ốô][^\]]*\]|(?:\^|\\s\*)S[ốô]")
RECIPIENTS_LABEL = re.compile(r"N(?:ơ|\(\?:ơ)[^\n]*nh(?:ận|\(\?:ận)", re.IGNORECASE)
# "Cộng" before the motto's next word ("Cộng hòa", "Cộng sản"), or its vowel as a class.
MOTTO = re.compile(r"C(?:ộ|\(\?:ộ[^)]*\))ng(?:\\s[+*])+\(?(?:\?:)?[hs]|C\[Ộ", re.IGNORECASE)
SUMMARY_PREFIX = re.compile(r"V/v")
AUTHORITY = re.compile(r"\b(?:KT|TM)\|(?:KT|TM)\b")
# "KT." and what ends it, spelled again (nlp.vocabulary.signing_for builds it from data).
SIGNING_FOR = re.compile(r"KT(?:\\s\*)?\[")


def respelled(source: str) -> list[str]:
    """The regular-expression literals of ``source`` that spell the number label or the date
    line's words."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            grammar = (
                DATE_WORDS,
                NUMBER_LABEL,
                RECIPIENTS_LABEL,
                MOTTO,
                SUMMARY_PREFIX,
                AUTHORITY,
                SIGNING_FOR,
            )
            if REGEX_SYNTAX.search(text) and any(pattern.search(text) for pattern in grammar):
                found.append(text)
    return found


def test_no_other_module_spells_the_header_grammar_again() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): respelled(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != HOME
    }
    assert {name: found for name, found in offenders.items() if found} == {}


@pytest.mark.parametrize(
    "copy",
    [
        'DATE_LINE = re.compile(r"ngày\\s*[\\d.…_ ]*\\s*tháng\\s*[\\d.…_ ]*\\s*năm\\s*\\d{4}")',
        'NUMBER_LINE = re.compile(r"^\\s*S[ốô]\\s*[:.]?", re.IGNORECASE)',
        'LABEL = re.compile(r"^S[ốồổôoóò06ỐỒỔÔOÓÒ](?:[:;.]|$)")',
        'WORDS = re.compile(r"ngày.*năm|ng[aà]y.*n[aă]m|ngµy.*n¨m|ngaøy.*naêm", re.IGNORECASE)',
        'ALONE = r"\\s*S[ốô]\\s*:?\\s*"',
        'LABEL = re.compile(r"^N(?:ơ|¬|ô)i\\s*nh(?:ận|Ën|aän)\\s*:?(?:\\s*\\t|\\s{3,}|\\s*$)")',
        'LABEL = re.compile(r"^\\s*Nơi\\s*(?:nhận|gửi)\\s*[:.]?\\s*", re.IGNORECASE)',
        'MOTTO = re.compile(r"C[ỘỌÔO]NG\\s+H[ÒOÓ][AÀ]\\s+X[ÃA]\\s+H[ỘỌÔO]I", re.IGNORECASE)',
        'MOTTO = re.compile(r"C(?:ộ|é|oä)ng\\s+(?:h|s)", re.IGNORECASE)',
        'MOTTO = re.compile(r"CỘNG\\s+H(?:ÒA|OÀ|OA)\\s+XÃ\\s+HỘI", re.IGNORECASE)',
        'PREFIX = re.compile(r"^\\s*(?:V/v|V/V|v/v|Về việc|V\\.v)\\s*[:.]?\\s*", re.IGNORECASE)',
        'OPENERS = re.compile(r"^\\s*(?:V/v|Về)\\b", re.IGNORECASE)',
        'AUTHORITY = re.compile(r"^(KT|TM|TL|TUQ|Q)\\.\\s")',
        'SIGNING_FOR = re.compile(r"^\\s*KT\\s*[.,/]\\s*", re.IGNORECASE)',
    ],
)
def test_a_copy_of_the_grammar_elsewhere_is_found(copy: str) -> None:
    assert respelled(copy) != []


def test_prose_about_the_date_line_is_no_copy() -> None:
    assert respelled('"""The place-and-date line from "ngày" to "năm" (Số: 12/KH-UBND)."""') == []


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("Số: 153/KH-UBND", "Số: "),
        ("SỐ: 153/KH-UBND", "SỐ: "),
        ("Số 57-NQ/TW", "Số "),
        ("S6: 12/QĐ-UBND", "S6: "),  # OCR: the vowel read as a digit
        ("Sô' 12/QĐ-UBND", "Sô' "),  # OCR: the acute read as an apostrophe
        ("So:      /KH-UBND", "So:      "),
    ],
)
def test_the_number_label_accepts_print_and_ocr(line: str, label: str) -> None:
    match = header_lines.number_label().match(line)
    assert match is not None and match.group(0) == label


def test_a_real_word_like_the_label_opens_no_number_line() -> None:
    # "Sổ" (a register) is trusted only as a scan's whole word glued to punctuation.
    assert header_lines.number_label().match("Sổ kế toán chi tiết") is None
    assert parse_number_line("Sổ 12/KH-UBND") is None


@pytest.mark.parametrize(
    ("word", "end"),
    [("Số:4214/BCA-C04", 3), ("Sổ:", 3), ("S0", 2), ("SỐ.", 3), ("Số", 2)],
)
def test_an_ocr_word_opening_with_the_label(word: str, end: int) -> None:
    match = header_lines.number_label_word().match(word)
    assert match is not None and match.end() == end


@pytest.mark.parametrize("word", ["số:", "Sóc", "Sổ", "Sở:"])
def test_ocr_words_that_are_no_label(word: str) -> None:
    # "Sổ" without its colon stays a word; a lower-case "số" opens a citation.
    expected = word == "Sổ"
    assert (header_lines.number_label_word().match(word) is not None) is expected


@pytest.mark.parametrize(
    ("line", "place", "iso"),
    [
        ("Lâm Đồng, ngày 15 tháng 3 năm 2026", "Lâm Đồng", "2026-03-15"),
        ("Lâm Đồng, ngày   tháng 3 năm 2026", "Lâm Đồng", "2026-03"),
        ("Hà Nội, ngày 5 thang 3 nam 2026", "Hà Nội", "2026-03-05"),  # OCR dropped the marks
        ("ngày … tháng … năm 2026", None, "2026"),
    ],
)
def test_the_date_line_accepts_print_and_ocr(line: str, place: str | None, iso: str) -> None:
    parsed = parse_place_date(line)
    assert parsed is not None and (parsed.place, parsed.iso) == (place, iso)


@pytest.mark.parametrize(
    ("line", "typed"),
    [
        ("Hà Nội, ngày 15 tháng 3 năm 2026", True),
        ("Hà Nội, ngày … tháng … năm 2026", True),
        ("Hà Nội, ngày #3 tháng 4 năm 2026", False),  # handwriting read as a sign: not typed
    ],
)
def test_the_typed_date_line(line: str, typed: bool) -> None:
    assert (header_lines.typed_date_line().search(line) is not None) is typed


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Lâm Đồng, ngày 15 tháng 3 năm 2026", True),
        ("Lam Dong, ngay 15 thang 3 nam 2026", True),
        # Legacy text is converted before any stage looks for the line: its spellings are no
        # longer matched (TCVN3, VNI).
        ("Hµ Néi, ngµy 15 th¸ng 3 n¨m 2000", False),
        ("Haø Noäi, ngaøy 15 thaùng 3 naêm 2000", False),
    ],
)
def test_the_date_line_that_ends_a_tab_laid_header(line: str, date: bool) -> None:
    assert (header_lines.date_words().search(line) is not None) is date


def test_a_sentence_with_the_day_alone_is_no_date_line() -> None:
    assert header_lines.date_words().search("ngày làm việc") is None


@pytest.mark.parametrize("word", ["ngày", "tháng", "năm", "Số", "Nơi nhận"])
@pytest.mark.parametrize("encoding", [TCVN3, VNI])
def test_legacy_spellings_convert_back(word: str, encoding: str) -> None:
    assert convert_text(legacy_spellings(word)[encoding], encoding) == word


def test_legacy_spellings_are_those_of_real_documents() -> None:
    assert legacy_spellings("ngày") == {TCVN3: "ngµy", VNI: "ngaøy"}
    assert legacy_spellings("Nơi nhận") == {TCVN3: "N¬i nhËn", VNI: "Nôi nhaän"}


@pytest.mark.parametrize(
    ("reading", "day", "month"),
    [
        ("ngày 29 tháng 4 năm", "29", "4"),
        ("ngy 27tháng 4 nǎm", "27", "4"),  # the recogniser dropped and changed letters
        ("này 2 4 tháng 12", "2 4", "12"),  # wide handwriting splits the day
    ],
)
def test_the_recognisers_date_reading(reading: str, day: str, month: str) -> None:
    match = header_lines.date_reading().search(reading)
    assert match is not None and (match["day"], match["month"]) == (day, month)


def test_a_cited_date_is_worded_or_numbered() -> None:
    worded = re.search(header_lines.worded_date(), "ngày 05 tháng 3 năm 2020", re.IGNORECASE)
    numbered = re.search(header_lines.numbered_date(), "ngày 05/3/2020", re.IGNORECASE)
    assert worded is not None and (worded["d"], worded["m"], worded["y"]) == ("05", "3", "2020")
    assert numbered is not None and (numbered["d"], numbered["m"], numbered["y"]) == ("05", "3", "2020")


def test_the_recipients_label_is_cut_from_its_line() -> None:
    assert header_lines.recipients_label().sub("", "Nơi nhận: - Như Điều 3;") == "- Như Điều 3;"
    assert header_lines.recipients_label().sub("", "Nơi gửi:") == ""


def test_a_speck_glued_before_the_recipients_label_on_a_scan() -> None:
    """What is left of a seal or a stamp read as "(" before the label: the list is still found."""
    assert header_lines.opens_with_recipients_label("(Nơi nhận:")
    assert header_lines.recipients_label().sub("", "(Nơi nhận: - Như trên;") == "- Như trên;"
    assert not header_lines.opens_with_recipients_label("(Nơi khác)")


# Labels as Tesseract read them on simulated scans whose seal or stamp lay near the list.
@pytest.mark.parametrize(
    ("line", "rest"),
    [
        ("Xơi nhận:", ""),  # a letter misread
        ("Nơi Hhận:", ""),
        ("ơi nhận:", ""),  # the first letter lost
        ("$Wơi nhận:", ""),  # a speck before a misread letter
        ("Nơi nhân: - Như trên;", " - Như trên;"),  # a mark slipped
        ("Nơi nhận: - Như Điều 3;", "- Như Điều 3;"),
    ],
)
def test_a_recipients_label_misread_by_one_letter(line: str, rest: str) -> None:
    assert header_lines.opens_with_recipients_label(line)
    assert line[header_lines.recipients_label_end(line) :] == rest


@pytest.mark.parametrize(
    "line",
    [
        "Tôi nhận được công văn:",  # more words before the colon
        "Lợi nhuận:",  # two letters away
        "Nơi ở:",
        "Xơi nhận",  # no colon: a misread label must keep its colon
        "Mới nhận: các hồ sơ đã nộp",  # text after the colon that is no list entry
    ],
)
def test_no_label_is_read_in_a_phrase_near_it(line: str) -> None:
    assert not header_lines.opens_with_recipients_label(line)
    assert header_lines.recipients_label_end(line) == 0


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("Nơi nhận:", True),
        ("Noi nhan:", True),
        ("Nơi nhận:\t- Như trên;", True),  # the list's first entry after a tab
        ("N¬i nhËn:", False),  # TCVN3 is converted before
        ("Nơi nhận hồ sơ: Bộ phận một cửa", False),  # a body sentence
    ],
)
def test_the_recipients_label_alone_before_a_gap(line: str, label: bool) -> None:
    assert (header_lines.recipients_label_alone().match(line) is not None) is label


@pytest.mark.parametrize(
    ("text", "motto"),
    [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
        ("Cộng hoà xã hội chủ nghĩa Việt Nam", True),
        ("CONG HOA XA HOI CHU NGHIA VIET NAM", True),
        ("ĐẢNG CỘNG SẢN VIỆT NAM", True),
        ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", False),  # VNI is converted before
        ("cộng đồng dân cư", False),
    ],
)
def test_the_motto_of_a_tab_laid_header(text: str, motto: bool) -> None:
    assert (header_lines.motto_words().search(text) is not None) is motto


@pytest.mark.parametrize(
    ("line", "start"),
    [
        ("THỦ TƯỚNG CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 20),
        ("BỘ NỘI VỤ CỘNG HOÀ XÃ HỘI", 10),  # the tone placed on the last vowel
        ("BỘ NỘI VỤ CÔNG HOÁ XÂ HỘI", 10),  # OCR dropped and changed marks
        ("BỘ NỘI VỤ CỘNG ĐỒNG", None),
    ],
)
def test_the_motto_is_found_in_a_merged_line(line: str, start: int | None) -> None:
    match = header_lines.motto_start(4).search(line)
    assert (match.start() if match else None) == start


@pytest.mark.parametrize(
    ("line", "rest"),
    [
        ("V/v: triển khai Kế hoạch số 12/KH-UBND", "triển khai Kế hoạch số 12/KH-UBND"),
        ("V/V tổ chức Hội nghị", "tổ chức Hội nghị"),
        ("V.v tổ chức Hội nghị", "tổ chức Hội nghị"),
        ("Về việc ban hành Quy chế", "ban hành Quy chế"),
        ("Về công tác cải cách hành chính", "Về công tác cải cách hành chính"),  # no prefix
    ],
)
def test_the_summary_prefix_is_cut(line: str, rest: str) -> None:
    assert header_lines.summary_prefix().sub("", line, count=1) == rest


@pytest.mark.parametrize(
    ("line", "opens"),
    [("V/v tổ chức Hội nghị", True), ("Về công tác cải cách hành chính", True), ("Vềnh", False)],
)
def test_a_summary_opener(line: str, opens: bool) -> None:
    assert (header_lines.summary_opener().match(line) is not None) is opens


def test_a_signer_line_opens_with_an_authority_prefix() -> None:
    # The one printed form every reader uses (read.markdown's signer cells too).
    lines = ["KT. CHỦ TỊCH", "TM. ỦY BAN", "TUQ. GIÁM ĐỐC", "K/T BỘ TRƯỞNG", "KTX. A"]
    found = [text for text in lines if authority_head(text) is not None]
    assert found == ["KT. CHỦ TỊCH", "TM. ỦY BAN", "TUQ. GIÁM ĐỐC"]


def test_the_addressees_label_with_its_first_letter_lost_on_a_scan() -> None:
    """A stamp pressed over the label's start leaves "ính gửi:"; the colon must be there."""
    assert header_lines.opens_with_addressee_label("ính gửi: Chủ tịch Ủy ban nhân dân tỉnh Lâm Đồng")
    label = header_lines.addressee_label()
    assert label.sub("", "ính gửi: Chủ tịch Ủy ban nhân dân tỉnh", count=1) == "Chủ tịch Ủy ban nhân dân tỉnh"
    assert not header_lines.opens_with_addressee_label("ính gửi các đơn vị")  # no colon: a sentence's words
    assert not header_lines.opens_with_addressee_label("Tính gửi tiền: 5 triệu")


@pytest.mark.parametrize(
    ("read", "snapped"),
    [
        ("Vệ việc treo cờ Tổ quốc", "Về việc treo cờ Tổ quốc"),  # a mark slipped on a scan
        ("Về viêc cho phép hợp nhất", "Về việc cho phép hợp nhất"),
        ("Về việc treo cờ Tổ quốc", None),  # read right
        ("V/v tổ chức Đại hội", None),
        ("về việc này, Sở đề nghị", None),  # lower case: a sentence, not the summary's opening
    ],
)
def test_a_summary_prefix_read_with_a_mark_slipped_is_put_back(read: str, snapped: str | None) -> None:
    from pipeline.nlp.header_lines import snapped_summary_prefix

    assert snapped_summary_prefix(read) == snapped
