"""The library API: ``pipeline.extract(source, options)`` and a reusable ``pipeline.Extractor``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import pipeline
from pipeline.api import extract_record, open_catalog

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
# The shipped samples: a plan with its task table (DOCX), and a scan with no text layer.
PLAN_DOCX = SAMPLES / "056.docx"
SCAN_PDF = SAMPLES / "004.pdf"


def test_one_call_from_a_path_bytes_or_a_file_object_gives_the_same_record() -> None:
    path = PLAN_DOCX
    options = pipeline.Options(include_text=False)
    from_path = pipeline.extract(path, options)
    from_bytes = pipeline.extract(path.read_bytes(), options, name="plan.docx")
    with path.open("rb") as handle:
        from_file = pipeline.extract(handle, options)
    assert from_path.status == "ok" and from_path.text is None
    assert from_path.document is not None and from_path.document.summary
    for other in (from_bytes, from_file):
        assert other.model_dump(exclude={"seconds", "source"}) == from_path.model_dump(
            exclude={"seconds", "source"}
        )
    assert from_bytes.source.path == "plan.docx" and from_file.source.path == str(path)
    assert from_bytes.source.sha256 == from_path.source.sha256


def test_ocr_is_an_option_of_the_call_not_of_the_import() -> None:
    scan = SCAN_PDF
    record = pipeline.Extractor(pipeline.Options(ocr=False)).extract(scan)
    assert "ocr.disabled" in [warning.code for warning in record.warnings]
    assert all(page.origin != "ocr" for page in record.source.pages)


def test_bad_bytes_give_a_failed_record_not_an_exception() -> None:
    record = pipeline.extract(b"", name="empty.pdf")
    assert record.status == "failed" and record.errors[0].code == "read.empty"
    assert record.source.path == "empty.pdf"


def test_importing_the_package_loads_no_pipeline_stage() -> None:
    code = "import sys, pipeline; print(sorted(m for m in sys.modules if m.startswith('pipeline.')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_the_extract_stage_is_the_call() -> None:
    import pipeline.extract.header  # the stage's modules stay importable as before

    assert callable(pipeline.extract) and pipeline.extract.header is pipeline.extract.header


def test_keywords_form_and_the_catalog_from_python(tmp_path: Path) -> None:
    sample = PLAN_DOCX
    from_path = extract_record(sample, ocr=False)
    from_bytes = extract_record(sample.read_bytes(), name="upload/plan.docx", ocr=False, include_text=False)
    assert from_path.status == from_bytes.status == "ok"
    assert from_bytes.source.path == "upload/plan.docx"
    assert from_bytes.text is None and from_path.text is not None
    assert from_bytes.document == from_path.document
    assert from_path.plan is not None and len(from_path.plan.tasks) > 0
    with open_catalog(tmp_path / "catalog.sqlite") as catalog:
        assert catalog.load([from_path]).added == 1
        assert len(catalog.tasks(source=PLAN_DOCX.name)) == len(from_path.plan.tasks)


def test_junk_bytes_give_a_failed_record() -> None:
    record = extract_record(b"\x00\x01 not a document", name="junk.bin", ocr=False)
    assert record.status == "failed"
    assert record.errors and record.source.path == "junk.bin"


# A letter whose one word no Vietnamese syllable spells: 29 of 30 tokens valid (0.967).
_NEAR_THRESHOLD = (
    "Ủy ban nhân dân tỉnh đề nghị các sở ban ngành khẩn trương rà soát báo cáo kết quả thực hiện "
    "nhiệm vụ được giao trong quý này và gửi về văn phòng trước ngày quy định xyzqw\n"
)


def test_a_components_threshold_is_set_per_run() -> None:
    from pipeline.registry import settings_of

    data = _NEAR_THRESHOLD.encode()
    default = pipeline.extract(data, name="letter.txt")
    assert settings_of("repair.quality") == {
        "threshold": 0.95,
        "min_counted_tokens": 8,
        "min_number_share": 0.25,
    }
    strict = pipeline.extract(
        data, pipeline.Options(settings={"repair.quality": {"threshold": 0.99}}), name="letter.txt"
    )
    assert "page.low_quality" not in [warning.code for warning in default.warnings]
    low = [warning.message for warning in strict.warnings if warning.code == "page.low_quality"]
    assert low == ["page 1: 97% valid Vietnamese syllables (threshold 99%)"]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"repair.qualty": {"threshold": 0.9}}, "no component named 'repair.qualty'"),
        ({"repair.quality": {"treshold": 0.9}}, "has no setting 'treshold'"),
        ({"repair.quality": {"threshold": "high"}}, "must be float"),
        ({"repair.quality": {"min_counted_tokens": True}}, "must be int"),
        ({"repair.normalize": {"x": 1}}, "has no settings"),
    ],
)
def test_a_misspelt_setting_is_refused_before_any_document(settings: dict, message: str) -> None:
    with pytest.raises((ValueError, KeyError), match=message):
        pipeline.Extractor(pipeline.Options(settings=settings))


def test_a_setting_reaches_the_helpers_of_its_component_for_that_run_only() -> None:
    # layout.zones' summary length is read deep in its helpers, through the running document.
    plan = Path(__file__).parent / "fixtures" / "plan_two_goals_in_one_sentence.txt"
    short = pipeline.extract(plan, pipeline.Options(settings={"layout.zones": {"summary_max_lines": 1}}))
    default = pipeline.extract(plan)
    assert short.document is not None and default.document is not None
    assert short.document.summary == "Phát động Phong trào thi đua “Đẩy mạnh cải cách hành chính nhà nước"
    assert default.document.summary == (
        "Phát động Phong trào thi đua “Đẩy mạnh cải cách hành chính nhà nước trên địa bàn tỉnh "
        "Lâm Đồng” năm 2026"
    )


def test_the_command_line_sets_a_components_setting_in_every_worker(tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text(_NEAR_THRESHOLD, encoding="utf-8")
    cli = Path(__file__).resolve().parents[1] / "cli.py"
    command = [sys.executable, str(cli), "extract", str(letter), "-q", "-j", "1"]
    done = subprocess.run([*command, "-o", str(tmp_path / "out"), "--set", "repair.quality.threshold=0.99"])
    record = (tmp_path / "out" / "letter.txt.json").read_text(encoding="utf-8")
    assert done.returncode == 0 and "threshold 99%" in record
    wrong = subprocess.run(
        [*command, "-o", str(tmp_path / "wrong"), "--set", "repair.quality.treshold=0.99"],
        capture_output=True,
        text=True,
    )
    assert wrong.returncode == 2 and "has no setting 'treshold'" in wrong.stderr
    assert not (tmp_path / "wrong").exists()  # refused before anything is read


def test_an_input_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text(_NEAR_THRESHOLD, encoding="utf-8")
    size = letter.stat().st_size
    small = pipeline.Extractor(pipeline.Options(max_bytes=size - 1))
    with letter.open("rb") as handle:
        refused = [
            small.extract(letter),
            small.extract(letter.read_bytes(), name="l.txt"),
            small.extract(handle),
        ]
    for record in refused:
        assert record.status == "failed" and [e.code for e in record.errors] == ["read.too_large"]
        assert record.source.sha256 == "" and record.document is None
    assert [record.source.bytes for record in refused] == [size, size, size]  # the file object: limit + 1
    assert pipeline.extract(letter, pipeline.Options(max_bytes=size)).status != "failed"
