"""Format sniffing decides from bytes, never from the file name."""

from __future__ import annotations

import random
import shutil
import zipfile
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.read import read_document
from pipeline.read.sniff import sniff

FAMILY = {".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".rtf": "rtf"}


def test_every_corpus_file_sniffs_as_its_family(corpus_docs: Path) -> None:
    wrong = {
        path.name: sniff(path)
        for path in sorted(corpus_docs.iterdir())
        if path.suffix in FAMILY and sniff(path) != FAMILY[path.suffix]
    }
    assert wrong == {}


@pytest.mark.parametrize(
    ("source", "fake_name", "expected"),
    [
        ("001.pdf", "renamed.docx", "pdf"),
        ("055.docx", "renamed.pdf", "docx"),
        ("058.doc", "renamed.txt", "doc"),
        ("144.rtf", "renamed.html", "rtf"),
    ],
)
def test_renamed_files_keep_their_real_format(
    corpus_docs: Path, tmp_path: Path, source: str, fake_name: str, expected: str
) -> None:
    target = tmp_path / fake_name
    shutil.copyfile(corpus_docs / source, target)
    assert sniff(target) == expected


def test_zero_byte_file_raises_read_empty(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(PipelineError) as caught:
        sniff(empty)
    assert caught.value.code == "read.empty"


def test_random_bytes_are_unknown_and_unsupported(tmp_path: Path) -> None:
    noise = tmp_path / "noise.docx"
    noise.write_bytes(random.Random(7).randbytes(8192))
    assert sniff(noise) == "unknown"
    with pytest.raises(PipelineError) as caught:
        read_document(noise)
    assert caught.value.code == "read.unsupported"


def test_zip_without_word_document_is_unknown(tmp_path: Path) -> None:
    archive = tmp_path / "data.docx"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("content.xml", "<x/>")
    assert sniff(archive) == "unknown"


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (b"<!DOCTYPE html><html><body><p>Xin chao</p></body></html>", "html"),
        (b"  <!-- saved page -->\n<html lang='vi'><head><title>x</title></head></html>", "html"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n".encode(), "txt"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n".encode("utf-16"), "txt"),
        ("Số: 12/KH-UBND\n".encode("utf-16-le"), "txt"),
        (b"{\\rtf1\\ansi Hello\\par}", "rtf"),
        (b"junk\n%PDF-1.4\n", "pdf"),
    ],
)
def test_small_payloads(tmp_path: Path, payload: bytes, expected: str) -> None:
    path = tmp_path / "file.bin"
    path.write_bytes(payload)
    assert sniff(path) == expected
