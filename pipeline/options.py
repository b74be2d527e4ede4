"""What a caller can set for one extraction, in one typed object (the library API and the CLI)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

_OFF = {"0", "false", "no", "off"}
# What OCR reads in unless a run names other languages (Tesseract's traineddata names).
DEFAULT_LANGUAGES = "vie"


@dataclass(frozen=True)
class Options:
    """Settings of one extraction.

    ``ocr``: OCR PDF pages with no usable text layer (off: such pages are reported as
    ``ocr.disabled`` and left as they are). ``include_text``: the normalised page texts in the
    record (evidence spans point into them). ``settings``: per component, the thresholds to
    change from their defaults ({"repair.legacy": {"page_min_gain": 0.3}}; each component's
    are listed by ``pipeline.registry.settings_of``). ``max_bytes``: a larger input is refused
    unread by the library API (a failed record, ``read.too_large``; the batch's own limit is
    ``--max-size``); None for no limit. ``languages``: what Tesseract reads the OCR'd pages in
    (every reading of the run: pages, tiles, table cells, stamps, signature columns), in Tesseract's
    form: a traineddata name, or several joined by "+" ("vie+eng"); each must be installed.
    """

    ocr: bool = True
    include_text: bool = True
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    max_bytes: int | None = None
    languages: str = DEFAULT_LANGUAGES

    @classmethod
    def from_env(cls) -> Options:
        """Defaults, with ``VANBAN_OCR=0`` in the environment turning OCR off,
        ``VANBAN_OCR_LANGUAGES`` naming the OCR languages and ``VANBAN_SETTINGS`` (a JSON
        object, as ``settings``) changing components' settings (batch workers inherit the
        caller's environment)."""
        settings = json.loads(os.environ.get(SETTINGS_ENVIRONMENT, "") or "{}")
        if not isinstance(settings, dict) or not all(isinstance(v, dict) for v in settings.values()):
            raise ValueError(f"{SETTINGS_ENVIRONMENT} must be a JSON object of objects")
        return cls(
            ocr=os.environ.get("VANBAN_OCR", "1").strip().lower() not in _OFF,
            settings=settings,
            languages=os.environ.get(LANGUAGES_ENVIRONMENT, "").strip() or DEFAULT_LANGUAGES,
        )


SETTINGS_ENVIRONMENT = "VANBAN_SETTINGS"
LANGUAGES_ENVIRONMENT = "VANBAN_OCR_LANGUAGES"
_LANGUAGES = re.compile(r"[A-Za-z0-9_]+(?:\+[A-Za-z0-9_]+)*")


def languages_problem(languages: str, installed: Sequence[str] | None) -> str | None:
    """Why ``languages`` cannot be read with: not in Tesseract's form, or (``installed``: the
    traineddata Tesseract lists, None when it is not there to ask) one of them not installed."""
    if not _LANGUAGES.fullmatch(languages):
        return f"OCR languages are traineddata names joined by '+' (e.g. vie or vie+eng), not {languages!r}"
    missing = missing_languages(languages, installed) if installed is not None else []
    if missing:
        return (
            f"Tesseract has no {'+'.join(missing)!r} language data "
            f"(installed: {', '.join(installed or [])}); install {language_packages(missing)} "
            "or choose other languages"
        )
    return None


def missing_languages(languages: str, installed: Sequence[str]) -> list[str]:
    """The traineddata of ``languages`` ("vie+eng") that ``installed`` lacks."""
    return [name for name in languages.split("+") if name not in installed]


def language_packages(names: Sequence[str]) -> str:
    """The Debian packages holding Tesseract's traineddata ``names``."""
    return ", ".join(f"tesseract-ocr-{name}" for name in names)


def parse_setting(text: str) -> tuple[str, str, object]:
    """ "repair.quality.threshold=0.97" -> ("repair.quality", "threshold", 0.97); a value that
    is no JSON number or boolean stays a string."""
    name, equals, value = text.partition("=")
    component, dot, key = name.strip().rpartition(".")
    if not equals or not dot or not component or not key:
        raise ValueError(
            f"a setting is COMPONENT.KEY=VALUE (e.g. repair.quality.threshold=0.97), not {text!r}"
        )
    try:
        parsed: object = json.loads(value)
    except ValueError:
        parsed = value
    return component, key, parsed
