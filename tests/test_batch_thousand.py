"""1,000 documents through the real command line: killed outright halfway, resumed, flat memory.

The inputs are copies of small real corpus documents (DOCX, a text PDF) and generated TXT
plans, each made distinct (a ZIP comment, a PDF comment after ``%%EOF``, the plan number)
so that every one has its own sha256. The first run is killed with SIGKILL about halfway;
the outputs must then be consistent (every manifest line has its whole record, at most one
record written but not yet in the manifest, at most one temporary file, no worker left
running). The resumed run must process exactly the documents not yet in the manifest and
leave the others untouched. Resident memory of the parent and of the workers is sampled
from /proc throughout and must stay flat.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean

import pytest

from pipeline.batch import MANIFEST_NAME
from pipeline.record.models import Record

ROOT = Path(__file__).resolve().parents[1]
N_DOCS = 1000
FOLDERS = 10  # 100 documents per folder, mirrored under OUTDIR
KILL_AT = N_DOCS // 2
PARENT_GROWTH_MB = 5.0  # allowed RSS growth of the parent from 100 to 900 documents
WORKER_GROWTH_MB = 25.0  # of the workers' mean RSS from the 200..500 to the 700..1000 window
RUN_TIMEOUT = 240.0

_PLAN = """ỦY BAN NHÂN DÂN                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
XÃ AN BÌNH                                  Độc lập - Tự do - Hạnh phúc

Số: {n}/KH-UBND                          An Bình, ngày {day} tháng 3 năm 2024

KẾ HOẠCH
Tổ chức ngày hội đọc sách lần thứ {n}

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Ủy ban nhân dân xã ban hành kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao văn hóa đọc trong cộng đồng; phấn đấu {pct}% trường học tham gia.
II. NỘI DUNG
1. Văn hóa - Thông tin xã chủ trì, phối hợp với các trường học tổ chức trưng bày sách, \
hoàn thành trước ngày 20/4/2024.

Nơi nhận:                                  TM. ỦY BAN NHÂN DÂN
- UBND huyện;                              CHỦ TỊCH
- Lưu: VT.
                                           Nguyễn Văn An
"""


def _with_zip_comment(data: bytes, comment: bytes) -> bytes:
    """The same ZIP (DOCX) with an archive comment: a valid, distinct file."""
    end = data.rfind(b"PK\x05\x06")
    assert end == len(data) - 22, "expected a ZIP without a comment"
    return data[:-2] + len(comment).to_bytes(2, "little") + comment


def build_corpus(corpus_docs: Path, folder: Path) -> list[Path]:
    """N_DOCS distinct small documents in FOLDERS sub-folders; returns their paths."""
    docx = [(corpus_docs / name).read_bytes() for name in ("068.docx", "080.docx")]
    pdf = (corpus_docs / "066.pdf").read_bytes()  # a 2-page text PDF
    paths: list[Path] = []
    for n in range(N_DOCS):
        sub = folder / f"box{n % FOLDERS:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        kind = n % 4
        if n % 50 == 7:
            path = sub / f"d{n:04d}.pdf"
            path.write_bytes(pdf + b"%% copy %d\n" % n)
        elif kind in (0, 2):
            path = sub / f"d{n:04d}.docx"
            path.write_bytes(_with_zip_comment(docx[kind // 2], b"copy %d" % n))
        else:
            path = sub / f"d{n:04d}.txt"
            path.write_text(_PLAN.format(n=n + 1, day=n % 28 + 1, pct=50 + n % 50), encoding="utf-8")
        paths.append(path)
    return paths


# --------------------------------------------------------------------------------------
# /proc sampling (psutil is not installed)
# --------------------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    """Running (a zombie, or a pid gone from /proc, is not)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@dataclass
class Sample:
    done: int  # manifest lines at the time
    parent_mb: float
    workers_mb: dict[int, float]  # worker pid -> RSS (workers: children of the forkserver)


@dataclass
class Run:
    returncode: int | None = None
    seconds: float = 0.0
    samples: list[Sample] = field(default_factory=list)
    pids: set[int] = field(default_factory=set)  # every process seen under the parent

    def near(self, done: int) -> Sample:
        """The first sample taken with at least ``done`` documents in the manifest."""
        return next((s for s in self.samples if s.done >= done and s.parent_mb), self.samples[-1])

    def last_before(self, done: int) -> Sample:
        return [s for s in self.samples if s.done <= done][-1]

    def workers_between(self, low: int, high: int) -> list[float]:
        """RSS of every worker in every sample taken with low..high documents done."""
        found = [mb for s in self.samples if low <= s.done <= high for mb in s.workers_mb.values() if mb]
        assert found, f"no sample between {low} and {high} documents"
        return found


def manifest_count(outdir: Path) -> int:
    try:
        with open(outdir / MANIFEST_NAME, "rb") as handle:
            return handle.read().count(b"\n")
    except OSError:
        return 0


