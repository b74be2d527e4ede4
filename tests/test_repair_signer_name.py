"""A scan's signer's name read twice more on its own line, and taken by majority.

Each fixture is the real signature column of a scanned closing page (the rest of the page
white, its geometry kept); its lines are those Tesseract's page reading gave for that page,
so the test runs the re-reading exactly as ``repair.signer_name`` does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.model import Document, Line, Page
from pipeline.nlp.names import surname_of_remains
from pipeline.repair import ocr, signer_name
from pipeline.repair.signer_name import confirm_names, lost_a_tone, majority, name_in, restored_name

FIXTURES = Path(__file__).parent / "fixtures" / "signer_name"
needs_tesseract = pytest.mark.skipif(ocr.tesseract_problem() is not None, reason="tesseract with vie missing")


def closing_page(name_line: Line, *others: Line) -> Page:
    label = Line(text="Nơi nhận:", x0=91.4, top=321.6, x1=142.8, bottom=332.4)
    listed = Line(text="- Lưu: VT, KGVX.", x0=91.4, top=420.0, x1=180.0, bottom=431.0)
    return Page(
        number=1, width=595.44, height=842.04, lines=[label, *others, listed, name_line], origin="ocr"
    )


def document(fixture: str, page: Page) -> Document:
    return Document(path=str(FIXTURES / f"{fixture}.pdf"), format="pdf", pages=[page])


@pytest.mark.parametrize(
    ("text", "size", "name"),
    [
        ("- Vũ Đại Thăng", None, "Vũ Đại Thăng"),
        ("„Vũ Đại Thắng", None, "Vũ Đại Thắng"),
        ("Irần Hữu Tuần", None, "Trần Hữu Tuần"),  # the family name's capital misread
        ("Trương Việt Dũng ˆ", None, "Trương Việt Dũng"),  # a speck after the name
        ("Chu Phạm Mạnh Cường", 3, "Phạm Mạnh Cường"),  # a stroke of the seal read as "Chu"
        ("Số Vũ Đại Thắng", 3, "Vũ Đại Thắng"),  # the received stamp's label beside it
        ("PHÓ CHỦ TỊCH", None, None),  # a title: Phó is a family name too
        ("KT. CHANH VAN PHONG", None, None),
        ("Trươnh Việt DA”", 3, None),
        ("Nguyễn Ngọc Phúc", 4, None),
    ],
)
def test_the_name_a_line_holds_as_read(text: str, size: int | None, name: str | None) -> None:
    assert name_in(text, size) == name


def test_a_majority_of_two_readings_is_taken_and_a_tie_is_none() -> None:
    assert majority(["Vũ Đại Thăng", "Vũ Đại Thắng", "Vũ Đại Thắng"]) == ("Vũ Đại Thắng", True)
    assert majority(["Trần Hữu Tuân", None, None]) == (None, False)  # the page's reading alone
    assert majority(["Trương Việt Xin", None, "Trương Việt Dũng"]) == (None, True)
    assert majority(["Đỗ Văn Chung", "Đỗ Văn Chung", None]) == ("Đỗ Văn Chung", False)


def test_a_reading_that_lost_a_tone_over_a_letter_mark_has_no_vote() -> None:
    assert lost_a_tone("Trần Hữu Tuân", "Trần Hữu Tuấn") and lost_a_tone("Lê Ân", "Lê Ấn")
    assert not lost_a_tone("Trần Hữu Tuấn", "Trần Hữu Tuân")  # a mark added is no mark lost
    assert not lost_a_tone("Lê Văn An", "Lê Văn Án")  # no letter mark: a tone as read
    assert not lost_a_tone("Trần Hữu Tuần", "Trần Hữu Tuấn")  # two tones: neither lost
    # "Tuân" twice (the stacked acute dropped) against "Tuần" once: no majority
    assert majority(["Trần Hữu Tuần", "Trần Hữu Tuân", "Trần Hữu Tuân"]) == (None, True)
    assert majority(["Trần Hữu Tuân", "Trần Hữu Tuấn", "Trần Hữu Tuấn"]) == ("Trần Hữu Tuấn", True)
    assert majority(["Trần Hữu Tuân", "Trần Hữu Tuân", None]) == ("Trần Hữu Tuân", False)  # all alike


@needs_tesseract
def test_one_name_line_read_twice_votes_once_with_all_its_readings() -> None:
    # A received colour copy: the page read "Irần Hữu Tuần", the signature column read again
    # "Trần Hữu Tuân" at the same place, and each line alone reads "Tuân". Voting apart, the
    # second line's readings agree and "Tuân" stood; together, "Tuân" has no vote against
    # "Tuần" (a stacked tone dropped) and neither is taken.
    page = Page(
        number=1,
        width=595.44,
        height=842.04,
        lines=[
            Line(text="Nơi nhận:", x0=85.92, top=565.44, x1=137.28, bottom=576.0),
            Line(text="- Lưu: VT, CCHC&VTLT(Tín).", x0=86.4, top=617.04, x1=228.24, bottom=626.16),
            Line(text="Irần Hữu Tuần", x0=406.32, top=676.08, x1=499.44, bottom=685.92),
            Line(text="Trần Hữu Tuân", x0=405.93, top=676.06, x1=499.35, bottom=685.96),
        ],
        origin="ocr",
    )
    doc = document("name_read_twice_a_tone_lost", page)
    confirm_names(doc, page)
    assert [line.text for line in page.lines[2:]] == ["", ""]
    assert [code for code, _ in doc.warnings] == ["ocr.name_unsure", "ocr.name_unsure"]


@needs_tesseract
def test_a_mark_the_page_reading_slipped_is_put_back_by_the_line_read_alone() -> None:
    # A received copy: the page reading gave "Thăng" for the printed "Thắng".
    name = Line(text="- Vũ Đại Thăng", x0=371.28, top=434.64, x1=480.24, bottom=449.04)
    title = Line(text="1M. UY BẠN NHAN DAN", x0=363.84, top=328.8, x1=512.88, bottom=348.72)
    page = closing_page(name, title)
    doc = document("mark_slipped_on_the_page", page)
    confirm_names(doc, page)
    assert page.lines[-1].text == "Vũ Đại Thắng"
    assert [code for code, _ in doc.warnings] == ["ocr.name_reread"]
    assert "'- Vũ Đại Thăng'" in doc.warnings[0][1]
    assert page.lines[1].text == title.text  # the title line is no name


@needs_tesseract
def test_two_marks_slipped_beside_a_red_seal_are_put_back() -> None:
    # The seal's rim runs through the family name: the page read "Trân Hữu Tuân".
    name = Line(text="- Trân Hữu Tuân", x0=367.68, top=397.2, x1=471.12, bottom=408.48)
    page = closing_page(name, Line(text="- PHÓ GIÁM ĐÓC", x0=362.64, top=295.92, x1=479.52, bottom=306.96))
    doc = document("mark_slipped_beside_the_seal", page)
    confirm_names(doc, page)
    assert page.lines[-1].text == "Trần Hữu Tuấn"


@needs_tesseract
def test_readings_that_disagree_with_no_majority_leave_the_name_blank() -> None:
    # A black seal over the name: the page read "Xin" for "Dũng"; read alone the line gives
    # "Dũng" once and debris once: one reading against one, no telling.
    name = Line(text="Trương Việt Xin.", x0=379.44, top=706.08, x1=486.48, bottom=732.24)
    page = closing_page(name)
    page.lines[0] = Line(text="Nơi nhận sở", x0=80.64, top=564.48, x1=148.08, bottom=591.12)
    page.lines[1] = Line(text="- Lưu: VT, KT.", x0=80.64, top=690.0, x1=170.0, bottom=701.0)
    doc = document("letters_lost_under_the_seal", page)
    confirm_names(doc, page)
    assert page.lines[-1].text == ""
    unsure = [message for code, message in doc.warnings if code == "ocr.name_unsure"]
    assert len(unsure) == 1 and "Trương Việt Dũng" in unsure[0]


def bilevel_closing(label: Line, name: Line) -> Page:
    listed = Line(
        text="- Lưu: VT.", x0=label.x0, top=(label.top or 0) + 60, x1=180.0, bottom=(label.top or 0) + 70
    )
    return Page(number=1, width=595.44, height=842.04, lines=[label, listed, name], origin="ocr")


def confirmed(fixture: str, label: Line, name: Line) -> tuple[str, list[str]]:
    """The name line as ``confirm_names`` leaves it, and the warnings' codes."""
    page = bilevel_closing(label, name)
    doc = document(fixture, page)
    confirm_names(doc, page)
    return page.lines[-1].text, [code for code, _ in doc.warnings]


