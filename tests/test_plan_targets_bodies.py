"""Goals stated inside task sections, long body names, cooperating lists and section repairs,
on excerpts of real plans (tests/fixtures/) and on small texts."""

from __future__ import annotations

from pathlib import Path

import pytest

import pipeline
from pipeline.extract.plan_targets import has_stray_cue
from pipeline.extract.plan_tasks import _cooperating, leading_bodies
from pipeline.extract.plan_text import Para, _repair_ocr_numerals, _title_bare_parts, parse_numbering
from pipeline.nlp.bodies import find_bodies, split_bodies
from tests.helpers import plan_of

FIXTURES = Path(__file__).parent / "fixtures"


def _para(text: str) -> Para:
    kind, label, title = parse_numbering(text, False)
    return Para(text=text, refs=[(0, 0)], kind=kind, label=label, title=title, bold=False)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Tuyên truyền cho cán bộ, giáo viên, bảo đảm 100% cán bộ, giáo viên được tuyên truyền.", True),
        ("Tập huấn, tuyên truyền phổ biến pháp luật cho trên 15% các cơ quan, tổ chức.", True),
        ("Tổ chức chương trình truyền hình trực tiếp năm 2026, gồm 11 chuyên mục sau:", True),
        ("Định kỳ phát sóng mỗi tháng 02 chuyên mục vào tối thứ Sáu.", True),
        ("Hằng quý có ít nhất 01 tin, bài về thực hiện CCHC.", True),
        # facts, shares and rules are no goals
        ("Huy động 100% quân số ứng trực tại các điểm úng ngập.", False),
        ("Trích 35% nguồn thu để chi cho hoạt động.", False),
        ("Với các trận mưa có lượng mưa dưới 50mm/h: không xảy ra úng ngập.", False),
    ],
)
def test_stray_goal_cues(sentence: str, expected: bool) -> None:
    assert has_stray_cue(sentence) is expected


def test_goals_inside_task_sections_with_the_scope_left_out() -> None:
    # "gồm 11 chuyên mục" in an activity of section III, and under "TỔ CHỨC THỰC HIỆN" a goal
    # after its scope ("a) Đối với chương trình ...: Định kỳ phát sóng mỗi tháng 02 chuyên mục").
    record = pipeline.extract(FIXTURES / "plan_goals_inside_task_sections.txt", pipeline.Options(ocr=False))
    assert record.plan is not None
    targets = record.plan.targets
    assert [(t.value, t.unit, t.year) for t in targets] == [
        (11, "chuyên mục", 2026),
        (10, "chuyên mục", 2026),
        (2, "chuyên mục/tháng", 2026),
    ]
    assert targets[2].text.startswith("Định kỳ phát sóng")  # the scope is not the goal
    assert all(t.evidence is not None and t.section_path for t in targets)


def test_a_festival_plans_facts_are_no_goals() -> None:
    # The dates, places and duties of a plan of events hold no goal.
    for name in (
        "plan_labelled_items_and_agency_headings.txt",
        "plan_agency_headings_naming_places_and_units.txt",
    ):
        plan = plan_of(FIXTURES / name)
        assert plan is not None and plan.targets == []


def test_places_and_long_names_as_leads() -> None:
    assert leading_bodies("Mời Thành phố Hồ Chí Minh, tỉnh Đăk Lăk, tỉnh Điện Biên")[0] == [
        "Thành phố Hồ Chí Minh",
        "tỉnh Đăk Lăk",
        "tỉnh Điện Biên",
    ]
    assert leading_bodies("tỉnh Lâm Đồng có 124 xã, phường") == ([], 0)
    name = "Ban Quản lý dự án đầu tư xây dựng công trình hạ tầng kỹ thuật và nông nghiệp Thành phố"
    assert leading_bodies(f"{name} trong công tác triển khai các Dự án")[0] == [name]
    assert leading_bodies("Chủ đầu tư và các nhà thầu thi công các công trình khẩn cấp phải đảm bảo")[0] == [
        "Chủ đầu tư",
        "các nhà thầu thi công các công trình khẩn cấp",
    ]
    long_list = (
        "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, Liên đoàn Lao động tỉnh, Hội Liên hiệp Phụ nữ tỉnh, "
        "Hội Nông dân tỉnh, Hội Cựu chiến binh tỉnh, Tỉnh đoàn Thanh niên"
    )
    assert leading_bodies(long_list)[0][-1] == "Tỉnh đoàn Thanh niên"
    # a one-syllable place does not swallow a run-in verb
    assert (
        find_bodies("Tổng Công ty Điện lực Hà Nội Chủ trì, xây dựng")[0][2] == "Tổng Công ty Điện lực Hà Nội"
    )


