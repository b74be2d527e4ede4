"""The evaluation gate: the whole pipeline over the real corpus, scores pinned as floors.

Slow (OCR of the scanned documents); runs in CI with --runslow. The table is printed so a
CI log shows the scores of every run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluate import evaluate_corpus, render_table
from pipeline.evaluate.floors import FIELD_F1_FLOORS, GROUPS, below_floors, group_counts


@pytest.mark.slow
def test_corpus_scores_stay_above_their_floors(corpus: Path) -> None:
    report = evaluate_corpus(corpus / "docs", corpus / "gold", jobs=2, manifest=corpus / "manifest.jsonl")
    print(render_table(report))
    for group in GROUPS:
        counts = group_counts(report, group)
        row = ", ".join(f"{name} {c.f1:.3f}" for name, c in sorted(counts.items()) if c.f1 is not None)
        print(f"[{group}] {row}")
    assert len(report.documents) == len(list((corpus / "gold").glob("*.json")))
    assert FIELD_F1_FLOORS, "no floors pinned"
    failures = below_floors(report)
    assert not failures, "\n".join(failures)
