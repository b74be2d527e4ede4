"""Page images for the review page: a PDF page rendered by pypdfium2 to PNG.

Uploads are untrusted, so the rendering runs in a short-lived child process with a time and
memory limit (a page that hangs or crashes pdfium costs that child, never the server), and each
image is cached under ``DATA/pages``. Usage of the child: ``python -m pipeline.serve.render PDF
PAGE SCALE OUT``.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

RENDER_SECONDS = 60.0
RENDER_MEMORY_MB = 1024
MAX_PIXELS = 12_000_000  # a page image for the screen: an A4 page at 2x is 2.0 Mpx
SCALES = (1.0, 1.5, 2.0)


def _limit_memory() -> None:  # pragma: no cover - runs in the child before exec
    limit = RENDER_MEMORY_MB * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def page_image(pdf: Path, page: int, scale: float, cache: Path, key: str) -> Path | None:
    """The PNG of page ``page`` (1-based) at ``scale`` (1.0 = 72 dpi); None if it cannot be made."""
    out = cache / f"{key}-{page}-{scale:g}.png"
    if out.is_file():
        return out
    temp = cache / f".{out.name}.{os.getpid()}.tmp"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pipeline.serve.render", str(pdf), str(page), str(scale), str(temp)],
            capture_output=True,
            timeout=RENDER_SECONDS,
            preexec_fn=_limit_memory,
            check=False,
        )
    except subprocess.TimeoutExpired:
        temp.unlink(missing_ok=True)
        return None
    if done.returncode != 0 or not temp.is_file():
        temp.unlink(missing_ok=True)
        return None
    temp.replace(out)
    return out


def render(pdf: str, page: int, scale: float, out: str) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        if not 1 <= page <= len(document):
            raise SystemExit(2)
        handle = document[page - 1]
        width, height = handle.get_size()
        if width * height * scale * scale > MAX_PIXELS:
            scale = (MAX_PIXELS / (width * height)) ** 0.5
        image = handle.render(scale=scale).to_pil()
        image.save(out, format="PNG")
    finally:
        document.close()


if __name__ == "__main__":
    render(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4])
