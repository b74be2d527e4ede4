"""Records built for the catalog tests, and the catalog URLs they run on (SQLite and PostgreSQL).

PostgreSQL is reached through ``VANBAN_TEST_PG`` (``.ci/run`` starts a server and sets it). When it
is missing the PostgreSQL cases are skipped on a developer's machine and fail in CI (``CI=true``).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from pipeline.record.models import (
    DocType,
    Evidence,
    Header,
    PageInfo,
    Plan,
    Record,
    Reference,
    Signer,
    Source,
    Task,
    Text,
)

BACKENDS = ["sqlite", "postgresql"]


def catalog_url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'catalog.sqlite'}"
    url = os.environ.get("VANBAN_TEST_PG")
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("VANBAN_TEST_PG is not set: .ci/run starts PostgreSQL and sets it")
        pytest.skip("no PostgreSQL for the tests: set VANBAN_TEST_PG=postgresql://user:pass@host/db")
    from sqlalchemy import text

    from pipeline.catalog.db import make_engine

    engine = make_engine(url)
    with engine.begin() as connection:  # every test starts from an empty database
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def _evidence(pages: list[str], needle: str) -> Evidence | None:
    for number, page in enumerate(pages, 1):
        start = page.find(needle)
        if start >= 0:
            return Evidence(page=number, start=start, end=start + len(needle), text=needle)
    return None


def make_record(
    name: str,
    *,
    doc_type: tuple[str, str | None] = ("Kế hoạch", "KH"),
    number: str | None = None,
    symbol: str | None = "KH-UBND",
    issued_date: str | None = "2026-03-02",
    issuer: str = "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
    summary: str = "Cải cách hành chính năm 2026",
    body: str = "",
    references: list[dict[str, Any]] | None = None,
    tasks: list[dict[str, Any]] | None = None,
    signer: str | None = "Nguyễn Văn An",
    pipeline_version: str = "0.1.0",
    content: bytes | None = None,
    fmt: str = "docx",
) -> Record:
    """A record as the pipeline writes it, with page text that its evidence points into."""
    number_line = f"Số: {number or '    '}/{symbol}" if symbol else ""
    date_line = f"Lâm Đồng, ngày {issued_date}" if issued_date else ""
    page = "\n".join(
        line
        for line in [
            issuer,
            number_line,
            date_line,
            doc_type[0].upper(),
            summary,
            body,
            *(task["text"] for task in tasks or []),
            signer or "",
        ]
        if line
    )
    pages = [page]
    raw = content if content is not None else (name + page).encode("utf-8")
    refs = [
        Reference(
            doc_type=ref.get("doc_type"),
            number_symbol=ref.get("number_symbol"),
            date=ref.get("date"),
            issuer=ref.get("issuer"),
            text=ref["text"],
            evidence=_evidence(pages, ref["text"]),
        )
        for ref in references or []
    ]
    plan_tasks = [
        Task(
            text=task["text"],
            lead=task.get("lead", []),
            cooperating=task.get("cooperating", []),
            deadline=task.get("deadline"),
            output=task.get("output"),
            source="table",
            section_path=task.get("section_path", ["II. NHIỆM VỤ"]),
            evidence=_evidence(pages, task["text"]),
        )
        for task in tasks or []
    ]
    evidence = {
        key: ev
        for key, needle in (("summary", summary), ("issuer", issuer), ("signer.name", signer or "\0"))
        if (ev := _evidence(pages, needle)) is not None
    }
    return Record(
        pipeline_version=pipeline_version,
        source=Source(
            path=f"/archive/{name}",
            sha256=hashlib.sha256(raw).hexdigest(),
            bytes=len(raw),
            format=fmt,
            pages=[PageInfo(number=1, origin="layer", quality=1.0)],
        ),
        status="ok" if number else "partial",
        document=Header(
            doc_type=DocType(name=doc_type[0], code=doc_type[1]),
            number=number,
            symbol=symbol,
            issued_date=issued_date,
            place="Lâm Đồng",
            issuer=issuer,
            summary=summary,
            signer=Signer(name=signer, position="PHÓ CHỦ TỊCH", authority=["KT. CHỦ TỊCH"])
            if signer
            else None,
            recipients=["Bộ Nội vụ", "Lưu: VT, NC"],
            legal_bases=[],
            evidence=evidence,
        ),
        plan=Plan(tasks=plan_tasks) if plan_tasks else None,
        references=refs,
        text=Text(pages=pages),
    )
