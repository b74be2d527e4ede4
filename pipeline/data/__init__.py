"""The domain data files (type codes, titles, body words, time words ...), read one way.

``load_data("doc_types")`` is the parsed JSON of ``pipeline/data/doc_types.json``, read once per
process and shared: callers build their tables from it and never change it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_data(name: str) -> Any:
    """The parsed ``pipeline/data/<name>.json``."""
    text = resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)
