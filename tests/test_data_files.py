"""Domain data lives in pipeline/data: every file is loaded and every key of it is named by the code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"
DATA_FILES = sorted((PACKAGE / "data").glob("*.json"))


def _sources() -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py")}


@pytest.mark.parametrize("data_file", DATA_FILES, ids=lambda path: path.name)
def test_every_data_key_is_read(data_file: Path) -> None:
    data = json.loads(data_file.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        return  # a plain list (syllables) is read whole
    sources = _sources()
    assert any(data_file.name in src or f'"{data_file.stem}"' in src for src in sources.values()), (
        f"{data_file.name} is loaded nowhere"
    )
    code = "\n".join(sources.values())
    unread = [
        key for key in data if not key.startswith("_") and f'"{key}"' not in code and f"'{key}'" not in code
    ]
    assert unread == [], f"{data_file.name}: keys the code never names: {unread}"
