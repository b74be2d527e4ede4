"""Scoring one document: a predicted gold-shaped dict against its gold annotation.

Conventions (the same for every field, counted per document then summed over the corpus):

- Scalar field (doc_type, number, symbol, issued_date, place, issuer, issuer_parent, summary,
  urgency, confidentiality, signer.name, signer.position, signer.authority), compared after folding
  (``pipeline.evaluate.fold``):
  * gold and prediction non-null and equal: one true positive (TP);
  * prediction non-null but wrong: one false positive (FP) *and* one false negative (FN), since a
    wrong value both asserts something false and misses the true value;
  * prediction non-null, gold null: FP;  prediction null, gold non-null: FN;
  * both null: a true negative, not counted anywhere.
  ``signer.authority`` is one value: the list of folded lines in order (empty list = null).
- List field (addressees, recipients, legal_bases, plan.sections, plan.targets, plan.tasks): items
  are matched one-to-one (``pipeline.evaluate.match``); each matched pair is a TP, each unmatched
  predicted item an FP, each unmatched gold item an FN.
- ``plan`` (presence): TP when both have a plan, FN when only the gold has one, FP when only the
  prediction has one. Plan lists and plan accuracies are scored only where the gold has a plan.
- Accuracies on matched pairs (correct / pairs; null = null counts as correct): legal_bases.doc_type,
  .date, .issuer; plan.targets.text, .value, .unit, .comparator, .year; plan.tasks.text, .lead,
  .cooperating (same set of bodies, fuzzy), .deadline (folded text or normal value,
  ``deadline.same_deadline``), .source. ``text`` is correct when the text was read whole (or to
  the end of its first sentence), not only a cut prefix that was enough to match it.

Precision, recall and F1 are None when undefined (nothing predicted, nothing in the gold).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.evaluate.deadline import same_deadline
from pipeline.evaluate.fold import fold, fold_code, fold_item, fold_summary, optional
from pipeline.evaluate.match import (
    Matching,
    match_legal_bases,
    match_strings,
    match_targets,
    match_tasks,
    same_bodies,
    same_number,
    same_text,
)

# How each scalar field is folded before comparing.
SCALAR_KEYS: dict[str, Callable[[Any], str | None]] = {
    "doc_type": lambda value: optional(fold(value)),
    "number": lambda value: optional(fold_code(value)),
    "symbol": lambda value: optional(fold_code(value)),
    "issued_date": lambda value: optional((value or "").strip()),
    "place": lambda value: optional(fold(value)),
    "issuer": lambda value: optional(fold(value)),
    "issuer_parent": lambda value: optional(fold(value)),
    "summary": lambda value: optional(fold_summary(value)),
    "urgency": lambda value: optional(fold(value)),
    "confidentiality": lambda value: optional(fold(value)),
    "signer.name": lambda value: optional(fold(value)),
    "signer.position": lambda value: optional(fold(value)),
    "signer.authority": lambda value: optional(" | ".join(fold_item(line) for line in value or [])),
}
LIST_FIELDS = ("addressees", "recipients", "legal_bases")
PLAN_FIELDS = ("plan", "plan.sections", "plan.targets", "plan.tasks")
FIELDS = (*SCALAR_KEYS, *LIST_FIELDS, *PLAN_FIELDS)
ACCURACIES = (
    "legal_bases.doc_type",
    "legal_bases.date",
    "legal_bases.issuer",
    "plan.targets.text",
    "plan.targets.value",
    "plan.targets.unit",
    "plan.targets.comparator",
    "plan.targets.year",
    "plan.tasks.text",
    "plan.tasks.lead",
    "plan.tasks.cooperating",
    "plan.tasks.deadline",
    "plan.tasks.source",
)
# Diffs quote long task / target texts only this far.
QUOTE_CHARS = 90


@dataclass
class Counts:
    """True positives, false positives and false negatives of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def support(self) -> int:
        """Gold values or items (TP + FN)."""
        return self.tp + self.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None

    def to_json(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "support": self.support,
            "precision": _rounded(self.precision),
            "recall": _rounded(self.recall),
            "f1": _rounded(self.f1),
        }


@dataclass
class Accuracy:
    """Correct matched pairs out of all matched pairs, for one sub-field."""

    correct: int = 0
    total: int = 0

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.correct + other.correct, self.total + other.total)

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def to_json(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": _rounded(self.value)}


@dataclass(frozen=True)
class Diff:
    """One disagreement: for lists, ``expected`` are gold items not found and ``got`` extra items."""

    field: str
    expected: Any
    got: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "expected": self.expected, "got": self.got}


@dataclass
class DocScore:
    """Everything scored for one gold document."""

    id: str
    format: str
    status: str  # the record's status, or "missing" when no record was given
    source: str = "unknown"  # the manifest's source repository
    batch: str = "base"  # the manifest's batch ("base" for the first collection)
    fields: dict[str, Counts] = field(default_factory=dict)
    accuracy: dict[str, Accuracy] = field(default_factory=dict)
    diffs: list[Diff] = field(default_factory=list)
    has_plan: bool = False

    def count(self, name: str, counts: Counts) -> None:
        self.fields[name] = self.fields.get(name, Counts()) + counts

    def tally(self, name: str, correct: bool) -> None:
        self.accuracy[name] = self.accuracy.get(name, Accuracy()) + Accuracy(int(correct), 1)


