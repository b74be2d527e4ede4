"""OCR formula fixes: each repairs its formula and leaves ordinary text alone."""

from __future__ import annotations

import pytest

from pipeline.repair.formulas import fix_formulas


@pytest.mark.parametrize(
    ("ocr", "fixed"),
    [
        ("và việc tăng cường các biện pháp", "Về việc tăng cường các biện pháp"),
        (",Vêviệc triển khai thực hiện", "Về việc triển khai thực hiện"),
        ("TĨNH QUẢNG NGÃI", "TỈNH QUẢNG NGÃI"),
        ("TỎ CÔNG TÁC LIÊN NGÀNH TW", "TỔ CÔNG TÁC LIÊN NGÀNH TW"),
        ("CHÍ THỊ", "CHỈ THỊ"),
        ("QUYÉT ĐỊNH", "QUYẾT ĐỊNH"),
        ("KT, CHỦ TỊCH", "KT. CHỦ TỊCH"),
        ("về vệ ban hành Kế hoạch", "Về việc ban hành Kế hoạch"),  # marks misread
        ("MAI cơ chế đặc thù xây dựng", "V/v cơ chế đặc thù xây dựng"),  # an italic "V/v"
        ("\\ơi nhận", "Nơi nhận:"),  # the N lost, no colon
    ],
)
def test_header_formulas_are_repaired(ocr: str, fixed: str) -> None:
    assert fix_formulas(ocr, in_header=True) == fixed


@pytest.mark.parametrize(
    "text", ["bình tĩnh xử lý", "tính toán", "Chỉ thị này", "và việc triển khai", "Nơi nhận các văn bản"]
)
def test_body_text_is_left_alone(text: str) -> None:
    assert fix_formulas(text, in_header=False) == text


def test_a_summary_about_hygiene_is_not_a_mangled_ve_viec() -> None:
    assert fix_formulas("Về vệ sinh an toàn thực phẩm", in_header=True) == "Về vệ sinh an toàn thực phẩm"
