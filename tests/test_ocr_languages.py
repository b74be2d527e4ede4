"""Options.languages: the Tesseract languages of a run reach every reading, and a language
Tesseract does not have stops the run at start (library API and command line)."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

import pipeline
from pipeline.options import Options, languages_problem
from pipeline.repair import tesseract
from pipeline.run import check_options, process_file
from tests.scanpdf import write_scan_pdf

ROOT = Path(__file__).resolve().parent.parent

needs_eng = pytest.mark.skipif(
    tesseract.tesseract_problem("vie+eng") is not None, reason="tesseract with vie and eng missing"
)


def test_languages_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VANBAN_OCR_LANGUAGES", raising=False)
    assert Options.from_env().languages == "vie"
    monkeypatch.setenv("VANBAN_OCR_LANGUAGES", "vie+eng")
    assert Options.from_env().languages == "vie+eng"


def test_a_language_not_installed_is_named_with_its_package() -> None:
    assert languages_problem("vie+eng", ("eng", "osd", "vie")) is None
    assert languages_problem("vie+xyz", ("eng", "osd", "vie")) == (
        "Tesseract has no 'xyz' language data (installed: eng, osd, vie); "
        "install tesseract-ocr-xyz or choose other languages"
    )
    assert languages_problem("vie eng", None) == (
        "OCR languages are traineddata names joined by '+' (e.g. vie or vie+eng), not 'vie eng'"
    )
    assert languages_problem("vie+", None) is not None


@needs_eng
def test_an_unknown_language_stops_the_library_api_at_start(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no 'xyz' language data"):
        pipeline.Extractor(Options(languages="vie+xyz"))
    with pytest.raises(ValueError, match="no 'xyz' language data"):
        pipeline.extract(b"van ban", Options(languages="xyz"), name="a.txt")
    check_options(Options(languages="vie+eng"))  # both installed
    check_options(Options(ocr=False, languages="xyz"))  # no OCR: nothing read in it


@needs_eng
def test_an_unknown_language_stops_the_command_line_before_any_document(tmp_path: Path) -> None:
    scan = write_scan_pdf(tmp_path / "scan.pdf", 1)
    command = [sys.executable, "cli.py", "extract", str(scan), "-o", str(tmp_path / "out"), "-q"]
    done = subprocess.run(
        [*command, "--ocr-languages", "vie+xyz"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "Invalid value for --ocr-languages: Tesseract has no 'xyz' language data" in done.stderr
    assert not (tmp_path / "out" / "scan.pdf.json").exists()


@needs_eng
def test_every_tesseract_reading_of_a_run_is_in_its_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real Tesseract behind a script that logs its arguments (a program chosen through
    VANBAN_TESSERACT is always run as a program, never in this process)."""
    log = tmp_path / "calls"
    script = tmp_path / "tesseract"
    script.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec tesseract "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("VANBAN_TESSERACT", str(script))
    scan = write_scan_pdf(tmp_path / "scan.pdf", 1)
    record = process_file(scan, options=Options(languages="vie+eng", include_text=False))
    assert record.status != "failed"
    assert not [w for w in record.warnings if w.code.startswith("ocr.")]  # read, with no trouble
    assert record.source.pages[0].origin == "ocr"
    readings = [line.split() for line in log.read_text().splitlines() if line.endswith("tsv")]
    assert readings  # the page was OCR'd
    assert {args[args.index("-l") + 1] for args in readings} == {"vie+eng"}
