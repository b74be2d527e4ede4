"""The authority prefix of a signature line ("TM.", "KT.", "K/T"): one definition in nlp, as
printed and as OCR reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.layout import zones
from pipeline.nlp.vocabulary import authority_head, printed_authority

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"


@pytest.mark.parametrize(
    ("line", "printed", "ocr"),
    [
        ("KT. CHỦ TỊCH", 4, 4),
        ("TM. ỦY BAN NHÂN DÂN", 4, 4),
        ("K/T BỘ TRƯỞNG", None, 4),  # a slashed prefix closed by a space
        ("KT/ BỘ TRƯỞNG BỘ TÀI CHÍNH", 4, None),  # a slash after the letters, as printed
        ("TL.CHỦ TỊCH", 3, 3),
        ("TUQ. BỘ TRƯỞNG", 5, 5),
        ("KT, CHỦ TỊCH", None, 4),  # OCR read the full stop as a comma
        ("kt. chủ tịch", None, 4),  # OCR case
        ("KT.", None, 3),  # the title on the next line
        ("TM: ỦY BAN", 4, None),
        ("KHU CÔNG NGHIỆP", None, None),
        ("Q. GIÁM ĐỐC", 3, 3),
        ("Ông Nguyễn Văn A", None, None),
    ],
)
def test_authority_prefix_as_printed_and_as_ocr_reads_it(
    line: str, printed: int | None, ocr: int | None
) -> None:
    assert authority_head(line) == printed
    assert authority_head(line, ocr=True) == ocr


def test_layout_uses_the_vocabularys_pattern() -> None:
    assert zones.AUTHORITY is printed_authority()


def test_no_other_module_builds_the_prefixes_again() -> None:
    """The prefixes of data/positions.json are compiled in nlp.vocabulary only; the Markdown
    reader cuts a signer cell's paragraphs at the vocabulary's printed form (authority_head)."""
    users = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "authority_prefixes()" in path.read_text(encoding="utf-8")
    )
    assert users == ["nlp/vocabulary.py"]
