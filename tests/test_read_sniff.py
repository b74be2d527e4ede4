"""Format sniffing decides from bytes, never from the file name."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import docx
import pytest

from pipeline.errors import PipelineError
from pipeline.read import read_document
from pipeline.read.sniff import sniff

FAMILY = {".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".rtf": "rtf"}
FIXTURES = Path(__file__).parent / "fixtures"


def test_every_corpus_file_sniffs_as_its_family(corpus_docs: Path) -> None:
    """End-to-end check on the real corpus: every PDF, DOCX, DOC and RTF file sniffs as the family its
    extension names (sniff only reads the first bytes, so the whole corpus takes well under a second)."""
    wrong = {
        path.name: sniff(path)
        for path in sorted(corpus_docs.iterdir())
        if path.suffix in FAMILY and sniff(path) != FAMILY[path.suffix]
    }
    assert wrong == {}


def _docx_bytes(path: Path) -> bytes:
    document = docx.Document()
    document.add_paragraph("Số: 12/KH-UBND")
    document.save(str(path))
    return path.read_bytes()


def _source_bytes(kind: str, tmp_path: Path) -> bytes:
    if kind == "pdf":
        return (FIXTURES / "header_two_blocks.pdf").read_bytes()
    if kind == "doc":
        return (FIXTURES / "plan_header_table.doc").read_bytes()
    if kind == "docx":
        return _docx_bytes(tmp_path / "built.docx")
    return b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 .VnTime;}}\\f0 S\\'e8: 12/KH-UBND\\par}"


@pytest.mark.parametrize(
    ("kind", "fake_name"),
    [("pdf", "renamed.docx"), ("docx", "renamed.pdf"), ("doc", "renamed.txt"), ("rtf", "renamed.html")],
)
def test_renamed_files_keep_their_real_format(tmp_path: Path, kind: str, fake_name: str) -> None:
    """A file saved under another family's extension (a PDF named .docx, a Word 97 file named .txt)
    is sniffed from its bytes: a real PDF and .doc excerpt, a .docx built here, a legacy-font RTF."""
    target = tmp_path / fake_name
    target.write_bytes(_source_bytes(kind, tmp_path))
    assert sniff(target) == kind


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
