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

``--profile sealed`` makes a second, harder set from the same documents: colour scans turned by
up to 1.5 degrees, with the signer's red round seal stamped over the left of the signature
column (Decree 30 puts it over a third of the signature, so it crosses the title and the
name) and a blue signature between them.

``--profile received`` is the sealed copy as it reaches another office: page 1 also carries that
office's received stamp (a purple or red box: the office's name, "ĐẾN", "Số:" and "Ngày:" filled
in by hand in blue) pressed somewhere in the header's top half, over print or beside it.

``--profile bilevel`` is the received copy as an archive's bulk scanner returns it: black and
white, one bit a pixel (CCITT G4 in the PDF), turned by up to 1 degree. The seal, the signature
and the received stamp (on half of the page 1s) come out as black as the print, as red and blue
ink do under a scanner's threshold, and the threshold itself varies from copy to copy.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
BORN_DIGITAL = ("pdf-text", "pdf-text-broken", "docx")
DPI = 200
# Documents longer than this keep their first two pages and the page of "Nơi nhận".
MAX_PAGES = 5


# image mode and the largest turn in degrees of each kind of copy
PROFILES: dict[str, tuple[str, float]] = {
    "desk": ("L", 0.8),
    "sealed": ("RGB", 1.5),
    "received": ("RGB", 1.5),
    "bilevel": ("1", 1.0),
}
STAMPED = ("sealed", "received", "bilevel")
SEAL_RADIUS_MM = 19  # a body's round seal is 35-40 mm across
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def degrade(image: Image.Image, rng: random.Random, profile: str = "desk") -> Image.Image:
    """A page as a desk scanner returns it: grey (or colour), slightly turned, darker, noisy, soft, JPEG."""
    mode, turn = PROFILES[profile]
    if mode == "1":
        return _bilevel(image, rng, turn)
    fill = 255 if mode == "L" else (255, 255, 255)
    grey = image.convert(mode).rotate(
        rng.uniform(-turn, turn), resample=Image.Resampling.BICUBIC, fillcolor=fill
    )
    pixels = np.asarray(grey).astype(np.float32) * rng.uniform(0.85, 1.0)
    pixels += np.random.default_rng(rng.randint(0, 10**6)).normal(0, 10, pixels.shape)
    soft = Image.fromarray(np.clip(pixels, 0, 255).astype("uint8")).filter(
        ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8))
    )
    buffer = io.BytesIO()
    soft.save(buffer, "JPEG", quality=rng.randint(45, 75))
    return Image.open(buffer)


def _bilevel(image: Image.Image, rng: random.Random, turn: float) -> Image.Image:
    """Black and white at the scanner's threshold: a darker or lighter copy, and the specks a
    bilevel scan of dusty paper has."""
    grey = image.convert("L").rotate(
        rng.uniform(-turn, turn), resample=Image.Resampling.BICUBIC, fillcolor=255
    )
    pixels = np.asarray(grey.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.9)))).astype(np.float32)
    noise = np.random.default_rng(rng.randint(0, 10**6))
    pixels += noise.normal(0, 12, pixels.shape)
    black = pixels < rng.uniform(110, 175)
    black |= noise.random(pixels.shape) < 0.0004
    return Image.fromarray(np.where(black, 0, 255).astype("uint8")).convert("1", dither=Image.Dither.NONE)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.truetype(str(FONT), size) if FONT.exists() else ImageFont.load_default(size)


