"""The evaluation report: scores summed over documents, as tables, diffs or a JSON-ready dict."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from pipeline.evaluate.score import ACCURACIES, FIELDS, Accuracy, Counts, DocScore

PLAN_COLUMNS = ("plan.sections", "plan.targets", "plan.tasks")
GroupKey = Literal["format", "source", "batch"]
GROUP_KEYS: tuple[GroupKey, ...] = ("format", "source", "batch")

PLAN_ACCURACIES = ("plan.tasks.lead", "plan.tasks.cooperating", "plan.tasks.deadline", "plan.targets.value")


@dataclass
class EvalReport:
    """Per-document scores, with the corpus totals computed from them."""

    documents: list[DocScore] = field(default_factory=list)

    @property
    def fields(self) -> dict[str, Counts]:
        """Counts per field over all documents."""
        return sum_fields(self.documents)

    @property
    def accuracy(self) -> dict[str, Accuracy]:
        """Accuracies of sub-fields on matched pairs, over all documents."""
        return sum_accuracies(self.documents)

    @property
    def formats(self) -> list[str]:
        return self.groups("format")

    def groups(self, key: GroupKey) -> list[str]:
        """The values of ``key`` ("format", "source" or "batch") among the documents, sorted."""
        return sorted({getattr(doc, key) for doc in self.documents})

    def members(self, key: GroupKey, value: str) -> list[DocScore]:
        return [doc for doc in self.documents if getattr(doc, key) == value]

    def by(self, key: GroupKey) -> dict[str, dict[str, Counts]]:
        """Counts per field, per value of ``key`` (input format, source repository or batch)."""
        return {value: sum_fields(self.members(key, value)) for value in self.groups(key)}

    def accuracy_by(self, key: GroupKey) -> dict[str, dict[str, Accuracy]]:
        return {value: sum_accuracies(self.members(key, value)) for value in self.groups(key)}

    def by_format(self) -> dict[str, dict[str, Counts]]:
        """Counts per field, per input format."""
        return self.by("format")

    def accuracy_by_format(self) -> dict[str, dict[str, Accuracy]]:
        return self.accuracy_by("format")

    @property
    def plans(self) -> list[DocScore]:
        """Documents whose gold has a plan."""
        return [doc for doc in self.documents if doc.has_plan]

    def _groups_json(self, key: GroupKey) -> dict[str, Any]:
        accuracy = self.accuracy_by(key)
        return {
            value: {
                "documents": len(self.members(key, value)),
                "fields": {name: counts.to_json() for name, counts in fields.items()},
                "accuracy": {name: acc.to_json() for name, acc in accuracy[value].items()},
            }
            for value, fields in self.by(key).items()
        }

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (``json.dumps`` it): totals, per format/source/batch, per plan, per document."""
        return {
            "documents": len(self.documents),
            "fields": {name: counts.to_json() for name, counts in self.fields.items()},
            "accuracy": {name: acc.to_json() for name, acc in self.accuracy.items()},
            **{f"by_{key}": self._groups_json(key) for key in GROUP_KEYS},
            "plans": [
                {
                    "id": doc.id,
                    "format": doc.format,
                    "fields": {name: doc.fields.get(name, Counts()).to_json() for name in PLAN_COLUMNS},
                    "accuracy": {
                        name: doc.accuracy.get(name, Accuracy()).to_json()
                        for name in ACCURACIES
                        if name.startswith("plan.")
                    },
                }
                for doc in self.plans
            ],
            "per_document": [
                {
                    "id": doc.id,
                    "format": doc.format,
                    "source": doc.source,
                    "batch": doc.batch,
                    "status": doc.status,
                    "diffs": [diff.to_json() for diff in doc.diffs],
                }
                for doc in self.documents
            ],
        }


def sum_fields(documents: Iterable[DocScore]) -> dict[str, Counts]:
    totals = {name: Counts() for name in FIELDS}
    for doc in documents:
        for name, counts in doc.fields.items():
            totals[name] = totals.get(name, Counts()) + counts
    return totals


