"""Output names cannot collide, names reach the terminal escaped, and --resume trusts only a
record on disk that is valid and belongs to the same input and pipeline version."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pipeline.batch import (
    MANIFEST_NAME,
    BatchSummary,
    Item,
    RecordInfo,
    run_batch,
    terminal_text,
    walk_inputs,
)
from tests.hostile.helpers import by_output, manifest, quick_record


def test_a_cleaned_name_cannot_take_another_files_output(tmp_path: Path) -> None:
    docs = tmp_path / "in"
    docs.mkdir()
    (docs / "a\nb.txt").write_text("first")
    cleaned = next(e for e in walk_inputs([docs]) if isinstance(e, Item)).output.name[: -len(".json")]
    (docs / cleaned).write_text("second")  # a file already named what the first is cleaned to
    outputs = [entry.output.as_posix() for entry in walk_inputs([docs]) if isinstance(entry, Item)]
    assert len(outputs) == len(set(outputs)) == 2
    out = tmp_path / "out"
    summary = run_batch([docs], out, jobs=1, progress=False, process=quick_record)
    assert summary.exit_code == 0
    texts = sorted(json.loads((out / output).read_text())["text"]["pages"][0] for output in outputs)
    assert texts == ["first", "second"]  # neither record overwrote the other
    assert sorted(str(entry["output"]) for entry in manifest(out)) == sorted(outputs)


def test_names_in_the_summary_cannot_drive_the_terminal() -> None:
    summary = BatchSummary(jobs=1)
    info = RecordInfo("", "ok", 1.0, 1, 0, None, "txt", None, "x")
    hostile = "in/\x1b]0;owned\x07\x1b[2J\x1b[31mred\nfake line\u202etxt.pdf"
    summary.add(info, hostile, 0.0)
    rendered = summary.render()
    assert not any(ord(char) < 32 and char != "\n" for char in rendered)
    assert "\u202e" not in rendered and "\x9b" not in rendered
    assert "fake line" in rendered.splitlines()[-1]  # the name's newline did not start a line
    assert terminal_text("Kế hoạch số 1.pdf") == "Kế hoạch số 1.pdf"
    assert terminal_text("a\x1b[2Jb\n") == "a\\x1b[2Jb\\n"


def _first_run(tmp_path: Path) -> tuple[Path, Path]:
    docs = tmp_path / "in"
    docs.mkdir()
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        (docs / name).write_text(f"Kế hoạch {name}")
    out = tmp_path / "out"
    run_batch([docs], out, jobs=1, progress=False, process=quick_record)
    return docs, out


def test_resume_redoes_records_that_are_not_what_the_manifest_says(tmp_path: Path) -> None:
    docs, out = _first_run(tmp_path)
    untouched = (out / "a.txt.json").read_text()
    # b: a record of another input; c: not a record at all; d: a link planted in its place.
    other = json.loads((out / "b.txt.json").read_text())
    other["source"]["sha256"] = "0" * 64
    (out / "b.txt.json").write_text(json.dumps(other))
    (out / "c.txt.json").write_text('{"status": "ok"}')
    (out / "d.txt.json").unlink()
    (out / "d.txt.json").symlink_to(out / "a.txt.json")
    lines_before = len(manifest(out))
    summary = run_batch([docs], out, jobs=1, resume=True, progress=False, process=quick_record)
    assert summary.resumed == 1  # a only
    assert (out / "a.txt.json").read_text() == untouched
    redone = manifest(out)[lines_before:]
    assert sorted(str(entry["output"]) for entry in redone) == ["b.txt.json", "c.txt.json", "d.txt.json"]
    for name in ("b", "c", "d"):
        record = json.loads((out / f"{name}.txt.json").read_text())
        assert record["text"]["pages"] == [f"Kế hoạch {name}.txt"]
    assert not (out / "d.txt.json").is_symlink()


def test_an_overlong_manifest_line_is_skipped_with_bounded_reads(tmp_path: Path) -> None:
    docs, out = _first_run(tmp_path)
    entries = by_output(out)
    huge = dict(entries["a.txt.json"], padding="x" * (3 << 20))  # right output and sha256, but 3 MB long
    with open(out / MANIFEST_NAME, "w") as handle:
        handle.write(json.dumps(huge) + "\n")
        for name in ("b", "c", "d"):
            handle.write(json.dumps(entries[f"{name}.txt.json"]) + "\n")
    summary = run_batch([docs], out, jobs=1, resume=True, progress=False, process=quick_record)
    assert summary.resumed == 3  # b, c, d
    assert manifest(out)[-1]["output"] == "a.txt.json"  # a was redone: its line was not trusted


def test_names_that_look_like_temporary_files_are_not_removed_as_stale(tmp_path: Path) -> None:
    docs = tmp_path / ".tmp-1-x"  # given by name, so not hidden; its record must survive the next run
    docs.write_text("x")
    out = tmp_path / "out"
    run_batch([docs], out, jobs=1, progress=False, process=quick_record)
    output = str(manifest(out)[0]["output"])
    run_batch([docs], out, jobs=1, progress=False, process=quick_record)
    assert os.path.isfile(out / output)
