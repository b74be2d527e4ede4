"""The evaluation gate itself: perfect records pass every floor, missing records fail them."""

from __future__ import annotations

from pathlib import Path

from pipeline.evaluate import evaluate_records, load_gold
from pipeline.evaluate.floors import FIELD_F1_FLOORS, below_floors
from tests.test_evaluate import record_from_gold


def test_gold_itself_passes_every_floor(corpus: Path) -> None:
    gold = load_gold(corpus / "gold")
    records = {doc_id: record_from_gold(entry) for doc_id, entry in gold.items()}
    report = evaluate_records(records, corpus / "gold", corpus / "manifest.jsonl")
    assert below_floors(report) == []


def test_missing_records_fall_below_the_floors(corpus: Path) -> None:
    report = evaluate_records({}, corpus / "gold", corpus / "manifest.jsonl")
    failures = below_floors(report)
    pinned = sum(len(floors) for floors in FIELD_F1_FLOORS.values())
    assert len(failures) >= pinned  # every pinned field score drops to zero
