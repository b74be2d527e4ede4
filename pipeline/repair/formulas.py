"""OCR post-correction of the fixed formula words of the Decree 30 layout.

Tesseract misplaces tone marks in capitals ("TĨNH QUẢNG NGÃI", "CHÍ THỊ") and mangles
"Về việc" at a line start. The fixes live in data/ocr_fixes.json, each matching only its
formula in its fixed context; they run on OCR'd pages only, so printed text is never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.data import load_data
from pipeline.registry import Context, component

# How many lines of page 1 count as its header for header-only fixes.
HEADER_LINES = 20


@dataclass(frozen=True)
class Fix:
    pattern: re.Pattern[str]
    replacement: str
    header_only: bool


@lru_cache(maxsize=1)
def ocr_fixes() -> list[Fix]:
    data = load_data("ocr_fixes")
    return [
        Fix(
            re.compile(fix["pattern"], re.IGNORECASE if "i" in fix.get("flags", "") else 0),
            fix["replace"],
            bool(fix.get("header_only")),
        )
        for fix in data["fixes"]
    ]


def fix_formulas(text: str, *, in_header: bool) -> str:
    for fix in ocr_fixes():
        if in_header or not fix.header_only:
            text = fix.pattern.sub(fix.replacement, text)
    return text


@component("repair.formulas", requires=("pages.read",), assigns=("text.formulas",))
def repair_formulas(ctx: Context) -> None:
    for page in ctx.doc.pages:
        if page.origin != "ocr":
            continue
        for index, line in enumerate(page.lines):
            line.text = fix_formulas(line.text, in_header=page.number == 1 and index < HEADER_LINES)
