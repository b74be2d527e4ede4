"""The JSON Schema of a record, generated from the pydantic models and shipped as schema.json."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from pipeline.record.models import SCHEMA_VERSION, Record

SCHEMA_ID = f"https://vanban.invalid/schema/record-{SCHEMA_VERSION}.json"


def record_schema() -> dict[str, Any]:
    schema = Record.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def shipped_schema() -> dict[str, Any]:
    """The schema file inside the package (kept equal to the models by a test)."""
    text = resources.files("pipeline.record").joinpath("schema.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def write_schema(path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(record_schema(), handle, ensure_ascii=False, indent=2)
        handle.write("\n")


if __name__ == "__main__":
    write_schema(str(resources.files("pipeline.record").joinpath("schema.json")))
