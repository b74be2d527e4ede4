"""Task tables against the gold, row by row (issue 17's target).

For every gold document with task-table rows (``source`` "table"), the table rows of its record
are matched one-to-one with the gold's by the evaluator's own task matching, and the report gives
per document: rows in the gold, rows found, lead / cooperating / deadline right on the matched
rows, and the record's table rows that match no gold row (a group heading output as a task shows
here; ``--show`` prints them and the wrong cells).

    python3 cli.py extract DOCS... -o OUT
    python3 -m bench.task_tables OUT --gold ../shared/corpus/gold [--show]

``--forms DIR`` measures the same plans in the other forms a user has them in: the document as
the corpus holds it, its LibreOffice PDF print, the same print with the tables' borders taken
away (a plan printed from a DOCX whose task table has no rules), and with ``--scan`` that print
as a desk scanner returns it (bench.simscan's degradation, every page). Forms are written under
DIR/<form>/docs, their records under DIR/<form>/records (kept: a second run only measures):

    python3 -m bench.task_tables --forms /tmp/forms [--scan] [--show]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from pipeline.evaluate.corpus import load_gold, load_records
from pipeline.evaluate.deadline import same_deadline
from pipeline.evaluate.match import match_tasks, same_bodies
from pipeline.evaluate.shape import to_gold_shape
from pipeline.options import Options
from pipeline.run import process_file

from .simscan import CORPUS, DPI, degrade

COLUMNS = ("lead", "cooperating", "deadline")


def _table_rows(plan: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [task for task in (plan or {}).get("tasks") or [] if task.get("source") == "table"]


def _right(column: str, gold: dict[str, Any], got: dict[str, Any]) -> bool:
    if column == "deadline":
        return same_deadline(gold.get("deadline"), got.get("deadline"))
    return same_bodies(gold.get(column) or [], got.get(column) or [])


def measure(
    records_dir: Path, gold_dir: Path, show: bool = False, ids: set[str] | None = None
) -> list[dict[str, Any]]:
    records = load_records(records_dir)
    rows: list[dict[str, Any]] = []
    for doc_id, gold in load_gold(gold_dir, ids).items():
        gold_rows = _table_rows(gold.get("plan"))
        if not gold_rows:
            continue
        record = records.get(doc_id)
        shape = to_gold_shape(record) if record is not None else {}
        found = _table_rows(shape.get("plan"))
        matching = match_tasks(gold_rows, found)
        line: dict[str, Any] = {"id": doc_id, "gold": len(gold_rows), "found": len(found)}
        line["matched"] = len(matching.pairs)
        for column in COLUMNS:
            line[column] = sum(_right(column, gold_rows[g], found[p]) for g, p in matching.pairs)
        line["extra"] = len(matching.unmatched_predicted)
        rows.append(line)
        if show:
            for g, p in matching.pairs:
                for column in COLUMNS:
                    if not _right(column, gold_rows[g], found[p]):
                        print(f"{doc_id} {column}: {gold_rows[g]['text'][:50]!r}")
                        print(f"    gold {gold_rows[g].get(column)!r}\n    got  {found[p].get(column)!r}")
            for g in matching.unmatched_gold:
                print(f"{doc_id} missed: {gold_rows[g]['text'][:90]!r}")
            for p in matching.unmatched_predicted:
                print(f"{doc_id} extra: {found[p]['text'][:90]!r}")
    return rows


FORMS = ("as held", "print", "print, no borders", "scan of print")
# Word processor files a user prints; a scan or a Markdown text has no print of its own.
PRINTABLE = (".docx", ".doc", ".rtf", ".odt")
_BORDERS = re.compile(r"<w:(tblBorders|tcBorders)>.*?</w:\1>|<w:(tblBorders|tcBorders)/>", re.S)
_NO_BORDERS = (
    "<w:tblBorders>"
    + "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + "</w:tblBorders>"
)


def _office() -> str:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise SystemExit("the printed forms need LibreOffice (soffice)")
    return office


def _convert(source: Path, to: str, folder: Path) -> Path:
    subprocess.run(
        [_office(), "--headless", "--convert-to", to, "--outdir", str(folder), str(source)],
        capture_output=True,
        timeout=300,
        check=False,
    )
    converted = folder / f"{source.stem}.{to}"
    if not converted.exists():
        raise SystemExit(f"LibreOffice did not convert {source} to {to}")
    return converted


def without_borders(docx: Path, out: Path) -> None:
    """``docx`` with every table's and cell's borders taken away (table styles' included)."""
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename in ("word/document.xml", "word/styles.xml"):
                text = _BORDERS.sub("", data.decode("utf-8"))
                if item.filename == "word/document.xml":
                    text = text.replace("<w:tblPr>", "<w:tblPr>" + _NO_BORDERS)
                    text = text.replace("<w:tblPr/>", f"<w:tblPr>{_NO_BORDERS}</w:tblPr>")
                data = text.encode("utf-8")
            target.writestr(item, data)


# A print longer than this is not scanned: hours of OCR (the TCVN3 .doc's 156 pages).
SCAN_PAGES = 60


def _pages(pdf_path: Path) -> int:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def scanned(pdf_path: Path, out: Path) -> None:
    """Every page of ``pdf_path`` as a desk scanner returns it (bench.simscan's degradation)."""
    rng = random.Random(pdf_path.name)
    pdf = pdfium.PdfDocument(str(pdf_path))
    pages = [degrade(pdf[i].render(scale=DPI / 72).to_pil(), rng) for i in range(len(pdf))]
    pages[0].save(out, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])


