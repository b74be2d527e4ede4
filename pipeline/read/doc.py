"""Word 97-2003 (.doc) reader: antiword first, LibreOffice (to DOCX) as the fallback.

antiword takes milliseconds but loses fonts; LibreOffice takes about a second but its DOCX
keeps the run fonts. Legacy-encoded documents (TCVN3 ".VnTime", VNI "VNI-Times") need those
font names, so when antiword's text looks like 8-bit legacy text LibreOffice is tried too.
The text is not converted here: pipeline.repair.legacy converts it by each Line's font (run
by run where a line mixes legacy fonts, as read.docx records them).
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.model import Cell, Document, Line, Page, Table
from pipeline.nlp.text import without_marks
from pipeline.read.decode import clean_text
from pipeline.read.docx import read_docx

ANTIWORD_TIMEOUT = 30
SOFFICE_TIMEOUT = 120
# Characters TCVN3/VNI text shows through cp1252 that Vietnamese Unicode text never uses.
_LEGACY_MARKS = re.compile(r"[©®µ¸¹º»¼½¾¶·§¤¥¦¨ª«¬°±²³ÆÇÐÑÕÖ×ØÞßæçðñõö÷øþ†‡‰]")
_WORD_STREAM_NAME = "WordDocument".encode("utf-16-le")
MAX_BYTES = 200 * 1024 * 1024
_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")


def read_doc(path: Path, fonts_for_legacy: bool = True) -> Document:
    """Read a .doc; ``fonts_for_legacy`` asks LibreOffice for fonts when the text looks legacy."""
    _check_word_stream(path)
    text, antiword_error = _antiword(path)
    if text is not None and text.strip():
        reason = (
            "legacy text: fonts needed"
            if fonts_for_legacy and _looks_legacy(text)
            else "antiword flattened a layout table"
            if _flattened_layout_table(text)
            else None
        )
        if reason and _soffice_available():
            try:
                return _read_with_libreoffice(path, reason=reason)
            except PipelineError:
                pass  # keep antiword's text; the legacy converter falls back to statistics
        return _document_from_antiword(path, text)
    if not _soffice_available():
        raise PipelineError(
            "doc.unreadable", f"antiword failed ({antiword_error}) and LibreOffice is missing"
        )
    return _read_with_libreoffice(path, reason=f"antiword: {antiword_error or 'no text'}")


def _check_word_stream(path: Path) -> None:
    """An OLE2 file without a WordDocument stream (Excel, Outlook, junk) is not a .doc.

    LibreOffice would otherwise import such bytes as plain text and return garbage.
    """
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES)
    if _WORD_STREAM_NAME not in data:
        raise PipelineError("doc.corrupt", f"{path.name} has no WordDocument stream")


# --- antiword ----------------------------------------------------------------------------


def _antiword(path: Path) -> tuple[str | None, str | None]:
    """antiword's UTF-8 text (one paragraph per line), or None and the reason it failed."""
    if shutil.which("antiword") is None:
        return None, "antiword not installed"
    try:
        with tempfile.TemporaryDirectory(prefix="vanban-aw-") as workdir:
            # "--": a name starting with "-" is never read as an option (the copy's never does).
            command = ["antiword", "-m", "UTF-8.txt", "-w", "0", "--", str(private_copy(path, Path(workdir)))]
            result = subprocess.run(command, capture_output=True, timeout=ANTIWORD_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {ANTIWORD_TIMEOUT}s"
    except OSError as error:
        return None, f"cannot copy the input for antiword: {error.strerror}"
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", errors="replace").strip().splitlines()
        return None, message[-1] if message else f"exit code {result.returncode}"
    return result.stdout.decode("utf-8", errors="replace"), None


# antiword prints a borderless table's row as one line, its cells apart by spaces: the header
# table ("ỦY BAN NHÂN DÂN  CỘNG HÒA XÃ HỘI ...") and the closing table ("Nơi nhận:   TM. ỦY
# BAN ..."). The two blocks of each then share lines, which no layout can take apart again;
# LibreOffice keeps them as table cells.
_FLATTENED_ROW = re.compile(
    r"^[ \t]*\S[^\n]*?(?:\t|[ ]{2,}|\|)[ \t|]*(?:cong hoa xa hoi|doc lap - tu do)"
    r"|^[ \t]*noi nhan[ ]*:(?:\t|[ ]{2,})\S",
    re.MULTILINE,
)
FLATTENED_SEARCH_CHARS = 4000


def _flattened_layout_table(text: str) -> bool:
    """A layout row antiword flattened; rows of a table it drew ("|...|...|") it parses itself."""
    head, tail = text[:FLATTENED_SEARCH_CHARS], text[-FLATTENED_SEARCH_CHARS:]
    for part in (head, tail):
        kept = "\n".join(line for line in part.split("\n") if not _TABLE_ROW.match(line))
        if _FLATTENED_ROW.search(without_marks(kept).lower()):  # white space kept: the cell gaps
            return True
    return False


def _looks_legacy(text: str) -> bool:
    letters = sum(1 for char in text if char.isalpha())
    return letters > 0 and len(_LEGACY_MARKS.findall(text)) > 0.02 * letters


def _document_from_antiword(path: Path, text: str) -> Document:
    document = Document(path=str(path), format="doc")
    document.metadata["doc_reader"] = "antiword"
    page = Page(number=1, origin="layer")
    table: Table | None = None
    for raw_line in clean_text(text).split("\n"):
        row = _TABLE_ROW.match(raw_line)
        if row is None:
            table = None
            if raw_line.strip():
                page.lines.append(Line(text=raw_line.rstrip()))
            continue
        if table is None:
            table = Table(rows=[])
            page.tables.append(table)
        _add_table_row(page, table, row.group(1).split("|"))
    document.pages.append(page)
    return document


def _add_table_row(page: Page, table: Table, cells: list[str]) -> None:
    """One antiword table line: a row of cells, also copied out as table lines."""
    row_index = len(table.rows)
    table_index = len(page.tables) - 1
    table.rows.append([Cell(text=cell.strip()) for cell in cells])
    for column, cell in enumerate(cells):
        if cell.strip():
            page.lines.append(
                Line(text=cell.strip(), block="table", table_index=table_index, row=row_index, column=column)
            )


# --- LibreOffice -------------------------------------------------------------------------


def _soffice_available() -> bool:
    return shutil.which("soffice") is not None


def _read_with_libreoffice(path: Path, reason: str) -> Document:
    with tempfile.TemporaryDirectory(prefix="vanban-lo-") as workdir:
        converted = convert_with_libreoffice(path, Path(workdir), "docx")
        document = read_docx(converted)
    document.path = str(path)
    document.format = "doc"
    document.metadata["doc_reader"] = "libreoffice"
    document.metadata["doc_reader_reason"] = reason
    return document


_PLAIN_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}")


