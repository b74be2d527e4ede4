"""Pipeline components: plain functions registered by name (after spaCy's factories).

A component takes the shared ``Context`` and fills in its part. Each one declares what it
requires from the components before it and what it assigns (``Context`` attributes, or a fact
about the document such as "pages.quality"), so that ``check_order`` can tell at start-up that
an ordered list of components is sound. ``pipeline.run`` holds that one list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.model import Document
from pipeline.options import Options

if TYPE_CHECKING:
    from pipeline.record.models import Article, DocumentKind, Header, Plan, Reference, Task

Ref = tuple[int, int]


@dataclass
class Context:
    """Everything the stages know about one document while it flows through them."""

    doc: Document
    options: Options = field(default_factory=Options.from_env)
    # Zones cut by layout: name -> list of (page index, line index) pairs.
    zones: dict[str, list[Ref]] = field(default_factory=dict)
    # What the extractors found, one typed attribute per record field family.
    header: Header | None = None
    plan: Plan | None = None
    assignments: list[Task] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    kind: DocumentKind | None = None
    article: Article | None = None


Component = Callable[[Context], None]


@dataclass(frozen=True)
class Registered:
    name: str
    func: Component
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()


_COMPONENTS: dict[str, Registered] = {}


def component(
    name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = ()
) -> Callable[[Component], Component]:
    """Register ``func`` under ``name`` (e.g. ``"repair.ocr"``), with what it needs from the
    components before it and what it provides to those after it."""

    def register(func: Component) -> Component:
        if name in _COMPONENTS and _COMPONENTS[name].func is not func:
            raise ValueError(f"component {name!r} registered twice")
        _COMPONENTS[name] = Registered(name, func, tuple(requires), tuple(assigns))
        return func

    return register


def get_component(name: str) -> Component:
    return registration(name).func


def registration(name: str) -> Registered:
    try:
        return _COMPONENTS[name]
    except KeyError:
        raise KeyError(f"no component named {name!r}; known: {sorted(_COMPONENTS)}") from None


def check_order(names: Iterable[str]) -> None:
    """Raise ``ValueError`` when a component of ``names`` requires what no component before it
    assigns (a list put out of order, a component left out)."""
    provided: set[str] = set()
    for name in names:
        entry = registration(name)
        missing = [need for need in entry.requires if need not in provided]
        if missing:
            raise ValueError(f"component {name!r} requires {missing}, which nothing before it assigns")
        provided.update(entry.assigns)


def registered() -> list[str]:
    return sorted(_COMPONENTS)
