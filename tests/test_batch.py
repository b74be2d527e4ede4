"""The batch runner: bad inputs, crashing/hanging/greedy documents, resume, Ctrl-C, naming.

Fake process functions live at module level so worker processes can import them. They
log each call to a hidden ``.calls`` file beside the input (hidden files are not walked),
which lets tests count calls made in other processes.
"""

from __future__ import annotations

import atexit
import gc
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import weakref
import zipfile
from pathlib import Path

import pytest

from pipeline import __version__
from pipeline.batch import (
    MANIFEST_NAME,
    Ignored,
    Item,
    _release_free_memory,
    _without_unexeced,
    exit_code,
    output_dir_name,
    output_file_name,
    read_manifest,
    run_batch,
    walk_inputs,
)
from pipeline.record.models import Record, Source, Text
from pipeline.run import process_file, sha256_of

TESTS = Path(__file__).resolve().parent

# --------------------------------------------------------------------------------------
# Fake one-document functions (run in worker processes)
# --------------------------------------------------------------------------------------


def _log_call(path: Path) -> None:
    with open(path.parent / ".calls", "a") as handle:
        handle.write(path.name + "\n")


def fake_ok(path: Path) -> Record:
    """A quick record; names trigger misbehaviour: hang, crash, segv, bomb, grow, raise, slow."""
    _log_call(path)
    name = path.name
    if "helper" in name:  # a helper program (like tesseract) outliving a stopped worker
        helper = subprocess.Popen(["sleep", "600"], start_new_session="session" in name)
        path.with_suffix(".pid").write_text(str(helper.pid))
        time.sleep(600)
    if "hang" in name:
        time.sleep(600)
    if "crash" in name:
        os._exit(3)
    if "segv" in name:
        os.kill(os.getpid(), signal.SIGSEGV)
    if "bomb" in name:
        bytearray(1 << 40)  # one huge allocation: MemoryError under the address-space limit
    if "grow" in name:
        hoard = []
        for _ in range(200):  # slow growth: the parent's resident-memory watch stops it
            hoard.append(bytearray(20 << 20))
            time.sleep(0.02)
    if "raise" in name:
        raise ValueError("a bug in a component")
    if "slow" in name:
        time.sleep(0.3)
    if "env" in name:
        path.with_suffix(".seen").write_text(os.environ.get("VANBAN_TEST_SETTING", "unset"))
    if "term" in name:  # SIGTERM reaching a worker (systemd signals every process): ignored
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.1)
    if "tmp" in name:  # where temporary files go, and atexit handlers of components
        (Path(tempfile.gettempdir()) / "left-behind.txt").write_text("x")
        (path.parent / ".tmpdir").write_text(tempfile.gettempdir() + "\n" + os.environ["TMPDIR"])
        atexit.register((path.parent / ".atexit").write_text, "ran")
    return Record(
        pipeline_version=__version__,
        source=Source(path=str(path), sha256=sha256_of(path), bytes=path.stat().st_size, format="txt"),
        status="ok",
        seconds=0.0,
        text=Text(pages=[path.read_text()]),
    )


def calls(folder: Path) -> list[str]:
    log = folder / ".calls"
    return log.read_text().splitlines() if log.exists() else []


def manifest_lines(outdir: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (outdir / MANIFEST_NAME).read_text().splitlines() if line]


def by_name(outdir: Path) -> dict[str, dict[str, object]]:
    return {Path(str(entry["path"])).name: entry for entry in manifest_lines(outdir)}


def output_files(outdir: Path) -> list[Path]:
    return sorted(p for p in outdir.rglob("*") if p.is_file() and p.name != MANIFEST_NAME)


# --------------------------------------------------------------------------------------
# Misbehaving documents (fake process): each fails alone, the others finish
# --------------------------------------------------------------------------------------


