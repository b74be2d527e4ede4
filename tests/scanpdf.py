"""Scanned PDFs of any length and page size built from one real scanned page.

The page is a 1-bit image of page 2 of a scanned decision in the corpus
(``fixtures/scan_page_006_p2.png``, 1667 × 2359 px, ~200 dpi). It is stored once in the
PDF and drawn on every page, so a 400-page scan stays a few tens of KB on disk.

``hanging_tesseract`` stands in for the Tesseract program with one page call that hangs.
"""

from __future__ import annotations

import stat
import zlib
from pathlib import Path

from PIL import Image

SCAN_PAGE = Path(__file__).parent / "fixtures" / "scan_page_006_p2.png"
A4_POINTS = (595.0, 842.0)


def write_scan_pdf(
    path: Path, pages: int, size: tuple[float, float] = A4_POINTS, copies: tuple[int, int] = (1, 1)
) -> Path:
    """A PDF of ``pages`` pages of ``size`` points, each the real scanned page stretched over
    it, or ``copies`` (columns, rows) of it side by side (a sheet of several pages)."""
    with Image.open(SCAN_PAGE) as image:
        bitmap = image.convert("1")
        width, height = bitmap.size
        data = zlib.compress(bitmap.tobytes())  # rows packed 8 pixels a byte, 0 = black
    page_width, page_height = size
    columns, rows = copies
    cell_width, cell_height = page_width / columns, page_height / rows
    content = " ".join(
        f"q {cell_width:g} 0 0 {cell_height:g} {cell_width * c:g} {cell_height * r:g} cm /Im0 Do Q"
        for c in range(columns)
        for r in range(rows)
    ).encode()
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        (
            f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray "
            f"/BitsPerComponent 1 /Filter /FlateDecode /Length {len(data)} >>\nstream\n"
        ).encode()
        + data
        + b"\nendstream",
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
    ]
    kids = []
    for _ in range(pages):
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page_width:g} {page_height:g}] "
                "/Resources << /XObject << /Im0 3 0 R >> >> /Contents 4 0 R >>"
            ).encode()
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {pages} >>".encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def hanging_tesseract(folder: Path, hang_on_call: int) -> Path:
    """The real tesseract, except that page call ``hang_on_call`` hangs (a stuck helper)
    and writes its process id, so that the test can see it was killed. Only page readings
    (psm 3) are counted: crops read again (stamps, the signature column, table cells) come
    and go with what a page holds."""
    script = folder / "tesseract"
    counter = folder / "calls"
    script.write_text(
        "#!/bin/sh\n"
        'case "$*" in *"--psm 3 "*tsv*)\n'
        f'  echo x >> "{counter}"\n'
        f'  if [ "$(wc -l < "{counter}")" = "{hang_on_call}" ]; then\n'
        f'    echo $$ > "{folder}/hung"; exec sleep 600\n'
        "  fi;;\n"
        "esac\n"
        'exec tesseract "$@"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script
