"""Pipeline components: plain functions registered by name (after spaCy's factories).

A component takes the shared ``Context`` and fills in its part. ``pipeline.run`` holds
the one list that says which components run, in which order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipeline.model import Document
from pipeline.options import Options


@dataclass
class Context:
    """Everything the stages know about one document while it flows through them."""

    doc: Document
    options: Options = field(default_factory=Options.from_env)
    # Zones cut by layout: name -> list of (page index, line index) pairs.
    zones: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    # Extractor outputs keyed by record field family ("header", "plan", "references").
    results: dict[str, Any] = field(default_factory=dict)
    # Nlp annotations shared by extractors (tokens, entities), computed on demand.
    cache: dict[str, Any] = field(default_factory=dict)


Component = Callable[[Context], None]

_COMPONENTS: dict[str, Component] = {}


def component(name: str) -> Callable[[Component], Component]:
    """Register ``func`` under ``name`` (e.g. ``"repair.nfc"``)."""

    def register(func: Component) -> Component:
        if name in _COMPONENTS and _COMPONENTS[name] is not func:
            raise ValueError(f"component {name!r} registered twice")
        _COMPONENTS[name] = func
        return func

    return register


def get_component(name: str) -> Component:
    try:
        return _COMPONENTS[name]
    except KeyError:
        raise KeyError(f"no component named {name!r}; known: {sorted(_COMPONENTS)}") from None


def registered() -> list[str]:
    return sorted(_COMPONENTS)