def build_forms(corpus: Path, ids: list[str], out: Path, scan: bool) -> dict[str, Path]:
    """The forms' folders of documents (a form already built is kept)."""
    names = {path.stem: path for path in (corpus / "docs").iterdir() if path.stem in ids}
    folders = {form: out / form.replace(", ", "-").replace(" ", "-") / "docs" for form in FORMS}
    if not scan:
        del folders["scan of print"]
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for doc_id, source in sorted(names.items()):
            held = folders["as held"] / source.name
            if not held.exists():
                shutil.copy(source, held)
            if source.suffix.lower() not in PRINTABLE:
                continue
            printed = folders["print"] / f"{doc_id}.pdf"
            if not printed.exists():
                shutil.copy(_convert(source, "pdf", work), printed)
            unruled = folders["print, no borders"] / f"{doc_id}.pdf"
            if not unruled.exists():
                docx = source if source.suffix.lower() == ".docx" else _convert(source, "docx", work)
                bare = work / "bare" / f"{doc_id}.docx"
                bare.parent.mkdir(exist_ok=True)
                without_borders(docx, bare)
                shutil.copy(_convert(bare, "pdf", work), unruled)
            if (
                scan
                and not (folders["scan of print"] / f"{doc_id}.pdf").exists()
                and _pages(printed) <= SCAN_PAGES
            ):
                scanned(printed, folders["scan of print"] / f"{doc_id}.pdf")
    return folders


def extract_all(docs: Path, records: Path) -> None:
    """One record per document not yet extracted, as ``vanban extract --no-text`` writes it."""
    records.mkdir(parents=True, exist_ok=True)
    for path in sorted(docs.iterdir()):
        target = records / f"{path.name}.json"
        if not target.exists():
            record = process_file(path, options=Options(include_text=False))
            target.write_text(record.model_dump_json(), encoding="utf-8")


def _share(right: int, matched: int) -> str:
    return f"{right / matched:.3f}" if matched else "-"


_KEYS = ("gold", "found", "matched", *COLUMNS, "extra")


def _totals(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {key: sum(line[key] for line in rows) for key in _KEYS}


def _line(name: str, line: dict[str, Any]) -> str:
    shares = " | ".join(_share(line[c], line["matched"]) for c in COLUMNS)
    return f"| {name} | {line['gold']} | {line['found']} | {line['matched']} | {shares} | {line['extra']} |"


def print_table(rows: list[dict[str, Any]]) -> None:
    print("| doc | gold rows | found | matched | lead | cooperating | deadline | extra |")
    print("|---|---|---|---|---|---|---|---|")
    for line in rows:
        print(_line(line["id"], line))
    print(_line("all", _totals(rows)))


def measure_forms(out: Path, gold: Path, scan: bool, show: bool) -> None:
    ids = [doc_id for doc_id, entry in load_gold(gold).items() if _table_rows(entry.get("plan"))]
    folders = build_forms(gold.parent, ids, out, scan)
    summary: list[tuple[str, list[dict[str, Any]]]] = []
    for form, docs in folders.items():
        records = docs.parent / "records"
        extract_all(docs, records)
        held = {path.stem for path in docs.iterdir()}
        print(f"\n### {form} ({len(held)} documents)\n")
        rows = measure(records, gold, show, held)
        print_table(rows)
        summary.append((form, rows))
    print("\n| form | documents | gold rows | found | matched | lead | cooperating | deadline | extra |")
    print("|---|---|---|---|---|---|---|---|---|")
    for form, rows in summary:
        line = _line(form, _totals(rows)).replace(f"| {form} |", f"| {form} | {len(rows)} |", 1)
        print(line)
    printable = {line["id"] for line in summary[1][1]} if len(summary) > 1 else set()
    same = [line for line in summary[0][1] if line["id"] in printable]
    print(_line("as held, printable documents only", _totals(same)).replace(" |", f" | {len(same)} |", 1))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("records", type=Path, nargs="?")
    parser.add_argument("--gold", type=Path, default=CORPUS / "gold")
    parser.add_argument("--forms", type=Path, help="build, extract and measure the plans' other forms here")
    parser.add_argument("--scan", action="store_true", help="with --forms: also the print as a scan")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    if args.forms is not None:
        measure_forms(args.forms, args.gold, args.scan, args.show)
    elif args.records is not None:
        print_table(measure(args.records, args.gold, args.show))
    else:
        parser.error("give a records folder or --forms DIR")


if __name__ == "__main__":
    main()
