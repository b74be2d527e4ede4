"""A field extractor is one module and one line in the component list: the README's
developer section shows how, and this test does what it says, end to end."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from pipeline.model import Document, Line, Page
from pipeline.options import Options
from pipeline.record.build import build_record
from pipeline.registry import Context, check_order, component, current_settings
from pipeline.run import PIPELINE, check_options, process_context


@dataclass(frozen=True)
class UrgencySettings:
    # The request is looked for this far into the document only (lines).
    head_lines: int = 12


# The module a newcomer writes (here in the test file; in the package it is
# pipeline/extract/urgency_stamp.py, registered when run.py imports it by its name).
@component(
    "test.urgency_stamp", requires=("zones", "header"), assigns=("header.urgency",), settings=UrgencySettings
)
def urgency_stamp(ctx: Context) -> None:
    if ctx.header is None or ctx.header.urgency is not None:
        return
    for line in [line for page in ctx.doc.pages for line in page.lines][
        : current_settings(UrgencySettings).head_lines
    ]:
        if "báo cáo trước 16 giờ hôm nay" in line.text:  # a demonstration's rule, not the header's
            ctx.header.urgency = "Hỏa tốc"


def _letter() -> Document:
    texts = [
        "ỦY BAN NHÂN DÂN",
        "TỈNH LÂM ĐỒNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/UBND-VX",
        "Lâm Đồng, ngày 5 tháng 3 năm 2026",
        "V/v triển khai công tác phòng, chống dịch bệnh",
        "Kính gửi: Sở Y tế",
        "Ủy ban nhân dân tỉnh đề nghị Sở Y tế khẩn trương triển khai.",
        "Đề nghị báo cáo trước 16 giờ hôm nay.",
    ]
    return Document(
        path="letter.txt", format="txt", pages=[Page(number=1, lines=[Line(text=t) for t in texts])]
    )


@pytest.mark.parametrize(("head_lines", "urgency"), [(12, "Hỏa tốc"), (5, None)])
def test_one_module_and_one_line_put_a_field_in_the_record(head_lines: int, urgency: str | None) -> None:
    components = [*PIPELINE, "test.urgency_stamp"]  # the one line
    options = Options(ocr=False, settings={"test.urgency_stamp": {"head_lines": head_lines}})
    check_options(options)  # loads the flow's components; a misspelt setting would raise here
    check_order(components)  # what it requires comes before it
    ctx = process_context(Context(doc=_letter(), options=options), components)
    record = build_record(ctx, "0" * 64, 0, time.perf_counter(), include_text=False)
    assert record.document is not None and record.document.urgency == urgency
    assert record.document.symbol == "UBND-VX"  # the other extractors ran as before


def test_a_component_put_before_what_it_requires_is_refused_at_start_up() -> None:
    check_options(Options())
    with pytest.raises(ValueError, match="requires"):
        check_order(["test.urgency_stamp", *PIPELINE])


def test_its_settings_are_checked_like_the_others() -> None:
    with pytest.raises(ValueError, match="no setting"):
        check_options(Options(settings={"test.urgency_stamp": {"head_line": 3}}))
