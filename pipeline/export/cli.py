"""``vanban export ...``: files other systems and people read, made from the catalog."""

from __future__ import annotations

import click


@click.group("export")
def export_group() -> None:
    """Write the register, task sheets or edXML files of a catalog."""
