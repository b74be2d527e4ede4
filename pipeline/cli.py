"""vanban: the command line.

vanban extract PATH... -o OUTDIR      one JSON record per input document
vanban evaluate --docs DIR --gold DIR  field-by-field scores against gold annotations
vanban schema                          the JSON Schema of a record
vanban catalog build OUTDIR            records into a catalog (SQLite, PostgreSQL); then
vanban tasks | documents | links | duplicates | export ...   questions and exports of the catalog
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline import __version__
from pipeline.catalog.cli import register as register_catalog
from pipeline.export.cli import export_group

if TYPE_CHECKING:
    from pipeline.evaluate.report import GroupKey


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vanban")
def main() -> None:
    """Structured JSON records from Vietnamese official documents."""


class _Refused(click.ClickException):
    exit_code = 2


def _settings(given: tuple[str, ...]) -> dict[str, dict[str, object]]:
    """``--set`` values as ``Options.settings``, checked against what the components declare."""
    from pipeline.options import Options, parse_setting
    from pipeline.run import check_options

    settings: dict[str, dict[str, object]] = {}
    try:
        for text in given:
            component, key, value = parse_setting(text)
            settings.setdefault(component, {})[key] = value
        check_options(Options(settings=settings))
    except (ValueError, KeyError) as error:
        raise click.BadParameter(str(error).strip('"'), param_hint="--set") from None
    return settings


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o", "--out", "outdir", help="Folder (or object-storage URL: s3://bucket/prefix) for the JSON records."
)
@click.option(
    "--jsonl", "jsonl", type=click.Path(allow_dash=True), help="Also stream records as JSON Lines ('-')."
)
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None, help="Worker processes [cores].")
@click.option("--resume", is_flag=True, help="Skip inputs already done by this pipeline version.")
@click.option(
    "--timeout", type=float, default=300.0, show_default=True, help="Seconds allowed per document (the base)."
)
@click.option(
    "--page-seconds", type=float, default=1.0, show_default=True, help="More seconds per page of a document."
)
@click.option(
    "--ocr-page-seconds",
    type=float,
    default=10.0,
    show_default=True,
    help="More seconds per page OCR'd (granted as each page starts).",
)
@click.option("--max-memory", type=int, default=2048, show_default=True, help="MB allowed per worker.")
@click.option(
    "--max-size",
    type=float,
    default=512,
    show_default=True,
    help="MB per input; larger files are refused unread (0: no limit).",
)
@click.option("--no-text", is_flag=True, help="Leave the page texts out of the records.")
@click.option("--no-ocr", is_flag=True, help="Never OCR pages (faster; scans yield little text).")
@click.option(
    "--ocr-languages",
    "ocr_languages",
    metavar="LANGS",
    help="Tesseract languages to OCR in, joined by '+' (e.g. vie+eng) [vie]; each must be installed.",
)
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="COMPONENT.KEY=VALUE",
    help="Change a component's setting for this run (repeatable), e.g. repair.quality.threshold=0.97.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
@click.option(
    "--catalog",
    "catalog_url",
    is_flag=False,
    flag_value="",
    default=None,
    help="After the batch, load its records into this catalog URL [bare: OUTDIR/catalog.sqlite].",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT|local",
    help="Run the documents on a Dask cluster ('local': a LocalCluster of -j workers); "
    "inputs and OUTDIR at the same path on every worker. Needs the 'dask' extra.",
)
@click.option(
    "--storage-option",
    "storage_option",
    multiple=True,
    metavar="KEY=VALUE",
    help="An fsspec option for inputs and OUTDIR given as URLs (s3://...), e.g. "
    "endpoint_url=http://host:9000; repeatable. Needs the 'storage' extra.",
)
def extract(
    paths: tuple[str, ...],
    outdir: str | None,
    jsonl: str | None,
    jobs: int | None,
    resume: bool,
    timeout: float,
    page_seconds: float,
    ocr_page_seconds: float,
    max_memory: int,
    max_size: float,
    no_text: bool,
    no_ocr: bool,
    ocr_languages: str | None,
    settings: tuple[str, ...],
    quiet: bool,
    catalog_url: str | None,
    scheduler: str | None,
    storage_option: tuple[str, ...],
) -> None:
    """Read documents (files or folders, recursively) and write one JSON record each.

    PATHS and OUTDIR may be object-storage URLs (s3://bucket/prefix, any fsspec URL)."""
    import os

    from pipeline.batch import OutputError, exit_code, run_batch, terminal_text
    from pipeline.batch.urls import StorageError, as_location, is_url, parse_storage_options
    from pipeline.options import LANGUAGES_ENVIRONMENT, SETTINGS_ENVIRONMENT, Options
    from pipeline.run import check_options

    if outdir is None and jsonl is None:
        raise click.UsageError("give -o OUTDIR, --jsonl -, or both")
    if catalog_url is not None and outdir is None:
        raise click.UsageError("--catalog loads the records written to -o OUTDIR: give -o")
    if scheduler is not None and scheduler != "local" and "://" not in scheduler:
        raise click.UsageError("--scheduler takes tcp://HOST:PORT or 'local'")
    if catalog_url is not None and outdir is not None and is_url(outdir):
        raise click.UsageError("--catalog reads the records from a local OUTDIR, not from a URL")
    try:
        storage_options = parse_storage_options(storage_option)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    if no_ocr:
        os.environ["VANBAN_OCR"] = "0"  # read by the OCR component in every worker
    if ocr_languages is not None:
        try:  # an unknown language stops the run here, before any document is read
            check_options(Options(ocr=not no_ocr, languages=ocr_languages.strip()))
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--ocr-languages") from None
        os.environ[LANGUAGES_ENVIRONMENT] = ocr_languages.strip()  # read by every worker
    if settings:
        os.environ[SETTINGS_ENVIRONMENT] = json.dumps(_settings(settings))  # read by every worker
    stream = None
    if jsonl == "-":
        stream = sys.stdout
    elif jsonl:
        stream = open(jsonl, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    try:
        summary = run_batch(
            [as_location(path) for path in paths],
            as_location(outdir) if outdir is not None else None,
            jobs=jobs,
            resume=resume,
            timeout=timeout,
            page_seconds=page_seconds,
            ocr_page_seconds=ocr_page_seconds,
            max_memory_mb=max_memory,
            max_input_mb=max_size,
            include_text=not no_text,
            progress=not quiet,
            jsonl=stream,
            scheduler=scheduler,
            storage_options=storage_options,
        )
    except (OutputError, StorageError) as error:  # OUTDIR or a store unusable: nothing was read or written
        raise _Refused(terminal_text(str(error))) from error
    finally:
        if stream is not None and stream is not sys.stdout:
            stream.close()
    if not quiet:
        click.echo(summary.render(), err=True)
    if catalog_url is not None and outdir is not None and not summary.interrupted:
        from pipeline.catalog.cli import default_catalog_url, load_into_catalog

        local = Path(as_location(outdir))  # not a URL: refused above
        loaded = load_into_catalog(local, catalog_url or default_catalog_url(local))
        if not quiet:
            click.echo(loaded, err=True)
    sys.exit(exit_code(summary))


@main.command()
@click.option("--docs", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True)
@click.option("--gold", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True)
@click.option(
    "--records",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Score records already written by 'extract' instead of running the pipeline.",
)
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Corpus manifest.jsonl giving each file's format [DOCS/../manifest.jsonl].",
)
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report.")
@click.option("--diff", is_flag=True, help="Also show, per document, what was expected and what came out.")
@click.option(
    "--by",
    "by",
    type=click.Choice(["format", "source", "batch"]),
    multiple=True,
    help="Group the F1 table by the manifest's format, source repository or batch (repeatable) [format].",
)
@click.option("--batch", "only_batch", help="Score only this manifest batch ('base': the first).")
def evaluate(
    docs: Path,
    gold: Path,
    records: Path | None,
    manifest: Path | None,
    jobs: int,
    as_json: bool,
    diff: bool,
    by: tuple[GroupKey, ...],
    only_batch: str | None,
) -> None:
    """Score the pipeline field by field against gold annotations."""
    from pipeline.evaluate import (
        batch_ids,
        evaluate_corpus,
        evaluate_records,
        load_records,
        render_diff,
        render_table,
    )

    manifest = manifest or (
        docs.parent / "manifest.jsonl" if (docs.parent / "manifest.jsonl").exists() else None
    )
    ids = batch_ids(manifest, only_batch) if only_batch else None
    if records is not None:
        report = evaluate_records(load_records(records), gold, manifest, ids=ids)
    else:
        report = evaluate_corpus(docs, gold, jobs=jobs, manifest=manifest, ids=ids)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_table(report, by or ("format",)))
    if diff:
        click.echo(render_diff(report))


