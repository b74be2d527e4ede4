"""Inputs are opened once, without following links, checked on the descriptor and read
from it; large inputs are refused unread and the parent never reads an input."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from pipeline.batch import Item, Task, WorkerConfig, _run_task, run_batch, walk_inputs
from pipeline.read.doc import read_doc
from pipeline.record.models import Record, Text
from pipeline.run import process_file, sha256_of
from tests.hostile.helpers import by_output, quick_record

SECRET = "root:x:0:0:secret line\n"


def _walked(folder: Path) -> dict[str, Item]:
    return {entry.path.name: entry for entry in walk_inputs([folder]) if isinstance(entry, Item)}


def _task(item: Item, **extra: object) -> Task:
    return Task(1, item.path, None, identity=item.identity, follow=item.follow, **extra)  # type: ignore[arg-type]


def _config() -> WorkerConfig:
    return WorkerConfig(
        process=process_file,
        include_text=True,
        want_jsonl=False,
        max_memory_mb=0,
        warm_up=False,
        reads_descriptor=True,
    )


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    docs = tmp_path / "in"
    (docs / "sub").mkdir(parents=True)
    (docs / "a.txt").write_text("Kế hoạch số 1")
    (docs / "sub" / "b.txt").write_text("Kế hoạch số 2")
    secret = tmp_path / "passwd"
    secret.write_text(SECRET)
    return docs, secret


def test_a_file_swapped_for_a_link_after_the_walk_is_not_read(tree: tuple[Path, Path]) -> None:
    docs, secret = tree
    item = _walked(docs)["a.txt"]
    (docs / "a.txt").unlink()
    (docs / "a.txt").symlink_to(secret)  # the race: after the walk, before the worker opens
    reply = _run_task(_task(item), _config())
    assert (reply.kind, reply.code) == ("refused", "batch.changed")
    assert SECRET not in reply.json


def test_a_folder_swapped_for_a_link_after_the_walk_is_not_read(tree: tuple[Path, Path]) -> None:
    docs, secret = tree
    item = _walked(docs / "sub")["b.txt"]
    elsewhere = secret.parent / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(secret, elsewhere / "b.txt")
    shutil.rmtree(docs / "sub")
    (docs / "sub").symlink_to(elsewhere)
    reply = _run_task(_task(item), _config())
    assert (reply.kind, reply.code) == ("refused", "batch.changed")
    assert SECRET not in reply.json


def test_a_file_replaced_by_another_file_or_a_fifo_is_not_read(tree: tuple[Path, Path]) -> None:
    docs, _ = tree
    items = _walked(docs)
    (docs / "new.txt").write_text("another file under the same name")  # made while a.txt exists:
    os.replace(docs / "new.txt", docs / "a.txt")  # a new inode, not a.txt's reused
    reply = _run_task(_task(items["a.txt"]), _config())
    assert (reply.kind, reply.code) == ("refused", "batch.changed")
    (docs / "a.txt").unlink()
    os.mkfifo(docs / "a.txt")  # opening a FIFO would block the worker: it must not
    reply = _run_task(_task(items["a.txt"]), _config())
    assert (reply.kind, reply.code) == ("refused", "batch.not_a_file")


def swap_then_read(path: Path, *, source: str, digest: str) -> Record:
    """Swap the input for a link to a secret while the worker holds it open, then read."""
    Path(source).unlink()
    Path(source).symlink_to(Path(source).parent.parent / "passwd")
    return process_file(path, source=source, digest=digest)


def test_the_record_reads_the_descriptor_that_was_checked(tree: tuple[Path, Path]) -> None:
    docs, _ = tree
    item = _walked(docs)["a.txt"]
    config = WorkerConfig(
        process=swap_then_read,
        include_text=True,
        want_jsonl=False,
        max_memory_mb=0,
        warm_up=False,
        reads_descriptor=True,
    )
    reply = _run_task(_task(item), config)
    assert reply.kind == "record"
    record = Record.model_validate_json(reply.json)
    assert record.source.path == str(docs / "a.txt")  # the input's path, not the private link
    assert record.text is not None and "Kế hoạch số 1" in record.text.pages[0]
    assert "secret" not in reply.json


def test_a_huge_sparse_pdf_is_refused_unread_and_the_batch_goes_on(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    huge = docs / "huge.pdf"
    with open(huge, "wb") as handle:  # 6 GiB that take no disk space
        handle.write(b"%PDF-1.7\n")
        handle.truncate(6 << 30)
    (docs / "small.txt").write_text("Kế hoạch")
    out = tmp_path / "out"
    before = time.process_time()
    summary = run_batch([docs], out, jobs=1, timeout=5, progress=False, process=quick_record)
    parent_cpu = time.process_time() - before
    entries = by_output(out)
    assert entries["huge.pdf.json"]["error"] == "batch.too_large"
    assert entries["huge.pdf.json"]["sha256"] == ""  # never hashed, by the worker or the parent
    assert entries["small.txt.json"]["status"] == "ok"
    assert summary.by_status == {"ok": 1, "failed": 1}
    assert parent_cpu < 5.0  # hashing 6 GiB takes the parent far longer (generous bound)


def test_a_timed_out_record_names_the_digest_the_worker_read(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "hang.txt").write_text("Kế hoạch")
    out = tmp_path / "out"
    run_batch([docs], out, jobs=1, timeout=1.5, progress=False, process=quick_record)
    entry = by_output(out)["hang.txt.json"]
    assert entry["error"] == "batch.timeout"
    assert entry["sha256"] == sha256_of(docs / "hang.txt")


def test_a_doc_whose_name_starts_with_a_dash_is_read_as_a_file(tmp_path: Path, corpus_docs: Path) -> None:
    source = sorted(corpus_docs.glob("*.doc"))[0]
    dashed = tmp_path / "-m.doc"
    shutil.copy(source, dashed)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        document = read_doc(Path("-m.doc"), fonts_for_legacy=False)
    finally:
        os.chdir(cwd)
    assert document.metadata["doc_reader"] == "antiword"
    assert any(line.text.strip() for line in document.pages[0].lines)


def lone_surrogate_record(path: Path) -> Record:
    """A reader that let a lone surrogate through: the record cannot be encoded as UTF-8."""
    record = quick_record(path)
    return record.model_copy(update={"text": Text(pages=["Kế hoạch \ud83d"])})


def test_a_record_that_cannot_be_encoded_fails_with_a_clear_code(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "a.txt").write_text("a")
    out = tmp_path / "out"
    run_batch([docs], out, jobs=1, progress=False, process=lone_surrogate_record)
    entry = by_output(out)["a.txt.json"]
    assert (entry["status"], entry["error"]) == ("failed", "record.unencodable")
    assert entry["sha256"] == sha256_of(docs / "a.txt")
    assert (out / "a.txt.json").is_file()
