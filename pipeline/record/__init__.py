"""The JSON record (pydantic models) and the JSON Schema generated from them."""

from pipeline.record.models import SCHEMA_VERSION, Record

__all__ = ["SCHEMA_VERSION", "Record"]
