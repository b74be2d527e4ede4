"""Mark slips of OCR'd words outvoted by the document's own spelling of the same phrase."""

from __future__ import annotations

import pytest

from pipeline.model import Document, Line, Page
from pipeline.registry import Context
from pipeline.repair.consistency import repair_by_consistency

BODY = "Chương trình mục tiêu quốc gia phòng, chống ma tuý đến năm 2030."


def _document(*pages: tuple[str, list[str]]) -> Document:
    doc = Document(path="x.pdf", format="pdf")
    for number, (origin, texts) in enumerate(pages, start=1):
        doc.pages.append(Page(number=number, lines=[Line(text=text) for text in texts], origin=origin))  # type: ignore[arg-type]
    return doc


def _repaired(doc: Document) -> list[list[str]]:
    repair_by_consistency(Context(doc))
    return [[line.text for line in page.lines] for page in doc.pages]


def test_a_slip_in_the_title_is_outvoted_by_the_body() -> None:
    # A scan whose title reads "chông", the body spells the phrase right again and again.
    doc = _document(
        ("ocr", ["Triển khai thực hiện Chương trình mục tiêu quốc gia phòng, chông ma tuý", BODY, BODY])
    )
    assert _repaired(doc)[0][0].endswith("phòng, chống ma tuý")


def test_capitals_stay_capitals() -> None:
    doc = _document(("ocr", ["PHÒNG, CHÓNG MA TUÝ", BODY, BODY]))
    assert _repaired(doc)[0][0] == "PHÒNG, CHỐNG MA TUÝ"


def test_one_other_occurrence_is_not_a_majority() -> None:
    doc = _document(("ocr", ["quốc gia phòng, chông ma tuý", BODY]))
    assert _repaired(doc)[0][0] == "quốc gia phòng, chông ma tuý"


def test_text_layer_pages_vote_but_never_change() -> None:
    doc = _document(("layer", ["quốc gia phòng, chông ma tuý"]), ("ocr", [BODY, BODY]))
    assert _repaired(doc)[0][0] == "quốc gia phòng, chông ma tuý"
    doc = _document(("ocr", ["quốc gia phòng, chông ma tuý"]), ("layer", [BODY, BODY]))
    assert _repaired(doc)[0][0] == "quốc gia phòng, chống ma tuý"


def test_a_word_of_the_lexicon_as_read_is_kept() -> None:
    # A scan that misreads "Hội đồng thi" as "Hội đông thi" more often than not.
    doc = _document(("ocr", ["Ban của Hội đồng thi các điểm"] + ["Hội đông thi các điểm"] * 3))
    assert _repaired(doc)[0][0] == "Ban của Hội đồng thi các điểm"


def test_punctuation_alone_is_no_context() -> None:
    # "- Đài" and "- Đại" share only a dash: a list's "Đài PTTH" must not become "Đại".
    doc = _document(("ocr", ["- Đài PTTH tỉnh", "- Đại biểu", "- Đại biểu", "- Đại diện"]))
    assert _repaired(doc)[0][0] == "- Đài PTTH tỉnh"


def test_letters_never_change() -> None:
    # "Cục Thị hành án" among right readings; marks move, the letters stay.
    doc = _document(("ocr", ["a) Cục Thị hành án dân sự tỉnh:"] + ["công tác thi hành án dân sự"] * 3))
    lines = _repaired(doc)[0]
    assert lines[0] == "a) Cục Thi hành án dân sự tỉnh:"
    assert lines[1:] == ["công tác thi hành án dân sự"] * 3


def test_a_pair_majority_decides_between_two_lexicon_words() -> None:
    # "chuyên hoá" and "chuyển hoá" are both words; the document writes "công tác chuyển hóa"
    # three more times, each in another three-word window.
    others = [f"công tác chuyển hóa địa bàn {n}" for n in range(3)]
    doc = _document(("ocr", ["công tác chuyên hóa đạt năm 2024", *others]))
    assert _repaired(doc)[0][0] == "công tác chuyển hóa đạt năm 2024"


def test_a_pair_majority_needs_both_neighbours() -> None:
    # Five "chuyển hóa" elsewhere, but "xã hội" is never seen beside these letters again.
    others = [f"thực hiện chuyển hóa địa bàn {n}" for n in range(5)]
    doc = _document(("ocr", ["an toàn xã hội chuyên hóa đạt năm 2024", *others]))
    assert _repaired(doc)[0][0] == "an toàn xã hội chuyên hóa đạt năm 2024"


def test_a_pair_majority_needs_three_votes() -> None:
    doc = _document(("ocr", ["xã hội chuyên hóa đạt", "công tác chuyển hóa", "lựa chọn chuyển hóa"]))
    assert _repaired(doc)[0][0] == "xã hội chuyên hóa đạt"


