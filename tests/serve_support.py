"""A real review service for the tests: ``cli.py serve`` in a subprocess on a free port, stopped
(and its worker processes with it) by the fixture's finalizer."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
TOKEN = "test-token-0123456789"

LETTER = """ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG
Số: {number}/UBND-VX
V/v triển khai nhiệm vụ chuyển đổi số đợt {number}
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lâm Đồng, ngày 12 tháng 3 năm 2026
Kính gửi: Sở Nội vụ
Ủy ban nhân dân tỉnh đề nghị Sở Nội vụ triển khai các nội dung chuyển đổi số năm 2026.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn An
"""


def letter(number: int) -> bytes:
    """A small official letter as plain text, different for each number."""
    return LETTER.format(number=number).encode("utf-8")


def pdf_with_pages(count: int) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(count):
        pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    data: Path
    process: subprocess.Popen[bytes]

    def client(self, token: str | None = TOKEN, timeout: float = 60) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=timeout)

    def wait_done(self, job_ids: list[str], seconds: float = 240) -> list[dict[str, object]]:
        deadline = time.monotonic() + seconds
        with self.client() as client:
            while True:
                jobs = [client.get(f"/v1/jobs/{job_id}").json() for job_id in job_ids]
                if all(job["status"] in ("done", "failed") for job in jobs):
                    return jobs
                assert time.monotonic() < deadline, f"jobs not finished: {[j['status'] for j in jobs]}"
                time.sleep(0.5)


@contextmanager
def running_server(data: Path, *options: str) -> Iterator[Server]:
    port = free_port()
    log = open(data.parent / f"server-{port}.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "cli.py",
            "serve",
            "--data",
            str(data),
            "--port",
            str(port),
            "--token",
            TOKEN,
            *options,
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the finalizer stops the workers too
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    server = Server(f"http://127.0.0.1:{port}", data, process)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (data.parent / f"server-{port}.log").read_text()[-2000:]
            try:
                if httpx.get(f"{server.url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        yield server
    finally:
        stop(process)
        log.close()


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(15)
    # Worker processes left in the group (none expected) go with it.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
