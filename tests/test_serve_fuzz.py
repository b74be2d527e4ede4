"""The service under hostile and heavy use (a real uvicorn server in a subprocess): bad tokens,
oversized and malformed uploads, path tricks in file names, 100 concurrent uploads. Every refused
request gets a clear 4xx, every accepted upload is processed, and the server stays up."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.serve_support import Server, letter, pdf_with_pages, running_server

pytest.importorskip("fastapi")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("serve-fuzz") / "data"
    with running_server(
        data, "--max-upload-mb", "1", "--max-pages", "3", "--max-files", "5", "-j", "2"
    ) as srv:
        yield srv


def _detail(response: httpx.Response) -> dict[str, object]:
    detail = response.json()["detail"]
    assert isinstance(detail, dict | list)
    return detail if isinstance(detail, dict) else {"code": "validation", "items": detail}


def test_every_route_but_health_wants_the_token(server: Server) -> None:
    for token in (None, "x", "wrong", "test-token-0123456789x", "Bearer", "test-token", "\u00e9\u00e9"):
        with server.client(token=None) as client:
            headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
            for method, path in (
                ("GET", "/v1/jobs"),
                ("GET", "/v1/documents"),
                ("POST", "/v1/jobs"),
                ("GET", "/v1/gold.zip"),
                ("GET", "/v1/jobs/x/record"),
            ):
                try:
                    response = client.request(method, path, headers=headers)
                except (UnicodeEncodeError, httpx.LocalProtocolError):
                    continue  # httpx will not send a non-ASCII header: nothing reaches the server
                assert response.status_code == 401, (token, path, response.text)
                assert _detail(response)["code"] == "auth.token"
    with server.client(token=None) as client:
        assert client.get("/health").status_code == 200
        assert client.get("/review", follow_redirects=False).status_code == 303  # to the login form


def test_refused_uploads_get_a_clear_4xx(server: Server) -> None:
    cases: list[tuple[str, dict[str, object], int, str]] = [
        (
            "oversized",
            {"files": [("files", ("big.pdf", b"%PDF-1.4\n" + b"0" * (8 * 2**20)))]},
            413,
            "request.too_large",
        ),
        (
            "one file over the limit",
            {"files": [("files", ("big.txt", b"a" * (2**20 + 10)))]},
            413,
            "upload.too_large",
        ),
        (
            "too many pages",
            {"files": [("files", ("long.pdf", pdf_with_pages(5)))]},
            413,
            "upload.too_many_pages",
        ),
        ("empty", {"files": [("files", ("empty.pdf", b""))]}, 400, "upload.empty"),
        ("random bytes", {"files": [("files", ("x.pdf", os.urandom(4000)))]}, 415, "upload.unsupported"),
        (
            "too many files",
            {"files": [("files", (f"{n}.txt", letter(n))) for n in range(6)]},
            413,
            "upload.too_many_files",
        ),
        ("no file", {"data": {"x": "1"}}, 422, "validation"),
        (
            "not multipart",
            {"content": b"{}", "headers": {"content-type": "application/json"}},
            422,
            "validation",
        ),
        (
            "broken multipart",
            {
                "content": b'--zz\r\nContent-Disposition: form-data; name="files"\r\n',
                "headers": {"content-type": "multipart/form-data; boundary=zz"},
            },
            400,
            "",
        ),
    ]
    with server.client() as client:
        for name, request, status, code in cases:
            response = client.post("/v1/jobs", **request)  # type: ignore[arg-type]
            assert response.status_code in ((status, 422) if name == "broken multipart" else (status,)), (
                name,
                response.status_code,
                response.text[:300],
            )
            if code:
                assert _detail(response)["code"] == code, name
        assert client.get("/health").status_code == 200


def test_path_tricks_in_names_never_reach_a_path(server: Server, tmp_path: Path) -> None:
    names = [
        "../../escape.txt",
        "/etc/passwd",
        "..\\..\\win.txt",
        "a/../../b.txt",
        "x" * 1000 + ".txt",
        "nul\x00byte.txt",
        "\u202etxt.exe",
        str(tmp_path / "planted.txt"),
    ]
    with server.client() as client:
        response = client.post(
            "/v1/jobs", files=[("files", (name, letter(900 + i))) for i, name in enumerate(names[:5])]
        )
        assert response.status_code == 202, response.text
        second = client.post(
            "/v1/jobs", files=[("files", (name, letter(910 + i))) for i, name in enumerate(names[5:])]
        )
        assert second.status_code == 202, second.text
    jobs = response.json()["jobs"] + second.json()["jobs"]
    assert len(jobs) == len(names)
    for job in jobs:
        assert "/" not in job["file_name"] and "\\" not in job["file_name"] and len(job["file_name"]) <= 255
    stored = sorted(path.name for path in (server.data / "uploads").iterdir())
    assert stored == sorted(f"{job['sha256']}.txt" for job in jobs)
    assert not (tmp_path / "planted.txt").exists()
    assert not (server.data.parent / "escape.txt").exists() and not (server.data / "b.txt").exists()
    done = server.wait_done([job["id"] for job in jobs])
    assert {job["status"] for job in done} == {"done"}


def test_100_concurrent_uploads_are_all_processed_and_the_server_stays_up(server: Server) -> None:
    def upload(number: int) -> httpx.Response:
        with server.client() as client:
            return client.post("/v1/jobs", files=[("files", (f"letter-{number}.txt", letter(number)))])

    with ThreadPoolExecutor(max_workers=25) as pool:
        responses = list(pool.map(upload, range(1, 101)))
    assert [r.status_code for r in responses] == [202] * 100
    ids = [r.json()["jobs"][0]["id"] for r in responses]
    assert len(set(ids)) == 100
    jobs = server.wait_done(ids, seconds=300)
    assert {job["status"] for job in jobs} == {"done"}
    assert {job["record_status"] for job in jobs} <= {"ok", "partial"}
    with server.client() as client:
        assert client.get("/health").status_code == 200
        number = client.get(f"/v1/jobs/{ids[41]}/record").json()["document"]["number"]
        assert number == "42"
        deadline = time.monotonic() + 60  # the catalog is loaded just after the jobs are answered
        while not (found := client.get("/v1/documents", params={"text": "đợt 77", "limit": 5}).json()):
            assert time.monotonic() < deadline
            time.sleep(0.3)
        assert [row["number"] for row in found] == ["77"]
