"""Exports of the catalog: the register and task sheet (CSV, XLSX read back by LibreOffice) and edXML."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook

from pipeline.catalog import Catalog
from pipeline.export.edxml import NAMESPACE, read_edxml_header, record_to_edxml, write_edxml_files
from pipeline.export.sheets import (
    REGISTER_COLUMNS,
    TASK_COLUMNS,
    register_rows,
    task_rows,
    write_csv,
    write_xlsx,
)
from tests.catalog_support import BACKENDS, catalog_url
from tests.test_catalog import TASKS, all_records, draft_153, plan_153

XSD = Path(__file__).parent / "fixtures" / "edxml" / "qcvn102_header.xsd"


@pytest.fixture(params=BACKENDS)
def loaded(request: pytest.FixtureRequest, tmp_path: Path) -> Catalog:
    catalog = Catalog(catalog_url(request.param, tmp_path))
    request.addfinalizer(catalog.close)
    catalog.load(all_records())
    return catalog


def test_register_has_one_row_per_document_with_the_archive_columns(loaded: Catalog) -> None:
    rows = register_rows(loaded)
    assert len(rows) == 7
    assert list(rows[0]) == REGISTER_COLUMNS
    plan = next(row for row in rows if row["Tệp"] == "/archive/153.docx")
    assert plan["Số và ký hiệu"] == "153/KH-UBND"
    assert plan["Ngày tháng"] == "02/03/2026"
    assert plan["Tên loại và trích yếu nội dung"] == "Kế hoạch Cải cách hành chính năm 2026"
    assert plan["Cơ quan ban hành"] == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert plan["Người ký"] == "Nguyễn Văn An"
    assert plan["Nơi nhận"] == "Bộ Nội vụ; Lưu: VT, NC"
    assert plan["Số trang"] == 1
    assert plan["SHA-256"] == plan_153().source.sha256
    draft = next(row for row in rows if row["Tệp"] == "/archive/153-du-thao.pdf")
    assert draft["Số và ký hiệu"] == "/KH-UBND"
    assert draft["Ngày tháng"] == "03/2026"
    assert "số để trống" in draft["Ghi chú"]
    # The draft and the signed plan are one document: one of the two says so.
    assert sum("cùng văn bản với" in row["Ghi chú"] for row in (plan, draft)) == 1


def test_task_sheet_of_one_plan(loaded: Catalog) -> None:
    rows = task_rows(loaded, "153/KH-UBND")
    assert [row["Nhiệm vụ"] for row in rows] == [task["text"] for task in TASKS]
    assert rows[1]["Cơ quan phối hợp"] == "Sở Nội vụ; Các sở, ban, ngành"
    assert rows[0]["Thời hạn"] == "Quý III/2026"
    assert rows[0]["Hạn cuối"] == "30/09/2026"
    assert rows[2]["Hạn cuối"] == ""  # "Thường xuyên" has no last day
    assert rows[3]["Sản phẩm"] == "Báo cáo kết quả kiểm tra"
    assert {row["Trang"] for row in rows} == {1}
    assert task_rows(loaded, "45/UBND-NC") == []
    assert len(task_rows(loaded)) == 4


def test_csv_opens_with_its_vietnamese_letters(loaded: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    write_csv(register_rows(loaded), REGISTER_COLUMNS, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark spreadsheet programs look for
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 7
    assert {row["Số và ký hiệu"] for row in rows} >= {"153/KH-UBND", "45/UBND-NC"}


def test_xlsx_register_and_task_sheet_open_in_libreoffice(tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice, with Calc) is missing: scripts/setup.sh installs it")
    catalog = Catalog(tmp_path / "catalog.sqlite")
    catalog.load(all_records())
    register = tmp_path / "register.xlsx"
    tasks = tmp_path / "tasks.xlsx"
    write_xlsx(register_rows(catalog), REGISTER_COLUMNS, register, "Sổ đăng ký văn bản")
    write_xlsx(task_rows(catalog), TASK_COLUMNS, tasks, "Nhiệm vụ")
    catalog.close()
    assert load_workbook(register).active.title == "Sổ đăng ký văn bản"  # type: ignore[union-attr]
    profile = tmp_path / "lo-profile"
    out = tmp_path / "converted"
    env = {**os.environ, "HOME": str(tmp_path)}
    for path in (register, tasks):
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76",  # comma, quote, UTF-8
                "--outdir",
                str(out),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
            env=env,
        )
    register_rows_back = list(csv.DictReader((out / "register.csv").open(encoding="utf-8")))
    assert list(register_rows_back[0]) == REGISTER_COLUMNS
    assert len(register_rows_back) == 7
    plan = next(row for row in register_rows_back if row["Tệp"] == "/archive/153.docx")
    assert plan["Số và ký hiệu"] == "153/KH-UBND"
    assert plan["Tên loại và trích yếu nội dung"] == "Kế hoạch Cải cách hành chính năm 2026"
    task_rows_back = list(csv.DictReader((out / "tasks.csv").open(encoding="utf-8")))
    assert [row["Nhiệm vụ"] for row in task_rows_back] == [task["text"] for task in TASKS]
    assert task_rows_back[1]["Cơ quan phối hợp"] == "Sở Nội vụ; Các sở, ban, ngành"


def test_edxml_follows_the_header_structure_and_round_trips_the_fields() -> None:
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    record = plan_153()
    data = record_to_edxml(record)
    document = etree.fromstring(data)
    assert schema.validate(document), schema.error_log
    assert document.tag == f"{{{NAMESPACE}}}edXML"
    header = read_edxml_header(data)
    assert record.document is not None and record.document.signer is not None
    assert header == {
        "issuer": record.document.issuer,
        "number": "153",
        "symbol": "KH-UBND",
        "place": "Lâm Đồng",
        "issued_date": "2026-03-02",
        "doc_type": "Kế hoạch",
        "summary": record.document.summary,
        "signer_name": record.document.signer.name,
        "signer_position": "PHÓ CHỦ TỊCH",
        "recipients": record.document.recipients,
    }


def test_edxml_leaves_what_the_page_does_not_say_empty() -> None:
    data = record_to_edxml(draft_153())
    header = read_edxml_header(data)
    assert header["number"] is None  # blank on the draft
    assert header["issued_date"] is None  # a month alone is not a promulgation date
    root = etree.fromstring(data)
    ns = {"e": NAMESPACE}
    for path in ("From/e:OrganId", "DocumentId", "DocumentType/e:Type", "DueDate", "Content"):
        element = root.find(f"e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader/e:{path}", ns)
        assert element is not None and not element.text, path
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(root), schema.error_log


def test_one_edxml_file_per_catalog_document(loaded: Catalog, tmp_path: Path) -> None:
    assert write_edxml_files(loaded, tmp_path / "edxml") == 7
    files = sorted((tmp_path / "edxml").glob("*.edxml"))
    assert len(files) == 7
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert all(schema.validate(etree.parse(str(path))) for path in files)
    assert read_edxml_header((tmp_path / "edxml" / "cv-45.docx.edxml").read_bytes())["number"] == "45"
