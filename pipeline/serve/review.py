"""The fields an archivist reviews, their machine values and evidence, and the corrections as gold.

Fields are named as in the gold format (``../shared/corpus/ANNOTATION.md``): ``summary``,
``signer.name``, ``recipients`` ... A correction never touches the record: the gold file of a
reviewed document is the record in the gold shape (``pipeline.evaluate.shape``) with each
reviewed field set to the archivist's last verdict, so ``vanban evaluate --gold`` scores the
pipeline against what archivists corrected.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pipeline.evaluate.shape import to_gold_shape
from pipeline.record.models import Record

Kind = Literal["text", "list", "json"]


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: Kind


FIELDS = (
    Field("doc_type", "Loại văn bản", "text"),
    Field("number", "Số", "text"),
    Field("symbol", "Ký hiệu", "text"),
    Field("issued_date", "Ngày ban hành", "text"),
    Field("place", "Địa danh", "text"),
    Field("issuer_parent", "Cơ quan chủ quản", "text"),
    Field("issuer", "Cơ quan ban hành", "text"),
    Field("summary", "Trích yếu", "text"),
    Field("urgency", "Độ khẩn", "text"),
    Field("confidentiality", "Độ mật", "text"),
    Field("addressees", "Kính gửi", "list"),
    Field("signer.authority", "Quyền hạn ký", "list"),
    Field("signer.position", "Chức vụ người ký", "text"),
    Field("signer.name", "Người ký", "text"),
    Field("recipients", "Nơi nhận", "list"),
    Field("legal_bases", "Căn cứ", "json"),
)
BY_NAME = {field.name: field for field in FIELDS}
LEGAL_BASIS_KEYS = ("doc_type", "number_symbol", "date", "issuer")


class BadValue(ValueError):
    pass


def machine_value(shape: dict[str, Any], name: str) -> Any:
    """The value of field ``name`` in a gold-shaped dict (``signer.name`` reads inside the signer)."""
    if name.startswith("signer."):
        signer = shape.get("signer") or {}
        default: Any = [] if name == "signer.authority" else None
        return signer.get(name.split(".", 1)[1], default)
    return shape.get(name)


def set_value(shape: dict[str, Any], name: str, value: Any) -> None:
    if name.startswith("signer."):
        signer = shape.get("signer") or {"name": None, "position": None, "authority": []}
        signer[name.split(".", 1)[1]] = value
        shape["signer"] = signer
    else:
        shape[name] = value


def check_value(name: str, value: Any) -> Any:
    """A corrected value in its field's type; raises ``BadValue`` with what is wrong."""
    field = BY_NAME.get(name)
    if field is None:
        raise BadValue(f"unknown field {name!r}")
    if value is None and field.kind != "text":
        return []
    if field.kind == "text":
        if value is None:
            return None
        if not isinstance(value, str):
            raise BadValue(f"{name}: a string or null")
        return value.strip() or None
    if field.kind == "list":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise BadValue(f"{name}: a list of strings")
        return [item.strip() for item in value if item.strip()]
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise BadValue(f"{name}: a list of objects with {', '.join(LEGAL_BASIS_KEYS)}")
    bases = []
    for item in value:
        extra = set(item) - set(LEGAL_BASIS_KEYS)
        if extra or not all(
            item.get(key) is None or isinstance(item.get(key), str) for key in LEGAL_BASIS_KEYS
        ):
            raise BadValue(f"{name}: each item has only {', '.join(LEGAL_BASIS_KEYS)}, strings or null")
        bases.append({key: item.get(key) for key in LEGAL_BASIS_KEYS})
    return bases


def field_evidence(record: Record, name: str) -> list[dict[str, Any]]:
    """The evidence spans of a field: its own key, or each item's (``recipients[3]``)."""
    if record.document is None:
        return []
    spans = [
        (key, evidence)
        for key, evidence in record.document.evidence.items()
        if key == name or key.startswith(f"{name}[")
    ]
    if name == "legal_bases":  # legal bases carry no evidence of their own: their references do
        keys = {basis.text for basis in record.document.legal_bases if basis.text}
        spans += [(ref.text, ref.evidence) for ref in record.references if ref.evidence and ref.text in keys]
    return [{"key": key, **evidence.model_dump()} for key, evidence in spans]


def review_fields(record: Record) -> list[dict[str, Any]]:
    """What the review page shows per field: label, kind, machine value, evidence."""
    shape = to_gold_shape(record)
    return [
        {
            "name": field.name,
            "label": field.label,
            "kind": field.kind,
            "machine": machine_value(shape, field.name),
            "evidence": field_evidence(record, field.name),
        }
        for field in FIELDS
    ]


def gold_document(record: Record, corrections: list[dict[str, Any]]) -> dict[str, Any]:
    """The gold annotation of a reviewed document: the record in the gold shape, each reviewed
    field set to its last verdict (an accepted field keeps the machine value)."""
    shape = to_gold_shape(record)
    last: dict[str, dict[str, Any]] = {}
    for row in corrections:
        last[row["field"]] = row
    for name, row in last.items():
        if row["action"] == "correct":
            set_value(shape, name, row["value"])
    verdicts = {"correct": "corrected", "accept": "accepted"}
    reviewed = ", ".join(
        f"{name} {verdicts[row['action']]} by {row['author']} {row['created']}" for name, row in last.items()
    )
    shape["notes"] = f"reviewed in vanban serve: {reviewed}; other fields are the machine's values"
    return shape


def write_gold(folder: Path, gold: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{gold['id']}.json"
    temp = path.with_suffix(".json.tmp")
    temp.write_text(json.dumps(gold, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    temp.replace(path)
    return path
