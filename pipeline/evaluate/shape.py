"""Records in the gold shape: the one form the scorer compares (corpus/ANNOTATION.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.record.models import Header, Plan, Record, Section, Signer

HEADER_FIELDS = (
    "number",
    "symbol",
    "issued_date",
    "place",
    "issuer",
    "issuer_parent",
    "summary",
    "urgency",
    "confidentiality",
)


def to_gold_shape(record: Record) -> dict[str, Any]:
    """Map a record to the gold JSON shape: the header fields flat, the signer as
    ``{name, position, authority}``, legal bases without their text, and the plan with only the
    top-level section titles (in order), targets, and tasks whose deadline is the printed text.

    A record without a header (failed documents) gives null / empty values everywhere.
    """
    path = Path(record.source.path)
    shape: dict[str, Any] = {"id": path.stem, "file": path.name}
    # Header.model_validate({}): every field at its default (mypy reads Field(None) as required).
    shape.update(header_shape(record.document or Header.model_validate({})))
    shape["plan"] = None if record.plan is None else plan_shape(record.plan)
    return shape


def header_shape(header: Header) -> dict[str, Any]:
    shape: dict[str, Any] = {"doc_type": header.doc_type.name if header.doc_type else None}
    shape.update({name: getattr(header, name) for name in HEADER_FIELDS})
    shape["addressees"] = list(header.addressees)
    shape["signer"] = None if header.signer is None else signer_shape(header.signer)
    shape["recipients"] = list(header.recipients)
    shape["legal_bases"] = [
        {
            "doc_type": basis.doc_type,
            "number_symbol": basis.number_symbol,
            "date": basis.date,
            "issuer": basis.issuer,
        }
        for basis in header.legal_bases
    ]
    return shape


def signer_shape(signer: Signer) -> dict[str, Any]:
    return {"name": signer.name, "position": signer.position, "authority": list(signer.authority)}


def plan_shape(plan: Plan) -> dict[str, Any]:
    return {
        "sections": [section.title for section in top_level_sections(plan.sections)],
        "targets": [
            {
                "text": target.text,
                "value": target.value,
                "unit": target.unit,
                "comparator": target.comparator,
                "year": target.year,
            }
            for target in plan.targets
        ],
        "tasks": [
            {
                "text": task.text,
                "lead": list(task.lead),
                "cooperating": list(task.cooperating),
                "deadline": task.deadline.text if task.deadline else None,
                "source": task.source,
            }
            for task in plan.tasks
        ],
    }


def top_level_sections(sections: list[Section]) -> list[Section]:
    """The roots of the section tree; if a producer left the tree flat, its shallowest level."""
    if not sections:
        return []
    top = min(section.level for section in sections)
    return [section for section in sections if section.level == top]
