"""Entry points: score records against the gold folder, from memory, from disk or by running the
pipeline on the gold documents."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.evaluate.report import EvalReport
from pipeline.evaluate.score import score_document
from pipeline.evaluate.shape import to_gold_shape
from pipeline.record.models import Record

log = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.jsonl"


def load_gold(gold_dir: Path, ids: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """Gold annotations keyed by id ("055"), in id order; ``ids`` keeps only those."""
    wanted = set(ids) if ids is not None else None
    gold: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(gold_dir).glob("*.json")):
        if wanted is None or path.stem in wanted:
            gold[path.stem] = json.loads(path.read_text(encoding="utf-8"))
    return gold


# Documents of the corpus's first collection carry no "batch" in the manifest.
BASE_BATCH = "base"


@dataclass(frozen=True)
class CorpusEntry:
    """What the manifest says of one corpus file: its format, where it came from, its batch."""

    format: str
    source: str
    batch: str


def load_manifest(manifest: Path | None) -> dict[str, CorpusEntry]:
    """File name ("055.docx") -> its manifest entry: format ("pdf-scan" ...), source repository, batch."""
    if manifest is None or not Path(manifest).is_file():
        return {}
    entries: dict[str, CorpusEntry] = {}
    for line in Path(manifest).read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            if entry.get("file") and entry.get("format"):
                entries[entry["file"]] = CorpusEntry(
                    format=entry["format"],
                    source=entry.get("source_repo") or "unknown",
                    batch=entry.get("batch") or BASE_BATCH,
                )
    return entries


def batch_ids(manifest: Path | None, batch: str) -> list[str]:
    """Gold ids ("330") of the manifest's documents in ``batch`` ("2026-12", or "base" for the first)."""
    return sorted(Path(name).stem for name, entry in load_manifest(manifest).items() if entry.batch == batch)


def find_manifest(*folders: Path) -> Path | None:
    """The corpus manifest beside (the parent of) any of these folders, if there is one."""
    for folder in folders:
        for candidate in (Path(folder) / MANIFEST_NAME, Path(folder).parent / MANIFEST_NAME):
            if candidate.is_file():
                return candidate
    return None


def load_records(outdir: Path) -> dict[str, Record]:
    """Records written by the CLI anywhere under ``outdir`` ("055.docx.json"), keyed by the
    stem of the input they came from ("055").

    Files that are not records (a broken write) are skipped with a warning.
    """
    records: dict[str, Record] = {}
    for path in sorted(Path(outdir).rglob("*.json")):
        try:
            record = Record.model_validate_json(path.read_bytes())
        except (ValidationError, ValueError) as exc:
            log.warning("skipping %s: not a record (%s)", path, exc.__class__.__name__)
            continue
        records[Path(record.source.path).stem] = record
    return records


def evaluate_records(
    records: dict[str, Record],
    gold_dir: Path,
    manifest: Path | None = None,
    *,
    ids: Iterable[str] | None = None,
) -> EvalReport:
    """Score records (keyed by gold id, e.g. "055") against every gold file in ``gold_dir``
    (or only the gold ids in ``ids``).

    A gold document without a record counts as a record that found nothing (all misses), with
    status "missing". Records without a gold file are ignored. The format of each document is the
    manifest's "format" (its source and batch too; defaults to the manifest beside ``gold_dir``),
    else the record's own.
    """
    entries = load_manifest(manifest if manifest is not None else find_manifest(Path(gold_dir)))
    report = EvalReport()
    for doc_id, gold in load_gold(Path(gold_dir), ids).items():
        record = records.get(doc_id)
        predicted = to_gold_shape(record) if record is not None else {}
        entry = entries.get(gold.get("file", ""))
        fmt = (entry.format if entry else None) or (record.source.format if record else None) or "unknown"
        status = record.status if record is not None else "missing"
        score = score_document(predicted, gold, doc_id=doc_id, fmt=fmt, status=status)
        score.source = entry.source if entry else "unknown"
        score.batch = entry.batch if entry else BASE_BATCH
        report.documents.append(score)
    return report


def evaluate_corpus(
    docs_dir: Path,
    gold_dir: Path,
    jobs: int = 1,
    *,
    manifest: Path | None = None,
    ids: Iterable[str] | None = None,
) -> EvalReport:
    """Run ``pipeline.run.process_file`` on each gold document (its gold "file" in ``docs_dir``)
    and score the records; ``jobs`` > 1 runs documents in that many worker processes, ``ids``
    restricts the run to those gold ids."""
    gold = load_gold(Path(gold_dir), ids)
    paths = {doc_id: Path(docs_dir) / entry.get("file", doc_id) for doc_id, entry in gold.items()}
    records = run_pipeline(paths, jobs)
    manifest = manifest or find_manifest(Path(docs_dir), Path(gold_dir))
    return evaluate_records(records, Path(gold_dir), manifest, ids=list(gold))


def run_pipeline(paths: dict[str, Path], jobs: int = 1) -> dict[str, Record]:
    """Records for the given files, keyed like ``paths``; in worker processes when ``jobs`` > 1."""
    from pipeline.run import process_file  # the whole pipeline: imported only when run

    process = partial(process_file, include_text=False)
    ids = list(paths)
    if jobs <= 1:
        return {doc_id: process(paths[doc_id]) for doc_id in ids}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return dict(zip(ids, pool.map(process, [paths[doc_id] for doc_id in ids]), strict=True))
