"""What a caller can set for one extraction, in one typed object (the library API and the CLI)."""

from __future__ import annotations

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
    are listed by ``pipeline.registry.settings_of``).
    """

    ocr: bool = True
    include_text: bool = True
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Options:
        """Defaults, with ``VANBAN_OCR=0`` in the environment turning OCR off (batch workers
        inherit the caller's environment)."""
        return cls(ocr=os.environ.get("VANBAN_OCR", "1").strip().lower() not in _OFF)
