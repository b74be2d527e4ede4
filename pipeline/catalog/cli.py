"""The catalog's commands: catalog build, tasks, documents, links, duplicates.

Registered on the ``vanban`` group by ``register(main)``. SQLAlchemy and the other catalog
libraries are imported inside the commands, never when the command line starts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pipeline.catalog.output import Row, to_csv, to_json, to_table

if TYPE_CHECKING:
    from pipeline.catalog.catalog import Catalog

F = TypeVar("F", bound=Callable[..., Any])


def default_catalog_url(outdir: Path) -> str:
    return f"sqlite:///{(outdir / 'catalog.sqlite').resolve()}"


def catalog_option(required: bool = True) -> Callable[[F], F]:
    return click.option(
        "--catalog",
        "catalog_url",
        envvar="VANBAN_CATALOG",
        required=required,
        help="Database URL (sqlite:///FILE, postgresql://...) or an SQLite file path [$VANBAN_CATALOG].",
    )


def output_options(func: F) -> F:
    func = click.option("--csv", "as_csv", is_flag=True, help="CSV for scripts.")(func)
    func = click.option("--json", "as_json", is_flag=True, help="JSON for scripts.")(func)
    return func


def _open(url: str) -> Catalog:
    try:
        from pipeline.catalog.catalog import Catalog
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise click.ClickException(
            f"the catalog needs the 'catalog' extra: pip install 'vanban[catalog]' ({exc})"
        ) from exc
    return Catalog(url)


def _emit(rows: Sequence[Row], columns: Sequence[str], as_json: bool, as_csv: bool, title: str) -> None:
    if as_json:
        click.echo(to_json(list(rows)))
    elif as_csv:
        click.echo(to_csv(rows), nl=False)
    else:
        click.echo(to_table(rows, columns, title=f"{title} ({len(rows)})"), nl=False)


def load_into_catalog(outdir: Path, url: str) -> str:
    """Load the records of OUTDIR; the summary line to print."""
    with _open(url) as catalog:
        return catalog.load_folder(outdir).render() + f" ({catalog.count()} documents in {_safe(url)})"


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    from pipeline.catalog.db import catalog_url

    return make_url(catalog_url(url)).render_as_string(hide_password=True)


@click.group("catalog")
def catalog_group() -> None:
    """Build the catalog of a batch's records."""


@catalog_group.command("build")
@click.argument("outdir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@catalog_option(required=False)
def build(outdir: Path, catalog_url: str | None) -> None:
    """Load the records an 'extract' wrote under OUTDIR [catalog: OUTDIR/catalog.sqlite]."""
    click.echo(load_into_catalog(outdir, catalog_url or default_catalog_url(outdir)))


@click.command("tasks")
@catalog_option()
@click.option("--body", help="Part of a lead or cooperating body's name.")
@click.option("--lead", help="Part of a lead body's name.")
@click.option("--cooperating", help="Part of a cooperating body's name.")
@click.option("--due-before", metavar="YYYY-MM-DD", help="Deadline ends on or before this day.")
@click.option("--due-after", metavar="YYYY-MM-DD", help="Deadline ends on or after this day.")
@click.option("--quarter", metavar="YYYY-QN", help="Deadline ends within this quarter (2026-Q3 or Q3/2026).")
@click.option("--overdue", metavar="YYYY-MM-DD", help="Deadline ended before this day.")
@click.option("--text", help="Words in the task text.")
@click.option("--source", help="The plan: its number/symbol, sha256 or part of its path.")
@click.option("--limit", type=int, help="At most this many tasks.")
@output_options
def tasks_command(
    catalog_url: str,
    body: str | None,
    lead: str | None,
    cooperating: str | None,
    due_before: str | None,
    due_after: str | None,
    quarter: str | None,
    overdue: str | None,
    text: str | None,
    source: str | None,
    limit: int | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Plan tasks across the catalog: who leads, who cooperates, by when."""
    with _open(catalog_url) as catalog:
        try:
            rows = catalog.tasks(
                body=body,
                lead=lead,
                cooperating=cooperating,
                due_before=due_before,
                due_after=due_after,
                quarter=quarter,
                overdue_on=overdue,
                text=text,
                source=source,
                limit=limit,
            )
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from exc
    _emit(
        rows, ["document", "task", "lead", "cooperating", "deadline", "due", "page"], as_json, as_csv, "tasks"
    )


@click.command("documents")
@catalog_option()
@click.option("--type", "doc_type", help="Type name or code: 'Kế hoạch', 'KH', 'QĐ'.")
@click.option("--issuer", help="Part of the issuing body's name.")
@click.option("--from", "date_from", metavar="YYYY-MM-DD", help="Issued on or after.")
@click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Issued on or before.")
@click.option("--text", help="Words in the summary or the text.")
@click.option("--limit", type=int)
@output_options
def documents_command(
    catalog_url: str,
    doc_type: str | None,
    issuer: str | None,
    date_from: str | None,
    date_to: str | None,
    text: str | None,
    limit: int | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Documents in the catalog by type, issuer, date and text."""
    with _open(catalog_url) as catalog:
        rows = catalog.documents(
            doc_type=doc_type, issuer=issuer, date_from=date_from, date_to=date_to, text=text, limit=limit
        )
    _emit(
        rows,
        ["document", "doc_type", "issued_date", "issuer", "summary", "path"],
        as_json,
        as_csv,
        "documents",
    )


@click.command("links")
@click.argument("number_symbol")
@catalog_option()
@output_options
def links_command(number_symbol: str, catalog_url: str, as_json: bool, as_csv: bool) -> None:
    """What the document NUMBER_SYMBOL cites and which catalog documents cite it."""
    with _open(catalog_url) as catalog:
        found = catalog.links(number_symbol)
    if as_json:
        click.echo(to_json(found))
        return
    rows = [{"direction": "cites", **row} for row in found["cites"]] + [
        {"direction": "cited by", **row} for row in found["cited_by"]
    ]
    if as_csv:
        click.echo(to_csv(rows), nl=False)
        return
    if not found["documents"]:
        click.echo(f"{number_symbol}: not in the catalog; citations of it are listed below")
    for doc in found["documents"]:
        click.echo(
            f"{doc['document']} {doc['doc_type'] or ''} {doc['issued_date'] or ''}: {doc['summary'] or ''}"
        )
    cites = [{**row, "resolved": (row["resolved"] or {}).get("path")} for row in found["cites"]]
    click.echo(to_table(cites, ["text", "page", "resolved"], title=f"cites ({len(cites)})"), nl=False)
    click.echo(
        to_table(
            found["cited_by"],
            ["document", "doc_type", "issued_date", "text", "page", "resolved"],
            title=f"cited by ({len(found['cited_by'])})",
        ),
        nl=False,
    )


@click.command("duplicates")
@catalog_option()
@output_options
def duplicates_command(catalog_url: str, as_json: bool, as_csv: bool) -> None:
    """Groups of files that are the same document (draft and signed copy, DOCX and PDF, scan and text)."""
    with _open(catalog_url) as catalog:
        groups = catalog.duplicates()
    if as_json:
        click.echo(to_json(groups))
        return
    rows = [{"group": number, **doc} for number, group in enumerate(groups, 1) for doc in group]
    _emit(
        rows,
        ["group", "document", "issued_date", "summary", "path", "similarity"],
        False,
        as_csv,
        "duplicates",
    )


def register(main: click.Group) -> None:
    """Add the catalog's commands to the ``vanban`` group."""
    for command in (catalog_group, tasks_command, documents_command, links_command, duplicates_command):
        main.add_command(command)
