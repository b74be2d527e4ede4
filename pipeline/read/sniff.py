"""Decide a file's format from its bytes, never from its name."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from pipeline.errors import PipelineError

_HEAD_BYTES = 8192
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_TAG = re.compile(
    rb"<(!doctype\s+html|html|head|body|meta|title|div|p|table|h[1-6])[\s>/]", re.IGNORECASE
)
_SPACE_BYTES = b" \t\n\r\f\v"
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def sniff(path: Path) -> str:
    """Return "pdf", "docx", "doc", "rtf", "html", "txt" or "unknown"."""
    with open(path, "rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if not head:
        raise PipelineError("read.empty", f"{path.name} is empty")
    # A container's own magic comes first: a DOCX or DOC whose first kilobyte happens to
    # hold "%PDF-" (an embedded PDF, a file name) is still that container.
    if head.startswith(b"PK\x03\x04") and _is_docx(path):
        return "docx"
    if head.startswith(_OLE2_MAGIC):
        return "doc"
    # PDF files may carry a little junk before the header; readers accept up to 1 KB.
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "unknown"
    text_head = _strip_bom(head)
    if text_head.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    if _looks_like_html(text_head):
        return "html"
    if _looks_like_text(head):
        return "txt"
    return "unknown"


def _is_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _strip_bom(head: bytes) -> bytes:
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"
        # Re-encode the head as ASCII-compatible bytes so the markup tests below still apply.
        return head[2:].decode(codec, errors="ignore").encode("utf-8", errors="ignore")
    return head


def _starts_like_html(head: bytes) -> bool:
    """White space and whole comments, then an HTML tag; one pass (the regular expression
    this replaces backtracked exponentially over a run of comments)."""
    position = 0
    while True:
        while position < len(head) and head[position] in _SPACE_BYTES:
            position += 1
        if not head.startswith(b"<!--", position):
            return _HTML_TAG.match(head, position) is not None
        end = head.find(b"-->", position + 4)
        if end < 0:
            return False
        position = end + 3


def _looks_like_html(head: bytes) -> bool:
    if _starts_like_html(head):
        return True
    lowered = head[:2048].lower()
    return b"<html" in lowered and (b"<body" in lowered or b"<head" in lowered)


def _looks_like_text(head: bytes) -> bool:
    if head.startswith(_BOMS):
        return True
    if b"\x00" in head:
        # UTF-16 without a BOM: every other byte is NUL for Latin text.
        return head[1::2].count(0) > 0.4 * len(head) / 2 or head[0::2].count(0) > 0.4 * len(head) / 2
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls <= max(2, len(head) // 100)
