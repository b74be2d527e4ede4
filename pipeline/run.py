"""One document through the whole flow: read -> repair -> layout -> nlp -> extract -> record.

``PIPELINE`` is the one place that says which components run and in which order.
``process_file`` never raises for a bad document: it returns a record with status
"failed" and an error code instead, so a batch always goes on.
"""

from __future__ import annotations

import hashlib
import importlib
import time
from dataclasses import replace
from functools import cache
from pathlib import Path

from pipeline import __version__, progress
from pipeline.errors import PipelineError
from pipeline.options import DEFAULT_LANGUAGES, Options, languages_problem
from pipeline.read import read_document
from pipeline.record.build import build_record, failed_record
from pipeline.record.models import Record
from pipeline.registry import Context, check_order, check_settings, get_component, running
from pipeline.repair.tesseract import installed_languages

# The flow of one document: the one list of components, in order. A component named
# "repair.ocr" is registered by the module pipeline.repair.ocr. Legacy 8-bit text is converted
# before NFC (the converter needs the code points as read), and a header or closing set with
# tabs is split before normalisation folds the tabs; OCR replaces only pages that fail the
# quality score; header lines the reading ran together are cut apart before the layout, which
# only cuts zones; the issuer's lines, known once the zones are cut, are mended before the
# header is read (extractors only read). ``check_order`` tests the list against what each component declares.
PIPELINE = [
    "repair.legacy",
    "layout.tab_tables",
    "repair.normalize",
    "repair.glyphs",
    "repair.quality",
    "repair.ocr",
    "repair.signature",
    "repair.signer_name",
    "repair.formulas",
    "repair.consistency",
    "repair.place_names",
    "repair.ocr_noise",
    "repair.merged_lines",
    "layout.zones",
    "repair.issuer_lines",
    "extract.header",
    "extract.plan",
    "extract.references",
    "extract.article",
]


@cache
def _load_components() -> None:
    """Import the modules that register the components of ``PIPELINE`` and check its order."""
    for name in PIPELINE:
        importlib.import_module(f"pipeline.{name}")
    check_order(PIPELINE)


def check_options(options: Options) -> None:
    """Raise ``ValueError`` for settings no component of the flow declares (a misspelt name or
    key, a value of the wrong type) and for OCR languages Tesseract does not have: at start-up,
    before any document is read. (The default languages are not asked for: without them a run
    still reads what needs no OCR, and its records say why scans were not read.)"""
    _load_components()
    check_settings(options.settings)
    chosen = options.ocr and options.languages != DEFAULT_LANGUAGES
    problem = languages_problem(options.languages, installed_languages() if chosen else None)
    if problem is not None:
        raise ValueError(problem)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def process_context(ctx: Context, components: list[str] | None = None) -> Context:
    """Run the registered components over an already-read document."""
    _load_components()
    with running(ctx):  # the helpers of a component read the document's settings
        for name in components or PIPELINE:
            get_component(name)(ctx)
    return ctx


def process_file(
    path: Path | str,
    *,
    include_text: bool = True,
    source: str | None = None,
    digest: str | None = None,
    options: Options | None = None,
) -> Record:
    """Turn one file into a validated record; bad input becomes a failed record.

    ``options`` default to ``Options.from_env()`` (``include_text`` is kept for the callers
    that only set that).

    ``source`` is the path to report when ``path`` is only the way to the bytes (the batch
    worker reads an already opened descriptor through a private link); ``digest`` is their
    sha256 when the caller has already streamed it.
    """
    path = Path(path)
    shown: Path | str = source if source is not None else path  # a URL stays as given
    if options is not None:
        check_options(options)  # a caller's mistake raises; it is no bad document
    started = time.perf_counter()
    try:
        digest = digest or sha256_of(path)
        size = path.stat().st_size
    except OSError as exc:
        return failed_record(shown, "", 0, "unknown", "read.unreadable", str(exc), started)
    try:
        doc = read_document(path)
        progress.report("pages", len(doc.pages), len(doc.pages))  # a long document gets more time
        options = options or replace(Options.from_env(), include_text=include_text)
        ctx = process_context(Context(doc=doc, options=options))  # OCR reopens doc.path: the readable one
        doc.path = str(shown)
    except PipelineError as exc:
        return failed_record(shown, digest, size, "unknown", exc.code, exc.message, started)
    except (MemoryError, RecursionError) as exc:
        return failed_record(shown, digest, size, "unknown", "internal.resources", repr(exc), started)
    except Exception as exc:  # a bug in one component must not lose the batch
        return failed_record(shown, digest, size, "unknown", "internal.error", repr(exc), started)
    return build_record(ctx, digest, size, started, include_text=ctx.options.include_text)


__all__ = ["PIPELINE", "__version__", "check_options", "process_context", "process_file", "sha256_of"]
