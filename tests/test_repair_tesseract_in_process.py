"""Tesseract read in this process (tesserocr) gives the program's TSV to the byte.

A real scanned page (``fixtures/scan_page_006_p2.png``) is rendered as the page OCR renders
it and read both ways, in the two page segmentation modes the pipeline uses (3 for a page,
6 for a block). The in-process reader is only a way of running the same library: when it
cannot be used (not installed, another Tesseract, a program chosen through
``VANBAN_TESSERACT``) the program runs. tesserocr is built by scripts/setup.sh; without it
these tests are skipped on a developer's machine and fail under CI.
"""

from __future__ import annotations

import concurrent.futures
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.repair import ocr, tesseract
from tests.scanpdf import write_scan_pdf


def _needs_in_process() -> None:
    if tesseract.tesseract_problem() is not None:
        pytest.skip("tesseract vie missing")
    if tesseract._tesserocr() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("tesserocr is not installed on Debian's Tesseract (scripts/setup.sh builds it)")
        pytest.skip("tesserocr built on this Tesseract is not installed")


@pytest.fixture(scope="module")
def page_image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("page")
    pdf = write_scan_pdf(folder / "scan.pdf", 2)
    image = folder / f"page.{tesseract.IMAGE_SUFFIX}"
    ocr.render_page(str(pdf), 1, ocr.DPI, image)  # a page after the first: the red channel
    return image


@pytest.mark.parametrize("psm", [ocr.PAGE_SEGMENTATION_MODE, 6])
def test_in_process_reading_is_the_programs_to_the_byte(
    page_image: Path, psm: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    _needs_in_process()
    monkeypatch.setenv(tesseract.IN_PROCESS_ENVIRONMENT, "0")
    assert tesseract._in_process() is None
    program = tesseract.run_tesseract(page_image, psm, tesseract.TIMEOUT_SECONDS)
    monkeypatch.delenv(tesseract.IN_PROCESS_ENVIRONMENT)
    assert tesseract._in_process() is not None
    in_process = tesseract.run_tesseract(page_image, psm, tesseract.TIMEOUT_SECONDS)
    assert in_process == program
    words = tesseract.parse_tsv(in_process, scale=1.0)
    assert len(words) > 100 and any(word.text == "Điều" for word in words)
    # The reader is kept for the next image and reads it the same way again.
    assert tesseract._IDLE_READERS
    assert tesseract.run_tesseract(page_image, psm, tesseract.TIMEOUT_SECONDS) == program


def test_each_language_set_is_read_by_a_reader_of_its_own(
    page_image: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run's languages (Options.languages) reach the in-process reader: read in "vie+eng" it
    gives the program's "vie+eng" TSV, and an idle reader of one language set is never used
    for another (a "vie" reading after it is still the program's "vie" one)."""
    _needs_in_process()
    if tesseract.tesseract_problem("vie+eng") is not None:
        pytest.skip("tesseract eng missing")
    psm = 6
    monkeypatch.setenv(tesseract.IN_PROCESS_ENVIRONMENT, "0")
    program_both = tesseract.run_tesseract(page_image, psm, tesseract.TIMEOUT_SECONDS, "vie+eng")
    program_vie = tesseract.run_tesseract(page_image, psm, tesseract.TIMEOUT_SECONDS, "vie")
    assert program_both != program_vie  # the languages change the reading
    monkeypatch.delenv(tesseract.IN_PROCESS_ENVIRONMENT)
    assert tesseract.run_tesseract(page_image, psm, tesseract.TIMEOUT_SECONDS, "vie+eng") == program_both
    assert tesseract.run_tesseract(page_image, psm, tesseract.TIMEOUT_SECONDS, "vie") == program_vie
    assert {reader.GetInitLanguagesAsString() for reader in tesseract._IDLE_READERS} <= {"vie", "vie+eng"}


def test_a_chosen_program_is_run_as_such(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VANBAN_TESSERACT", "tesseract")
    assert tesseract._in_process() is None


def test_an_in_process_reading_past_its_time_is_stopped(page_image: Path) -> None:
    _needs_in_process()
    with pytest.raises(subprocess.TimeoutExpired):
        tesseract.run_tesseract(page_image, ocr.PAGE_SEGMENTATION_MODE, 0.001)
    # The next reading is whole.
    assert "Điều" in tesseract.run_tesseract(page_image, ocr.PAGE_SEGMENTATION_MODE, 60.0)


def test_an_image_that_cannot_be_loaded_is_reported(tmp_path: Path) -> None:
    _needs_in_process()
    broken = tmp_path / f"broken.{tesseract.IMAGE_SUFFIX}"
    broken.write_bytes(b"not an image")
    with pytest.raises(tesseract.OcrUnavailable):
        tesseract.run_tesseract(broken, ocr.PAGE_SEGMENTATION_MODE, 60.0)


def test_pages_read_at_once_each_get_a_reader_and_few_are_kept(page_image: Path) -> None:
    _needs_in_process()
    alone = tesseract.run_tesseract(page_image, ocr.PAGE_SEGMENTATION_MODE, 60.0)
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        readings = list(
            pool.map(
                lambda _: tesseract.run_tesseract(page_image, ocr.PAGE_SEGMENTATION_MODE, 60.0), range(4)
            )
        )
    assert readings == [alone] * 4
    assert 1 <= len(tesseract._IDLE_READERS) <= tesseract.KEEP_IDLE_READERS


_UNDER_A_TIGHT_LIMIT = """
import resource, sys
from pathlib import Path
from pipeline.repair import tesseract
image = Path(sys.argv[1])
before = tesseract.run_tesseract(image, 3, 60.0)  # in this process: no limit yet
mapped = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
# Headroom as the batch's address-space guard leaves it, but too little for Tesseract here.
resource.setrlimit(resource.RLIMIT_AS, (mapped + 300 * 2**20, resource.RLIM_INFINITY))
print("room", tesseract._room_in_process(image))
print("same", tesseract.run_tesseract(image, 3, 60.0) == before)
"""


def test_an_image_that_may_not_fit_the_address_space_guard_is_read_by_the_program(page_image: Path) -> None:
    _needs_in_process()
    done = subprocess.run(
        [sys.executable, "-c", _UNDER_A_TIGHT_LIMIT, str(page_image)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    # The worker-to-be lives on and reads the page as before, through the program.
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.split() == ["room", "False", "same", "True"]
