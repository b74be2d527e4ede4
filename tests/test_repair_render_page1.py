"""Page 1 of a colour scan is read without the ink that is not print: a received stamp's red
or purple in the header with the clerk's blue handwriting inside its box (blue handwriting
elsewhere in the header stays, it is the number or the day written in), and below the header
any coloured ink, a seal's or a signature's, as on the other pages. The stamp is a real one,
cut from a scanned plan: red print, blue handwriting. The real bands of three more scans
(tests/fixtures/colour/) show the stamp going with its handwriting, the document's own
handwritten number staying, and print with a scanner's colour fringes left as it is."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from pipeline.repair.render import page_image

FIXTURES = Path(__file__).parent / "fixtures"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
DPI = 200
A4 = (1653, 2339)
HEADER_AT, BOTTOM_AT = (60, 300), (60, 1700)  # the stamp pressed in the header, and low on the page


def _stamp() -> Image.Image:
    with Image.open(FIXTURES / "scan_received_stamp.png") as stamp:
        return stamp.convert("RGB")


def _colour_masks(stamp: Image.Image) -> tuple[np.ndarray, np.ndarray]:
    """Where the stamp is red and where it is blue (its cores, clear of JPEG edges)."""
    pixels = np.asarray(stamp).astype(int)
    red, green, blue = pixels[:, :, 0], pixels[:, :, 1], pixels[:, :, 2]
    return (red - green > 120) & (red - blue > 100), (blue - red > 80) & (blue - green > 40)


def _scan(path: Path, mode: str = "RGB") -> Path:
    page = Image.new("RGB", A4, "white")
    font = ImageFont.truetype(str(FONT), 40) if FONT.exists() else ImageFont.load_default(40)
    ImageDraw.Draw(page).text((700, 200), "Số: 996/KH-TCTLNTW", fill="black", font=font)
    for at in (HEADER_AT, BOTTOM_AT):
        page.paste(_stamp(), at)
    page.convert(mode).save(path, "PDF", resolution=DPI)
    return path


def _levels(image: Image.Image, at: tuple[int, int], mask: np.ndarray) -> float:
    grey = np.asarray(image)
    left, top = at
    return float(np.median(grey[top : top + mask.shape[0], left : left + mask.shape[1]][mask]))


def test_received_stamp_goes_with_the_handwriting_in_it_in_the_header(tmp_path: Path) -> None:
    image, _ = page_image(str(_scan(tmp_path / "scan.pdf")), 0, DPI / 72)
    red, blue = _colour_masks(_stamp())
    assert red.sum() > 2000 and blue.sum() > 300
    assert _levels(image, HEADER_AT, red) > 200  # the stamp's red print: paper
    assert _levels(image, HEADER_AT, blue) > 200  # the arrival number and date written in it: paper
    assert _levels(image, BOTTOM_AT, red) > 200 and _levels(image, BOTTOM_AT, blue) > 200
    print_box = np.asarray(image)[200:250, 700:1100]
    assert print_box.min() < 80  # black print stays


def test_the_stamp_reader_and_a_grey_scan_see_the_page_as_it_is(tmp_path: Path) -> None:
    colour = str(_scan(tmp_path / "scan.pdf"))
    as_scanned: list[Image.Image] = []
    page_image(colour, 0, DPI / 72, as_scanned=as_scanned)
    red, _ = _colour_masks(_stamp())
    assert _levels(as_scanned[0], HEADER_AT, red) < 200  # an urgency stamp is often red: the reader needs it
    grey = str(_scan(tmp_path / "grey.pdf", mode="L"))
    image, _ = page_image(grey, 0, DPI / 72, as_scanned=as_scanned)
    assert len(as_scanned) == 1  # nothing taken out of a grey scan
    pdf = pdfium.PdfDocument(grey)
    rendered = pdf[0].render(scale=DPI / 72, grayscale=True).to_pil()
    assert np.array_equal(np.asarray(image), np.asarray(rendered))


def _band(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A real band's page 1 as OCR reads it (grey), and where it is red and where blue as
    scanned (the cores of the stamp's and of the pen's strokes), at the band's 150 dpi."""
    path = str(FIXTURES / "colour" / f"{name}.pdf")
    image, _ = page_image(path, 0, 150 / 72)
    pdf = pdfium.PdfDocument(path)
    try:
        colour = np.asarray(pdf[0].render(scale=150 / 72).to_pil(), dtype=int)
    finally:
        pdf.close()
    red, green, blue = colour[:, :, 0], colour[:, :, 1], colour[:, :, 2]
    return np.asarray(image, dtype=int), (red - green > 80) & (red - blue > 60), (blue - red > 60)


def test_a_real_stamp_goes_with_its_handwriting_and_the_summary_beside_it_stays() -> None:
    # A red "ĐẾN" stamp with its number, date and office written in blue, left of a summary.
    read, red, blue = _band("received_stamp_with_pen_over_summary")
    assert red.sum() > 1000 and blue.sum() > 200
    assert np.median(read[red]) > 200 and np.median(read[blue]) > 200
    summary = read[70:150, 500:1150]  # pixels at 150 dpi: the summary's black print
    assert (summary < 100).sum() > 2500


def test_the_documents_own_handwritten_number_stays_beside_a_stamp() -> None:
    # "Số: 2894" written in dark pen left of the header; a red received stamp right of the title.
    read, red, _ = _band("received_stamp_beside_pen_number")
    pdf = pdfium.PdfDocument(FIXTURES / "colour" / "received_stamp_beside_pen_number.pdf")
    try:
        scanned = np.asarray(pdf[0].render(scale=150 / 72, grayscale=True).to_pil(), dtype=int)
    finally:
        pdf.close()
    number = (slice(55, 100), slice(240, 360))  # pixels at 150 dpi
    assert (scanned[number] < 128).sum() > 200
    assert np.array_equal(read[number], scanned[number])
    assert red.sum() > 500 and np.median(read[red]) > 200


def test_print_with_colour_fringes_is_left_as_it_is() -> None:
    # A scanner's red and blue fringes on the edges of black print (pixels 15-70 apart), no stamp.
    path = str(FIXTURES / "colour" / "fringed_print_and_pen_header.pdf")
    image, _ = page_image(path, 0, 150 / 72)
    pdf = pdfium.PdfDocument(path)
    try:
        grey = pdf[0].render(scale=150 / 72, grayscale=True).to_pil()
    finally:
        pdf.close()
    assert np.array_equal(np.asarray(image), np.asarray(grey))