def sum_accuracies(documents: Iterable[DocScore]) -> dict[str, Accuracy]:
    totals = {name: Accuracy() for name in ACCURACIES}
    for doc in documents:
        for name, accuracy in doc.accuracy.items():
            totals[name] = totals.get(name, Accuracy()) + accuracy
    return totals


def render_table(report: EvalReport, by: Iterable[GroupKey] = ("format",)) -> str:
    """Plain-text tables: fields overall, F1 per format (or per source, per batch: ``by``), sub-field
    accuracies, one row per plan."""
    blocks = [
        f"Documents: {len(report.documents)}"
        + (
            f" ({sum(d.status == 'missing' for d in report.documents)} without a record)"
            if any(d.status == "missing" for d in report.documents)
            else ""
        ),
        _fields_table(report.fields),
        *(_group_table(report, key) for key in by),
        _accuracy_table(report.accuracy),
    ]
    if report.plans:
        blocks.append(_plan_table(report.plans))
    return "\n\n".join(blocks) + "\n"


def render_diff(report: EvalReport) -> str:
    """Per document, each mismatching field: expected (gold) against got (prediction)."""
    lines: list[str] = []
    for doc in report.documents:
        if not doc.diffs:
            continue
        lines.append(f"== {doc.id} ({doc.format}, {doc.status}): {len(doc.diffs)} mismatch(es)")
        for diff in doc.diffs:
            lines.append(f"  {diff.field}")
            lines.append(f"    expected: {_show(diff.expected)}")
            lines.append(f"    got:      {_show(diff.got)}")
    return "\n".join(lines) + "\n" if lines else "No mismatches.\n"


def _fields_table(fields: dict[str, Counts]) -> str:
    rows = [
        [
            name,
            _percent(c.precision),
            _percent(c.recall),
            _percent(c.f1),
            str(c.support),
            str(c.tp),
            str(c.fp),
            str(c.fn),
        ]
        for name, c in fields.items()
    ]
    return _table(["field", "P", "R", "F1", "support", "TP", "FP", "FN"], rows)


def _group_table(report: EvalReport, key: GroupKey) -> str:
    groups = report.by(key)
    header = [f"F1 by {key}", *(f"{value} ({len(report.members(key, value))})" for value in groups)]
    rows = [[name, *(_percent(groups[value][name].f1) for value in groups)] for name in FIELDS]
    return _table(header, rows)


def _accuracy_table(accuracy: dict[str, Accuracy]) -> str:
    rows = [[name, _percent(acc.value), str(acc.correct), str(acc.total)] for name, acc in accuracy.items()]
    return _table(["on matched pairs", "accuracy", "correct", "pairs"], rows)


def _plan_table(plans: list[DocScore]) -> str:
    header = ["plan", "format", *(f"{name.removeprefix('plan.')} F1 (n)" for name in PLAN_COLUMNS)]
    header += [name.removeprefix("plan.") for name in PLAN_ACCURACIES]
    rows = []
    for doc in plans:
        row = [doc.id, doc.format]
        for name in PLAN_COLUMNS:
            counts = doc.fields.get(name, Counts())
            row.append(f"{_percent(counts.f1)} ({counts.support})")
        row += [_percent(doc.accuracy.get(name, Accuracy()).value) for name in PLAN_ACCURACIES]
        rows.append(row)
    return _table(header, rows)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first, *rest = cells
        return "  ".join(
            [first.ljust(widths[0]), *(c.rjust(w) for c, w in zip(rest, widths[1:], strict=True))]
        )

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *(line(row) for row in rows)])


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + "; ".join(_show(item) for item in value) + "]"
    if isinstance(value, dict):
        # Legal bases and the like: the non-null values in order, compactly.
        return " ".join(str(part) for part in value.values() if part not in (None, "", []))
    return str(value)
