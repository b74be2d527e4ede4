"""Urgency and secrecy stamps pressed by hand on a scanned first page are read from the
image: a turned "HỎA TỐC" (a real scan's stamp), an upright framed "KHẨN"; a received stamp,
a word that is no stamp word, and print are not."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.repair.ocr_stamps import read_stamps, stamp_word
from pipeline.repair.tesseract import Word, tesseract_problem

FIXTURES = Path(__file__).parent / "fixtures"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
DPI = 300
A4 = (2480, 3508)

needs_tesseract = pytest.mark.skipif(tesseract_problem() is not None, reason="tesseract with vie is needed")


def test_a_stamp_reading_snaps_to_the_closed_lists_only_when_it_is_one_of_them() -> None:
    assert stamp_word("HGA TỐC") == "HỎA TỐC"  # one letter of six misread
    assert stamp_word("THUONG KHAN") == "THƯỢNG KHẨN"  # the marks worn away
    assert stamp_word("Tuyệt mật") == "TUYỆT MẬT"
    assert stamp_word("MẬT") == "MẬT" and stamp_word("MAT") == "MẬT"
    # a short word one letter or one mark off is another word, not a stamp
    assert stamp_word("MẶT") is None and stamp_word("KHĂN") is None and stamp_word("KHAI") is None
    assert stamp_word("ĐẾN Số: 123") is None and stamp_word("") is None


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.truetype(str(FONT), size) if FONT.exists() else ImageFont.load_default(size)


def _page(path: Path, *, stamp: Image.Image | None = None, at: tuple[int, int] = (100, 850)) -> Path:
    page = Image.new("L", A4, 255)
    if stamp is not None:
        page.paste(stamp, at)
    page.save(path)
    return path


def _framed(text: str) -> Image.Image:
    """A framed word in capitals as a rubber stamp prints it, upright."""
    font = _font(70)
    left, top, right, bottom = font.getbbox(text)
    image = Image.new("L", (right - left + 80, bottom - top + 80), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((6, 6, image.width - 7, image.height - 7), outline=0, width=8)
    draw.text((40 - left, 40 - top), text, fill=0, font=font)
    return image


@needs_tesseract
def test_a_turned_urgency_stamp_of_a_real_scan_is_read(tmp_path: Path) -> None:
    with Image.open(FIXTURES / "scan_urgency_stamp_turned.png") as stamp:
        image = _page(tmp_path / "page.png", stamp=stamp.convert("L"))
    [found] = read_stamps(image, DPI, [])
    assert found.word == "HỎA TỐC"
    left, top, right, bottom = found.box  # in points: where the stamp is pasted
    assert 20 < left < 50 and 200 < top < 230 and right < 150 and bottom < 320


@needs_tesseract
def test_an_upright_framed_stamp_is_read(tmp_path: Path) -> None:
    image = _page(tmp_path / "page.png", stamp=_framed("KHẨN"))
    assert [stamp.word for stamp in read_stamps(image, DPI, [])] == ["KHẨN"]


@needs_tesseract
def test_a_received_stamp_and_a_word_that_is_no_stamp_word_give_nothing(tmp_path: Path) -> None:
    image = _page(tmp_path / "received.png", stamp=_framed("ĐẾN Số: 125"))
    assert read_stamps(image, DPI, []) == []
    image = _page(tmp_path / "face.png", stamp=_framed("MẶT"))
    assert read_stamps(image, DPI, []) == []


@needs_tesseract
def test_ink_the_page_reading_explains_is_not_read_again(tmp_path: Path) -> None:
    stamp = _framed("KHẨN")
    image = _page(tmp_path / "page.png", stamp=stamp)
    # the page reading read the stamp's box confidently: it is print, and left alone
    word = Word(
        "KHẨN",
        100 * 72 / DPI,
        850 * 72 / DPI,
        (100 + stamp.width) * 72 / DPI,
        (850 + stamp.height) * 72 / DPI,
        95.0,
        (1, 1, 1),
    )
    assert read_stamps(image, DPI, [word]) == []


@needs_tesseract
def test_a_word_of_a_printed_line_read_with_little_confidence_is_no_stamp(tmp_path: Path) -> None:
    # A title's last word on a black-and-white scan ("... NƯỚC MẶT"), read unsure by the page,
    # then as a stamp word on its own. Inside a line of print it is that print; alone, a stamp.
    stamp = _framed("KHẨN")
    image = _page(tmp_path / "page.png", stamp=stamp)
    box = (100 * 72 / DPI, 850 * 72 / DPI, (100 + stamp.width) * 72 / DPI, (850 + stamp.height) * 72 / DPI)

    def word(text: str, left: float, confidence: float) -> Word:
        return Word(text, left, box[1], left + 20, box[3], confidence, (1, 1, 3))

    title = [word("SỬ", box[0] - 90, 91), word("DỤNG", box[0] - 60, 88), word("NƯỚC", box[0] - 30, 90)]
    unsure = Word("KHĂN", box[0] + 4, box[1] + 4, box[2] - 4, box[3] - 4, 41.0, (1, 1, 3))
    assert read_stamps(image, DPI, [*title, unsure]) == []
    alone = Word("KHĂN", box[0] + 4, box[1] + 4, box[2] - 4, box[3] - 4, 41.0, (1, 1, 4))
    assert [stamp.word for stamp in read_stamps(image, DPI, [*title, alone])] == ["KHẨN"]


def _letter_with_a_stamp(path: Path) -> Path:
    """A scanned letter's first page: its header printed, the real scan's turned "HỎA TỐC"
    stamp pressed under the summary, beside "Kính gửi"."""
    page = Image.new("L", A4, 255)
    draw = ImageDraw.Draw(page)
    font, bold = _font(40), _font(42)
    draw.text((250, 230), "VĂN PHÒNG CHÍNH PHỦ", fill=0, font=bold)
    draw.text((1150, 230), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", fill=0, font=bold)
    draw.text((1350, 300), "Độc lập - Tự do - Hạnh phúc", fill=0, font=bold)
    draw.text((330, 430), "Số: 3722/VPCP-CN", fill=0, font=font)
    draw.text((1300, 430), "Hà Nội, ngày 28 tháng 4 năm 2026", fill=0, font=font)
    draw.text((230, 500), "V/v cơ chế đặc thù xây dựng", fill=0, font=font)
    draw.text((260, 550), "công trình khẩn cấp", fill=0, font=font)
    draw.text((1000, 760), "Kính gửi: Bộ Tài chính.", fill=0, font=font)
    for row in range(6):
        draw.text(
            (250, 900 + 60 * row),
            "Xét đề nghị của Ủy ban nhân dân tỉnh về việc xây dựng công trình;",
            fill=0,
            font=font,
        )
    with Image.open(FIXTURES / "scan_urgency_stamp_turned.png") as stamp:
        page.paste(stamp.convert("L"), (40, 650))
    page.save(path, resolution=DPI)
    return path


@needs_tesseract
def test_a_scanned_letters_urgency_stamp_reaches_the_record_and_stays_out_of_its_summary(
    tmp_path: Path,
) -> None:
    from pipeline import extract

    record = extract(_letter_with_a_stamp(tmp_path / "letter.pdf"))
    assert record.document is not None
    assert record.document.urgency == "Hỏa tốc"
    assert record.document.summary == "cơ chế đặc thù xây dựng công trình khẩn cấp"
    assert any(warning.code == "ocr.stamp_read" for warning in record.warnings)
