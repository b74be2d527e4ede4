"""Unicode NFC and white space: the normal form every later stage and evidence span uses."""

from __future__ import annotations

import re
import unicodedata

from pipeline.registry import Context, component

# Characters that look like spaces or break words invisibly in real documents.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Eth (Ð ð) is no Vietnamese letter: fonts, legacy converters and OCR print it for Đ đ.
_LOOKALIKES = {ord("\u00d0"): "\u0110", ord("\u00f0"): "\u0111"}


def normalize_text(text: str) -> str:
    """NFC, invisible characters removed, Eth read as Đ, runs of spaces folded, ends trimmed."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_LOOKALIKES)
    return _SPACES.sub(" ", text).strip()


@component("repair.normalize", requires=("text.unicode",), assigns=("text.nfc",))
def normalize(ctx: Context) -> None:
    for page in ctx.doc.pages:
        for line in page.lines:
            line.text = normalize_text(line.text)
            line.runs, line.read_text = [], None  # both describe the text as read
        for table in page.tables:
            for row in table.rows:
                for cell in row:
                    cell.text = "\n".join(normalize_text(part) for part in cell.text.split("\n")).strip()
