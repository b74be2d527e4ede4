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
    ],
)
def test_header_formulas_are_repaired(ocr: str, fixed: str) -> None:
    assert fix_formulas(ocr, in_header=True) == fixed


@pytest.mark.parametrize("text", ["bình tĩnh xử lý", "tính toán", "Chỉ thị này", "và việc triển khai"])
def test_body_text_is_left_alone(text: str) -> None:
    assert fix_formulas(text, in_header=False) == text
