"""The evaluator: field-by-field scores of records against the gold annotations.

Modules, one concern each:

- ``fold``: the comparison keys (case, NFC, tone placement, dashes, quotes, white space, "V/v").
- ``deadline``: normal values of deadline texts ("Quý IV/2026" = "quý IV năm 2026").
- ``shape``: ``to_gold_shape(record)``, a record in the gold JSON shape.
- ``match``: one-to-one matching of list items by similarity (optimal assignment).
- ``score``: the per-document scoring conventions (TP / FP / FN, accuracies on matched pairs).
- ``report``: ``EvalReport`` (totals, per format/source/batch, per plan), ``render_table``,
  ``render_diff``.
- ``corpus``: ``evaluate_records``, ``evaluate_corpus``, ``load_records``, ``load_gold``.
- ``floors``: the pinned minimum scores, per batch and group of formats.

Typical use::

    report = evaluate_corpus(Path("corpus/docs"), Path("corpus/gold"), jobs=4)
    print(render_table(report))
    print(render_diff(report))
    json.dumps(report.to_json(), ensure_ascii=False)
"""

from pipeline.evaluate.corpus import batch_ids, evaluate_corpus, evaluate_records, load_gold, load_records
from pipeline.evaluate.fold import fold, fold_summary
from pipeline.evaluate.report import EvalReport, render_diff, render_table
from pipeline.evaluate.score import Accuracy, Counts, DocScore, score_document
from pipeline.evaluate.shape import to_gold_shape

__all__ = [
    "Accuracy",
    "Counts",
    "DocScore",
    "EvalReport",
    "batch_ids",
    "evaluate_corpus",
    "evaluate_records",
    "fold",
    "fold_summary",
    "load_gold",
    "load_records",
    "render_diff",
    "render_table",
    "score_document",
    "to_gold_shape",
]
