"""The JSON contract: the shipped schema matches the models; failed records validate."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.record.build import failed_record
from pipeline.record.models import Record
from pipeline.record.schema import record_schema, shipped_schema


def test_shipped_schema_is_generated_from_the_models() -> None:
    # Regenerate with: python -m pipeline.record.schema
    assert shipped_schema() == record_schema()


def test_failed_record_round_trips() -> None:
    started = time.perf_counter()
    record = failed_record(Path("x.pdf"), "0" * 64, 0, "unknown", "read.empty", "empty file", started)
    again = Record.model_validate_json(record.model_dump_json())
    assert again.status == "failed"
    assert again.errors[0].code == "read.empty"


def test_the_component_list_is_checked_against_what_each_component_declares() -> None:
    from pipeline import run
    from pipeline.registry import check_order, registration

    run._load_components()  # imports the component modules and checks the list
    check_order(run.PIPELINE)
    assert registration("extract.plan").requires == ("zones", "header")
    moved = [name for name in run.PIPELINE if name != "layout.zones"] + ["layout.zones"]
    with pytest.raises(ValueError, match=r"repair\.issuer_lines.*zones"):  # the first to need them
        check_order(moved)
