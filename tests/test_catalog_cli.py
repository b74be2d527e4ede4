"""The catalog on the command line: extract --catalog, catalog build, the queries and their outputs."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.catalog_support import BACKENDS, catalog_url
from tests.test_catalog import TASKS, all_records

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PLAN = ROOT / "samples" / "056.docx"


def write_records(folder: Path) -> None:
    folder.mkdir()
    for record in all_records():
        name = Path(record.source.path).name + ".json"
        (folder / name).write_text(record.model_dump_json(), encoding="utf-8")


@pytest.mark.parametrize("backend", BACKENDS)
def test_catalog_build_then_queries_in_table_json_and_csv(backend: str, tmp_path: Path) -> None:
    url = catalog_url(backend, tmp_path)
    write_records(tmp_path / "out")
    runner = CliRunner()
    built = runner.invoke(main, ["catalog", "build", str(tmp_path / "out"), "--catalog", url])
    assert built.exit_code == 0, built.output
    assert "7 added" in built.output
    again = runner.invoke(main, ["catalog", "build", str(tmp_path / "out"), "--catalog", url])
    assert "0 added" in again.output and "7 unchanged" in again.output

    table = runner.invoke(main, ["tasks", "--catalog", url, "--lead", "Sở Nội vụ", "--quarter", "2026-Q3"])
    assert table.exit_code == 0, table.output
    assert "tasks (1)" in table.output and "Rà soát, đơn giản hóa" in table.output
    as_json = json.loads(
        runner.invoke(main, ["tasks", "--catalog", url, "--body", "Sở Nội vụ", "--json"]).output
    )
    assert {row["task"] for row in as_json} == {TASKS[0]["text"], TASKS[1]["text"], TASKS[2]["text"]}
    as_csv = runner.invoke(main, ["tasks", "--catalog", url, "--overdue", "2026-06-01", "--csv"]).output
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert [row["task"] for row in rows] == [TASKS[1]["text"]]
    assert rows[0]["cooperating"] == "Sở Nội vụ; Các sở, ban, ngành"
    bad = runner.invoke(main, ["tasks", "--catalog", url, "--quarter", "Q5/2026"])
    assert bad.exit_code == 2

    documents = json.loads(
        runner.invoke(main, ["documents", "--catalog", url, "--type", "KH", "--json"]).output
    )
    assert len(documents) == 4
    links = json.loads(runner.invoke(main, ["links", "153/KH-UBND", "--catalog", url, "--json"]).output)
    assert len(links["cited_by"]) == 3
    shown = runner.invoke(main, ["links", "153/KH-UBND", "--catalog", url])
    assert "cited by (3)" in shown.output
    groups = json.loads(runner.invoke(main, ["duplicates", "--catalog", url, "--json"]).output)
    assert len(groups) == 1 and len(groups[0]) == 2


def test_extract_with_catalog_loads_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VANBAN_OCR", "0")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "cli.py", "extract", str(SAMPLE_PLAN), "-o", str(out), "-j", "1", "--catalog"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "catalog: 1 added" in result.stderr
    record = json.loads((out / "056.docx.json").read_text(encoding="utf-8"))
    url = f"sqlite:///{out / 'catalog.sqlite'}"
    runner = CliRunner()
    tasks = json.loads(runner.invoke(main, ["tasks", "--catalog", url, "--json"]).output)
    assert len(tasks) == len(record["plan"]["tasks"]) > 0
    assert sorted(row["task"] for row in tasks) == sorted(task["text"] for task in record["plan"]["tasks"])
    assert {row["sha256"] for row in tasks} == {record["source"]["sha256"]}


def test_a_plain_extract_does_not_load_the_catalog_libraries(tmp_path: Path) -> None:
    """A plain extract stays lean: SQLAlchemy, Alembic, datasketch, openpyxl and spaCy stay out."""
    text = tmp_path / "letter.txt"
    text.write_text(
        "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG\nSố: 12/UBND-NC\nV/v triển khai kế hoạch\n", encoding="utf-8"
    )
    probe = (
        "import sys, runpy\n"
        f"sys.argv = ['cli.py', 'extract', {str(text)!r}, '-o', {str(tmp_path / 'out')!r}, '-j', '1', '-q']\n"
        "try:\n"
        "    runpy.run_path('cli.py', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "extras = ('sqlalchemy', 'alembic', 'datasketch', 'openpyxl', 'spacy')\n"
        "loaded = [m for m in extras if m in sys.modules]\n"
        "print('LOADED=' + ','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert "LOADED=\n" in result.stdout, result.stdout + result.stderr
    assert (tmp_path / "out" / "letter.txt.json").exists()


def test_export_commands_write_their_files(tmp_path: Path) -> None:
    write_records(tmp_path / "out")
    url = f"sqlite:///{tmp_path / 'catalog.sqlite'}"
    runner = CliRunner()
    assert runner.invoke(main, ["catalog", "build", str(tmp_path / "out"), "--catalog", url]).exit_code == 0
    register = runner.invoke(main, ["export", "register", "--catalog", url, "-o", str(tmp_path / "r.csv")])
    assert register.exit_code == 0, register.output
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8-sig")))
    assert len(rows) == 7 and rows[0]["Số và ký hiệu"]
    sheet = tmp_path / "t.xlsx"
    tasks = runner.invoke(
        main, ["export", "tasks", "--catalog", url, "--source", "153/KH-UBND", "-o", str(sheet)]
    )
    assert tasks.exit_code == 0 and sheet.stat().st_size > 0
    wrong = runner.invoke(main, ["export", "tasks", "--catalog", url, "-o", str(tmp_path / "t.ods")])
    assert wrong.exit_code == 2
    edxml = runner.invoke(main, ["export", "edxml", "--catalog", url, "-o", str(tmp_path / "edxml")])
    assert edxml.exit_code == 0
    assert len(list((tmp_path / "edxml").glob("*.edxml"))) == 7