def test_role_brackets_dropped_sub_units_kept() -> None:
    assert leading_bodies("Giao Sở Nội vụ (Cơ quan Thường trực Hội đồng Thi đua - Khen thưởng tỉnh) chủ trì")[
        0
    ] == ["Sở Nội vụ"]
    assert _cooperating(
        "phối hợp với Phòng Cảnh sát giao thông (Công an Thành phố), Đài tiếng nói Việt Nam (VOV) cung cấp"
    ) == [
        "Phòng Cảnh sát giao thông (Công an Thành phố)",
        "Đài tiếng nói Việt Nam (VOV)",
    ]


def test_cooperating_lists() -> None:
    assert _cooperating("Chủ trì phối hợp các cơ quan, đơn vị liên quan rà soát, tham mưu") == [
        "các cơ quan, đơn vị liên quan"
    ]
    assert _cooperating(
        "Phối hợp Công an Thành phố, UBND các phường: Hoàn Kiếm, Cửa Nam và các đơn vị liên quan xây dựng"
    ) == [
        "Công an Thành phố",
        "UBND các phường: Hoàn Kiếm, Cửa Nam",
        "các đơn vị liên quan",
    ]
    # a later sentence counts only when the body leads it
    assert (
        _cooperating("Chỉ đạo tổ chức kiểm tra. Phối hợp với các cơ quan có liên quan để thống nhất.") == []
    )
    assert _cooperating(
        "Chỉ đạo tập huấn. Chủ trì, phối hợp với các bộ, ngành liên quan và các địa phương xây dựng."
    ) == [
        "các bộ, ngành liên quan",
        "các địa phương",
    ]
    assert split_bodies("Các Đại sứ quán, tổ chức quốc tế, các tỉnh, thành phố") == [
        "Các Đại sứ quán",
        "tổ chức quốc tế",
        "các tỉnh, thành phố",
    ]


def test_agency_headings_that_name_places_and_a_unit_in_brackets_lead_whole() -> None:
    # "12. Sở Nội vụ (Ban Thi đua Khen thưởng Thành phố)", "13. Tổng Công ty Điện lực Hà Nội",
    # "19. Mời Thành phố Hồ Chí Minh, tỉnh Đăk Lăk, tỉnh Điện Biên" over their duties.
    plan = plan_of(FIXTURES / "plan_agency_headings_naming_places_and_units.txt")
    assert plan is not None
    assert [(t.source, t.lead, t.cooperating) for t in plan.tasks] == [
        ("organization", ["Sở Nội vụ (Ban Thi đua Khen thưởng Thành phố)"], ["Sở Văn hóa và Thể thao"]),
        ("organization", ["Tổng Công ty Điện lực Hà Nội"], []),
        ("organization", ["Thành phố Hồ Chí Minh", "tỉnh Đăk Lăk", "tỉnh Điện Biên"], []),
    ]


def test_ocr_roman_numeral_repaired() -> None:
    title = "NỘI DUNG KẾ HOẠCH HÀNH ĐỘNG QUỐC GIA GIAI ĐOẠN 2026 - 2030 (Phụ lục đính kèm)"
    paras = [_para("I. MỤC TIÊU"), _para("Nội dung"), _para(f"Ta IL. {title}"), _para("III. TỔ CHỨC")]
    _repair_ocr_numerals(paras)
    assert (paras[2].kind, paras[2].label, paras[2].title) == ("roman", "II", title)
    # not without a section I before it, nor in running text
    lone = [_para("Ta IL. NỘI DUNG")]
    _repair_ocr_numerals(lone)
    assert lone[0].kind is None


