"""Output names: every input's record path inside OUTDIR, and text safe to print."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

MANIFEST_NAME = "manifest.jsonl"
NAME_MAX = 255  # bytes per path component on Linux, macOS and Windows filesystems
TEMP_PREFIX = ".tmp-"  # temporary record files: .tmp-<pid>-<random>.json, renamed into place
WORKER_TEMP_PREFIX = "vanban-worker-"  # a worker's TMPDIR: vanban-worker-<parent pid>-<random>

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Folder names ending like a record ("x.json") or like the manifest ("manifest.jsonl") get a "_".
_JSON_DIR = re.compile(r"\.jsonl?_*$")
# What a terminal may act on: C0/C1 controls (escape sequences, newlines), format characters
# (bidi overrides that reorder the line) and line/paragraph separators.
_UNPRINTABLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def display_path(path: Path | str) -> str:
    """The path as printable UTF-8 text: undecodable bytes become ``\\xNN`` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def terminal_text(text: str) -> str:
    """``text`` safe to print on a terminal: control and format characters become escapes
    (``\\x1b``, ``\\n``, ``\\u202e``), so a file name cannot set the title, clear the screen or
    break a line of the summary."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable() or char == " " or unicodedata.category(char) not in _UNPRINTABLE_CATEGORIES:
            out.append(char)
        else:
            out.append(char.encode("unicode_escape", "backslashreplace").decode("ascii"))
    return "".join(out)


def _name_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def _clean_name(name: str) -> str:
    """``name`` if it is clean UTF-8 without control characters, else a cleaned, hashed copy."""
    raw = os.fsencode(name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", "replace").replace("\ufffd", "_")
    else:
        if text and text not in (".", "..") and not _CONTROL.search(text):
            return text
    text = _CONTROL.sub("_", text).strip(".") or "_"
    return f"{text}~{_name_hash(raw)}"


def _not_temporary(name: str) -> str:
    """A name the stale-file cleaner would take for a temporary file gets a ``_`` in front."""
    return "_" + name if name.startswith(TEMP_PREFIX) else name


def _shorten(name: str, raw: bytes, suffix: str) -> str:
    """Keep ``name + suffix`` within NAME_MAX bytes, tagging shortened names with a hash."""
    if len((name + suffix).encode()) <= NAME_MAX:
        return name + suffix
    tag = f"~{_name_hash(raw)}{suffix}"
    budget = NAME_MAX - len(tag.encode())
    head = name.encode()[:budget].decode("utf-8", "ignore")
    return head + tag


def output_file_name(name: str) -> str:
    """The output name of an input file: the whole name plus ``.json``."""
    return _shorten(_not_temporary(_clean_name(name)), os.fsencode(name), ".json")


def output_dir_name(name: str) -> str:
    """The output name of an input folder; never ends in ``.json``, so never a file's name."""
    clean = _not_temporary(_clean_name(name))
    if _JSON_DIR.search(clean):
        clean += "_"
    return _shorten(clean, os.fsencode(name), "")