def test_the_lexicon_respells_a_sure_reading_the_document_backs() -> None:
    # "tô chức" read with full confidence among the document's own "tổ chức".
    doc = _document(("ocr", ["các cơ quan, tô chức quốc tế", "tổ chức thực hiện", "tổ chức lễ", "tổ chức"]))
    assert _repaired(doc)[0][0] == "các cơ quan, tổ chức quốc tế"


def test_the_lexicon_is_not_followed_where_the_document_disagrees() -> None:
    # The lexicon knows "cấp tính" (acute), not "cấp tỉnh" (provincial), which this document writes.
    doc = _document(("ocr", ["các cơ quan cấp tỉnh", "cấp tỉnh", "cấp tỉnh"]))
    assert _repaired(doc)[0][0] == "các cơ quan cấp tỉnh"


def test_a_rare_reading_gives_way_to_the_documents_common_spelling() -> None:
    # "năm 2026 vôn NSTW" (vôn, the volt, is rare) in a letter about "vốn ngân sách".
    doc = _document(("ocr", ["năm 2026 vôn NSTW thực hiện", "kế hoạch vốn ngân sách", "vốn đầu tư"]))
    assert _repaired(doc)[0][0] == "năm 2026 vốn NSTW thực hiện"


def test_a_rare_reading_stays_when_it_forms_a_word_or_recurs() -> None:
    # "rà soát" is a word as read, however common "ra" is; a spelling the document repeats is its own.
    doc = _document(("ocr", ["tổ chức rà soát, kiểm tra", "đi ra", "ra quyết định", "đề ra"]))
    assert _repaired(doc)[0][0] == "tổ chức rà soát, kiểm tra"
    doc = _document(("ocr", ["năm 2026 vôn NSTW", "vôn NSTW khác", "vốn ngân sách", "vốn đầu tư"]))
    assert _repaired(doc)[0][0] == "năm 2026 vôn NSTW"


def test_the_votes_needed_are_a_setting_of_the_run() -> None:
    from pipeline.options import Options
    from pipeline.run import process_context

    def repaired(settings: dict[str, int]) -> str:
        doc = _document(("ocr", ["quốc gia phòng, chông ma tuý", BODY]))
        options = Options(settings={"repair.consistency": settings})
        process_context(Context(doc, options=options), ["repair.consistency"])
        return doc.pages[0].lines[0].text

    # One other occurrence is no majority by default (two votes, twice the reading's) ...
    assert repaired({}) == "quốc gia phòng, chông ma tuý"
    assert repaired({"min_votes": 1}) == "quốc gia phòng, chông ma tuý"  # the ratio still holds it
    # ... a run that settles for one vote at any ratio takes it.
    assert repaired({"min_votes": 1, "min_ratio": 1}) == "quốc gia phòng, chống ma tuý"


# A black-and-white scan of a decision on reservoir operation: its title and the lines of its
# first pages that hold "hồ" or "ban hành", as Tesseract read them.
RESERVOIR_TITLE = ["QUYẾT ĐỊNH", "BẠN HÀNH QUY TRÌNH VẬN HÀNH LIÊN HÔ CHỨA TRÊN LƯU VỰC SÔNG TRÀ KHÚC"]
RESERVOIR_BODY = [
    "Điều 1. Ban hành kèm theo Quyết định này Quy trình vận hành liên hồ chứa trên lựu vực sông",
    "Trà Khúc, bao gồm các hô: Đakdrinh, Nước Trong, Sơn Trà 1, Đăk Re và Sơn Tây.",
    "TTg ngày 29 tháng 10 năm 2015 của Thủ tướng Chính phủ về việc ban hành Quy trình vận hành liên",
    "hồ chứa trên lưu vực sông Trà Khúc.",
    "2. Khi hồ Đăk Re được cắp có thảm quyền cho phép tích nước thì phải vận hành theo quy định của",
    "3. Các Quy trình vận hành của các hồ chứa nêu tại Điều 1 của Quyết định này đã ban hành trước",
    "hành liên hỗ ban hành kèm theo Quyết định này.",
    "Nam; Giám đốc các đơn vị quản lý, vận hành hồ và các cơ quan liên quan chịu trách nhiệm thi hành",
    "- Các đơn vị quản lý, vận hành hồ trong Quy trình;",
    "VẬN HÀNH LIÊN HỖ CHỨA TRÊN LƯU VỰC SÔNG TRÀ KHÚC",
    "(Ban hành kèm theo Quyêt định số 911/QĐ-TTg, ngày 25 tháng 7 năm 2018 của Thủ tướng Chính",
    "Điều 1. Hàng năm, các hồ: Đakđrinh, Nước Trong, Sơn Trà 1, Đăk Re và Sơn Tây trên lưu vực",
    "- Đảm bảo an toàn tuyệt đối cho công trình thủy điện Đakđrinh, không để mực nước hồ chứa vượt",
    "- Đảm bảo an toàn tuyệt đối cho công trình hồ chứa Nước Trong, không để mực nước hồ chứa vượt",
    "nước hồ chứa vượt cao trình mực nước lũ kiểm tra với mọi trận lũ có chu kỳ lặp lại nhỏ hơn hoặc",
    "Điều 3. Việc vận hành các công trình xả của các hồ chứa phải thực hiện theo đúng quy trình",
    "vận hành công trình xả đã được ban hành, nhằm đảm bảo ổn định cho hệ thống công trình đầu",
    "Điều 4. Các thông số kỹ thuật cơ bản của các hồ chứa",
]


