"""Signer names by underthesea's tagger, run in a helper process."""

from __future__ import annotations

import sys

import pytest

from pipeline.nlp import persons


def test_names_are_tagged_without_loading_the_tagger_here() -> None:
    loaded_before = "underthesea" in sys.modules
    assert persons.person_names("Người ký: Nguyễn Văn An, Chủ tịch") == ["Nguyễn Văn An"]
    assert ("underthesea" in sys.modules) == loaded_before  # its ~80 MB stay in the helper


def test_a_failing_helper_gives_no_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(persons, "_TAGGER", "raise SystemExit(3)")
    assert persons.person_names("Nguyễn Văn An") == []
    monkeypatch.setattr(persons.sys, "executable", "/nonexistent/python")
    assert persons.person_names("Nguyễn Văn An") == []
