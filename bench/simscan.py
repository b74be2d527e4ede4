"""Simulated scans of the corpus's born-digital documents: a measure of the OCR path on
layouts the gold already covers.

Each text-layer PDF (and each DOCX, printed to PDF by LibreOffice when it is installed) is
rendered page by page at 200 dpi with its form fields (e-signing tools stamp the number, the
date and the signature there), in grey, turned by up to 0.8 degrees, darkened, noised, blurred
and JPEG-compressed, then saved as an image-only PDF. Long documents keep the pages that hold
the header, the grounds and the closing block. The gold of the original is the gold of the
copy, so ``vanban evaluate`` scores the OCR path against it:

    python3 -m bench.simscan OUT                       # OUT/docs, OUT/gold, OUT/manifest.jsonl
    vanban extract OUT/docs -o OUT/records -j 2 -q --no-text
    vanban evaluate --docs OUT/docs --gold OUT/gold --records OUT/records --manifest OUT/manifest.jsonl

A copy is seeded by its file name: the same corpus gives the same scans.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
BORN_DIGITAL = ("pdf-text", "pdf-text-broken", "docx")
DPI = 200
# Documents longer than this keep their first two pages and the page of "Nơi nhận".
MAX_PAGES = 5


def degrade(image: Image.Image, rng: random.Random) -> Image.Image:
    """A page as a desk scanner returns it: grey, slightly turned, darker, noisy, soft, JPEG."""
    grey = image.convert("L").rotate(rng.uniform(-0.8, 0.8), resample=Image.Resampling.BICUBIC, fillcolor=255)
    pixels = np.asarray(grey).astype(np.float32) * rng.uniform(0.85, 1.0)
    pixels += np.random.default_rng(rng.randint(0, 10**6)).normal(0, 10, pixels.shape)
    soft = Image.fromarray(np.clip(pixels, 0, 255).astype("uint8")).filter(
        ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8))
    )
    buffer = io.BytesIO()
    soft.save(buffer, "JPEG", quality=rng.randint(45, 75))
    return Image.open(buffer)


def pages_to_keep(pdf: pdfium.PdfDocument) -> list[int]:
    count = len(pdf)
    if count <= MAX_PAGES:
        return list(range(count))
    closing = [i for i in range(count) if "nơi nhận" in pdf[i].get_textpage().get_text_range().lower()]
    return sorted({0, 1, closing[0] if closing else count - 1})


def as_pdf(source: Path, folder: Path) -> Path | None:
    """``source`` itself, or a DOCX printed to PDF by LibreOffice (None without it)."""
    if source.suffix.lower() == ".pdf":
        return source
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        return None
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        capture_output=True,
        timeout=180,
        check=False,
    )
    printed = folder / f"{source.stem}.pdf"
    return printed if printed.exists() else None


def simulate(corpus: Path, out: Path) -> int:
    docs, gold = out / "docs", out / "gold"
    docs.mkdir(parents=True, exist_ok=True)
    gold.mkdir(exist_ok=True)
    manifest = []
    with tempfile.TemporaryDirectory() as tmp:
        for line in (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            if entry["format"] not in BORN_DIGITAL:
                continue
            name = Path(entry["file"])
            source = as_pdf(corpus / "docs" / name, Path(tmp))
            if source is None:
                continue
            rng = random.Random(name.name)
            pdf = pdfium.PdfDocument(str(source))
            pdf.init_forms()
            scale = DPI / 72
            pages = [
                degrade(pdf[i].render(scale=scale, may_draw_forms=True).to_pil(), rng)
                for i in pages_to_keep(pdf)
            ]
            copy = docs / f"{name.stem}.pdf"
            pages[0].save(copy, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
            shutil.copy(corpus / "gold" / f"{name.stem}.json", gold / f"{name.stem}.json")
            manifest.append({**entry, "file": copy.name, "format": "pdf-scan-simulated"})
    (out / "manifest.jsonl").write_text(
        "".join(json.dumps(entry, ensure_ascii=False) + "\n" for entry in manifest), encoding="utf-8"
    )
    return len(manifest)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    print(f"{simulate(args.corpus, args.out)} simulated scans in {args.out}")


if __name__ == "__main__":
    main()
