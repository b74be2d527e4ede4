"""Every sample of the quick start gives a record that validates against the published schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from pipeline.options import Options
from pipeline.record.schema import shipped_schema
from pipeline.run import process_file

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "samples").iterdir())


@pytest.mark.parametrize("sample", SAMPLES, ids=[path.name for path in SAMPLES])
def test_sample_record_validates_against_the_schema(sample: Path) -> None:
    # The scanned sample is OCR'd in the slow corpus run.
    record = json.loads(process_file(sample, options=Options(ocr=False)).model_dump_json())
    jsonschema.Draft202012Validator(shipped_schema()).validate(record)
    assert record["status"] in {"ok", "partial"}
    assert record["source"]["format"] in {"pdf", "docx", "doc"}


def test_schema_rejects_a_record_without_its_version() -> None:
    record = json.loads(process_file(SAMPLES[0]).model_dump_json())
    del record["schema_version"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(shipped_schema()).validate(record)
