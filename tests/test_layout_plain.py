"""A document the Decree 30 layout cannot cut into a body is cut by its type titles and its
"Nơi nhận" label, in the layout: the extractors read one set of zones whatever cut them."""

from __future__ import annotations

from pipeline.layout.plain import plain_zones
from pipeline.model import Document, Line, Page


def _doc(texts: list[str]) -> Document:
    return Document(path="d.txt", format="txt", pages=[Page(number=1, lines=[Line(text=t) for t in texts])])


def test_a_decision_with_its_plan_annexed_is_cut_at_the_titles_and_the_recipients() -> None:
    doc = _doc(
        [
            "ỦY BAN NHÂN DÂN",
            "QUYẾT ĐỊNH",
            "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch.",
            "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
            "Nơi nhận:",
            "- Như Điều 2;",
            "KẾ HOẠCH",
            "I. MỤC ĐÍCH, YÊU CẦU",
        ]
    )
    assert plain_zones(doc) == {"body": [(0, 2), (0, 3)], "annex": [(0, 6), (0, 7)]}


def test_an_appendix_heading_opens_the_annex() -> None:
    doc = _doc(["KẾ HOẠCH", "Nội dung", "Nơi nhận:", "- Lưu: VT.", "PHỤ LỤC I", "Bảng"])
    assert plain_zones(doc) == {"body": [(0, 1)], "annex": [(0, 4), (0, 5)]}


def test_without_a_type_title_everything_is_body() -> None:
    doc = _doc(["Thông tin về cải cách hành chính", "Nơi nhận:"])
    assert plain_zones(doc) == {"body": [(0, 0), (0, 1)], "annex": []}