def test_hang_crash_memory_and_bugs_fail_only_their_document(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    names = ["a.txt", "b-hang.txt", "c-crash.txt", "d-segv.txt", "e-bomb.txt", "f-grow.txt", "g-raise.txt"]
    names += ["h-helper.txt", "i-helper-session.txt"]
    names += [f"z{i}.txt" for i in range(6)]
    for name in names:
        (docs / name).write_text("x")
    out = tmp_path / "out"

    summary = run_batch([docs], out, jobs=2, timeout=2, max_memory_mb=400, progress=False, process=fake_ok)

    entries = by_name(out)
    assert set(entries) == set(names)
    assert entries["b-hang.txt"]["error"] == "batch.timeout"
    assert entries["c-crash.txt"]["error"] == "batch.crashed"
    assert entries["d-segv.txt"]["error"] == "batch.crashed"
    assert entries["e-bomb.txt"]["error"] == "batch.memory"
    assert entries["f-grow.txt"]["error"] == "batch.memory"
    assert entries["g-raise.txt"]["error"] == "batch.error"
    assert entries["h-helper.txt"]["error"] == "batch.timeout"
    assert entries["i-helper-session.txt"]["error"] == "batch.timeout"
    time.sleep(0.2)
    for pid_file in ["h-helper.pid", "i-helper-session.pid"]:  # helper programs are stopped too
        helper = Path("/proc") / (docs / pid_file).read_text()
        assert not helper.exists() or (helper / "stat").read_text().split()[2] == "Z"
    for name in ["a.txt"] + [f"z{i}.txt" for i in range(6)]:
        assert entries[name]["status"] == "ok"
    # Failed records are full records: sha256 of the input, status, error message.
    crashed = json.loads((out / "d-segv.txt.json").read_text())
    assert crashed["status"] == "failed"
    assert "SIGSEGV" in crashed["errors"][0]["message"]
    assert crashed["source"]["sha256"] == sha256_of(docs / "d-segv.txt")
    assert summary.exit_code == 1
    assert summary.by_status == {"ok": 7, "failed": 8}
    assert len(output_files(out)) == len(names)


def test_summary_counts_and_renders(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    for name in ["a.txt", "b.txt", "c-raise.txt", ".hidden.txt"]:
        (docs / name).write_text("x")
    summary = run_batch([docs], tmp_path / "out", jobs=1, progress=False, process=fake_ok)
    assert summary.processed == 3
    assert summary.ignored == {"hidden": 1}
    assert summary.by_format["txt"].files == 2
    assert summary.errors == {"batch.error": 1}
    assert len(summary.slowest) == 3
    text = summary.render()
    assert "ok 2 · failed 1" in text
    assert "slowest:" in text


# --------------------------------------------------------------------------------------
# Resume, streaming, text
# --------------------------------------------------------------------------------------


def test_resume_skips_finished_inputs(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    for name in ["a.txt", "b.txt", "c.txt", "d-raise.txt"]:
        (docs / name).write_text(name)
    out = tmp_path / "out"
    run_batch([docs], out, jobs=2, progress=False, process=fake_ok)
    assert len(calls(docs)) == 4

    (docs / ".calls").unlink()
    (docs / "b.txt").write_text("changed")  # new content: redo
    (out / "c.txt.json").unlink()  # output gone: redo
    summary = run_batch([docs], out, jobs=2, resume=True, progress=False, process=fake_ok)

    assert sorted(calls(docs)) == ["b.txt", "c.txt", "d-raise.txt"]  # failed ones are retried
    assert summary.resumed == 1
    assert summary.processed == 3
    assert set(read_manifest(out)) == {"a.txt.json", "b.txt.json", "c.txt.json", "d-raise.txt.json"}


def test_resume_redoes_inputs_of_another_pipeline_version(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "a.txt").write_text("a")
    out = tmp_path / "out"
    run_batch([docs], out, jobs=1, progress=False, process=fake_ok)
    manifest = out / MANIFEST_NAME
    manifest.write_text(manifest.read_text().replace(f'"{__version__}"', '"0.0.0-old"'))
    run_batch([docs], out, jobs=1, resume=True, progress=False, process=fake_ok)
    assert calls(docs) == ["a.txt", "a.txt"]


def test_a_symlink_planted_in_outdir_cannot_lead_writes_out(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    (docs / "sub").mkdir(parents=True)
    (docs / "sub" / "a.txt").write_text("a")
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "sub").symlink_to(elsewhere)
    run_batch([docs], out, jobs=1, progress=False, process=fake_ok)
    assert not list(elsewhere.iterdir())
    assert by_name(out)["a.txt"]["error"] == "batch.write_failed"


def test_resume_ignores_a_torn_manifest_line(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "a.txt").write_text("a")
    (docs / "b.txt").write_text("b")
    out = tmp_path / "out"
    run_batch([docs], out, jobs=1, progress=False, process=fake_ok)
    with open(out / MANIFEST_NAME, "a") as manifest:
        manifest.write('{"path": "in/b.txt", "outp')  # a run killed mid-line
    (docs / ".calls").unlink()
    run_batch([docs], out, jobs=1, resume=True, progress=False, process=fake_ok)
    assert calls(docs) == []
    lines = (out / MANIFEST_NAME).read_text().splitlines()
    assert lines[-1].startswith('{"path": "in/b.txt", "outp')  # kept, and nothing glued to it


def test_jsonl_stream_and_no_text(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "a.txt").write_text("a")
    (docs / "b-raise.txt").write_text("b")
    stream_path = tmp_path / "stream.jsonl"
    with open(stream_path, "w") as stream:
        run_batch([docs], tmp_path / "out", jobs=1, progress=False, process=fake_ok, jsonl=stream)
    records = [Record.model_validate_json(line) for line in stream_path.read_text().splitlines()]
    assert sorted(r.status for r in records) == ["failed", "ok"]
    assert all(r.text is not None for r in records if r.status == "ok")

    run_batch([docs], tmp_path / "out2", jobs=1, progress=False, process=fake_ok, include_text=False)
    assert Record.model_validate_json((tmp_path / "out2" / "a.txt.json").read_text()).text is None


def test_stream_only_without_outdir_and_settings_reach_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "a-env.txt").write_text("a")
    monkeypatch.setenv("VANBAN_TEST_SETTING", "on")  # e.g. VANBAN_OCR=0 from --no-ocr
    stream = io.StringIO()
    summary = run_batch([docs], None, jobs=1, progress=False, process=fake_ok, jsonl=stream)
    assert exit_code(summary) == 0
    assert Record.model_validate_json(stream.getvalue()).status == "ok"
    assert (docs / "a-env.seen").read_text() == "on"
    with pytest.raises(ValueError):
        run_batch([docs], None, resume=True, progress=False, process=fake_ok)


# --------------------------------------------------------------------------------------
# Ctrl-C
# --------------------------------------------------------------------------------------

_INTERRUPTIBLE = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from pipeline.batch import run_batch
from test_batch import fake_ok
summary = run_batch([Path({docs!r})], Path({out!r}), jobs=2, progress=False, process=fake_ok, resume=True)
sys.exit(summary.exit_code)
"""


@pytest.mark.parametrize(("stop", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_or_sigterm_stops_cleanly_and_resume_finishes(
    tmp_path: Path, stop: signal.Signals, code: int
) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    for i in range(40):
        (docs / f"doc{i:02d}-slow.txt").write_text(str(i))
    out = tmp_path / "out"
    script = _INTERRUPTIBLE.format(tests=str(TESTS), docs=str(docs), out=str(out))
    child = subprocess.Popen([sys.executable, "-c", script], cwd=TESTS.parent)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if (out / MANIFEST_NAME).exists() and len(manifest_lines(out)) >= 4:
            break
        time.sleep(0.05)
    child.send_signal(stop)
    assert child.wait(timeout=20) == code

    entries = manifest_lines(out)
    assert 4 <= len(entries) < 40
    for entry in entries:  # every manifest line has its output, and nothing else was written
        assert (out / str(entry["output"])).is_file()
    assert len(output_files(out)) == len(entries)
    assert not list(out.glob(".tmp-*"))

    done_before = len(entries)
    (docs / ".calls").unlink()
    child = subprocess.Popen([sys.executable, "-c", script], cwd=TESTS.parent)
    assert child.wait(timeout=60) == 0
    assert len(calls(docs)) == 40 - done_before
    assert len(read_manifest(out)) == 40


def test_killed_run_leftovers_are_cleaned_and_workers_keep_temp_files_apart(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    (docs / "sub").mkdir(parents=True)
    for name in ["a.txt", "b-tmp.txt", "sub/c-term.txt"]:
        (docs / name).write_text(name)
    out = tmp_path / "out"
    run_batch([docs], out, jobs=1, progress=False, process=fake_ok)
    assert by_name(out)["c-term.txt"]["status"] == "ok"  # SIGTERM did not stop the worker
    # What a run killed outright leaves: its temporary files, its workers' temporary folders.
    dead_pid = 4_194_304 + 7  # above any pid_max: never a running process
    stale = [
        out / f".tmp-{dead_pid}-x1.json",
        out / "sub" / f".tmp-{dead_pid}-x2.json",
        out / ".tmp-old.json",
    ]
    for path in stale:
        path.write_text('{"trunc')
    live = out / f".tmp-{os.getpid()}-x3.json"  # a run writing right now keeps its file
    live.write_text("{")
    stale_folder = Path(tempfile.gettempdir()) / f"vanban-worker-{dead_pid}-abc"
    stale_folder.mkdir(exist_ok=True)
    (docs / "a.txt").write_text("changed")

    summary = run_batch([docs], out, jobs=1, resume=True, progress=False, process=fake_ok)

    assert summary.stale_temp_files == 3 and not any(p.exists() for p in stale)
    assert live.exists()
    assert not stale_folder.exists()
    assert summary.processed == 1 and summary.resumed == 2
    # Each worker had a temporary folder of its own (TMPDIR too), removed when it ended,
    # and the atexit handlers its components registered ran.
    temp, env_temp = (docs / ".tmpdir").read_text().splitlines()
    assert temp == env_temp and Path(temp).name.startswith("vanban-worker-")
    assert not Path(temp).exists()
    assert (docs / ".atexit").read_text() == "ran"


# --------------------------------------------------------------------------------------
# The walk and output naming
# --------------------------------------------------------------------------------------


def test_output_names_cannot_collide_or_escape() -> None:
    assert output_file_name("x.pdf") == "x.pdf.json"
    assert output_file_name("x.docx") != output_file_name("x.pdf")
    assert output_dir_name("x.pdf.json") == "x.pdf.json_"  # never a file's output name
    assert output_dir_name("x.pdf.json_") == "x.pdf.json__"
    for name in ["..", ".", "a\nb.pdf", "\udcff\udcfe.pdf", "é" * 200, "x" * 300]:
        out = output_file_name(name)
        assert "/" not in out and out not in (".", "..") and "\n" not in out
        assert len(out.encode()) <= 255
        out.encode("utf-8")  # clean UTF-8 (no surrogates)
    assert output_file_name("x" * 300) != output_file_name("x" * 301)
    assert output_file_name("a\nb.pdf") != output_file_name("a\rb.pdf")


def test_walk_is_sorted_skips_hidden_symlinked_dirs_and_outdir(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "b").mkdir(parents=True)
    (root / "a.pdf").write_text("x")
    (root / "b" / "c.pdf").write_text("x")
    (root / ".git").mkdir()
    (root / ".git" / "x.pdf").write_text("x")
    (root / "~$lock.docx").write_text("x")
    (root / "linked").symlink_to(root / "b")
    (root / "loop").symlink_to(root)
    (root / "inner.pdf").symlink_to(root / "a.pdf")
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    (root / "outside.txt").symlink_to(outside)
    (root / "out").mkdir()
    (root / "out" / "old.json").write_text("{}")

    entries = list(walk_inputs([root], root / "out"))

    items = [(e.path.name, str(e.output), e.problem and e.problem[0]) for e in entries if isinstance(e, Item)]
    assert items == [
        ("a.pdf", "a.pdf.json", None),
        ("c.pdf", "b/c.pdf.json", None),
        ("inner.pdf", "inner.pdf.json", None),
        ("outside.txt", "outside.txt.json", "batch.symlink_outside"),
    ]
    ignored = sorted((e.path.name, e.reason) for e in entries if isinstance(e, Ignored))
    assert ignored == [
        (".git", "hidden"),
        ("linked", "symlinked folder"),
        ("loop", "symlinked folder"),
        ("out", "output folder"),
        ("~$lock.docx", "hidden"),
    ]


def test_several_inputs_get_their_own_top_level_names(tmp_path: Path) -> None:
    for folder in ["x/docs", "y/docs"]:
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "a.pdf").write_text("x")
    (tmp_path / "single.pdf").write_text("x")
    inputs = [tmp_path / "x/docs", tmp_path / "y/docs", tmp_path / "single.pdf", tmp_path / "x/docs"]
    entries = list(walk_inputs(inputs))
    outputs = [str(e.output) for e in entries if isinstance(e, Item)]
    assert outputs == ["docs/a.pdf.json", "docs~2/a.pdf.json", "single.pdf.json"]
    assert [e.reason for e in entries if isinstance(e, Ignored)] == ["duplicate input"]


def test_unlistable_folder_becomes_a_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests usually run as root, where chmod 000 blocks nothing: fake the refusal instead.
    root = tmp_path / "in"
    (root / "locked").mkdir(parents=True)
    (root / "ok.txt").write_text("x")
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = [e for e in walk_inputs([root]) if isinstance(e, Item)]
    assert [(e.path.name, str(e.output), e.problem and e.problem[0]) for e in items] == [
        ("locked", "locked.json", "batch.unreadable"),
        ("ok.txt", "ok.txt.json", None),
    ]


# --------------------------------------------------------------------------------------
# Bad inputs through the real pipeline
# --------------------------------------------------------------------------------------


def _encrypted_pdf() -> bytes:
    """A PDF whose standard security handler wants a password nobody knows (RC4, R2)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [<" + b"ab" * 16 + b"> <" + b"ab" * 16
    body += b">] >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return body


def _zip_bomb(path: Path, megabytes: int) -> None:
    """A DOCX whose document.xml inflates from a few MB to ``megabytes``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"<w:p/>" * (1 << 17)
            member.write(b'<w:document xmlns:w="urn:w"><w:body>')
            for _ in range((megabytes << 20) // len(chunk)):
                member.write(chunk)


def _bad_inputs(folder: Path, corpus_pdf: Path) -> dict[str, str | None]:
    """Write the bad inputs; name -> error code the batch itself must give (None: any failure)."""
    folder.mkdir()
    (folder / "empty.pdf").write_bytes(b"")
    data = corpus_pdf.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 2])
    (folder / "encrypted.pdf").write_bytes(_encrypted_pdf())
    (folder / "random.pdf").write_bytes(os.urandom(64 << 10))
    _zip_bomb(folder / "bomb.docx", 512)
    (folder / "nested.html").write_text("<html><body>" + "<div>" * 100_000 + "x" + "</div>" * 100_000)
    (folder / "one-line.txt").write_text("Kế hoạch số 12 " * (20_000_000 // 16))
    (folder / "dangling.pdf").symlink_to(folder / "missing.pdf")
    (folder / "loop1.pdf").symlink_to(folder / "loop2.pdf")
    (folder / "loop2.pdf").symlink_to(folder / "loop1.pdf")
    os.mkfifo(folder / "fifo.pdf")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "sock.pdf"))
    locked = folder / "locked.txt"
    locked.write_text("Kế hoạch")
    locked.chmod(0)
    for name in [
        "Kế hoạch số 1.txt",
        "with space.txt",
        "new\nline.txt",
        "-leading-dash.txt",
        "\udcffbad.txt",
    ]:
        (folder / name).write_text("Kế hoạch")
    shutil.copy(corpus_pdf, folder / "good.pdf")
    return {
        "dangling.pdf": "batch.dangling_symlink",
        "loop1.pdf": "batch.symlink_loop",
        "loop2.pdf": "batch.symlink_loop",
        "fifo.pdf": "batch.not_a_file",
        "sock.pdf": "batch.not_a_file",
        "empty.pdf": None,
        "random.pdf": None,
    }


def test_bad_inputs_each_get_a_clear_record(tmp_path: Path, corpus_docs: Path) -> None:
    corpus_pdf = corpus_docs / "004.pdf"
    docs = tmp_path / "in"
    expected = _bad_inputs(docs, corpus_pdf)
    out = tmp_path / "out"

    summary = run_batch([docs], out, jobs=2, timeout=15, max_memory_mb=1024, progress=False)

    entries = manifest_lines(out)
    names = sorted(os.listdir(docs))
    assert len(entries) == len(names)  # one line per input, every one accounted for
    assert summary.processed == len(names) and not summary.interrupted
    for entry in entries:
        record = Record.model_validate_json((out / str(entry["output"])).read_text())
        assert record.status == entry["status"]
        if record.status == "failed":
            assert record.errors and record.errors[0].code and record.errors[0].message
    # Outputs stay inside OUTDIR with clean names: one per input plus the manifest.
    written = output_files(out)
    assert len(written) == len(names)
    assert all(p.resolve().is_relative_to(out.resolve()) and "\n" not in p.name for p in written)
    by_path = {Path(str(e["path"])).name: e for e in entries}
    for name, code in expected.items():
        assert by_path[name]["status"] == "failed", name
        if code:
            assert by_path[name]["error"] == code, name
    assert "\\xffbad.txt" in by_path  # undecodable bytes shown escaped, not lost
    # Root can read a chmod-000 file, so it is processed like any other; as a normal user
    # it fails with read.unreadable. Either way it has its record.
    if os.geteuid() != 0:
        assert by_path["locked.txt"]["error"] == "read.unreadable"
    # The good document comes out exactly as it does alone.
    alone = process_file(docs / "good.pdf")
    batch = Record.model_validate_json((out / "good.pdf.json").read_text())
    assert batch.model_dump(exclude={"seconds"}) == alone.model_dump(exclude={"seconds"})


def test_encrypted_pdf_fixture_is_really_locked(tmp_path: Path) -> None:
    # qpdf is not installed and pypdfium2 cannot write encryption, so the fixture is
    # hand-made: check that pdfium really refuses it without the password.
    import pypdfium2

    path = tmp_path / "e.pdf"
    path.write_bytes(_encrypted_pdf())
    with pytest.raises(pypdfium2.PdfiumError, match=r"(?i)password"):
        pypdfium2.PdfDocument(path)


class _Cyclic:
    def __init__(self) -> None:
        self.me = self  # a reference cycle, as python-docx and pdfplumber objects make
        self.payload = bytearray(1 << 20)


def test_memory_a_document_left_in_reference_cycles_is_freed_after_it() -> None:
    left = _Cyclic()
    gone = weakref.ref(left)
    del left
    try:
        _release_free_memory()
        assert gone() is None
        assert gc.get_freeze_count() > 0  # survivors are long-lived: later collections skip them
    finally:
        gc.unfreeze()


def test_memory_a_child_not_yet_execd_is_not_counted_as_a_helper() -> None:
    helper = subprocess.Popen(["sleep", "5"])
    copy = os.fork()  # a copy of this process, as a helper is until it execs its program
    if copy == 0:
        time.sleep(5)
        os._exit(0)
    try:
        time.sleep(0.2)
        tree = _without_unexeced([os.getpid(), helper.pid, copy])
        assert tree == [os.getpid(), helper.pid]
    finally:
        for pid in (helper.pid, copy):
            os.kill(pid, signal.SIGKILL)
        helper.wait()
        os.waitpid(copy, 0)
