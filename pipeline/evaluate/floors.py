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

FIELD_F1_FLOORS: dict[str, dict[str, float]] = {}
ACCURACY_FLOORS: dict[str, dict[str, float]] = {}


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