@needs_tesseract
def test_a_name_from_unsure_words_stands_when_its_line_alone_gives_it() -> None:
    # A black seal over the family name: the column's unsure words gave "guyễn Ngọc Phúc".
    label = Line(text="Nơi nhận:", x0=91.2, top=275.28, x1=156.72, bottom=300.24)
    name = Line(text="Nguyễn Ngọc Phúc", x0=365.5, top=403.48, x1=506.26, bottom=421.48, unsure=True)
    assert confirmed("name_in_unsure_words_under_a_black_seal", label, name) == ("Nguyễn Ngọc Phúc", [])


@needs_tesseract
def test_a_name_from_unsure_words_that_no_other_reading_gives_is_left_blank() -> None:
    # Read alone, the line gives "_Trịnh-Đĩnh Dũng" twice: no name, so no second vote.
    label = Line(text="Nơi nhận:", x0=84.24, top=552.96, x1=130.32, bottom=562.32)
    box = {"x0": 371.19, "top": 612.68, "x1": 448.59, "bottom": 622.76}
    fixture = "unsure_name_the_line_alone_does_not_give"
    unsure = Line(text="Trịnh Đình Dũng", unsure=True, **box)
    assert confirmed(fixture, label, unsure) == ("", ["ocr.name_unsure"])
    # The same reading from words Tesseract was sure of stands alone.
    assert confirmed(fixture, label, Line(text="Trịnh Đình Dũng", **box)) == ("Trịnh Đình Dũng", [])