def score_document(
    predicted: dict[str, Any], gold: dict[str, Any], *, doc_id: str, fmt: str, status: str
) -> DocScore:
    """Score one predicted gold-shaped dict (``shape.to_gold_shape``) against its gold dict."""
    score = DocScore(id=doc_id, format=fmt, status=status, has_plan=gold.get("plan") is not None)
    for name in SCALAR_KEYS:
        score_scalar(score, name, _get(predicted, name), _get(gold, name))
    for name in ("addressees", "recipients"):
        score_strings(score, name, gold.get(name) or [], predicted.get(name) or [])
    score_legal_bases(score, gold.get("legal_bases") or [], predicted.get("legal_bases") or [])
    score_plan(score, gold.get("plan"), predicted.get("plan"))
    return score


def _get(shape: dict[str, Any], name: str) -> Any:
    """A field by dotted name ("signer.name"); None where a parent is missing."""
    value: Any = shape
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def score_scalar(score: DocScore, name: str, got: Any, expected: Any) -> None:
    key = SCALAR_KEYS[name]
    expected_key, got_key = key(expected), key(got)
    if expected_key is None and got_key is None:
        score.count(name, Counts())
        return
    if expected_key == got_key:
        score.count(name, Counts(tp=1))
        return
    score.count(name, Counts(fp=int(got_key is not None), fn=int(expected_key is not None)))
    score.diffs.append(Diff(name, expected, got))


def score_matching(
    score: DocScore, name: str, matching: Matching, gold: Sequence[Any], predicted: Sequence[Any]
) -> None:
    """Counts of a list matching, and a diff naming the missing and extra items."""
    score.count(
        name,
        Counts(tp=len(matching.pairs), fp=len(matching.unmatched_predicted), fn=len(matching.unmatched_gold)),
    )
    if matching.unmatched_gold or matching.unmatched_predicted:
        score.diffs.append(
            Diff(
                name,
                [_quote(gold[g]) for g in matching.unmatched_gold],
                [_quote(predicted[p]) for p in matching.unmatched_predicted],
            )
        )


def score_strings(score: DocScore, name: str, gold: Sequence[str], predicted: Sequence[str]) -> None:
    score_matching(score, name, match_strings(gold, predicted), gold, predicted)


def score_legal_bases(
    score: DocScore, gold: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]]
) -> None:
    matching = match_legal_bases(gold, predicted)
    score_matching(score, "legal_bases", matching, gold, predicted)
    for g, p in matching.pairs:
        label = f"legal_bases[{g}]"
        for part, key in (("doc_type", fold), ("date", _strip), ("issuer", fold)):
            expected, got = gold[g].get(part), predicted[p].get(part)
            _tally_pair(
                score, f"legal_bases.{part}", f"{label}.{part}", key(expected) == key(got), expected, got
            )


def score_plan(score: DocScore, gold: dict[str, Any] | None, predicted: dict[str, Any] | None) -> None:
    if gold is None:
        if predicted is not None:
            score.count("plan", Counts(fp=1))
            score.diffs.append(Diff("plan", None, "a plan"))
        return
    if predicted is None:
        score.count("plan", Counts(fn=1))
        score.diffs.append(Diff("plan", "a plan", None))
        predicted = {}
    else:
        score.count("plan", Counts(tp=1))
    score_strings(score, "plan.sections", gold.get("sections") or [], predicted.get("sections") or [])
    score_targets(score, gold.get("targets") or [], predicted.get("targets") or [])
    score_tasks(score, gold.get("tasks") or [], predicted.get("tasks") or [])


def score_targets(
    score: DocScore, gold: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]]
) -> None:
    matching = match_targets(gold, predicted)
    score_matching(score, "plan.targets", matching, gold, predicted)
    for g, p in matching.pairs:
        expected, got = gold[g], predicted[p]
        label = f"plan.targets[{g}]"
        checks = {
            "text": same_text(expected["text"], got["text"]),
            "value": same_number(expected.get("value"), got.get("value")),
            "unit": fold(expected.get("unit")) == fold(got.get("unit")),
            "comparator": expected.get("comparator") == got.get("comparator"),
            "year": expected.get("year") == got.get("year"),
        }
        for part, correct in checks.items():
            _tally_pair(
                score, f"plan.targets.{part}", f"{label}.{part}", correct, expected.get(part), got.get(part)
            )


def score_tasks(score: DocScore, gold: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]]) -> None:
    matching = match_tasks(gold, predicted)
    score_matching(score, "plan.tasks", matching, gold, predicted)
    for g, p in matching.pairs:
        expected, got = gold[g], predicted[p]
        label = f"plan.tasks[{g}]"
        checks = {
            "text": same_text(expected["text"], got["text"]),
            "lead": same_bodies(expected.get("lead") or [], got.get("lead") or []),
            "cooperating": same_bodies(expected.get("cooperating") or [], got.get("cooperating") or []),
            "deadline": same_deadline(expected.get("deadline"), got.get("deadline")),
            "source": expected.get("source") == got.get("source"),
        }
        for part, correct in checks.items():
            _tally_pair(
                score, f"plan.tasks.{part}", f"{label}.{part}", correct, expected.get(part), got.get(part)
            )


def _tally_pair(score: DocScore, name: str, label: str, correct: bool, expected: Any, got: Any) -> None:
    score.tally(name, correct)
    if not correct:
        score.diffs.append(Diff(label, expected, got))


def _strip(value: str | None) -> str:
    return (value or "").strip()


def _quote(item: Any) -> Any:
    """A list item as shown in a diff: long task and target texts cut, legal bases whole."""
    if isinstance(item, dict) and "text" in item:
        text = str(item["text"])
        return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"
    return item


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
