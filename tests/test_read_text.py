"""Plain text reader: encodings (BOM, UTF-8, UTF-16, cp1258), control characters, size guards."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.read import text as text_reader
from pipeline.read.text import read_text
from tests.helpers import cp1258_bytes

SAMPLE = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\r\n"
    "Độc lập - Tự do - Hạnh phúc\r\n"
    "Số: 12/KH-UBND. Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\r\n"
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư.\r\n"
)


@pytest.mark.parametrize(
    ("encode", "expected_codec"),
    [
        (lambda text: text.encode("utf-8"), "utf-8"),
        (lambda text: text.encode("utf-8-sig"), "utf-8"),
        (lambda text: text.encode("utf-16"), "utf-16-le"),
        (lambda text: text.encode("utf-16-be"), "utf-16-be"),
        (cp1258_bytes, "cp1258"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, encode: Callable[[str], bytes], expected_codec: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(encode(SAMPLE))
    document = read_text(path)
    assert document.format == "txt" and document.metadata["encoding"] == expected_codec
    lines = [unicodedata.normalize("NFC", line.text) for line in document.pages[0].lines]
    assert lines[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def test_nul_and_control_characters_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "dirty.txt"
    path.write_bytes("Số:\x00 12\x07/KH\x1b-UBND\tx\n".encode())
    assert read_text(path).pages[0].lines[0].text == "Số: 12/KH-UBND\tx"


def test_one_huge_line_is_split(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("a" * 25_000 + "\nb", encoding="utf-8")
    document = read_text(path)
    assert [len(line.text) for line in document.pages[0].lines] == [10_000, 10_000, 5_000, 1]
    assert document.warnings[0][0] == "text.long_lines"


def test_huge_file_is_truncated_with_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_reader, "MAX_CHARS", 1_000)
    path = tmp_path / "big.txt"
    path.write_text("Việt Nam\n" * 2_000, encoding="utf-8")
    document = read_text(path)
    assert len(document.pages[0].text) <= 1_000
    assert ("text.truncated", "only the first 1000 characters were read") in document.warnings


def test_empty_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(PipelineError) as caught:
        read_text(path)
    assert caught.value.code == "read.empty"
