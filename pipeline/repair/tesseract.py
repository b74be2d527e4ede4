"""Tesseract and its word model: the leaf the OCR steps share.

``run_tesseract`` reads one image as TSV, ``parse_tsv`` turns it into ``Word`` boxes, and
``repaired_text`` joins a line's words with the tone slips of the doubtful ones repaired
against the lexicon (``ocr_words``). The page OCR (``ocr``), the table rebuilding
(``ocr_tables``) and the header-field re-reading (``ocr_fields``) import from here and never
from each other.
"""

from __future__ import annotations

import csv
import ctypes
import ctypes.util
import io
import os
import resource
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, cast

from pipeline.options import DEFAULT_LANGUAGES, language_packages, missing_languages
from pipeline.repair.normalize import normalize_text
from pipeline.repair.ocr_words import correct_tokens

# The languages a reading is in unless the run's options name others (``Options.languages``),
# in Tesseract's form: one traineddata name, or several joined by "+" ("vie+eng").
LANGUAGE = DEFAULT_LANGUAGES
TIMEOUT_SECONDS = 120.0
# Page images go to Tesseract as uncompressed TIFF: the same pixels as a PNG (the same
# reading, word for word, psm 3 and 6), without ~0.1 s of PNG compression per 300 dpi page,
# and Tesseract reads it ~6 % faster. (Uncompressed PGM measured 10 % slower than PNG.)
IMAGE_SUFFIX = "tif"
# Tone-mark repair (ocr_words) only touches words Tesseract itself doubts. On the 22
# scans, words under 96.5 got 283 repairs judged right ("phố thông" -> "phổ thông",
# "sửa đối" -> "sửa đổi") and 19 wrong ones (mostly "cấp tỉnh" -> "cấp tính"); from
# 96.5 to 97 (the model's ceiling) the wrong ones grow to one in three.
REPAIR_BELOW_CONFIDENCE = 96.5
# Below this the grave may change too (ocr_words.LOOSE_TONES). On Tesseract's readings of
# the 22 text-layer PDFs' own pages (their text layer as the truth, 63k words; see
# bench/ocr_marks.py), it repairs 54 more words and spoils 3; from 90 up the spoiled ones
# grow ("tỉnh" -> "tình").
LOOSE_BELOW_CONFIDENCE = 90.0
# The pages of one document may be OCR'd in parallel threads (``ocr._ocr_pages``), and
# pdfium may not be called from two threads at once, not even on two documents: every
# pdfium call of the OCR steps (page plans, renderings, image boxes) holds this lock. It
# is held for the rendering only (~0.1 s a page), never while Tesseract reads.
PDFIUM_LOCK = threading.RLock()


@dataclass
class Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float
    confidence: float  # 0..100 as tesseract gives it
    key: tuple[int, int, int]  # (block, paragraph, line)

    @property
    def height(self) -> float:
        return self.bottom - self.top


class OcrUnavailable(RuntimeError):
    pass


def tesseract_binary() -> str:
    """The Tesseract program: ``VANBAN_TESSERACT`` (a path or a name on PATH), else ``tesseract``."""
    return os.environ.get("VANBAN_TESSERACT", "").strip() or "tesseract"


@cache
def _listed_languages(program: str) -> tuple[str, ...] | str:
    """The traineddata the Tesseract ``program`` lists, or why it cannot run here."""
    binary = shutil.which(program)
    if binary is None:
        return "tesseract is not installed"
    try:
        listed = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"tesseract does not run: {exc}"
    lines = listed.stdout.splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("List of"))


def installed_languages() -> tuple[str, ...] | None:
    """The languages Tesseract can read in here; None when it is not installed or does not run."""
    listed = _listed_languages(tesseract_binary())
    return listed if isinstance(listed, tuple) else None


