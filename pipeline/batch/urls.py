"""Inputs and OUTDIR given as URLs (object storage through fsspec), told apart from paths.

Nothing here imports fsspec: a plain extract (paths only) never loads it. ``storage`` does
the work, and is imported only when a URL is given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")

Location = Path | str  # a local path, or the URL of an object-storage prefix or object
# Filesystems that live inside one process: the workers (other processes) could not see them.
_PROCESS_LOCAL = frozenset({"memory"})


class StorageError(Exception):
    """Object storage cannot be used as given (a bucket that does not exist, credentials
    refused, no backend installed, an endpoint that does not answer): the run is refused
    before any document, with this message."""


def scheme(location: Location) -> str:
    """The URL's protocol (``s3``, ``gcs``, ``memory``), or "" for a local path."""
    if isinstance(location, Path):
        return ""
    match = _SCHEME.match(location)
    return match.group(1).lower() if match else ""


def is_url(location: Location) -> bool:
    """A URL fsspec opens (``file://`` is not: it is read as the local path it names)."""
    return scheme(location) not in ("", "file")


def as_location(value: Location) -> Location:
    """A command-line input or OUTDIR: a URL stays text; ``file://`` and plain paths become paths."""
    if isinstance(value, Path):
        return value
    if scheme(value) == "file":
        return Path(value[len("file://") :] or "/")
    return value if is_url(value) else Path(value)


def check_shared(location: Location) -> None:
    """Refuse a URL whose filesystem the workers cannot reach (``memory://`` is per process)."""
    if scheme(location) in _PROCESS_LOCAL:
        raise StorageError(
            f"{location}: a {scheme(location)}:// filesystem lives in one process; the workers cannot read it"
        )


def parse_storage_options(pairs: Iterable[str]) -> dict[str, Any]:
    """``key=value`` pairs of ``--storage-option``: a value is read as JSON when it parses
    (``true``, ``5``, ``{"region_name": "x"}``), else kept as text (an endpoint URL, a key).
    A dotted key (``client_kwargs.region_name=x``) sets a nested option."""
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValueError(f"--storage-option takes KEY=VALUE, not {pair!r}")
        try:
            value: Any = json.loads(text)
        except ValueError:
            value = text
        target = options
        *parents, last = key.split(".")
        for parent in parents:
            inner = target.setdefault(parent, {})
            if not isinstance(inner, dict):
                raise ValueError(f"--storage-option {key!r}: {parent!r} is already a value")
            target = inner
        target[last] = value
    return options