@pytest.mark.parametrize("body", [RESERVOIR_BODY, RESERVOIR_BODY[::-1]], ids=["as printed", "reversed"])
def test_two_spellings_tied_in_the_window_are_no_majority(body: list[str]) -> None:
    """ "liên hồ chứa" and "liên hỗ" are read twice each around the title's "HÔ": whichever
    comes first, the window majority leaves it; the pairs, where "hồ chứa" is far more
    common, repair it."""
    title = _repaired(_document(("ocr", [*RESERVOIR_TITLE, *body])))[0][1]
    assert "LIÊN HỒ CHỨA" in title


def test_a_neighbour_on_the_line_before_does_not_block_the_pairs() -> None:
    """The title's last word ("ĐỊNH") stands before "BẠN" only across the line break: the
    pairs with the word after it ("ban hành" six times) decide."""
    title = _repaired(_document(("ocr", [*RESERVOIR_TITLE, *RESERVOIR_BODY])))[0][1]
    assert title.startswith("BAN HÀNH QUY TRÌNH")


def test_a_neighbour_on_the_same_line_still_blocks_the_pairs() -> None:
    doc = _document(("ocr", ["QUYẾT ĐỊNH BẠN HÀNH QUY TRÌNH", *RESERVOIR_BODY]))
    assert _repaired(doc)[0][0] == "QUYẾT ĐỊNH BẠN HÀNH QUY TRÌNH"


def test_a_letter_vietnamese_never_writes_is_the_one_ocr_took_it_for() -> None:
    # A sealed copy's summary read "(cñ)" for "(cũ)"; "Pöng" makes no syllable and stays.
    read = ["Đoàn Luật sư tỉnh Bình Thuận (cñ), Đoàn Luật sư", "Quÿ Khuyến học", "Pöng ban"]
    mended = ["Đoàn Luật sư tỉnh Bình Thuận (cũ), Đoàn Luật sư", "Quỹ Khuyến học", "Pöng ban"]
    assert _repaired(_document(("ocr", read)))[0] == mended
    assert _repaired(_document(("layer", ["(cñ)"])))[0] == ["(cñ)"]  # a text layer prints what it prints


def test_a_common_word_is_never_outvoted_by_a_rare_misreading() -> None:
    # A bilevel scan of an invitation: the title's "ma tuý đến năm 2030" read right, the
    # programme's two restatements read "đên" (a spelling Vietnamese next to never writes).
    doc = _document(
        (
            "ocr",
            [
                "phòng, chống ma tuý đến năm 2030",
                "đến UBND các tỉnh, thành phố và UBND các xã trên toàn quốc.",
                "mục tiêu quốc gia phòng, chồng ma tuý",
                "đên năm 2030",
                "08h35 - 09h00 | mục tiêu quốc gia phòng, chông ma tuý",
                "đên năm 2030",
            ],
        )
    )
    assert _repaired(doc)[0][0] == "phòng, chống ma tuý đến năm 2030"


def test_a_letter_mark_the_lexicon_and_the_document_both_back() -> None:
    # A received copy of a letter that reads "thành phó" (the circumflex lost) three times in
    # four: "thành phó" is no word, "thành phố" is, and the document writes it beside "thành".
    lines = [
        "Tổ chức Đại hội Hội công chứng viên các tỉnh/thành phó nhiệm kỳ 2025-2030",
        "chứng viên các tỉnh, thành phó như sau:",
        "về việc tổ chức Đại hội toàn thể Hội công chứng viên các tỉnh, thành phó trực thuộc",
        "vướng mắc đề nghị Chủ tịch Hội công chứng viên các tỉnh, thành phố trực thuộc",
        "- Sở Tư pháp các tỉnh, thành phố trực thuộc (để",
    ]
    repaired = _repaired(_document(("ocr", lines)))[0]
    assert repaired[0].endswith("các tỉnh/thành phố nhiệm kỳ 2025-2030")
    assert all("thành phó" not in line for line in repaired)
    # never where the document pairs the reading with its neighbour more often ("nước mùa
    # mưa" is not "nước mưa", a word, however the lexicon reads it), nor in a symbol's code
    rains = _document(("ocr", ["thoát nước mùa mưa năm 2026"] * 3 + ["nguồn nước mưa"]))
    assert _repaired(rains)[0][0] == "thoát nước mùa mưa năm 2026"
    codes = _document(("ocr", ["Thông báo số 212-TB/TU ngày 23/01/2026", "từ ngày 01/02/2026"]))
    assert _repaired(codes)[0][0] == "Thông báo số 212-TB/TU ngày 23/01/2026"
