"""What a caller can set for one extraction, in one typed object (the library API and the CLI)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_OFF = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Options:
    """Settings of one extraction.

    ``ocr``: OCR PDF pages with no usable text layer (off: such pages are reported as
    ``ocr.disabled`` and left as they are). ``include_text``: the normalised page texts in the
    record (evidence spans point into them). ``settings``: per component, the thresholds to
    change from their defaults ({"repair.legacy": {"page_min_gain": 0.3}}; each component's
    are listed by ``pipeline.registry.settings_of``). ``max_bytes``: a larger input is refused
    unread by the library API (a failed record, ``read.too_large``; the batch's own limit is
    ``--max-size``); None for no limit.
    """

    ocr: bool = True
    include_text: bool = True
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    max_bytes: int | None = None

    @classmethod
    def from_env(cls) -> Options:
        """Defaults, with ``VANBAN_OCR=0`` in the environment turning OCR off and
        ``VANBAN_SETTINGS`` (a JSON object, as ``settings``) changing components' settings
        (batch workers inherit the caller's environment)."""
        settings = json.loads(os.environ.get(SETTINGS_ENVIRONMENT, "") or "{}")
        if not isinstance(settings, dict) or not all(isinstance(v, dict) for v in settings.values()):
            raise ValueError(f"{SETTINGS_ENVIRONMENT} must be a JSON object of objects")
        return cls(ocr=os.environ.get("VANBAN_OCR", "1").strip().lower() not in _OFF, settings=settings)


SETTINGS_ENVIRONMENT = "VANBAN_SETTINGS"


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
