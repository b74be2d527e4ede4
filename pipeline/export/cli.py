"""``vanban export ...``: files other systems and people read, made from the catalog."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.catalog.cli import _open, catalog_option


@click.group("export")
def export_group() -> None:
    """Write the register, task sheets, edXML files or a spaCy DocBin of a catalog."""


@export_group.command("register")
@catalog_option()
@click.option(
    "-o", "--out", "out", type=click.Path(path_type=Path), required=True, help="FILE.xlsx or FILE.csv"
)
def register_command(catalog_url: str, out: Path) -> None:
    """The register of documents: one row per document."""
    from pipeline.export.sheets import REGISTER_COLUMNS, register_rows, write_sheet

    with _open(catalog_url) as catalog:
        rows = register_rows(catalog)
    try:
        write_sheet(rows, REGISTER_COLUMNS, out, "Sổ đăng ký văn bản")
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--out") from exc
    click.echo(f"{len(rows)} documents -> {out}", err=True)


@export_group.command("tasks")
@catalog_option()
@click.option("--source", help="One plan: its number/symbol, sha256 or part of its path [all plans].")
@click.option(
    "-o", "--out", "out", type=click.Path(path_type=Path), required=True, help="FILE.xlsx or FILE.csv"
)
def tasks_command(catalog_url: str, source: str | None, out: Path) -> None:
    """The task sheet of a plan or of the whole catalog."""
    from pipeline.export.sheets import TASK_COLUMNS, task_rows, write_sheet

    with _open(catalog_url) as catalog:
        rows = task_rows(catalog, source)
    try:
        write_sheet(rows, TASK_COLUMNS, out, "Nhiệm vụ")
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--out") from exc
    click.echo(f"{len(rows)} tasks -> {out}", err=True)


@export_group.command("edxml")
@catalog_option()
@click.option("-o", "--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True)
def edxml_command(catalog_url: str, out: Path) -> None:
    """One edXML file (QCVN 102:2016/BTTTT header) per document of the catalog."""
    from pipeline.export.edxml import write_edxml_files

    with _open(catalog_url) as catalog:
        written = write_edxml_files(catalog, out)
    click.echo(f"{written} edXML files -> {out}", err=True)


@export_group.command("spacy")
@catalog_option()
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def spacy_command(catalog_url: str, out: Path) -> None:
    """A spaCy DocBin of the catalog's documents: text, span groups and entities (the spacy extra)."""
    try:
        from pipeline.export.spacy import catalog_records, docbin_of
    except ImportError as exc:
        raise click.ClickException(
            f"spaCy export needs the 'spacy' extra: pip install 'vanban[spacy]' ({exc})"
        ) from exc
    with _open(catalog_url) as catalog:
        docbin = docbin_of(catalog_records(catalog))
    docbin.to_disk(out)
    click.echo(f"{len(docbin)} documents -> {out}", err=True)