@cache
def tesseract_problem(languages: str = LANGUAGE) -> str | None:
    """Why OCR cannot run here, or None when tesseract with ``languages`` is installed."""
    listed = _listed_languages(tesseract_binary())
    if isinstance(listed, str):
        return listed
    missing = missing_languages(languages, listed)
    if missing:
        return f"tesseract has no {'+'.join(missing)!r} language data ({language_packages(missing)})"
    return None


def run_tesseract(image_path: Path, psm: int, timeout: float, languages: str = LANGUAGE) -> str:
    """Tesseract's TSV for one image read in ``languages`` ("vie", "vie+eng"), one thread per
    reading (pages run in parallel processes or threads): in this process through tesserocr
    when it runs the very Tesseract the program would (``_in_process``), else the
    ``tesseract`` program."""
    api = _in_process()
    if api is not None and _room_in_process(image_path):
        return _run_in_process(api, image_path, psm, timeout, languages)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    done = subprocess.run(
        [tesseract_binary(), str(image_path), "-", "-l", languages, "--psm", str(psm), "tsv"],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise OcrUnavailable(done.stderr.strip()[-300:] or f"tesseract exit {done.returncode}")
    return done.stdout


# The Tesseract library read in this process (tesserocr, the ``tesserocr`` extra) instead of
# one ``tesseract`` program per image: the program loads the Vietnamese model and the image
# again on every call, ~0.13 CPU s of the ~1.4 s a 300 dpi page costs (measured on corpus
# scan pages, same images, same run). Its TSV is the program's to the byte (the program
# writes the column names first): the same library does the same work on the same file,
# so it is used only when it is the library the program runs (same version line), with
# no program chosen through ``VANBAN_TESSERACT``; ``VANBAN_TESSEROCR=0`` turns it off.
TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
IN_PROCESS_ENVIRONMENT = "VANBAN_TESSEROCR"
LEPTONICA_SEVERITY_NONE = 6  # L_SEVERITY_NONE of leptonica's environ.h
# Address space an in-process reading may take: a reading thread's malloc arena and stack
# (64 MB + 8 MB reserved), the model, and Tesseract's copies of the page (~10 bytes a pixel
# resident for an A4 page at 300 dpi, ~80 MB; reserved address space runs higher): four
# times that, so an ordinary page needs ~600 MB of the worker's headroom.
IN_PROCESS_MARGIN_MB = 256
IN_PROCESS_BYTES_PER_PIXEL = 40
# Readers made and not in use, for the next image: one per page read at the same moment,
# each holding the model and its buffers (~40 MB resident). A worker keeps this many for
# its next pages (two pages at once on a batch of two workers) and closes the others.
KEEP_IDLE_READERS = 2
_IDLE_READERS: list[Any] = []
_READERS_LOCK = threading.Lock()


def _in_process() -> ModuleType | None:
    """tesserocr when images are read in this process, else None (the program is run)."""
    if (
        os.environ.get(IN_PROCESS_ENVIRONMENT, "").strip() == "0"
        or os.environ.get("VANBAN_TESSERACT", "").strip()
    ):
        return None
    return _tesserocr()


@cache
def _tesserocr() -> ModuleType | None:
    """tesserocr, when it is installed, built on the Tesseract that the ``tesseract`` program
    runs, and can keep to one thread per reading."""
    if "libgomp" in _mapped_libraries() and os.environ.get("OMP_THREAD_LIMIT") != "1":
        return None  # OpenMP already started here without the one-thread limit
    os.environ["OMP_THREAD_LIMIT"] = "1"  # read once, when Tesseract's OpenMP starts
    try:
        import tesserocr
    except ImportError:
        return None
    binary = shutil.which(tesseract_binary())
    if binary is None:
        return None
    try:
        program = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    first_line = (program.stdout or program.stderr).strip().splitlines()[:1]
    if first_line != tesserocr.tesseract_version().strip().splitlines()[:1]:
        return None
    _quiet_leptonica()
    return cast(ModuleType, tesserocr)


def _quiet_leptonica() -> None:
    """Leptonica's messages ("Error in pixScanForForeground: invalid box" on a blank corner)
    went to the program's captured stderr; in this process they would reach the console."""
    try:
        leptonica = ctypes.CDLL(ctypes.util.find_library("lept") or "liblept.so.5")
        leptonica.setMsgSeverity(ctypes.c_int(LEPTONICA_SEVERITY_NONE))
    except (OSError, AttributeError):
        pass  # the messages only show


def _room_in_process(image_path: Path) -> bool:
    """Whether the worker's address-space guard (batch/limits.py) leaves room to read this
    image here. Tesseract out of memory inside the worker would end the worker (glibc aborts),
    where the program failing alone leaves the page unread with a warning: an image that might
    not fit is read by the program, whose own address space starts small."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return True
    try:
        with open("/proc/self/statm") as handle:
            mapped = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        from PIL import Image

        with Image.open(image_path) as image:  # the header only
            pixels = image.width * image.height
    except (OSError, ValueError):
        return False
    need = IN_PROCESS_MARGIN_MB * 2**20 + IN_PROCESS_BYTES_PER_PIXEL * pixels
    return soft - mapped >= need


def _mapped_libraries() -> str:
    try:
        with open("/proc/self/maps") as handle:
            return handle.read()
    except OSError:
        return ""


def _run_in_process(
    tesserocr: ModuleType, image_path: Path, psm: int, timeout: float, languages: str = LANGUAGE
) -> str:
    """What ``tesseract IMAGE - -l LANGUAGES --psm PSM tsv`` prints, read by the library here."""
    with _READERS_LOCK:  # an idle reader of these languages (each holds its models)
        reader = next((r for r in _IDLE_READERS if r.GetInitLanguagesAsString() == languages), None)
        if reader is not None:
            _IDLE_READERS.remove(reader)
    try:
        if reader is None:
            reader = tesserocr.PyTessBaseAPI(lang=languages, psm=psm)
        reader.SetPageSegMode(psm)
        reader.SetImageFile(str(image_path))
        started = time.monotonic()
        if not reader.Recognize(max(1, round(timeout * 1000))):
            if time.monotonic() - started >= timeout:
                raise subprocess.TimeoutExpired("tesseract", timeout)
            raise OcrUnavailable(f"tesseract could not read {image_path.name}")
        tsv = TSV_HEADER + str(reader.GetTSVText(0))
        reader.Clear()  # the image and its results; the model stays loaded
    except (RuntimeError, OSError) as exc:  # the model or the image could not be loaded
        raise OcrUnavailable(str(exc)) from exc
    with _READERS_LOCK:
        kept = len(_IDLE_READERS) < KEEP_IDLE_READERS
        if kept:
            _IDLE_READERS.append(reader)
    if not kept:
        reader.End()
    return tsv


def parse_tsv(tsv: str, scale: float) -> list[Word]:
    """Words (level 5 rows) of tesseract's TSV, coordinates multiplied by ``scale``."""
    words: list[Word] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        left, top = float(row["left"]) * scale, float(row["top"]) * scale
        words.append(
            Word(
                text=text,
                left=left,
                top=top,
                right=left + float(row["width"]) * scale,
                bottom=top + float(row["height"]) * scale,
                confidence=float(row["conf"]),
                key=(int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
            )
        )
    return words


def repaired_text(words: list[Word], repair: bool = True) -> str:
    """The words of one line, tone slips of the doubtful ones repaired against the lexicon."""
    tokens = [normalize_text(word.text) for word in words]
    if not repair:
        return normalize_text(" ".join(tokens))
    doubtful = [0 <= word.confidence < REPAIR_BELOW_CONFIDENCE for word in words]
    loose = [0 <= word.confidence < LOOSE_BELOW_CONFIDENCE for word in words]
    return normalize_text(" ".join(correct_tokens(tokens, doubtful, loose)))
