"""Where a goal stated inside a sentence of other work starts, and what of a printed period is
the deadline."""

from __future__ import annotations

from pipeline.extract.plan_targets import _goal_clause


def test_after_a_comma_only_goal_words_open_the_goal() -> None:
    work = "Đẩy mạnh hạ tầng số trên toàn tỉnh, đồng hành cùng các doanh nghiệp viễn thông trên địa bàn"
    assert _goal_clause(f"{work}, mục tiêu tỷ lệ phủ sóng mạng 5G đạt 100%").startswith("mục tiêu")
    # "..., bảo đảm 100% cán bộ ..." goes on with the work before it: the sentence is the goal.
    sentence = (
        "Tuyên truyền, phổ biến về phòng, chống ma túy cho cán bộ, giáo viên trong toàn tỉnh, "
        "bảo đảm 100% cán bộ, giáo viên các trường học được tuyên truyền"
    )
    assert _goal_clause(sentence) == sentence


def test_a_goal_in_brackets_after_other_work_stands_alone() -> None:
    text = (
        "Phối hợp với các trường đại học tổ chức các buổi tuyên truyền cho học sinh, sinh viên "
        "(đảm bảo mỗi năm tại mỗi trường tổ chức ít nhất 1 buổi)"
    )
    assert _goal_clause(text) == "đảm bảo mỗi năm tại mỗi trường tổ chức ít nhất 1 buổi"


def test_a_phase_name_before_its_years_is_no_part_of_the_deadline() -> None:
    from pipeline.extract.plan_deadlines import make_deadline_parser

    parse = make_deadline_parser(1998)
    assert [
        parse(text).text for text in ("Giai đọan II 1998-2000", "Giai đoạn 1: 2021-2025", "Giai đoạn II")
    ] == [  # type: ignore[union-attr]
        "1998-2000",
        "2021-2025",
        "Giai đoạn II",  # a phase without its years stays as printed
    ]
