"""The closing block of a scanned page: where it starts and where it ends when the seal and
the signature are read as specks. Rows are Tesseract's lines of simulated scans of the
corpus's documents (text, x0, top, x1), on an A4 page."""

from __future__ import annotations

from pipeline.model import Document, Line, Page
from pipeline.registry import Context
from pipeline.run import PIPELINE, process_context

BODY = [
    ("UBND tỉnh cho phép tổ chức Đại hội nhiệm kỳ 2025-2030 theo đề nghị của Hiệp hội", 84, 640, 550),
    ("Doanh nghiệp tỉnh tại Tờ trình số 310/HHDN-K4 ngày 14/5/2025.", 84, 656, 400),
]


def _zones(rows: list[tuple[str, float, float, float]]) -> dict[str, list[str]]:
    lines = [Line(text=t, x0=x0, top=top, x1=x1, bottom=top + 11) for t, x0, top, x1 in rows]
    page = Page(number=1, lines=lines, width=595, height=842, origin="ocr")
    ctx = Context(doc=Document(path="scan.pdf", format="pdf", pages=[page]))
    # the noise marks first: the zones read them
    ctx = process_context(
        ctx, PIPELINE[PIPELINE.index("repair.ocr_noise") : PIPELINE.index("layout.zones") + 1]
    )
    return {zone: [ctx.doc.pages[0].lines[i].text for _, i in refs] for zone, refs in ctx.zones.items()}


def test_an_authority_line_after_a_seals_stroke_anchors_the_closing_when_the_label_is_garbled() -> None:
    # "Nơi nhận:" read "h Phe"; "_" of the seal's stroke glued before "KT.".
    rows = [
        *BODY,
        ("h Phe", 84, 696, 135),
        ("_KT.GIÁM ĐÓC", 377, 697, 480),
        ("- Như trên;", 84, 710, 132),
        ("- Lưu VT, HTDN.Đăng", 84, 723, 190),
        ("PHÓ GIÁM ĐỐC", 385, 712, 485),
        ("Mai Văn Hiệu", 385, 788, 469),
    ]
    zones = _zones(rows)
    assert "Mai Văn Hiệu" in zones["signature"] and "_KT.GIÁM ĐÓC" in zones["signature"]
    assert zones["recipients"] == ["- Như trên;", "- Lưu VT, HTDN.Đăng"]


def test_a_seals_strokes_read_as_a_number_and_a_mark_are_no_footnote() -> None:
    rows = [
        *BODY,
        ("Nơi nhận:", 87, 680, 138),
        ("BỘ TRƯỞNG", 388, 681, 464),
        ("- Như Điều 3;", 87, 694, 148),
        ("- Lưu: VT, CCHC.", 86, 707, 169),
        ("7 \\", 496, 716, 504),
        ("- Phạm Thị Thanh Trà", 351, 740, 490),
    ]
    zones = _zones(rows)
    assert "- Phạm Thị Thanh Trà" in zones["signature"] and not zones["annex"]


def test_a_seals_strokes_read_as_a_number_and_a_word_in_the_signature_column_are_no_footnote() -> None:
    # A received copy: "5 SUÀ :" is the seal over the deputy's title, right of the list.
    rows = [
        *BODY,
        ("Nơi nhận:", 90, 688, 141),
        ("KT. BỘ TRƯỞNG, CHỦ NHIỆM", 340, 684, 528),
        ("- Như trên;", 91, 701, 138),
        ("- Các PTTgCP (đề b⁄€);", 91, 713, 191),
        ("5 SUÀ :", 380, 717, 439),
        ("- VPCP: BTCN, các PCN;", 91, 739, 203),
        ("- Lưu: VT, TH (2) Thạch", 91, 790, 201),
        ("` Phạm! Miạnh Cường", 354, 783, 494),
    ]
    zones = _zones(rows)
    assert zones["recipients"][-2:] == ["- VPCP: BTCN, các PCN;", "- Lưu: VT, TH (2) Thạch"]
    assert not zones["annex"]


def test_specks_of_a_seal_do_not_count_toward_the_closings_length() -> None:
    specks = [
        (mark, 330 + 10 * (i % 15), 700 + 0.5 * i, 334 + 10 * (i % 15))
        for i, mark in enumerate(["'", ":", "°"] * 25)
    ]
    rows = [
        *BODY,
        ("Nơi nhận:", 87, 680, 138),
        ("CHỦ TỊCH", 388, 681, 464),
        *specks,
        ("Nguyễn Văn An", 380, 790, 470),
    ]
    zones = _zones(rows)
    assert zones["signature"][-1] == "Nguyễn Văn An"


def test_a_wrapped_entry_stays_in_the_list_when_the_label_is_garbled() -> None:
    # "Nơi nhận:" read "ch: 2c:" on a received copy: the list is known by its bullets, and the
    # lines that wrap an entry not yet closed ("tỉnh;", "Đồng;") belong to it, not to the
    # signature column beside it.
    rows = [
        ("giao, đề xuất bố trí kinh phí thực hiện các nhiệm vụ của kế hoạch được cấp có thẩm", 86, 640, 538),
        ("quyền giao./.", 86, 656, 176),
        ("ch: 2c:", 90, 668, 157),
        ("KT. CHỦ TỊCH", 373, 669, 487),
        ("- Bộ Nội vụ;", 92, 680, 156),
        ("PHÓ CHỦ TỊCH", 369, 684, 492),
        ("- Các cơ quan chuyên môn thuộc UBND", 92, 694, 315),
        ("tỉnh;", 92, 706, 116),
        ("- Báo và Phát thanh, Truyền hình Lâm", 92, 718, 315),
        ("Nguyễn Ngọc Phúc", 356, 726, 504),
        ("Đồng;", 92, 730, 124),
        ("- Lưu: VT, NC.Châu.", 92, 742, 220),
    ]
    zones = _zones(rows)
    assert zones["recipients"] == [
        "- Bộ Nội vụ;",
        "- Các cơ quan chuyên môn thuộc UBND",
        "tỉnh;",
        "- Báo và Phát thanh, Truyền hình Lâm",
        "Đồng;",
        "- Lưu: VT, NC.Châu.",
    ]
    assert "Nguyễn Ngọc Phúc" in zones["signature"]
