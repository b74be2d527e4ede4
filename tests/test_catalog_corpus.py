"""Duplicate groups on real corpus documents (slow: runs the pipeline on each file).

Same document, other file: a corpus DOCX and the PDF LibreOffice makes of it; a corpus text-layer
PDF and an image-only copy of its pages (read back by OCR). Different documents that look alike:
two yearly plans of one province made from one template (055/061, 3-shingle Jaccard 0.80, as
high as the DOCX/PDF pair), two drug-prevention plans (058/059, 0.53), and a dispatch with its
attached agenda, which share a number (069/087). Only the first two pairs may be grouped.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.catalog import Catalog
from pipeline.run import process_file

ALIKE_BUT_DIFFERENT = ["055.docx", "061.docx", "058.doc", "059.doc", "069.pdf", "087.pdf"]


def _as_pdf(source: Path, folder: Path) -> Path:
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return folder / (source.stem + ".pdf")


def _as_scan(source: Path, target: Path) -> Path:
    pdf = pdfium.PdfDocument(str(source))
    images = [pdf[index].render(scale=200 / 72).to_pil().convert("RGB") for index in range(len(pdf))]
    images[0].save(target, save_all=True, append_images=images[1:], resolution=200)
    return target


@pytest.mark.slow
def test_same_documents_in_other_files_are_grouped_and_look_alikes_are_not(
    corpus_docs: Path, tmp_path: Path
) -> None:
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is missing: scripts/setup.sh installs it")
    converted = tmp_path / "converted"
    converted.mkdir()
    docx_pdf = _as_pdf(corpus_docs / "056.docx", converted)
    scan = _as_scan(corpus_docs / "085.pdf", converted / "085-scan.pdf")
    paths = [corpus_docs / name for name in ALIKE_BUT_DIFFERENT]
    paths += [corpus_docs / "056.docx", docx_pdf, corpus_docs / "085.pdf", scan]
    records = [process_file(path) for path in paths]
    assert records[-1].source.pages[0].origin == "ocr"
    catalog = Catalog(tmp_path / "catalog.sqlite")
    catalog.load(records)
    groups = sorted(sorted(Path(doc["path"]).name for doc in group) for group in catalog.duplicates())
    catalog.close()
    assert groups == [["056.docx", "056.pdf"], ["085-scan.pdf", "085.pdf"]]
