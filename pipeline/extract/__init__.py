"""Extractors: one per field family, each returning values with evidence.

The package is also the library's one call, ``pipeline.extract(source, options)``: the stage
folder keeps its name (the flow stays visible in the folders) and the call its obvious one, so
the module is made callable rather than one of the two renamed.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.options import Options
    from pipeline.record.models import Record


class _Stage(types.ModuleType):
    def __call__(self, source: Any, options: Options | None = None, *, name: str | None = None) -> Record:
        """``pipeline.extract(path | bytes | file object, options)``: see ``pipeline.api.extract``."""
        from pipeline.api import extract

        return extract(source, options, name=name)


sys.modules[__name__].__class__ = _Stage
