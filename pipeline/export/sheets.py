"""The register of documents and the task sheet, as CSV and XLSX.

The register has one row per document with the columns of an archive's register of documents
(sổ đăng ký văn bản): số và ký hiệu, ngày tháng, tên loại và trích yếu, cơ quan ban hành, người
ký, nơi nhận, số trang, ghi chú, plus the file and its sha256. The task sheet has one row per
plan task. Both read the catalog; nothing is extracted here.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pipeline.catalog.catalog import Catalog, document_label
from pipeline.catalog.models import Document, TaskRow

REGISTER_COLUMNS = [
    "STT",
    "Số và ký hiệu",
    "Ngày tháng",
    "Tên loại và trích yếu nội dung",
    "Cơ quan ban hành",
    "Người ký",
    "Nơi nhận",
    "Số trang",
    "Ghi chú",
    "Tệp",
    "SHA-256",
]

TASK_COLUMNS = [
    "STT",
    "Nhiệm vụ",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời hạn",
    "Hạn cuối",
    "Sản phẩm",
    "Mục",
    "Văn bản",
    "Trang",
    "Tệp",
]


def vietnamese_date(iso: str | None) -> str:
    """'2026-03-05' -> '05/03/2026'; a month or a year alone as printed ('03/2026', '2026')."""
    if not iso:
        return ""
    parts = iso.split("-")
    return "/".join(reversed(parts))


def number_and_symbol(doc: Document) -> str:
    if doc.symbol:
        return f"{doc.number or ''}/{doc.symbol}"
    return doc.number or ""


def _notes(doc: Document, labels: dict[int, str]) -> str:
    notes = []
    if doc.status != "ok":
        notes.append(f"trích xuất: {doc.status}")
    if doc.number is None and doc.symbol:
        notes.append("số để trống hoặc không đọc được")
    if doc.duplicate_group is not None and doc.duplicate_group != doc.id:
        notes.append(f"cùng văn bản với {labels.get(doc.duplicate_group, '')}".strip())
    return "; ".join(notes)


def register_rows(catalog: Catalog) -> list[dict[str, Any]]:
    with catalog.session() as session:
        docs = session.scalars(
            select(Document)
            .options(selectinload(Document.persons))
            .order_by(Document.issued_date.is_(None), Document.issued_date, Document.id)
        ).all()
        labels = {doc.id: Path(doc.path).name for doc in docs}
        rows = []
        for index, doc in enumerate(docs, 1):
            signer = next((p for p in doc.persons if p.role == "signer"), None)
            title = " ".join(part for part in (doc.doc_type or "", doc.summary or "") if part)
            rows.append(
                {
                    "STT": index,
                    "Số và ký hiệu": number_and_symbol(doc),
                    "Ngày tháng": vietnamese_date(doc.issued_date),
                    "Tên loại và trích yếu nội dung": title,
                    "Cơ quan ban hành": doc.issuer or "",
                    "Người ký": (signer.name or "") if signer else "",
                    "Nơi nhận": "; ".join(doc.recipients),
                    "Số trang": doc.pages,
                    "Ghi chú": _notes(doc, labels),
                    "Tệp": doc.path,
                    "SHA-256": doc.sha256,
                }
            )
        return rows


def task_rows(catalog: Catalog, source: str | None = None) -> list[dict[str, Any]]:
    """The task sheet of one plan (its number/symbol, sha256 or part of its path) or of the catalog."""
    from pipeline.catalog.catalog import _document_matches

    query = (
        select(TaskRow)
        .join(Document)
        .options(selectinload(TaskRow.document))
        .order_by(Document.issued_date, Document.id, TaskRow.position)
    )
    if source:
        query = query.where(_document_matches(source))
    with catalog.session() as session:
        return [
            {
                "STT": index,
                "Nhiệm vụ": task.text,
                "Cơ quan chủ trì": "; ".join(task.lead),
                "Cơ quan phối hợp": "; ".join(task.cooperating),
                "Thời hạn": task.deadline_text or "",
                "Hạn cuối": vietnamese_date(task.deadline_due),
                "Sản phẩm": task.output or "",
                "Mục": " › ".join(task.section_path),
                "Văn bản": document_label(task.document),
                "Trang": task.page if task.page is not None else "",
                "Tệp": task.document.path,
            }
            for index, task in enumerate(session.scalars(query), 1)
        ]


def write_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str], path: Path) -> None:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the Vietnamese letters."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)


def write_xlsx(rows: Sequence[dict[str, Any]], columns: Sequence[str], path: Path, title: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])
    wide = {"Tên loại và trích yếu nội dung", "Nhiệm vụ", "Nơi nhận", "Cơ quan ban hành", "Tệp"}
    for index, column in enumerate(columns, 1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 50 if column in wide else 16
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    workbook.save(path)


def write_sheet(rows: Sequence[dict[str, Any]], columns: Sequence[str], path: Path, title: str) -> None:
    """CSV or XLSX, by the file's suffix."""
    if path.suffix.lower() == ".xlsx":
        write_xlsx(rows, columns, path, title)
    elif path.suffix.lower() == ".csv":
        write_csv(rows, columns, path)
    else:
        raise ValueError(f"{path.name}: write a .csv or an .xlsx file")