def test_a_page_with_a_text_layer_is_left_as_printed() -> None:
    name = Line(text="Vũ Đại Thăng", x0=371.28, top=434.64, x1=480.24, bottom=449.04)
    page = closing_page(name)
    page.origin = "layer"
    doc = document("mark_slipped_on_the_page", page)
    confirm_names(doc, page)
    assert page.lines[-1].text == "Vũ Đại Thăng" and not doc.warnings


def black_seal_closing() -> tuple[Document, Page]:
    # Page 1 of a district's decision scanned black and white: the seal is as black as the
    # print, and its ring runs through the family name. The column's second reading gave
    # the name from unsure words.
    lines = [
        Line(text="Nơi nhận:", x0=85.44, top=541.2, x1=136.08, bottom=552.0),
        Line(text="- Lưu VT.", x0=85.68, top=600.24, x1=129.36, bottom=608.16),
        Line(text="Vũ Hoàng Phú", x0=398.7, top=636.34, x1=484.2, bottom=651.46, unsure=True),
    ]
    page = Page(number=1, width=612.0, height=792.0, lines=lines, origin="ocr")
    return document("unsure_name_under_a_black_seal_ring", page), page


@needs_tesseract
def test_a_name_under_a_black_seals_ring_stands_when_its_line_read_without_the_rings_gives_it() -> None:
    doc, page = black_seal_closing()
    confirm_names(doc, page)
    assert page.lines[-1].text == "Vũ Hoàng Phú"
    assert doc.warnings == []


@needs_tesseract
def test_that_name_read_alone_with_the_rings_stands_by_what_is_left_of_its_family_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With the ring over it the line reads "-Yữ Hoàng Phú -" and "vũ Hoàng Phú": no second
    # vote for the name as read, but "Hoàng Phú" three times, and "vũ" folds to Vũ alone.
    monkeypatch.setattr(signer_name, "has_seal_rings", lambda *_: False)
    doc, page = black_seal_closing()
    confirm_names(doc, page)
    assert page.lines[-1].text == "Vũ Hoàng Phú"
    assert [code for code, _ in doc.warnings] == ["ocr.name_restored"]


@pytest.mark.parametrize(
    ("remains", "surname"),
    [
        ("—vữ", "Vũ"),  # a ring's arc before it, a mark slipped: it folds to one family name
        ("“Tran", "Trần"),
        ("Nguvên", "Nguyễn"),  # one letter off the one family name that near
        ("Iguyễt.", "Nguyễn"),  # two letters off Nguyễn, four off any other
        ("gquyen", None),  # two off Nguyễn, three off Quan and Yên: too near to tell
        ("Hoàn", None),  # four letters: one off Hoàng, Đoàn, Toàn ...
        ("_`*#ran", "Trần"),  # the first letter under the ring: the end of one family name
        ("uyen", "Nguyễn"),
        ("rính", None),  # the end of Trịnh and of Trình
        ("ai", None),  # too short to tell (Mai, Hải, Thái, Lại)
        ("ăn", None),  # the end of "Văn", a middle name far more often than a family name
        ("ương", None),  # the end of Dương, Vương, Trương, Lương
        ("Phạrñ", None),  # "rn" for "m", not undone here
        ("ø", None),
    ],
)
def test_the_family_name_what_is_left_of_it_stands_for(remains: str, surname: str | None) -> None:
    assert surname_of_remains(remains) == surname