def seal(radius: int, text: str, rng: random.Random) -> Image.Image:
    """A red round seal: two rings, the body's name around them, a star in the middle."""
    size = 2 * radius + 4
    ink = (200 + rng.randint(-20, 30), 25, 35)
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    centre = size / 2
    for ring, width in ((radius, max(3, radius // 30)), (int(radius * 0.72), max(2, radius // 60))):
        draw.ellipse((centre - ring, centre - ring, centre + ring, centre + ring), outline=ink, width=width)
    star = [
        (centre + r * math.sin(a * math.pi / 5), centre - r * math.cos(a * math.pi / 5))
        for a, r in ((k, radius * (0.22 if k % 2 == 0 else 0.09)) for k in range(10))
    ]
    draw.polygon(star, fill=ink)
    font = _font(max(8, radius // 7))
    letters = text.upper()[:40]
    for k, letter in enumerate(letters):  # each letter turned to follow the ring
        angle = -150 + 300 * k / max(1, len(letters) - 1)
        glyph = Image.new("L", (radius // 4, radius // 4), 0)
        ImageDraw.Draw(glyph).text((2, 0), letter, font=font, fill=255)
        glyph = glyph.rotate(-angle, expand=True)
        r = radius * 0.86
        x = centre + r * math.sin(math.radians(angle)) - glyph.width / 2
        y = centre - r * math.cos(math.radians(angle)) - glyph.height / 2
        image.paste(Image.new("RGB", glyph.size, ink), (int(x), int(y)), glyph)
    return image


def signature_scrawl(width: int, height: int, rng: random.Random) -> Image.Image:
    """A blue hand signature: a few loops drawn with a pen's width."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    points = []
    for k in range(40):
        t = k / 39
        points.append(
            (
                width * (0.1 + 0.8 * t),
                height * (0.5 + 0.35 * math.sin(t * rng.uniform(9, 16)) * rng.uniform(0.5, 1)),
            )
        )
    draw.line(points, fill=(30, 40, 160), width=max(2, height // 25), joint="curve")
    return image


def stamp_signature(
    page: Image.Image, pdf_page: pdfium.PdfPage, name: str, issuer: str, rng: random.Random
) -> None:
    """The seal over the left third of the signature and the signature itself, placed from
    where the signer's name is printed (nothing when the name is not on the page)."""
    if not name:
        return
    search = pdf_page.get_textpage().search(name, match_case=False)
    found, last = search.get_next(), None
    while found:
        last, found = found, search.get_next()
    if last is None:
        return
    textpage = pdf_page.get_textpage()
    left, _, right, top = textpage.get_charbox(last[0])
    *_, end_right, _ = textpage.get_charbox(last[0] + last[1] - 1)
    scale = page.width / pdf_page.get_width()
    name_left, name_right = left * scale, max(right, end_right) * scale
    name_top = (pdf_page.get_height() - top) * scale
    gap = 26 / 25.4 * DPI * scale / (DPI / 72)  # a signature's usual height, 26 mm
    scrawl = signature_scrawl(int(name_right - name_left + gap / 2), int(gap * 0.8), rng)
    page.paste(
        ImageChops.multiply(
            page.crop(
                (
                    int(name_left),
                    int(name_top - gap),
                    int(name_left) + scrawl.width,
                    int(name_top - gap) + scrawl.height,
                )
            ),
            scrawl,
        ),
        (int(name_left), int(name_top - gap)),
    )
    radius = int(SEAL_RADIUS_MM / 25.4 * DPI * scale / (DPI / 72))
    x = int(name_left + rng.uniform(-0.1, 0.25) * (name_right - name_left)) - radius
    y = int(name_top - gap / 2 - rng.uniform(0, 0.2) * gap) - radius
    ring = seal(radius, issuer, rng)
    box = (x, y, x + ring.width, y + ring.height)
    page.paste(ImageChops.multiply(page.crop(box), ring), box[:2])


RECEIVING_OFFICES = (
    "VĂN PHÒNG UBND TỈNH",
    "SỞ TƯ PHÁP",
    "SỞ TÀI CHÍNH",
    "UBND HUYỆN",
    "SỞ NỘI VỤ",
    "BỘ TƯ PHÁP",
)


def handwriting(text_width: int, height: int, rng: random.Random) -> list[list[tuple[float, float]]]:
    """Strokes of a few handwritten digits: short loops and bars, one stroke a digit."""
    strokes = []
    digits = rng.randint(2, 4)
    for k in range(digits):
        left = text_width * k / digits
        points = []
        for j in range(8):
            t = j / 7
            points.append(
                (
                    left + text_width / digits * (0.2 + 0.6 * (0.5 + 0.5 * math.sin(t * rng.uniform(3, 7)))),
                    height * (0.15 + 0.7 * t),
                )
            )
        strokes.append(points)
    return strokes


def received_stamp(page: Image.Image, rng: random.Random) -> None:
    """A received stamp pressed on page 1's top half: a box with the receiving office, "ĐẾN",
    and a number and a date written in by hand, left or right of the middle, over print or not."""
    mm = DPI / 25.4
    width, height = int(rng.uniform(46, 56) * mm), int(rng.uniform(24, 32) * mm)
    ink = rng.choice(((120, 40, 150), (190, 30, 40), (90, 40, 170)))
    stamp = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(stamp)
    draw.rectangle((0, 0, width - 1, height - 1), outline=ink, width=max(3, int(0.5 * mm)))
    small, big = _font(int(2.6 * mm)), _font(int(4.2 * mm))
    draw.text((int(2 * mm), int(1.5 * mm)), rng.choice(RECEIVING_OFFICES), font=small, fill=ink)
    draw.text((int(2 * mm), int(6 * mm)), "ĐẾN", font=big, fill=ink)
    rows = (("Số:", 6.5), ("Ngày:", 12.5), ("Chuyển:", 18.5))
    for label, top in rows:
        draw.text((int(16 * mm), int(top * mm)), label, font=small, fill=ink)
    pen = (30, 40, 160)
    for _, top in rows[:2]:
        left = int(27 * mm)
        for stroke in handwriting(int(14 * mm), int(4.5 * mm), rng):
            draw.line(
                [(left + x, int((top - 1) * mm) + y) for x, y in stroke],
                fill=pen,
                width=max(2, int(0.35 * mm)),
            )
    stamp = stamp.rotate(rng.uniform(-6, 6), expand=True, fillcolor="white")
    x = int(rng.choice((rng.uniform(0.05, 0.3), rng.uniform(0.5, 0.7))) * page.width)
    y = int(rng.uniform(0.02, 0.3) * page.height)
    box = (x, y, x + stamp.width, y + stamp.height)
    page.paste(ImageChops.multiply(page.crop(box), stamp), box[:2])


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


def simulate(corpus: Path, out: Path, profile: str = "desk", seed: str = "") -> int:
    """Scans of the born-digital documents of ``corpus`` in ``out``; another ``seed`` gives
    another set of the same kind (other turns, seals, noise), unseen by whoever tuned on one."""
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
            rng = random.Random(seed + (name.name if profile == "desk" else f"{profile}:{name.name}"))
            gold_record = json.loads((corpus / "gold" / f"{name.stem}.json").read_text(encoding="utf-8"))
            pdf = pdfium.PdfDocument(str(source))
            pdf.init_forms()
            pages: list[Image.Image] = []
            for i in pages_to_keep(pdf):
                page = pdf[i].render(scale=DPI / 72, may_draw_forms=True).to_pil()
                if profile in STAMPED:
                    page = page.convert("RGB")
                    signer = gold_record.get("signer") or {}
                    stamp_signature(
                        page, pdf[i], signer.get("name") or "", gold_record.get("issuer") or "", rng
                    )
                if not pages and (profile == "received" or (profile == "bilevel" and rng.random() < 0.5)):
                    received_stamp(page, rng)
                pages.append(degrade(page, rng, profile))
            copy = docs / f"{name.stem}.pdf"
            pages[0].save(copy, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
            shutil.copy(corpus / "gold" / f"{name.stem}.json", gold / f"{name.stem}.json")
            manifest.append({**entry, "file": copy.name, "format": f"pdf-scan-simulated-{profile}"})
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
    parser.add_argument("--profile", choices=sorted(PROFILES), default="desk")
    parser.add_argument("--seed", default="", help="another set of the same kind (default: the first)")
    args = parser.parse_args()
    print(f"{simulate(args.corpus, args.out, args.profile, args.seed)} simulated scans in {args.out}")


if __name__ == "__main__":
    main()