def test_bare_part_takes_its_title() -> None:
    paras = [_para("PHẦN THỨ NHẤT:"), _para("KẾ HOẠCH TỔNG THỂ PHÁT TRIỂN CNTT"), _para("CHƯƠNG I:")]
    merged = _title_bare_parts(paras)
    assert [(p.kind, p.title) for p in merged] == [
        ("part", "KẾ HOẠCH TỔNG THỂ PHÁT TRIỂN CNTT"),
        ("chapter", ""),
    ]


def test_detail_column_gives_one_task_per_sub_row() -> None:
    from pipeline.extract.plan_tables import read_table_rows
    from pipeline.model import Cell, Table
    from pipeline.nlp.task_columns import find_header

    def cell(text: str, rowspan: int = 1) -> Cell:
        return Cell(text=text, rowspan=rowspan)

    header = [
        cell("STT"),
        cell("Nội dung hành động"),
        cell("Hành động cụ thể"),
        cell("Bộ ngành chủ trì"),
        cell("Bộ ngành phối hợp"),
        cell("Thời hạn hoàn thành"),
    ]
    rows = [
        header,
        [cell("I"), cell("Hoàn thiện khuôn khổ pháp lý")],
        [
            cell("1", rowspan=2),
            cell("Rà soát pháp luật", rowspan=2),
            cell("Sửa đổi Luật Phòng, chống rửa tiền"),
            cell("Ngân hàng Nhà nước Việt Nam"),
            cell("Bộ Tư pháp", rowspan=2),
            cell("2027"),
        ],
        [cell("Ban hành Nghị định hướng dẫn"), cell("Bộ Công an"), cell("2028")],
    ]
    table = Table(rows=rows)
    found = find_header(table)
    assert found is not None
    tasks = read_table_rows(table, *found)
    assert [t.cells["text"] for t in tasks] == [
        "Sửa đổi Luật Phòng, chống rửa tiền",
        "Ban hành Nghị định hướng dẫn",
    ]
    assert [t.cells.get("cooperating") for t in tasks] == ["Bộ Tư pháp", "Bộ Tư pháp"]
    assert [t.cells.get("lead") for t in tasks] == ["Ngân hàng Nhà nước Việt Nam", "Bộ Công an"]
    assert all(t.group == ["I. Hoàn thiện khuôn khổ pháp lý"] for t in tasks)


def test_chapters_and_dash_numbers_are_headings() -> None:
    assert parse_numbering("CHƯƠNG II: Mục tiêu của kế hoạch tổng thể", False)[:2] == ("chapter", "CHƯƠNG II")
    assert parse_numbering("4- Các mục tiêu về hiệu quả ứng dụng", False)[:2] == ("arabic", "4")
    assert parse_numbering("12 - 14 máy tính", False)[0] is None  # a range, not a heading


def test_share_stays_with_its_count() -> None:
    from pipeline.extract.plan_targets import target_segments
    from pipeline.nlp.targets import parse_target

    segments = target_segments("năm 1998 là 30 đồng chí, chiếm 20% tổng số cán bộ", parse_target)
    assert segments == ["năm 1998 là 30 đồng chí, chiếm 20% tổng số cán bộ"]


def test_narrative_sentence_is_no_task() -> None:
    from pipeline.extract.plan_tasks import _assigns_work

    para = _para("Ủy ban nhân dân tỉnh Lâm Đồng đã ra quyết định thành lập Ban chủ nhiệm của mỗi dự án.")
    lead, after = leading_bodies(para.title)
    assert lead == ["Ủy ban nhân dân tỉnh Lâm Đồng"]
    assert not _assigns_work(para, after, in_org=False)
