"""The evaluation gate: the batch runner over the whole real corpus, every record checked
against the published schema, and the scores pinned as floors (pipeline/evaluate/floors.py).

Slow (OCR of the scanned documents); runs in CI with --runslow. The score table is printed
so every CI log shows the scores of that run.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from pipeline.batch import run_batch
from pipeline.evaluate import evaluate_records, load_records, render_table
from pipeline.evaluate.floors import FIELD_F1_FLOORS, GROUPS, below_floors, group_counts
from pipeline.record.schema import shipped_schema


@pytest.fixture(scope="module")
def corpus_output(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("corpus-records")
    run_batch([corpus / "docs"], outdir, jobs=2, progress=False)
    return outdir


@pytest.mark.slow
def test_every_corpus_file_gives_a_schema_valid_record(corpus: Path, corpus_output: Path) -> None:
    validator = jsonschema.Draft202012Validator(shipped_schema())
    inputs = sorted(path.name for path in (corpus / "docs").iterdir())
    outputs = sorted(path.name.removesuffix(".json") for path in corpus_output.glob("*.json"))
    assert outputs == inputs
    for path in corpus_output.glob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        errors = [error.message for error in validator.iter_errors(record)]
        assert not errors, f"{path.name}: {errors[:3]}"
        assert record["status"] in {"ok", "partial"}, f"{path.name}: {record['errors']}"
    manifest = (corpus_output / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(manifest) == len(inputs)


@pytest.mark.slow
def test_corpus_scores_stay_above_their_floors(corpus: Path, corpus_output: Path) -> None:
    report = evaluate_records(load_records(corpus_output), corpus / "gold", corpus / "manifest.jsonl")
    print(render_table(report, ("format", "batch", "source")))
    for batch in FIELD_F1_FLOORS:
        for group in GROUPS:
            counts = group_counts(report, group, batch)
            row = ", ".join(f"{name} {c.f1:.3f}" for name, c in sorted(counts.items()) if c.f1 is not None)
            print(f"[{batch}/{group}] {row}")
    assert len(report.documents) == len(list((corpus / "gold").glob("*.json")))
    failures = below_floors(report)
    assert not failures, "\n".join(failures)
