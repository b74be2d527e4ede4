"""HTML reader: main content only, tables, encodings, and no recursion on deep markup."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pipeline.read.html import read_html
from tests.helpers import cp1258_bytes

PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>Kế hoạch số 12</title>
<style>p {{ color: red }}</style><script>var menu = "Trang chủ";</script></head>
<body><nav><a href="/">Trang chủ</a> | <a>Tin tức</a></nav><header>Cổng thông tin điện tử</header>
<div class="main-menu"><ul><li>Giới thiệu</li></ul></div>
<main>
<table><tr><td><b>ỦY BAN NHÂN DÂN</b><br>TỈNH LÂM ĐỒNG</td><td>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</td></tr>
<tr><td>Số: 12/KH-UBND</td><td><i>Lâm Đồng, ngày 05 tháng 3 năm 2026</i></td></tr></table>
<p align="center"><strong>KẾ HOẠCH</strong></p>
<p>Thực hiện <em>Nghị quyết</em> số 76/NQ-CP;</p>
<ul><li>Mục 1</li><li>Mục 2</li></ul>
<table border="1"><tr><th colspan="2">Nhiệm vụ</th></tr>
<tr><td rowspan="2">1</td><td>Rà soát</td></tr></table>
</main><aside>Tin liên quan</aside><footer>Bản quyền 2026</footer></body></html>"""


def _texts(path: Path) -> list[str]:
    return [unicodedata.normalize("NFC", line.text) for line in read_html(path).pages[0].lines]


def test_main_content_without_menus_and_with_tables(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    document = read_html(path)
    page = document.pages[0]
    texts = [line.text for line in page.lines]
    assert texts[:5] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH LÂM ĐỒNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 12/KH-UBND",
        "Lâm Đồng, ngày 05 tháng 3 năm 2026",
    ]
    assert "Thực hiện Nghị quyết số 76/NQ-CP;" in texts and "Mục 2" in texts
    for boilerplate in ("Trang chủ", "Tin tức", "Giới thiệu", "Tin liên quan", "Bản quyền 2026"):
        assert not any(boilerplate in text for text in texts)
    issuer, _, motto, number, date = page.lines[:5]
    assert (issuer.block, issuer.table_index, issuer.row, issuer.column, issuer.bold) == (
        "table",
        0,
        0,
        0,
        True,
    )
    assert (motto.row, motto.column, number.row, number.column) == (0, 1, 1, 0) and date.italic
    title = next(line for line in page.lines if line.text == "KẾ HOẠCH")
    assert title.bold and title.centered and title.block == "body"
    header, tasks = page.tables
    assert header.borderless is True and tasks.borderless is False
    assert [(c.text, c.colspan, c.rowspan) for row in tasks.rows for c in row] == [
        ("Nhiệm vụ", 2, 1),
        ("1", 1, 2),
        ("Rà soát", 1, 1),
    ]
    assert document.metadata["html_title"] == "Kế hoạch số 12"


def test_cp1258_page_decoded_from_meta_charset(tmp_path: Path) -> None:
    path = tmp_path / "legacy.htm"
    path.write_bytes(cp1258_bytes(PAGE.format(charset="windows-1258")))
    texts = _texts(path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts and "Rà soát" in texts


def test_wrong_meta_charset_falls_back_to_detection(tmp_path: Path) -> None:
    path = tmp_path / "liar.html"
    path.write_bytes(PAGE.format(charset="us-ascii").encode("utf-8"))
    assert "KẾ HOẠCH" in _texts(path)


def test_deeply_nested_markup_does_not_crash_or_lose_text(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text(
        "<html><body>" + "<div>" * 50_000 + "sâu" + "</div>" * 50_000 + "<p>sau</p></body></html>"
    )
    document = read_html(path)
    assert [line.text for line in document.pages[0].lines] == ["sâu", "sau"]
    assert document.warnings and document.warnings[0][0] == "html.too_deep"


def test_moderately_nested_markup_keeps_structure(tmp_path: Path) -> None:
    path = tmp_path / "nested.html"
    path.write_text("<html><body>" + "<div>" * 200 + "<p>a</p><p>b</p>" + "</div>" * 200 + "</body></html>")
    document = read_html(path)
    assert [line.text for line in document.pages[0].lines] == ["a", "b"] and not document.warnings
