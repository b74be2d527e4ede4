"""Task tables against the gold, row by row (issue 17's target).

For every gold document with task-table rows (``source`` "table"), the table rows of its record
are matched one-to-one with the gold's by the evaluator's own task matching, and the report gives
per document: rows in the gold, rows found, lead / cooperating / deadline right on the matched
rows, and the record's table rows that match no gold row (a group heading output as a task shows
here; ``--show`` prints them and the wrong cells).

    python3 cli.py extract DOCS... -o OUT
    python3 -m bench.task_tables OUT --gold ../shared/corpus/gold [--show]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pipeline.evaluate.corpus import load_gold, load_records
from pipeline.evaluate.deadline import same_deadline
from pipeline.evaluate.match import match_tasks, same_bodies
from pipeline.evaluate.shape import to_gold_shape

COLUMNS = ("lead", "cooperating", "deadline")


def _table_rows(plan: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [task for task in (plan or {}).get("tasks") or [] if task.get("source") == "table"]


def _right(column: str, gold: dict[str, Any], got: dict[str, Any]) -> bool:
    if column == "deadline":
        return same_deadline(gold.get("deadline"), got.get("deadline"))
    return same_bodies(gold.get(column) or [], got.get(column) or [])


def measure(records_dir: Path, gold_dir: Path, show: bool = False) -> list[dict[str, Any]]:
    records = load_records(records_dir)
    rows: list[dict[str, Any]] = []
    for doc_id, gold in load_gold(gold_dir).items():
        gold_rows = _table_rows(gold.get("plan"))
        if not gold_rows:
            continue
        record = records.get(doc_id)
        shape = to_gold_shape(record) if record is not None else {}
        found = _table_rows(shape.get("plan"))
        matching = match_tasks(gold_rows, found)
        line: dict[str, Any] = {"id": doc_id, "gold": len(gold_rows), "found": len(found)}
        line["matched"] = len(matching.pairs)
        for column in COLUMNS:
            line[column] = sum(_right(column, gold_rows[g], found[p]) for g, p in matching.pairs)
        line["extra"] = len(matching.unmatched_predicted)
        rows.append(line)
        if show:
            for g, p in matching.pairs:
                for column in COLUMNS:
                    if not _right(column, gold_rows[g], found[p]):
                        print(f"{doc_id} {column}: {gold_rows[g]['text'][:50]!r}")
                        print(f"    gold {gold_rows[g].get(column)!r}\n    got  {found[p].get(column)!r}")
            for g in matching.unmatched_gold:
                print(f"{doc_id} missed: {gold_rows[g]['text'][:90]!r}")
            for p in matching.unmatched_predicted:
                print(f"{doc_id} extra: {found[p]['text'][:90]!r}")
    return rows


def _share(right: int, matched: int) -> str:
    return f"{right / matched:.3f}" if matched else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", type=Path)
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    rows = measure(args.records, args.gold, args.show)
    print("| doc | gold rows | found | matched | lead | cooperating | deadline | extra |")
    print("|---|---|---|---|---|---|---|---|")
    total = {key: 0 for key in ("gold", "found", "matched", *COLUMNS, "extra")}
    for line in rows:
        for key in total:
            total[key] += line[key]
        shares = " | ".join(_share(line[c], line["matched"]) for c in COLUMNS)
        counts = f"{line['gold']} | {line['found']} | {line['matched']}"
        print(f"| {line['id']} | {counts} | {shares} | {line['extra']} |")
    shares = " | ".join(_share(total[c], total["matched"]) for c in COLUMNS)
    print(f"| all | {total['gold']} | {total['found']} | {total['matched']} | {shares} | {total['extra']} |")


if __name__ == "__main__":
    main()