def test_a_name_is_restored_from_the_readings_of_its_line() -> None:
    # Real readings of one bilevel scan's name line, the page's first: the ring cut "Trần".
    read = ["Hữu Tuân", "“trân Hữu Tuấn", "“Trân Hữu Tuấn", "“iran Hữu Tuấn", "“Tran Hữu Tuấn"]
    assert restored_name(read) == ("Trần Hữu Tuấn", ["“trân", "“Trân", "“iran", "“Tran"])
    # Crops reaching past the ring give the whole name twice.
    read = ["Việt Dũng", "“ Trươàg Việt Dũng ˆ", "Trương Việt Dũng -", "“Trương Việt Dũng ˆ"]
    assert restored_name(read) == ("Trương Việt Dũng", [])
    # and the family name as the list spells it
    read = ["Hữu Tuân", "`Š— Tràn Hữu Tuấn", "`Š— Tràn Hữu Tuấn", "Trần Hữu Tuân"]
    assert restored_name(read) == ("Trần Hữu Tuấn", [])


@pytest.mark.parametrize(
    "read",
    [
        # "Lưỡng Khôi" twice is no name of three (Lương is a family name and a middle one too),
        # and "ai" of "Mai" once is one vote.
        ["Mai Lượng Khôi", "Nà ktrường Khôi.", "` tưởng Khôi", "CN Lưỡng Khôi _", "` ai Lưỡng Khôi"],
        ["Tuần Anh", "“Tấn Anh", "` Tuần Anh", "` Š Tuấn Anh"],  # nothing left of the family name
        ["Hữu Tuấn", "“Trân Hữu Tuấn", "Vũ Hữu Tuấn"],  # two family names, one vote each
    ],
)
def test_no_name_is_restored_without_two_readings_for_one_family_name(read: list[str]) -> None:
    assert restored_name(read) is None


def name_page(name: Line, *column: Line) -> Page:
    lines = [
        Line(text="Nơi nhận:", x0=92.16, top=275.76, x1=143.76, bottom=286.56),
        *column,
        Line(text="- Lưu: VT.", x0=91.92, top=328.8, x1=160.0, bottom=339.84),
        name,
    ]
    return Page(number=1, width=595.44, height=842.04, lines=lines, origin="ocr")


@needs_tesseract
def test_a_family_name_a_black_seals_ring_cut_is_read_back_from_the_line_alone() -> None:
    # A bilevel scan: the page and the column's second reading gave the given names only; the
    # line read alone, its crop reaching left over the family name, gives what is left of it.
    title = Line(text="KT. GIÁM ĐÓC", x0=376.08, top=277.68, x1=476.4, bottom=301.68)
    page = name_page(Line(text="Hữu Tuân", x0=413.98, top=398.08, x1=471.04, bottom=408.52), title)
    doc = document("family_name_cut_by_a_black_seal_ring", page)
    confirm_names(doc, page)
    assert page.lines[-1].text == "Trần Hữu Tuấn"
    assert [code for code, _ in doc.warnings] == ["ocr.name_restored"]


@needs_tesseract
def test_a_family_name_left_out_under_a_black_seal_is_read_back() -> None:
    title = Line(text="BỘ TRƯỞNG", x0=389.76, top=530.4, x1=466.08, bottom=545.04)
    label = Line(text="Nơi nhận:", x0=88.56, top=535.44, x1=139.68, bottom=547.68)
    page = name_page(Line(text="Thị Thanh Trà", x0=404.4, top=661.44, x1=494.16, bottom=674.64), title)
    page.lines[0] = label
    page.lines[2] = Line(text="- Lưu: VT. CCHC.", x0=89.76, top=599.04, x1=171.84, bottom=607.44)
    doc = document("family_name_left_out_under_a_black_seal", page)
    confirm_names(doc, page)
    assert page.lines[-1].text == "Phạm Thị Thanh Trà"
    assert [code for code, _ in doc.warnings] == ["ocr.name_restored"]
