"""Pipeline components: plain functions registered by name (after spaCy's factories).

A component takes the shared ``Context`` and fills in its part. Each one declares what it
requires from the components before it and what it assigns (``Context`` attributes, or a fact
about the document such as "pages.quality"), so that ``check_order`` can tell at start-up that
an ordered list of components is sound. ``pipeline.run`` holds that one list.

A component with thresholds declares them as its settings: a frozen dataclass whose field
defaults are the values tuned on the corpus (spaCy's ``default_config``). A run changes them
through ``Options.settings`` ({"repair.legacy": {"page_min_gain": 0.3}}), which
``check_settings`` tests against the declarations before any document is read; a component
reads its own with ``ctx.settings(ItsSettings)``, and the helpers it calls without the
context with ``current_settings(ItsSettings)`` (the document's while it runs, the defaults
outside a run).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from pipeline.model import Document
from pipeline.options import Options

if TYPE_CHECKING:
    from pipeline.record.models import Article, DocumentKind, Header, Plan, Reference, Task

Ref = tuple[int, int]
S = TypeVar("S")


@dataclass
class Context:
    """Everything the stages know about one document while it flows through them."""

    doc: Document
    options: Options = field(default_factory=Options.from_env)
    # Zones cut by layout: name -> list of (page index, line index) pairs.
    zones: dict[str, list[Ref]] = field(default_factory=dict)
    # The header's issuer lines, mended by repair.issuer_lines (top to bottom).
    issuer_lines: list[Ref] = field(default_factory=list)
    # What the extractors found, one typed attribute per record field family.
    header: Header | None = None
    plan: Plan | None = None
    assignments: list[Task] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    kind: DocumentKind | None = None
    article: Article | None = None
    _settings: dict[type, Any] = field(default_factory=dict, repr=False)

    def settings(self, declared: type[S]) -> S:
        """The settings of the component that declared ``declared``: its defaults, with what
        ``options.settings`` sets for that component (built once per document)."""
        if declared not in self._settings:
            name = _SETTINGS_OWNERS.get(declared)
            overrides = self.options.settings.get(name, {}) if name else {}
            self._settings[declared] = declared(**overrides)
        value: S = self._settings[declared]
        return value


Component = Callable[[Context], None]


@dataclass(frozen=True)
class Registered:
    name: str
    func: Component
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    settings: type | None = None


_COMPONENTS: dict[str, Registered] = {}
_SETTINGS_OWNERS: dict[type, str] = {}


def component(
    name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = (), settings: type | None = None
) -> Callable[[Component], Component]:
    """Register ``func`` under ``name`` (e.g. ``"repair.ocr"``), with what it needs from the
    components before it, what it provides to those after it and its settings (a frozen
    dataclass with defaults)."""
    if settings is not None and not dataclasses.is_dataclass(settings):
        raise TypeError(f"the settings of {name!r} must be a dataclass")

    def register(func: Component) -> Component:
        if name in _COMPONENTS and _COMPONENTS[name].func is not func:
            raise ValueError(f"component {name!r} registered twice")
        _COMPONENTS[name] = Registered(name, func, tuple(requires), tuple(assigns), settings)
        if settings is not None:
            _SETTINGS_OWNERS[settings] = name
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


_RUNNING: ContextVar[Context | None] = ContextVar("vanban_running_document", default=None)
_DEFAULTS: dict[type, Any] = {}


@contextmanager
def running(ctx: Context) -> Iterator[None]:
    """Make ``ctx`` the document whose settings ``current_settings`` gives, while it runs."""
    token = _RUNNING.set(ctx)
    try:
        yield
    finally:
        _RUNNING.reset(token)


def current_settings(declared: type[S]) -> S:
    """The settings ``declared`` of the document being processed, or the defaults outside a
    run (a helper called from a test or another module)."""
    ctx = _RUNNING.get()
    if ctx is not None:
        return ctx.settings(declared)
    if declared not in _DEFAULTS:
        _DEFAULTS[declared] = declared()
    value: S = _DEFAULTS[declared]
    return value


def check_settings(settings: Mapping[str, Mapping[str, Any]]) -> None:
    """Raise ``ValueError`` for a setting no component declares, or of the wrong type."""
    for name, values in settings.items():
        declared = registration(name).settings
        if declared is None:
            raise ValueError(f"component {name!r} has no settings")
        fields = {item.name: item for item in dataclasses.fields(declared)}
        for key, value in values.items():
            if key not in fields:
                raise ValueError(f"component {name!r} has no setting {key!r}; known: {sorted(fields)}")
            default = getattr(declared(), key)
            expected: tuple[type, ...] = (int, float) if isinstance(default, float) else (type(default),)
            if isinstance(value, bool) is not isinstance(default, bool) or not isinstance(value, expected):
                raise ValueError(f"setting {name}.{key} must be {type(default).__name__}, not {value!r}")


def settings_of(name: str) -> dict[str, Any]:
    """The settings a component declares, with their defaults."""
    declared = registration(name).settings
    return dataclasses.asdict(declared()) if declared is not None else {}


def registered() -> list[str]:
    return sorted(_COMPONENTS)
