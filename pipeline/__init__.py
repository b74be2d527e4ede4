"""vanban: structured JSON records from Vietnamese official documents.

The flow of one document, one sub-package per stage:
read -> repair -> layout -> nlp -> extract -> record.

    import pipeline
    record = pipeline.extract("plan.pdf", pipeline.Options(ocr=False))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from pipeline.api import Extractor
    from pipeline.options import Options

__all__ = ["Extractor", "Options", "__version__", "extract"]


def __getattr__(name: str) -> Any:
    """``pipeline.extract`` (the extract stage, callable), ``pipeline.Extractor`` and
    ``pipeline.Options``: imported when first used, so that ``import pipeline`` stays light."""
    if name == "extract":
        import importlib

        return importlib.import_module("pipeline.extract")
    if name == "Extractor":
        from pipeline.api import Extractor

        return Extractor
    if name == "Options":
        from pipeline.options import Options

        return Options
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