def run_cli(docs: Path, outdir: Path, *, resume: bool = False, kill_at: int | None = None) -> Run:
    """Run ``cli.py extract`` with 2 workers, sampling memory; SIGKILL it at ``kill_at`` lines."""
    command = [sys.executable, "cli.py", "extract", str(docs), "-o", str(outdir), "-q", "-j", "2"]
    command += ["--resume"] if resume else []
    run = Run()
    started = time.monotonic()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while child.poll() is None:
            if time.monotonic() - started > RUN_TIMEOUT:
                raise AssertionError(f"the batch took over {RUN_TIMEOUT:.0f} s")
            done = manifest_count(outdir)
            workers: dict[int, float] = {}
            for server in children(child.pid):  # forkserver (and resource tracker)
                run.pids.add(server)
                for worker in children(server):
                    run.pids.add(worker)
                    run.pids.update(children(worker))  # helper programs
                    workers[worker] = rss_mb(worker)
            run.samples.append(Sample(done, rss_mb(child.pid), workers))
            if kill_at is not None and done >= kill_at:
                child.send_signal(signal.SIGKILL)
                break
            time.sleep(0.05)
        run.returncode = child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    run.seconds = time.monotonic() - started
    stderr = child.stderr.read().decode(errors="replace") if child.stderr else ""
    assert kill_at is not None or run.returncode == 0, stderr[-3000:]
    return run


def valid_entries(outdir: Path) -> list[dict[str, object]]:
    """Manifest lines in order; a line torn by the kill is skipped (as resume does)."""
    entries = []
    for line in (outdir / MANIFEST_NAME).read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue
    return entries


def record_files(outdir: Path) -> set[str]:
    return {
        p.relative_to(outdir).as_posix() for p in outdir.rglob("*.json") if not p.name.startswith(".tmp-")
    }


def temp_files(outdir: Path) -> list[Path]:
    return list(outdir.rglob(".tmp-*"))


def check_records(outdir: Path, entries: list[dict[str, object]]) -> None:
    for entry in entries:
        text = (outdir / str(entry["output"])).read_text(encoding="utf-8")
        record = Record.model_validate_json(text)  # whole, valid JSON
        assert record.source.sha256 == entry["sha256"]
        assert record.status == entry["status"]


# --------------------------------------------------------------------------------------
# The test
# --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_thousand_documents_killed_halfway_resume_and_flat_memory(tmp_path: Path, corpus_docs: Path) -> None:
    docs, out = tmp_path / "in", tmp_path / "out"
    inputs = build_corpus(corpus_docs, docs)
    expected = {(Path(p.parent.name) / (p.name + ".json")).as_posix() for p in inputs}  # mirrored names
    assert len(expected) == N_DOCS

    # 1. Killed outright (SIGKILL) halfway.
    first = run_cli(docs, out, kill_at=KILL_AT)
    assert first.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 10  # the workers and the forkserver die with the parent
    while any(alive(pid) for pid in first.pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in first.pids if alive(pid)], "processes outlived the killed batch"

    done_first = valid_entries(out)
    assert KILL_AT <= len(done_first) < N_DOCS
    check_records(out, done_first)
    finished = {str(e["output"]) for e in done_first}
    assert len(finished) == len(done_first)  # nothing recorded twice
    written = record_files(out) - {MANIFEST_NAME}
    assert finished <= written
    assert len(written - finished) <= 1  # renamed into place, killed before its manifest line
    for name in written:  # no truncated JSON under a final name
        json.loads((out / name).read_text(encoding="utf-8"))
    assert len(temp_files(out)) <= 1  # the parent writes one record at a time
    mtimes = {name: (out / name).stat().st_mtime_ns for name in finished}

    # 2. Resumed: exactly the rest is processed.
    second = run_cli(docs, out, resume=True)
    entries = valid_entries(out)
    redone = entries[len(done_first) :]
    redone_outputs = {str(e["output"]) for e in redone}
    assert not redone_outputs & finished, "finished documents were processed again"
    assert len(redone) == len(redone_outputs) == N_DOCS - len(done_first)
    assert finished | redone_outputs == expected
    assert {name: (out / name).stat().st_mtime_ns for name in finished} == mtimes  # untouched
    check_records(out, redone)
    assert record_files(out) - {MANIFEST_NAME} == expected
    assert not temp_files(out)
    assert {e["status"] for e in entries} <= {"ok", "partial"}

    # 3. Flat memory. The parent holds nothing per document: its RSS at 900 documents (in
    # the resumed run) is that at 100. Workers load some libraries lazily on their first
    # documents, so theirs is compared between windows after that: 200..500 and 700..1000.
    parent_early, parent_late = first.near(100), second.near(900)
    early_workers = first.workers_between(200, KILL_AT)
    late_workers = second.workers_between(700, N_DOCS)
    report = (
        f"first run {first.seconds:.1f} s (killed at {len(done_first)} documents), resumed run "
        f"{second.seconds:.1f} s ({len(redone)} processed, {len(finished)} skipped); "
        f"parent RSS {parent_early.parent_mb:.1f} MB at {parent_early.done} "
        f"documents, {first.last_before(KILL_AT).parent_mb:.1f} MB at {first.last_before(KILL_AT).done}, "
        f"{parent_late.parent_mb:.1f} MB at {parent_late.done}; worker RSS mean (max) "
        f"{mean(early_workers):.1f} ({max(early_workers):.1f}) MB over 200..{KILL_AT}, "
        f"{mean(late_workers):.1f} ({max(late_workers):.1f}) MB over 700..{N_DOCS}"
    )
    print(report)
    for run in (first, second):
        started_at = run.samples[0].done  # documents already in the manifest
        parents = [s.parent_mb for s in run.samples if s.done >= started_at + 100 and s.parent_mb]
        assert max(parents) - min(parents) <= PARENT_GROWTH_MB, report
    assert parent_late.parent_mb - parent_early.parent_mb <= PARENT_GROWTH_MB, report
    assert mean(late_workers) - mean(early_workers) <= WORKER_GROWTH_MB, report
    assert max(early_workers + late_workers) <= 400, report
