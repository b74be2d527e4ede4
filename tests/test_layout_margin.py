"""A stamp in the left margin of a scan beside the title is no part of the summary, and the
enacting authority after it still ends the summary when OCR put a speck before it."""

from __future__ import annotations

from pipeline.layout.zones import cut_zones
from pipeline.model import Document, Line, Page
from pipeline.repair.ocr_noise import mark_document

# Page 1 of a scanned permit as Tesseract reads it (positions in points): the gazette
# office's received stamp sits in the left margin, level with the summary.
PERMIT = [
    ("ỦY BAN NHÂN DÂN", 85, 57),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 246, 58),
    ("TỈNH QUẢNG NGÃI", 86, 72),
    ("Độc lập - Tự do - Hạnh phúc", 304, 75),
    ("Số: 48/GP-UBND", 96, 98),
    ("Quảng Ngãi, ngày 25 tháng 7 năm 2016", 295, 100),
    ("GIẤY PHÉP", 250, 122),
    ("XẢ NƯỚC THẢI VÀO NGUỒN NƯỚC", 170, 138),
    (": TRUNG TÂM CÔNG BÁO & TIN HỌC Q. NGÃI", 4, 158),
    (":", 50, 190),
    ("mm. Ủy BAN NHÂN DÂN TỈNH QUẢNG NGÃI", 126, 173),  # the authority, a speck before it
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;", 101, 208),
    ("Căn cứ Luật Tài nguyên nước ngày 21/6/2012;", 101, 238),
    ("Căn cứ Nghị định số 201/2013/NĐ-CP ngày 27/11/2013 của Chính phủ quy định", 101, 258),
    ("chi tiết thi hành một số điều của Luật Tài nguyên nước;", 85, 276),
    ("Xét đề nghị của Giám đốc Sở Tài nguyên và Môi trường tại Tờ trình số 120/TTr-STNMT", 101, 296),
]


def page(origin: str) -> Document:
    lines = [Line(text=t, x0=x, top=y, x1=x + 6 * len(t), bottom=y + 12) for t, x, y in PERMIT]
    return Document(path="permit.pdf", format="pdf", pages=[Page(number=1, lines=lines, origin=origin)])  # type: ignore[arg-type]


def summary(doc: Document) -> list[str]:
    mark_document(doc)  # repair.ocr_noise marks the speck before the authority
    return [doc.pages[0].lines[i].text for _, i in cut_zones(doc)["summary"]]


def test_the_margin_stamp_is_left_out_of_a_scans_summary() -> None:
    assert summary(page("ocr")) == ["XẢ NƯỚC THẢI VÀO NGUỒN NƯỚC"]


def test_a_text_layer_keeps_its_lines_where_they_are() -> None:
    # Only OCR'd pages carry stamps read as text lines; a text layer is laid out by its author.
    assert ": TRUNG TÂM CÔNG BÁO & TIN HỌC Q. NGÃI" in summary(page("text"))
