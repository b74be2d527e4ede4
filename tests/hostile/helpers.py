"""Shared pieces of the hostile-input suite: a quick process function workers can import."""

from __future__ import annotations

import json
import time
from pathlib import Path

from pipeline import __version__
from pipeline.batch import MANIFEST_NAME
from pipeline.record.models import Record, Source, Text
from pipeline.run import sha256_of


def quick_record(path: Path) -> Record:
    """A record without the pipeline: the file's own text (so a test sees what was read)."""
    if "hang" in path.name:
        time.sleep(600)
    return Record(
        pipeline_version=__version__,
        source=Source(path=str(path), sha256=sha256_of(path), bytes=path.stat().st_size, format="txt"),
        status="ok",
        seconds=0.0,
        text=Text(pages=[path.read_bytes().decode("utf-8", "replace")]),
    )


def manifest(outdir: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (outdir / MANIFEST_NAME).read_text().splitlines() if line]


def by_output(outdir: Path) -> dict[str, dict[str, object]]:
    return {str(entry["output"]): entry for entry in manifest(outdir)}
