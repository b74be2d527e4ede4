"""The Python API: a record from a path or from bytes in one call."""

from __future__ import annotations

from pathlib import Path

from pipeline.api import extract_record, open_catalog

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "056.docx"


def test_a_record_from_a_path_and_from_the_same_bytes(tmp_path: Path) -> None:
    from_path = extract_record(SAMPLE, ocr=False)
    from_bytes = extract_record(SAMPLE.read_bytes(), name="upload/056.docx", ocr=False, include_text=False)
    assert from_path.status == from_bytes.status == "ok"
    assert from_bytes.source.path == "upload/056.docx"
    assert from_bytes.source.sha256 == from_path.source.sha256
    assert from_bytes.text is None and from_path.text is not None
    assert from_bytes.document == from_path.document
    assert from_path.plan is not None and len(from_path.plan.tasks) > 0
    with open_catalog(tmp_path / "catalog.sqlite") as catalog:
        assert catalog.load([from_path]).added == 1
        assert len(catalog.tasks(source="056.docx")) == len(from_path.plan.tasks)


def test_bad_bytes_give_a_failed_record_not_an_exception() -> None:
    record = extract_record(b"\x00\x01 not a document", name="junk.bin", ocr=False)
    assert record.status == "failed"
    assert record.errors and record.source.path == "junk.bin"
