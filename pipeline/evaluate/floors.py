"""Minimum scores the pipeline must keep on the corpus; tests/test_corpus_scores.py pins them.

Scores are F1 (fields) or accuracy on matched pairs, per group of input formats. A floor
is a score actually reached, rounded down: a change that lowers one fails the tests.
Raise floors when scores improve; never lower one to make a change pass.
"""

from __future__ import annotations

from pipeline.evaluate.report import EvalReport
from pipeline.evaluate.score import Accuracy, Counts

# Groups of the corpus manifest's formats.
GROUPS: dict[str, tuple[str, ...]] = {
    "text": ("pdf-text", "docx", "doc"),
    "scan": ("pdf-scan", "pdf-scan-badocr"),
    "legacy": ("doc-tcvn3", "doc-vni", "doc-tcvn3+vni", "rtf-tcvn3", "pdf-tcvn3"),
    "all": (),  # every format
}

# Measured 2026-11-24/25 on the 67 corpus documents (README "Scores"), rounded down; scans a
# further 0.02, as OCR output may shift slightly with the Tesseract build.
FIELD_F1_FLOORS: dict[str, dict[str, float]] = {
    "text": {
        "doc_type": 1.00,
        "number": 1.00,
        "symbol": 1.00,
        "issued_date": 0.98,
        "place": 1.00,
        "issuer": 1.00,
        "issuer_parent": 1.00,
        "summary": 0.96,
        "signer.name": 0.98,
        "signer.position": 0.95,
        "signer.authority": 1.00,
        "addressees": 1.00,
        "recipients": 0.95,
        "legal_bases": 0.94,
        "plan": 1.00,
        "plan.sections": 1.00,
        "plan.targets": 0.99,
        "plan.tasks": 0.97,
    },
    "legacy": {
        "doc_type": 1.00,
        "number": 1.00,
        "symbol": 1.00,
        "issued_date": 1.00,
        "place": 1.00,
        "issuer": 1.00,
        "issuer_parent": 1.00,
        "summary": 1.00,
        "signer.name": 1.00,
        "signer.position": 1.00,
        "signer.authority": 1.00,
        "recipients": 0.98,
        "legal_bases": 0.95,
        "plan": 1.00,
        "plan.sections": 1.00,
        "plan.targets": 0.90,
        "plan.tasks": 0.46,
    },
    "scan": {
        "doc_type": 0.98,
        "number": 0.85,
        "symbol": 0.95,
        "issued_date": 0.88,
        "place": 0.95,
        "issuer": 0.88,
        "issuer_parent": 0.98,
        "summary": 0.84,
        "signer.name": 0.73,
        "signer.position": 0.66,
        "signer.authority": 0.67,
        "addressees": 0.81,
        "recipients": 0.93,
        "legal_bases": 0.77,
        "plan": 0.98,
        "plan.sections": 0.88,
        "plan.targets": 0.78,
        "plan.tasks": 0.87,
    },
}
ACCURACY_FLOORS: dict[str, dict[str, float]] = {
    "text": {
        "legal_bases.doc_type": 1.00,
        "legal_bases.date": 0.98,
        "legal_bases.issuer": 0.96,
        "plan.targets.text": 0.96,
        "plan.targets.value": 1.00,
        "plan.targets.unit": 1.00,
        "plan.targets.comparator": 1.00,
        "plan.targets.year": 1.00,
        "plan.tasks.text": 0.97,
        "plan.tasks.lead": 0.98,
        "plan.tasks.cooperating": 0.97,
        "plan.tasks.deadline": 0.99,
        "plan.tasks.source": 1.00,
    },
    "all": {
        "legal_bases.doc_type": 0.99,
        "legal_bases.date": 0.95,
        "legal_bases.issuer": 0.91,
        "plan.targets.text": 0.94,
        "plan.targets.value": 0.99,
        "plan.targets.unit": 0.99,
        "plan.targets.comparator": 0.99,
        "plan.targets.year": 0.97,
        "plan.tasks.text": 0.95,
        "plan.tasks.lead": 0.93,
        "plan.tasks.cooperating": 0.94,
        "plan.tasks.deadline": 0.96,
        "plan.tasks.source": 0.97,
    },
}


def group_counts(report: EvalReport, group: str) -> dict[str, Counts]:
    """Field counts summed over the formats of ``group``."""
    formats = GROUPS[group]
    totals: dict[str, Counts] = {}
    for fmt, fields in report.by_format().items():
        if formats and fmt not in formats:
            continue
        for name, counts in fields.items():
            totals[name] = totals.get(name, Counts()) + counts
    return totals


def below_floors(report: EvalReport) -> list[str]:
    """Every pinned score that the report falls below, as readable lines."""
    failures: list[str] = []
    for group, floors in FIELD_F1_FLOORS.items():
        counts = group_counts(report, group)
        for name, floor in floors.items():
            f1 = counts.get(name, Counts()).f1 or 0.0
            if f1 + 1e-9 < floor:
                failures.append(f"{group}/{name}: F1 {f1:.3f} < floor {floor:.3f}")
    for group, floors in ACCURACY_FLOORS.items():
        accuracy = group_accuracy(report, group)
        for name, floor in floors.items():
            score = accuracy.get(name, Accuracy()).value or 0.0
            if score + 1e-9 < floor:
                failures.append(f"{group}/{name}: accuracy {score:.3f} < floor {floor:.3f}")
    return failures


def group_accuracy(report: EvalReport, group: str) -> dict[str, Accuracy]:
    """Matched-pair accuracies summed over the formats of ``group``."""
    formats = GROUPS[group]
    merged: dict[str, Accuracy] = {}
    for fmt, accuracy in report.accuracy_by_format().items():
        if formats and fmt not in formats:
            continue
        for name, value in accuracy.items():
            merged[name] = merged.get(name, Accuracy()) + value
    return merged
