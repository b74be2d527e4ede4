"""The review service's API in process (FastAPI's TestClient, the real queue and batch workers),
and its durability: a server killed right after accepting uploads loses none of them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.serve_support import ROOT, SAMPLES, TOKEN, letter, running_server

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from pipeline.serve.app import create_app
from pipeline.serve.store import Settings

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _wait(client: TestClient, ids: list[str], seconds: float = 180) -> list[dict[str, object]]:
    deadline = time.monotonic() + seconds
    while True:
        jobs = [client.get(f"/v1/jobs/{job_id}", headers=AUTH).json() for job_id in ids]
        if all(job["status"] in ("done", "failed") for job in jobs):
            return jobs
        assert time.monotonic() < deadline
        time.sleep(0.3)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    data = tmp_path_factory.mktemp("serve-api") / "data"
    with TestClient(create_app(Settings(data=data, token=TOKEN, jobs=1))) as client:
        files = [
            ("files", ("070.pdf", (SAMPLES / "070.pdf").read_bytes())),
            ("files", ("056.docx", (SAMPLES / "056.docx").read_bytes())),
        ]
        response = client.post("/v1/jobs", headers=AUTH, files=files)
        assert response.status_code == 202
        jobs = response.json()["jobs"]
        done = _wait(client, [job["id"] for job in jobs])
        assert [job["record_status"] for job in done] == ["ok", "ok"]
        # The catalog is loaded just after the jobs are answered.
        deadline = time.monotonic() + 60
        while len(client.get("/v1/documents", headers=AUTH).json()) < 2:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        yield client, {job["file_name"]: job["sha256"] for job in jobs}


def test_a_record_is_fetched_by_job_and_by_document_and_matches_the_cli(
    served: tuple[TestClient, dict[str, str]], tmp_path: Path
) -> None:
    client, shas = served
    jobs = client.get("/v1/jobs", headers=AUTH).json()
    by_name = {job["file_name"]: job for job in jobs}
    record = client.get(f"/v1/jobs/{by_name['070.pdf']['id']}/record", headers=AUTH).json()
    assert record == client.get(f"/v1/documents/{shas['070.pdf']}", headers=AUTH).json()
    assert record["schema_version"] == "1.3.0" and record["source"]["sha256"] == shas["070.pdf"]
    subprocess.run(
        [sys.executable, "cli.py", "extract", str(SAMPLES / "070.pdf"), "-o", str(tmp_path), "-q", "-j", "1"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    cli = json.loads((tmp_path / "070.pdf.json").read_text(encoding="utf-8"))
    for key in ("document", "plan", "references", "kind", "text", "status"):
        assert record[key] == cli[key], key


def test_the_catalog_is_searched_and_pages_rendered(served: tuple[TestClient, dict[str, str]]) -> None:
    client, shas = served
    found = client.get("/v1/documents", headers=AUTH, params={"doc_type": "KH"}).json()
    assert [row["sha256"] for row in found] == [shas["056.docx"]]
    found = client.get("/v1/documents", headers=AUTH, params={"issuer": "văn phòng chính phủ"}).json()
    assert [row["sha256"] for row in found] == [shas["070.pdf"]]
    assert client.get("/v1/tasks", headers=AUTH, params={"limit": 3}).status_code == 200
    image = client.get(f"/v1/documents/{shas['070.pdf']}/pages/1.png", headers=AUTH)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert client.get(f"/v1/documents/{shas['070.pdf']}/pages/99.png", headers=AUTH).status_code == 404
    assert client.get(f"/v1/documents/{shas['056.docx']}/pages/1.png", headers=AUTH).status_code == 404
    assert client.get("/v1/documents/..%2F..%2Fetc%2Fpasswd", headers=AUTH).status_code == 404
    assert client.get("/v1/documents/" + "0" * 64, headers=AUTH).status_code == 404
    spec = client.get("/openapi.json").json()
    assert {"/v1/jobs", "/v1/jobs/{job_id}/record", "/v1/documents", "/v1/gold.zip"} <= set(spec["paths"])


def test_review_data_carries_evidence_with_boxes_for_pdf_and_text_spans_for_docx(
    served: tuple[TestClient, dict[str, str]],
) -> None:
    client, shas = served
    pdf = client.get(f"/v1/documents/{shas['070.pdf']}/review", headers=AUTH).json()
    fields = {field["name"]: field for field in pdf["fields"]}
    assert fields["symbol"]["machine"] == "CĐ-VPCP"
    assert fields["symbol"]["evidence"][0]["boxes"]
    assert all(ev["key"].startswith("recipients[") for ev in fields["recipients"]["evidence"])
    docx = client.get(f"/v1/documents/{shas['056.docx']}/review", headers=AUTH).json()
    summary = {field["name"]: field for field in docx["fields"]}["summary"]
    [span] = summary["evidence"]
    assert span["boxes"] == []
    assert docx["texts"][span["page"] - 1][span["start"] : span["end"]] == summary["machine"]


def test_corrections_are_checked_stored_beside_the_record_and_exported_as_gold(
    served: tuple[TestClient, dict[str, str]],
) -> None:
    client, shas = served
    sha = shas["056.docx"]
    url = f"/v1/documents/{sha}/corrections"
    bad = [
        {"field": "nope", "action": "accept"},
        {"field": "recipients", "action": "correct", "value": "not a list"},
        {"field": "legal_bases", "action": "correct", "value": [{"doc_type": 1}]},
        {"field": "summary", "action": "overwrite", "value": "x"},
    ]
    for body in bad:
        assert client.post(url, headers=AUTH, json=body).status_code == 422, body
    assert client.post(url, json={"field": "summary", "action": "accept"}).status_code == 401
    assert client.get(f"/v1/documents/{sha}/gold", headers=AUTH).status_code == 404  # nothing reviewed yet
    who = {**AUTH, "X-Reviewer": quote("Lê Văn Bình")}  # percent-encoded UTF-8
    assert (
        client.post(
            url, headers=who, json={"field": "number", "action": "correct", "value": "15"}
        ).status_code
        == 201
    )
    assert (
        client.post(
            url,
            headers=who,
            json={"field": "recipients", "action": "correct", "value": ["Bộ Nội vụ", " ", "Lưu: VT"]},
        ).status_code
        == 201
    )
    assert (
        client.post(
            url, headers=who, json={"field": "number", "action": "accept", "note": "blank after all"}
        ).status_code
        == 201
    )
    rows = client.get(url, headers=AUTH).json()
    assert [(r["field"], r["action"], r["value"], r["author"]) for r in rows] == [
        ("number", "correct", "15", "Lê Văn Bình"),
        ("recipients", "correct", ["Bộ Nội vụ", "Lưu: VT"], "Lê Văn Bình"),
        ("number", "accept", None, "Lê Văn Bình"),
    ]
    record = client.get(f"/v1/documents/{sha}", headers=AUTH).json()
    assert record["document"]["number"] is None and len(record["document"]["recipients"]) > 2  # untouched
    gold = client.get(f"/v1/documents/{sha}/gold", headers=AUTH).json()
    assert gold["number"] is None  # the last verdict wins: accepted as read
    assert gold["recipients"] == ["Bộ Nội vụ", "Lưu: VT"]
    assert gold["summary"] == record["document"]["summary"] and gold["id"] == sha
    assert "recipients corrected by Lê Văn Bình" in gold["notes"]


def test_a_server_killed_after_accepting_uploads_processes_them_after_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with running_server(data, "-j", "1", "--timeout", "60") as server:
        with server.client() as client:
            ids = [
                client.post("/v1/jobs", files=[("files", (f"{n}.txt", letter(n)))]).json()["jobs"][0]["id"]
                for n in range(300, 306)
            ]
        os.killpg(server.process.pid, signal.SIGKILL)  # no shutdown of any kind
        server.process.wait(10)
    with running_server(data, "-j", "1") as server:
        jobs = server.wait_done(ids)
    assert [job["status"] for job in jobs] == ["done"] * 6
    assert [job["record_status"] for job in jobs] == ["ok"] * 6


def test_the_command_refuses_to_serve_without_a_token_or_without_auth_beyond_localhost(
    tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main

    env = {"VANBAN_TOKEN": ""}
    refused = CliRunner().invoke(main, ["serve", "--data", str(tmp_path)], env=env)
    assert refused.exit_code == 2 and "token" in refused.output
    wide = CliRunner().invoke(
        main, ["serve", "--data", str(tmp_path), "--no-auth", "--host", "0.0.0.0"], env=env
    )
    assert wide.exit_code == 2 and "localhost" in wide.output
