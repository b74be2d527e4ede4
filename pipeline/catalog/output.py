"""Query results for people (a table) and for scripts (JSON, CSV)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

Row = dict[str, Any]


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(cell(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def to_csv(rows: Sequence[Row], columns: Sequence[str] | None = None) -> str:
    columns = list(columns or (rows[0].keys() if rows else []))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def to_table(rows: Sequence[Row], columns: Sequence[str], title: str | None = None, width: int = 48) -> str:
    """A text table (rich) of the given columns; long cells are cut at ``width`` characters."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        values = [cell(row.get(column)) for column in columns]
        table.add_row(*(value if len(value) <= width else value[: width - 1] + "…" for value in values))
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(table)
    return console.export_text()
