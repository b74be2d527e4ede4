"""Nothing is written or read outside OUTDIR, whatever links an input tree plants there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.batch import MANIFEST_NAME, OutputError, run_batch, walk_inputs
from tests.hostile.helpers import by_output, manifest, quick_record

ROOT = Path(__file__).resolve().parents[2]


def _planted_tree(tmp_path: Path, target: Path) -> Path:
    """An input folder holding ``out/manifest.jsonl -> target`` and a file with a shell-ish name."""
    docs = tmp_path / "in"
    (docs / "out").mkdir(parents=True)
    (docs / "out" / MANIFEST_NAME).symlink_to(target)
    (docs / "$(id>pwned).txt").write_text("Kế hoạch")
    return docs


def test_a_manifest_link_to_a_file_is_refused_and_the_file_is_untouched(tmp_path: Path) -> None:
    victim = tmp_path / "bashrc"
    victim.write_text("export PATH=/usr/bin\n")
    docs = _planted_tree(tmp_path, victim)
    with pytest.raises(OutputError, match="symbolic link"):
        run_batch([docs], docs / "out", jobs=1, progress=False, process=quick_record)
    assert victim.read_text() == "export PATH=/usr/bin\n"
    assert not (tmp_path / "pwned").exists()


def test_a_dangling_manifest_link_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "created-by-the-tool"
    docs = _planted_tree(tmp_path, target)
    with pytest.raises(OutputError):
        run_batch([docs], docs / "out", jobs=1, progress=False, process=quick_record)
    assert not target.exists()
    assert not os.path.lexists(target)


def test_resume_does_not_read_through_a_manifest_link(tmp_path: Path) -> None:
    secret = tmp_path / "secret.jsonl"
    secret.write_text('{"path": "x", "output": "a.txt.json", "sha256": "s", "status": "ok"}\n')
    docs = _planted_tree(tmp_path, secret)
    with pytest.raises(OutputError):
        run_batch([docs], docs / "out", jobs=1, resume=True, progress=False, process=quick_record)


def test_a_hard_linked_manifest_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "profile"
    victim.write_text("keep\n")
    out = tmp_path / "out"
    out.mkdir()
    os.link(victim, out / MANIFEST_NAME)
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "a.txt").write_text("a")
    with pytest.raises(OutputError, match="hard links"):
        run_batch([docs], out, jobs=1, progress=False, process=quick_record)
    assert victim.read_text() == "keep\n"


def test_outdir_reached_through_a_link_inside_the_input_folder_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "home"
    elsewhere.mkdir()
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "a.txt").write_text("a")
    (docs / "out").symlink_to(elsewhere)
    with pytest.raises(OutputError, match="symbolic link"):
        run_batch([docs], docs / "out", jobs=1, progress=False, process=quick_record)
    assert list(elsewhere.iterdir()) == []
    with pytest.raises(OutputError, match="is an input folder"):
        run_batch([docs], docs, jobs=1, progress=False, process=quick_record)


def test_outdir_inside_the_input_folder_is_skipped_by_the_walk(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "a.txt").write_text("a")
    out = docs / "out"
    run_batch([docs], out, jobs=1, progress=False, process=quick_record)
    run_batch([docs], out, jobs=1, progress=False, process=quick_record)  # its own records are not inputs
    assert [entry["output"] for entry in manifest(out)] == ["a.txt.json", "a.txt.json"]


def test_a_link_planted_at_a_record_name_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "a.txt").write_text("a")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt.json").symlink_to(victim)
    run_batch([docs], out, jobs=1, progress=False, process=quick_record)
    assert victim.read_text() == "keep"
    assert not (out / "a.txt.json").is_symlink()
    assert by_output(out)["a.txt.json"]["status"] == "ok"


def test_an_input_folder_named_like_the_manifest_keeps_its_documents(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    (docs / MANIFEST_NAME).mkdir(parents=True)
    (docs / MANIFEST_NAME / "a.txt").write_text("a")
    out = tmp_path / "out"
    summary = run_batch([docs], out, jobs=1, progress=False, process=quick_record)
    assert summary.exit_code == 0
    assert by_output(out)[f"{MANIFEST_NAME}_/a.txt.json"]["status"] == "ok"
    assert (out / f"{MANIFEST_NAME}_" / "a.txt.json").is_file()


def test_the_command_refuses_with_a_clear_message_and_status_2(tmp_path: Path) -> None:
    victim = tmp_path / "bashrc"
    victim.write_text("x\n")
    docs = _planted_tree(tmp_path, victim)
    done = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "extract", str(docs), "-o", str(docs / "out"), "-q"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "manifest.jsonl" in done.stderr and "symbolic link" in done.stderr
    assert victim.read_text() == "x\n"
    assert not (tmp_path / "pwned").exists()


def test_walk_never_yields_the_outdir_records(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    (docs / "out").mkdir(parents=True)
    (docs / "out" / "x.txt").write_text("x")
    (docs / "b.txt").write_text("b")
    paths = [entry.path.name for entry in walk_inputs([docs], docs / "out")]
    assert paths == ["b.txt", "out"]  # "out" is reported as ignored, not walked
