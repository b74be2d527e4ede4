"""Errors that become a record's ``errors`` entry instead of stopping a batch."""

from __future__ import annotations


class PipelineError(Exception):
    """A document-level failure with a stable code, e.g. ``pdf.encrypted``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