def private_copy(path: Path, workdir: Path) -> Path:
    """A copy of ``path`` named ``input<suffix>`` in ``workdir``, for a helper program.

    Helpers get the bytes the worker already opened (``path`` may be a private link to an
    open descriptor, which a helper process cannot follow) under a name that is never an
    option and never a link that could be swapped between the check and the helper's open.
    """
    suffix = path.suffix if _PLAIN_SUFFIX.fullmatch(path.suffix) else ""
    copy = workdir / f"input{suffix}"
    shutil.copyfile(path, copy)
    return copy


def convert_with_libreoffice(path: Path, workdir: Path, target: str) -> Path:
    """Convert with a LibreOffice profile private to this process.

    Parallel soffice runs must not share a profile; reusing this process's own one saves
    the second or so that building a fresh profile costs on every document.
    """
    profile = Path(tempfile.gettempdir()) / f"vanban-lo-profile-{os.getpid()}"
    if not profile.exists():
        atexit.register(shutil.rmtree, profile, ignore_errors=True)
    outdir = workdir / "out"
    outdir.mkdir()
    command = [
        "soffice",
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        str(private_copy(path, workdir)),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, cwd=workdir
    )
    try:
        _, stderr = process.communicate(timeout=SOFFICE_TIMEOUT)
    except subprocess.TimeoutExpired as error:
        # soffice forks helpers: end the whole process group it leads.
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PipelineError("doc.timeout", f"LibreOffice took over {SOFFICE_TIMEOUT}s") from error
    produced = sorted(outdir.glob(f"*.{target}"))
    if process.returncode != 0 or not produced:
        detail = stderr.decode("utf-8", errors="replace").strip()[-300:]
        raise PipelineError("doc.unreadable", f"LibreOffice could not convert {path.name}: {detail}")
    return produced[0]
