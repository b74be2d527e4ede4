"""Personal names with underthesea's bundled CRF tagger (offline; no model download).

Used where the printed-name shape rule finds nothing: OCR noise, a name sharing its line
with other words. The tagger runs in a short-lived helper process, like tesseract:
importing underthesea and loading its four CRF models (word segmentation, POS, chunking,
NER) takes ~80 MB that a batch worker would otherwise keep for the rest of its life,
for a fallback that 5 of the 67 corpus documents need, once each (~0.6 s a call).
"""

from __future__ import annotations

import json
import subprocess
import sys

TIMEOUT_SECONDS = 60.0

# Run by this interpreter with ``-P`` (the packages the worker sees, not the current
# folder). The text goes in as UTF-8 bytes, the tags come out as ASCII JSON, whatever the
# locale.
_TAGGER = """
import json, sys
from underthesea import ner
text = sys.stdin.buffer.read().decode("utf-8")
sys.stdout.write(json.dumps(ner(text)))
"""

Tagged = tuple[str, str, str, str]  # token, part of speech, chunk, named-entity tag


def tag_entities(text: str) -> list[Tagged]:
    """underthesea's ``ner(text)``; [] when the helper fails (the name stays unknown)."""
    try:
        done = subprocess.run(
            [sys.executable, "-P", "-c", _TAGGER],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        rows = json.loads(done.stdout) if done.returncode == 0 else []
    except (OSError, subprocess.SubprocessError, ValueError):
        return []
    return [(str(token), str(pos), str(chunk), str(tag)) for token, pos, chunk, tag in rows]


def person_names(text: str) -> list[str]:
    """Names tagged PER in ``text``, in order (consecutive B-PER/I-PER tokens joined)."""
    names: list[str] = []
    current: list[str] = []
    for token, _pos, _chunk, tag in tag_entities(text):
        if tag == "B-PER" or (tag == "I-PER" and not current):
            if current:
                names.append(" ".join(current))
            current = [token]
        elif tag == "I-PER":
            current.append(token)
        elif current:
            names.append(" ".join(current))
            current = []
    if current:
        names.append(" ".join(current))
    return names