@main.command()
def schema() -> None:
    """Print the JSON Schema of a record."""
    from pipeline.record.schema import record_schema

    click.echo(json.dumps(record_schema(), ensure_ascii=False, indent=2))


register_catalog(main)
main.add_command(export_group)


@main.command()
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=Path("vanban-data"),
    show_default=True,
    help="Folder for uploads, records, page images and the catalog.",
)
@click.option("--catalog", "catalog_url", default=None, help="Catalog database URL [DATA/catalog.sqlite].")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--token", envvar="VANBAN_TOKEN", default=None, help="Access token (or VANBAN_TOKEN).")
@click.option("--no-auth", is_flag=True, help="No token (refused unless listening on localhost).")
@click.option("--max-upload-mb", type=float, default=64.0, show_default=True, help="Largest file taken.")
@click.option("--max-pages", type=int, default=1000, show_default=True, help="Most pages of a PDF taken.")
@click.option("--max-files", type=int, default=50, show_default=True, help="Most files per request.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None, help="Worker processes [cores].")
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds per document (base).")
@click.option("--max-memory", type=int, default=2048, show_default=True, help="MB allowed per worker.")
def serve(
    data: Path,
    catalog_url: str | None,
    host: str,
    port: int,
    token: str | None,
    no_auth: bool,
    max_upload_mb: float,
    max_pages: int,
    max_files: int,
    jobs: int | None,
    timeout: float,
    max_memory: int,
) -> None:
    """The review service: REST API (OpenAPI at /docs) and review page (/review). Needs the serve extra."""
    try:
        import uvicorn

        from pipeline.serve.app import create_app
        from pipeline.serve.store import Settings
    except ImportError as exc:
        raise click.ClickException(f"{exc}: install the serve extra (pip install 'vanban[serve]')") from exc
    if not token and not no_auth:
        raise _Refused("a token is needed: --token, VANBAN_TOKEN, or --no-auth on localhost")
    if no_auth and host not in ("127.0.0.1", "localhost", "::1"):
        raise _Refused("--no-auth only on localhost")
    settings = Settings(
        data=data,
        token=None if no_auth else token,
        catalog=catalog_url,
        max_upload_mb=max_upload_mb,
        max_pages=max_pages,
        max_files=max_files,
        timeout=timeout,
        max_memory_mb=max_memory,
    )
    if jobs:
        settings.jobs = jobs
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


if __name__ == "__main__":
    main()
