"""Minimum scores the pipeline must keep on the corpus (field -> F1); tests pin them.

Empty until the extractors exist: add a floor only for a score actually reached.
"""

from __future__ import annotations

FIELD_F1_FLOORS: dict[str, float] = {}
ACCURACY_FLOORS: dict[str, float] = {}
