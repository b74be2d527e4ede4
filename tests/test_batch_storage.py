"""Inputs and OUTDIR on object storage (``s3://``), against a real S3 server run for these
tests (SeaweedFS, ``tests/s3_support.py``), not a mock:

* the native pool and a Dask LocalCluster, reading objects and writing records to the store,
  give the records and the manifest of a run over the same documents in a local folder
  (only ``source.path`` differs: it names the URL);
* ``--resume`` against the manifest on the store skips the documents done;
* a bucket that does not exist, refused credentials or an endpoint that does not answer
  refuse the run with one clear line and exit 2, no traceback;
* an object replaced after the walk, or over ``--max-size``, is refused unread;
* a plain extract never imports fsspec.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.batch import BatchSummary, run_batch
from pipeline.batch.urls import StorageError, as_location, is_url, parse_storage_options
from tests.s3_support import SeaweedS3, require_weed

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
QUICK = ("056.docx", "070.pdf")  # a DOCX and a text-layer PDF: quick real documents


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedS3]:
    pytest.importorskip("s3fs")
    server = SeaweedS3(require_weed(), tmp_path_factory.mktemp("seaweedfs"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fs(store: SeaweedS3) -> Any:
    import s3fs

    return s3fs.S3FileSystem(skip_instance_cache=True, **store.options())


def _bucket(fs: Any, name: str) -> str:
    fs.mkdir(name)
    return name


def _upload_tree(fs: Any, local: Path, prefix: str) -> None:
    for path in sorted(local.rglob("*")):
        if path.is_file():
            fs.put_file(str(path), f"{prefix}/{path.relative_to(local).as_posix()}")


def _docs_tree(folder: Path) -> Path:
    (folder / "sub").mkdir(parents=True)
    for name in QUICK:
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    (folder / "sub" / "070.pdf").write_bytes((SAMPLES / "070.pdf").read_bytes())
    (folder / ".hidden.txt").write_text("never read\n")
    return folder


def _local_records(outdir: Path) -> dict[str, dict[str, Any]]:
    return {
        path.relative_to(outdir).as_posix(): json.loads(path.read_text())
        for path in outdir.rglob("*.json")
        if ".pages" not in path.parts
    }


def _store_records(fs: Any, prefix: str) -> dict[str, dict[str, Any]]:
    return {
        key[len(prefix) + 1 :]: json.loads(fs.cat_file(key))
        for key in fs.find(prefix)
        if key.endswith(".json")
    }


def _manifest(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _comparable(record: dict[str, Any]) -> dict[str, Any]:
    """A record without its timing and without where its input was (a path, or a URL)."""
    source = {key: value for key, value in record["source"].items() if key != "path"}
    return {**{key: value for key, value in record.items() if key != "seconds"}, "source": source}


def _manifest_facts(lines: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    drop = ("seconds", "cpu_seconds", "path")
    return {line["output"]: {k: v for k, v in line.items() if k not in drop} for line in lines}


def test_objects_give_the_records_of_a_local_folder_with_both_engines(
    tmp_path: Path, store: SeaweedS3, fs: Any
) -> None:
    pytest.importorskip("distributed")
    docs = _docs_tree(tmp_path / "in")
    bucket = _bucket(fs, "engines")
    _upload_tree(fs, docs, f"{bucket}/in")
    local = run_batch([docs], tmp_path / "local", jobs=2, progress=False)
    runs: dict[str, BatchSummary] = {
        "native": run_batch(
            [f"s3://{bucket}/in"],
            f"s3://{bucket}/native",
            jobs=2,
            progress=False,
            storage_options=store.options(),
        ),
        "dask": run_batch(
            [f"s3://{bucket}/in/"],
            f"s3://{bucket}/dask",
            jobs=2,
            progress=False,
            scheduler="local",
            storage_options=store.options(),
        ),
        # local inputs, records to the store
        "upload": run_batch(
            [docs], f"s3://{bucket}/upload", jobs=1, progress=False, storage_options=store.options()
        ),
    }
    expected = _local_records(tmp_path / "local")
    assert set(expected) == {"056.docx.json", "070.pdf.json", "sub/070.pdf.json"}
    assert local.by_status == Counter({"ok": 3})
    local_manifest = _manifest((tmp_path / "local" / "manifest.jsonl").read_text())
    for name, summary in runs.items():
        assert summary.by_status == Counter({"ok": 3}), name
        assert summary.ignored == Counter({"hidden": 1}), name
        records = _store_records(fs, f"{bucket}/{name}")
        assert set(records) == set(expected), name
        for output, record in records.items():
            assert record["document"]["doc_type"] is not None
            assert _comparable(record) == _comparable(expected[output]), (name, output)
            if name != "upload":  # the record names the object it was read from
                assert record["source"]["path"] == f"s3://{bucket}/in/{output.removesuffix('.json')}"
        lines = _manifest(fs.cat_file(f"{bucket}/{name}/manifest.jsonl").decode())
        assert _manifest_facts(lines) == _manifest_facts(local_manifest), name
        assert len(lines) == 3, name


def test_resume_against_the_manifest_on_the_store(tmp_path: Path, store: SeaweedS3, fs: Any) -> None:
    bucket = _bucket(fs, "resume")
    for n in range(3):
        fs.pipe_file(f"{bucket}/in/note-{n}.txt", f"Thông báo số {n}\n".encode())
    options = store.options()
    first = run_batch(
        [f"s3://{bucket}/in"], f"s3://{bucket}/out", jobs=2, progress=False, storage_options=options
    )
    assert first.by_status.total() == 3 and not first.by_status["failed"]  # short notes: partial
    written = {key: fs.info(key)["ETag"] for key in fs.find(f"{bucket}/out") if key.endswith(".txt.json")}
    assert len(written) == 3
    fs.pipe_file(f"{bucket}/in/note-3.txt", "Thông báo số 3\n".encode())
    second = run_batch(
        [f"s3://{bucket}/in"],
        f"s3://{bucket}/out",
        jobs=2,
        progress=False,
        resume=True,
        storage_options=options,
    )
    assert second.resumed == 3
    assert second.by_status.total() == 1 and not second.by_status["failed"]
    lines = _manifest(fs.cat_file(f"{bucket}/out/manifest.jsonl").decode())
    assert Counter(line["output"] for line in lines) == Counter({f"note-{n}.txt.json": 1 for n in range(4)})
    assert {key: fs.info(key)["ETag"] for key in written} == written  # the done records untouched


def _objects(fs: Any, prefix: str) -> set[str]:
    fs.invalidate_cache()
    return {key[len(prefix) + 1 :] for key in fs.find(prefix) if key.endswith(".txt.json")}


def _wait_for_records(fs: Any, prefix: str, count: int, timeout: float = 120.0) -> set[str]:
    deadline = time.monotonic() + timeout
    while len(found := _objects(fs, prefix)) < count:
        assert time.monotonic() < deadline, f"fewer than {count} records after {timeout} s"
        time.sleep(0.1)
    return found


def _store_manifest(fs: Any, prefix: str) -> list[dict[str, Any]]:
    fs.invalidate_cache()
    if not fs.exists(f"{prefix}/manifest.jsonl"):
        return []
    return _manifest(fs.cat_file(f"{prefix}/manifest.jsonl").decode())


def test_a_client_killed_then_interrupted_then_resumed_loses_nothing(store: SeaweedS3, fs: Any) -> None:
    bucket = _bucket(fs, "stopped")
    names = [f"slow-{n:02d}.txt" for n in range(12)]
    for n, name in enumerate(names):
        fs.pipe_file(f"{bucket}/in/{name}", f"document {n}\n".encode())
    out = f"{bucket}/out"
    command = [sys.executable, "-m", "tests.s3_support", f"s3://{bucket}/in", f"s3://{out}"]

    # Killed outright (SIGKILL) once 3 records are on the store: every manifest line there has
    # its record, and every record is whole.
    first = subprocess.Popen(command, cwd=ROOT, env=store.environ(), stderr=subprocess.DEVNULL)
    try:
        _wait_for_records(fs, out, 3)
    finally:
        first.kill()
        first.wait(timeout=30)
    records = _objects(fs, out)
    assert records < {f"{name}.json" for name in names}
    assert {line["output"] for line in _store_manifest(fs, out)} <= records
    for name in records:
        assert json.loads(fs.cat_file(f"{out}/{name}"))["status"] == "ok"

    # Resumed, then interrupted (SIGINT) a few records later: exit 130, and the manifest on
    # the store is uploaded on the way out.
    second = subprocess.Popen(
        [*command, "--resume"], cwd=ROOT, env=store.environ(), stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_for_records(fs, out, len(records) + 2)
        second.send_signal(signal.SIGINT)
        _, stderr = second.communicate(timeout=120)
    finally:
        if second.poll() is None:
            second.kill()
    assert second.returncode == 130, stderr
    # the killed run's local folder (its manifest copy) was removed by the next run
    assert not list(Path(tempfile.gettempdir()).glob(f"vanban-out-{first.pid}-*"))
    lines = _store_manifest(fs, out)
    assert len(lines) >= 2  # at least what this run finished
    assert Counter(line["output"] for line in lines) == Counter({line["output"]: 1 for line in lines})
    assert {line["output"] for line in lines} <= _objects(fs, out)

    third = subprocess.run(
        [*command, "--resume"], cwd=ROOT, env=store.environ(), capture_output=True, text=True, timeout=180
    )
    assert third.returncode == 0, third.stderr
    assert f"already done (resume): {len(lines)}" in third.stderr
    final = Counter(line["output"] for line in _store_manifest(fs, out))
    assert final == Counter({f"{name}.json": 1 for name in names})  # none lost, none twice


def _extract(
    store: SeaweedS3, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "cli.py", "extract", "-q", "-j", "1", *args],
        cwd=ROOT,
        env=env if env is not None else store.environ(),
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_command_reads_its_settings_from_the_environment(
    tmp_path: Path, store: SeaweedS3, fs: Any
) -> None:
    bucket = _bucket(fs, "command")
    fs.pipe_file(f"{bucket}/in/a.txt", "Kế hoạch\n".encode())
    done = _extract(store, f"s3://{bucket}/in", "-o", f"s3://{bucket}/out")  # AWS_* and FSSPEC_S3_*
    assert done.returncode == 0, done.stderr
    assert json.loads(fs.cat_file(f"{bucket}/out/a.txt.json"))["source"]["path"] == f"s3://{bucket}/in/a.txt"
    local_out = tmp_path / "out"
    done = _extract(store, f"s3://{bucket}/in", "-o", f"file://{local_out}")  # records to a local folder
    assert done.returncode == 0, done.stderr
    assert json.loads((local_out / "a.txt.json").read_text())["source"]["path"] == f"s3://{bucket}/in/a.txt"


@pytest.mark.parametrize(
    ("args", "environ", "expected"),
    [
        (("s3://no-such-bucket/in", "-o", "OUT"), {}, "the bucket 'no-such-bucket' does not exist"),
        (
            ("s3://errors/in", "-o", "s3://no-such-bucket/out"),
            {},
            "the bucket 'no-such-bucket' does not exist",
        ),
        (("s3://errors/in", "-o", "OUT"), {"AWS_SECRET_ACCESS_KEY": "wrong"}, "refused"),
        (("s3://errors/in", "-o", "s3://errors/in"), {}, "is an input"),
    ],
)
def test_a_store_that_cannot_be_used_is_one_clear_line(
    tmp_path: Path, store: SeaweedS3, fs: Any, args: tuple[str, ...], environ: dict[str, str], expected: str
) -> None:
    if not fs.exists("errors"):
        fs.mkdir("errors")
        fs.pipe_file("errors/in/a.txt", b"text\n")
    args = tuple(str(tmp_path / "out") if arg == "OUT" else arg for arg in args)
    done = _extract(store, *args, env={**store.environ(), **environ})
    assert done.returncode == 2
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()  # refused before anything was written


def test_an_endpoint_that_does_not_answer_is_one_clear_line(store: SeaweedS3) -> None:
    from tests.s3_support import _free_ports

    env = {**store.environ(), "FSSPEC_S3_ENDPOINT_URL": f"http://127.0.0.1:{_free_ports(1)[0]}"}
    done = _extract(
        store,
        "s3://errors/in",
        "-o",
        "s3://errors/out",
        "--storage-option",
        'config_kwargs.retries={"max_attempts": 1}',
        env=env,
    )
    assert done.returncode == 2
    assert "Could not connect" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_object_replaced_after_the_walk_or_too_large_is_not_read(
    tmp_path: Path, store: SeaweedS3, fs: Any
) -> None:
    from pipeline.batch import storage

    bucket = _bucket(fs, "refusals")
    fs.pipe_file(f"{bucket}/in/a.txt", b"first\n")
    walked = [entry for entry in storage.walk_remote([f"s3://{bucket}/in"], None, store.options())]
    assert len(walked) == 1 and walked[0].version  # the walk kept its ETag
    item = walked[0]
    fetched = storage.fetch(item.url, item.version, 0, store.options(), str(tmp_path))
    assert fetched.read_bytes() == b"first\n" and fetched.name == "a.txt"
    fs.pipe_file(f"{bucket}/in/a.txt", b"second, longer\n")
    with pytest.raises(storage.Refused) as changed:
        storage.fetch(item.url, item.version, 0, store.options(), str(tmp_path / "x"))
    assert changed.value.code == "batch.changed"
    with pytest.raises(storage.Refused) as large:
        storage.fetch(item.url, "", 4, store.options(), str(tmp_path))
    assert large.value.code == "batch.too_large"
    fs.rm_file(f"{bucket}/in/a.txt")
    with pytest.raises(storage.Refused) as gone:
        storage.fetch(item.url, "", 0, store.options(), str(tmp_path))
    assert gone.value.code == "batch.not_found"


def test_a_plain_extract_never_imports_fsspec(tmp_path: Path) -> None:
    source, out = str(SAMPLES / "070.pdf"), str(tmp_path / "out")
    script = (
        "import sys\nfrom pathlib import Path\nfrom pipeline.batch import run_batch\n"
        f"run_batch([Path({source!r})], Path({out!r}), jobs=1, progress=False)\n"
        "loaded = (name.split('.')[0] for name in sys.modules)\n"
        "print(sorted(name for name in loaded if name in ('fsspec', 's3fs', 'botocore')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_locations_and_storage_options() -> None:
    assert is_url("s3://bucket/in") and is_url("gcs://b") and not is_url("file:///tmp/x")
    assert as_location("file:///tmp/x") == Path("/tmp/x")
    assert as_location("relative/folder") == Path("relative/folder")
    assert as_location("s3://bucket/a//b") == "s3://bucket/a//b"  # a URL is never made a Path
    assert parse_storage_options(
        ["endpoint_url=http://127.0.0.1:9000", "anon=false", "client_kwargs.region_name=hn", "retries=3"]
    ) == {
        "endpoint_url": "http://127.0.0.1:9000",
        "anon": False,
        "client_kwargs": {"region_name": "hn"},
        "retries": 3,
    }
    with pytest.raises(ValueError, match="KEY=VALUE"):
        parse_storage_options(["no-equals-sign"])
    with pytest.raises(StorageError, match="lives in one process"):
        run_batch(["memory://in"], None, jsonl=None, progress=False)
    with pytest.raises(StorageError, match="either as paths or as URLs"):
        run_batch([Path("/tmp"), "s3://bucket/in"], None, jsonl=None, progress=False)


def test_the_walk_of_a_prefix_is_the_walk_of_the_same_folder(
    tmp_path: Path, store: SeaweedS3, fs: Any
) -> None:
    from pipeline.batch import storage
    from pipeline.batch.walk import Ignored, Item, unique_outputs, walk_inputs

    bucket = _bucket(fs, "walk")
    names = [
        "b.txt",
        "a/z.txt",
        "a/.hidden",
        "~$lock.docx",
        "out/x.txt.json",
        "c.json/d.txt",
        "Đơn vị/ý kiến.txt",
    ]
    local = tmp_path / "in"
    for name in names:
        (local / name).parent.mkdir(parents=True, exist_ok=True)
        (local / name).write_text(name)
        fs.pipe_file(f"{bucket}/in/{name}", name.encode())
    (local / "marker").mkdir()  # an empty folder; on the store, a folder marker object
    fs.pipe_file(f"{bucket}/in/marker/", b"")

    remote = list(
        unique_outputs(storage.walk_remote([f"s3://{bucket}/in"], f"s3://{bucket}/in/out", store.options()))
    )
    folder = list(walk_inputs([local], local / "out"))
    assert [e.output.as_posix() for e in remote if isinstance(e, Item)] == [
        e.output.as_posix() for e in folder if isinstance(e, Item)
    ]
    assert [e.url for e in remote if isinstance(e, Item)] == [
        f"s3://{bucket}/in/a/z.txt",
        f"s3://{bucket}/in/b.txt",
        f"s3://{bucket}/in/c.json/d.txt",
        f"s3://{bucket}/in/Đơn vị/ý kiến.txt",
    ]
    reasons = Counter(e.reason for e in remote if isinstance(e, Ignored))
    assert (
        reasons
        == Counter(e.reason for e in folder if isinstance(e, Ignored))
        == {"hidden": 2, "output folder": 1}
    )
