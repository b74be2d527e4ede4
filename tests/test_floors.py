"""The evaluation gate itself: perfect records pass every floor, missing records fail them."""

from __future__ import annotations

from pathlib import Path

from pipeline.evaluate import batch_ids, evaluate_records, load_gold
from pipeline.evaluate.corpus import BASE_BATCH
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
    pinned = sum(len(floors) for groups in FIELD_F1_FLOORS.values() for floors in groups.values())
    assert len(failures) >= pinned  # every pinned field score drops to zero


def test_floors_of_one_batch_ignore_the_documents_of_another(corpus: Path) -> None:
    """A new batch scoring nothing must fail its own floors only, never the first collection's."""
    gold = load_gold(corpus / "gold")
    base_ids = set(batch_ids(corpus / "manifest.jsonl", BASE_BATCH))
    records = {doc_id: record_from_gold(entry) for doc_id, entry in gold.items() if doc_id in base_ids}
    report = evaluate_records(records, corpus / "gold", corpus / "manifest.jsonl")
    failures = below_floors(report)
    assert failures, "the documents left without records must fail their batch's floors"
    assert all(not line.startswith(f"{BASE_BATCH}/") for line in failures)
