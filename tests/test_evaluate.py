"""The evaluator: folding, matching, scoring conventions, on hand-built records and the real gold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.evaluate import (
    EvalReport,
    batch_ids,
    evaluate_records,
    fold,
    fold_summary,
    load_gold,
    load_records,
    render_diff,
    render_table,
    score_document,
    to_gold_shape,
)
from pipeline.evaluate.deadline import normalise_deadline, same_deadline
from pipeline.evaluate.fold import fold_code, place_tone
from pipeline.evaluate.match import (
    assign,
    first_sentence,
    match_legal_bases,
    match_strings,
    match_tasks,
    text_match_score,
    text_similarity,
)
from pipeline.record.models import (
    DocType,
    Header,
    LegalBasis,
    Plan,
    Record,
    Section,
    Signer,
    Source,
    Target,
    Task,
    TimeValue,
)

# --- helpers -----------------------------------------------------------------------------------


def record_from_gold(gold: dict[str, Any]) -> Record:
    """The record a perfect pipeline would write for this gold annotation."""
    signer = gold.get("signer")
    header = Header(
        doc_type=DocType(name=gold["doc_type"], code=None) if gold.get("doc_type") else None,
        number=gold.get("number"),
        symbol=gold.get("symbol"),
        issued_date=gold.get("issued_date"),
        place=gold.get("place"),
        issuer=gold.get("issuer"),
        issuer_parent=gold.get("issuer_parent"),
        summary=gold.get("summary"),
        urgency=gold.get("urgency"),
        confidentiality=gold.get("confidentiality"),
        addressees=gold.get("addressees", []),
        signer=Signer(**signer) if signer else None,
        recipients=gold.get("recipients", []),
        legal_bases=[LegalBasis(**basis) for basis in gold.get("legal_bases", [])],
    )
    plan = None
    if gold.get("plan") is not None:
        plan = Plan(
            sections=[
                Section(label=str(i + 1), title=title, level=1)
                for i, title in enumerate(gold["plan"]["sections"])
            ],
            targets=[Target(**target) for target in gold["plan"]["targets"]],
            tasks=[
                Task(
                    text=task["text"],
                    lead=task["lead"],
                    cooperating=task["cooperating"],
                    deadline=TimeValue(text=task["deadline"], kind="unknown", value=None, recurrence=None)
                    if task["deadline"]
                    else None,
                    source=task["source"],
                )
                for task in gold["plan"]["tasks"]
            ],
        )
    return make_record(gold["file"], header, plan)


def make_record(file: str, header: Header | None, plan: Plan | None = None) -> Record:
    return Record(
        pipeline_version="test",
        source=Source(path=f"/corpus/docs/{file}", sha256="0" * 64, bytes=1, format=file.rsplit(".", 1)[-1]),
        status="ok",
        document=header,
        plan=plan,
    )


# Gold files of real documents (a plan, trimmed to its first tasks and targets; a scanned
# letter; a notice; a Markdown plan of a later batch) and their manifest lines.
EVAL_FIXTURES = Path(__file__).parent / "fixtures" / "evaluate"


def single_gold_dir(tmp_path: Path, doc_id: str) -> Path:
    """A gold folder holding only one gold file (scores of one document), the manifest beside it."""
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / f"{doc_id}.json").write_bytes((EVAL_FIXTURES / "gold" / f"{doc_id}.json").read_bytes())
    (tmp_path / "manifest.jsonl").write_bytes((EVAL_FIXTURES / "manifest.jsonl").read_bytes())
    return gold_dir


@pytest.fixture(scope="session")
def gold_plan() -> dict[str, Any]:
    return load_gold(EVAL_FIXTURES / "gold", ["plan"])["plan"]


# --- folding -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("hoà", "hòa"),
        ("UỶ BAN NHÂN DÂN", "Ủy ban nhân dân"),
        ("Thuỷ lợi", "thủy lợi"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("Quy hoạch tổng thể", "quy hoạch tổng thể"),
        ("Sở Văn hoá và Thể thao", "Sở Văn hóa và Thể thao"),
        ("giai đoạn 2026 – 2030", "giai đoạn 2026 - 2030"),
        ("Nhâm Dần—năm 2022", "Nhâm Dần-năm 2022"),
        ("“Festival Thăng Long”", '"Festival Thăng Long"'),
        ("‘Sắc màu’", "'Sắc màu'"),
        ("Bộ  Nội\tvụ ", "Bộ Nội vụ"),
        ("KT.GIÁM ĐỐC", "KT. GIÁM ĐỐC"),
        ("Hà nội", "HÀ NỘI"),
        ("ho\u0300a", "hòa"),  # decomposed (NFD) input
        ("Như \u00d0iều 3", "Như Điều 3"),  # Eth for Đ in a PDF text layer
    ],
)
def test_fold_equates_spelling_variants(left: str, right: str) -> None:
    assert fold(left) == fold(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [("hòa", "hóa"), ("Sở Nội vụ", "Sở Ngoại vụ"), ("Lâm Đồng", "Lâm Động"), ("07", "7")],
)
def test_fold_keeps_real_differences(left: str, right: str) -> None:
    assert fold(left) != fold(right)


@pytest.mark.parametrize(
    ("syllable", "canonical"),
    [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("hoàng", "hoàng"),  # final consonant: tone stays on the last vowel
        ("hòang", "hoàng"),  # misplaced by a typist
        ("ngươì", "người"),  # the marked vowel ơ takes it
        ("khuyến", "khuyến"),
        ("quý", "quý"),  # "qu": the u is a consonant
        ("gìn", "gìn"),  # "gi" + consonant: the i is the vowel
        ("giữa", "giữa"),
        ("hoài", "hoài"),  # three vowels: the middle one
        ("khúyu", "khuýu"),
        ("ai", "ai"),  # no tone: unchanged
    ],
)
def test_place_tone_is_canonical(syllable: str, canonical: str) -> None:
    assert place_tone(syllable) == canonical


def test_fold_tone_placement_is_idempotent() -> None:
    text = "Uỷ ban nhân dân tỉnh Khánh Hoà, Thuỷ lợi, Quốc phòng, người dân, khuyến khích"
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(
    "summary",
    ["V/v treo cờ Tổ quốc", "V/v: treo cờ Tổ quốc", "Về việc treo cờ Tổ quốc", "VỀ VIỆC treo cờ Tổ quốc"],
)
def test_summary_ignores_leading_vv(summary: str) -> None:
    assert fold_summary(summary) == fold_summary("treo cờ Tổ quốc") == "treo cờ tổ quốc"


def test_summary_keeps_other_leading_words() -> None:
    assert fold_summary("Về tăng cường chỉ đạo") == "về tăng cường chỉ đạo"


def test_fold_code_removes_spaces() -> None:
    assert fold_code("2020/ NĐ - CP") == fold_code("2020/NĐ-CP")
    assert fold_code("QĐ.BQL–VP") == fold_code("QĐ.BQL-VP")


# --- deadlines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Quý IV/2026", "2026-36"),  # EDTF quarter, from the project's time grammar
        ("Trong quý I năm 2026", "2026-33"),
        ("Trước ngày 30/9/2023", "2023-09-30"),
        ("ngày 30 tháng 9 năm 2023", "2023-09-30"),
        ("ngày 11/9/2026 (thứ Sáu)", "2026-09-11"),
        ("tháng 9/2023", "2023-09"),
        ("Năm 2026", "2026"),
        ("giai đoạn 2026 - 2030", "2026/2030"),
        ("Thường xuyên", "continuous"),
        ("Hằng năm", "yearly"),
        ("Ban hành kế hoạch trong tháng 01 hằng năm và tổ chức thực hiện", None),
    ],
)
def test_normalise_deadline(text: str, value: str | None) -> None:
    assert normalise_deadline(text) == value


def test_same_deadline() -> None:
    assert same_deadline("Quý IV/2026", "quý IV năm 2026")
    assert same_deadline("Hằng năm", "hằng năm")
    assert same_deadline(None, None)
    assert not same_deadline("Quý IV/2026", "Quý III/2026")
    assert not same_deadline("Hằng năm", None)


# --- matching ----------------------------------------------------------------------------------


def test_assign_maximises_total_weight() -> None:
    # Greedy would take (0, 0) = 0.9 and leave row 1 unmatched; the optimum pairs both rows.
    weights = [[0.9, 0.8], [0.85, 0.0]]
    assert sorted(assign(weights)) == [(0, 1), (1, 0)]


def test_assign_never_pairs_zero_weights() -> None:
    assert assign([[0.0, 0.0], [0.0, 1.0]]) == [(1, 1)]
    assert assign([]) == []


def test_match_strings_is_one_to_one() -> None:
    gold = ["Bộ Nội vụ", "Thường trực Tỉnh ủy", "Lưu: VT, NC"]
    predicted = ["- Bộ Nội vụ;", "Bộ Nội vụ", "Thường trực Tỉnh uỷ;", "Lưu: VT, NC."]
    matching = match_strings(gold, predicted)
    assert len(matching.pairs) == 3
    assert matching.unmatched_gold == []
    assert len(matching.unmatched_predicted) == 1  # the duplicate "Bộ Nội vụ" is an extra


def test_match_strings_rejects_different_bodies() -> None:
    matching = match_strings(["Sở Tư pháp"], ["Sở Tài chính"])
    assert matching.pairs == []


def test_match_legal_bases_by_number_or_law_date() -> None:
    gold: list[dict[str, Any]] = [
        {"doc_type": "Luật", "number_symbol": None, "date": "2025-06-16", "issuer": None},
        {"doc_type": "Nghị quyết", "number_symbol": "76/NQ-CP", "date": "2021-07-15", "issuer": "Chính phủ"},
    ]
    predicted: list[dict[str, Any]] = [
        {"doc_type": "Nghị quyết", "number_symbol": "76 / NQ-CP", "date": None, "issuer": "Chính phủ"},
        {"doc_type": "Luật", "number_symbol": None, "date": "2025-06-16", "issuer": None},
        {"doc_type": "Luật", "number_symbol": None, "date": "2015-06-19", "issuer": None},
    ]
    matching = match_legal_bases(gold, predicted)
    assert matching.pairs == [(0, 1), (1, 0)]
    assert matching.unmatched_predicted == [2]


def test_text_similarity_accepts_first_sentence_and_prefix() -> None:
    gold = "Thực hiện việc đăng tải, cập nhật văn bản quy phạm pháp luật lên cơ sở dữ liệu quốc gia."
    longer = gold + " Kịp thời xử lý các văn bản có dấu hiệu trái pháp luật."
    cut = "Thực hiện việc đăng tải, cập nhật văn bản quy phạm pháp luật"
    assert text_similarity(gold, longer) >= 0.95
    assert text_similarity(gold, cut) >= 0.95
    assert text_similarity(gold, "Tham mưu UBND tỉnh ban hành kế hoạch kiểm tra") < 0.8


def test_first_sentence_skips_abbreviations() -> None:
    assert (
        first_sentence("Giao UBND TP. Hồ Chí Minh chủ trì. Sau đó báo cáo.")
        == "Giao UBND TP. Hồ Chí Minh chủ trì"
    )
    assert first_sentence("Xã Đam Rông 3. Đồng thời báo cáo.") == "Xã Đam Rông 3"
    assert first_sentence("Một câu.") == "Một câu"


def test_short_texts_are_matched_strictly() -> None:
    assert text_match_score("Phường Bắc Gia Nghĩa", "Phường Nam Gia Nghĩa") == 0.0
    assert text_match_score("Sở Xây dựng", "Sở Xây dựng. Đồng thời báo cáo kết quả về UBND tỉnh.") == 1.0


def test_first_sentences_decide_only_when_one_side_is_one_sentence() -> None:
    gold = "Năm 2026. Hoàn thành việc rà soát toàn bộ thủ tục hành chính nội bộ của tỉnh."
    other = "Năm 2026. Tổ chức hội nghị tổng kết công tác cải cách hành chính của tỉnh."
    assert text_similarity(gold, other) < 0.8
    assert text_similarity(gold, "Năm 2026") == 1.0


def test_match_tasks_pairs_repeated_rows_by_lead() -> None:
    text = "Tham mưu ban hành Kế hoạch kiểm tra công tác cải cách hành chính trên địa bàn tỉnh hằng năm"
    gold: list[dict[str, Any]] = [
        {"text": text, "lead": ["Sở Nội vụ"], "cooperating": [], "deadline": "Hằng năm"},
        {"text": text, "lead": ["Các cơ quan, đơn vị, địa phương"], "cooperating": [], "deadline": None},
    ]
    predicted = [gold[1], gold[0]]
    assert match_tasks(gold, predicted).pairs == [(0, 1), (1, 0)]


# --- scoring conventions -----------------------------------------------------------------------


def _score(predicted: dict[str, Any], gold: dict[str, Any]) -> Any:
    return score_document(predicted, gold, doc_id="x", fmt="test", status="ok")


def test_scalar_conventions() -> None:
    gold = {"number": "07", "symbol": "KH-UBND", "place": None, "urgency": None, "issuer": "SỞ NỘI VỤ"}
    predicted = {"number": "7", "symbol": "KH - UBND", "place": "Hà Nội", "urgency": None, "issuer": None}
    score = _score(predicted, gold)
    assert (score.fields["number"].tp, score.fields["number"].fp, score.fields["number"].fn) == (0, 1, 1)
    assert (score.fields["symbol"].tp, score.fields["symbol"].fp, score.fields["symbol"].fn) == (1, 0, 0)
    assert (score.fields["place"].tp, score.fields["place"].fp, score.fields["place"].fn) == (0, 1, 0)
    assert (score.fields["issuer"].tp, score.fields["issuer"].fp, score.fields["issuer"].fn) == (0, 0, 1)
    urgency = score.fields["urgency"]
    assert (urgency.tp, urgency.fp, urgency.fn) == (0, 0, 0)
    assert urgency.precision is None and urgency.recall is None and urgency.f1 is None
    assert {diff.field for diff in score.diffs} == {"number", "place", "issuer"}


def test_signer_fields_and_authority_list() -> None:
    gold = {
        "signer": {
            "name": "Nguyễn Văn A",
            "position": "PHÓ CHỦ TỊCH",
            "authority": ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"],
        }
    }
    same = {
        "signer": {
            "name": "Nguyễn Văn A",
            "position": "Phó Chủ tịch",
            "authority": ["TM. UỶ BAN NHÂN DÂN", "KT.CHỦ TỊCH"],
        }
    }
    short = {"signer": {"name": "Nguyễn Văn A", "position": None, "authority": ["KT. CHỦ TỊCH"]}}
    assert all(counts.f1 in (None, 1.0) for counts in _score(same, gold).fields.values() if counts.support)
    score = _score(short, gold)
    assert score.fields["signer.name"].tp == 1
    assert score.fields["signer.position"].fn == 1 and score.fields["signer.position"].fp == 0
    authority = score.fields["signer.authority"]
    assert (authority.tp, authority.fp, authority.fn) == (0, 1, 1)


def test_summary_scored_without_vv() -> None:
    score = _score({"summary": "V/v treo cờ Tổ quốc"}, {"summary": "Về việc treo cờ Tổ quốc"})
    assert score.fields["summary"].tp == 1


def test_missing_plan_counts_every_gold_item_missed(gold_plan: dict[str, Any]) -> None:
    shape = to_gold_shape(record_from_gold(gold_plan))
    shape["plan"] = None
    score = _score(shape, gold_plan)
    assert score.fields["plan"].fn == 1
    assert score.fields["plan.tasks"].fn == len(gold_plan["plan"]["tasks"])
    assert score.fields["plan.tasks"].tp == 0


def test_plan_in_gold_without_plan_is_a_false_positive() -> None:
    score = _score({"plan": {"sections": [], "targets": [], "tasks": []}}, {"plan": None})
    assert score.fields["plan"].fp == 1
    assert "plan.tasks" not in score.fields


# --- the real gold -----------------------------------------------------------------------------


def test_to_gold_shape_round_trips_the_gold(gold_plan: dict[str, Any]) -> None:
    shape = to_gold_shape(record_from_gold(gold_plan))
    for key, value in gold_plan.items():
        if key != "notes":
            assert shape[key] == value, key


def test_to_gold_shape_keeps_only_top_level_sections() -> None:
    child = Section(label="1", title="Mục đích", level=2)
    plan = Plan(sections=[Section(label="I", title="MỤC ĐÍCH, YÊU CẦU", level=1, children=[child])])
    shape = to_gold_shape(make_record("x.docx", Header.model_validate({}), plan))
    assert shape["plan"]["sections"] == ["MỤC ĐÍCH, YÊU CẦU"]


def test_failed_record_scores_as_all_missing(tmp_path: Path) -> None:
    gold_dir = single_gold_dir(tmp_path, "scan")
    report = evaluate_records({"scan": make_record("scan.pdf", None)}, gold_dir)
    fields = report.fields
    assert fields["symbol"].fn == 1 and fields["symbol"].fp == 0
    assert fields["recipients"].fn == 5


def test_every_gold_file_scores_perfectly_against_itself(corpus: Path) -> None:
    gold = load_gold(corpus / "gold")
    records = {doc_id: record_from_gold(entry) for doc_id, entry in gold.items()}
    report = evaluate_records(records, corpus / "gold")
    assert len(report.documents) == len(gold)
    for name, counts in report.fields.items():
        assert counts.fp == 0 and counts.fn == 0, name
    for name, accuracy in report.accuracy.items():
        assert accuracy.correct == accuracy.total, name
    assert all(not doc.diffs for doc in report.documents)


def test_a_gold_file_scores_one_on_every_field(tmp_path: Path, gold_plan: dict[str, Any]) -> None:
    report = evaluate_records({"plan": record_from_gold(gold_plan)}, single_gold_dir(tmp_path, "plan"))
    scored = {name: counts for name, counts in report.fields.items() if counts.support}
    assert "plan.tasks" in scored and "recipients" in scored and "legal_bases" in scored
    assert all(counts.f1 == 1.0 for counts in scored.values())
    assert report.documents[0].format == "docx"  # from the manifest


def test_dropping_one_recipient_lowers_recall_exactly(tmp_path: Path, gold_plan: dict[str, Any]) -> None:
    record = record_from_gold(gold_plan)
    assert record.document is not None
    total = len(record.document.recipients)
    record.document.recipients = record.document.recipients[1:]
    report = evaluate_records({"plan": record}, single_gold_dir(tmp_path, "plan"))
    recipients = report.fields["recipients"]
    assert recipients.recall == pytest.approx((total - 1) / total)
    assert recipients.precision == 1.0
    assert recipients.support == total
    diff = next(diff for diff in report.documents[0].diffs if diff.field == "recipients")
    assert diff.expected == [gold_plan["recipients"][0]] and diff.got == []


def test_task_errors_show_in_accuracies(tmp_path: Path, gold_plan: dict[str, Any]) -> None:
    record = record_from_gold(gold_plan)
    assert record.plan is not None
    tasks = record.plan.tasks
    tasks[4].lead = ["Sở Tài chính"]  # a wrong lead
    tasks[5].deadline = TimeValue(
        text="Quý IV/2026", kind="quarter", value="2026-Q4", recurrence=None
    )  # a wrong deadline
    tasks[6].text = (
        tasks[6].text.split(".")[0] + ". Một câu khác hẳn được thêm vào đây."
    )  # first sentence only
    tasks[7].text = tasks[7].text[: len(tasks[7].text) * 2 // 3]  # cut at a line break: matched, text wrong
    del tasks[0]  # one task missed
    report = evaluate_records({"plan": record}, single_gold_dir(tmp_path, "plan"))
    total = len(gold_plan["plan"]["tasks"])
    counts = report.fields["plan.tasks"]
    assert (counts.tp, counts.fp, counts.fn) == (total - 1, 0, 1)
    assert report.accuracy["plan.tasks.lead"].correct == total - 2
    assert report.accuracy["plan.tasks.deadline"].correct == total - 2
    assert report.accuracy["plan.tasks.lead"].total == total - 1
    assert report.accuracy["plan.tasks.text"].correct == total - 2


def test_missing_record_is_all_misses(tmp_path: Path) -> None:
    report = evaluate_records({}, single_gold_dir(tmp_path, "notice"))
    assert report.documents[0].status == "missing"
    assert report.fields["issuer"].fn == 1
    assert report.fields["recipients"].recall == 0.0


def test_load_records_reads_cli_output(tmp_path: Path, gold_plan: dict[str, Any]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "plan.json").write_text(record_from_gold(gold_plan).model_dump_json(), encoding="utf-8")
    (out / "batch-manifest.json").write_text('{"not": "a record"}', encoding="utf-8")
    records = load_records(out)
    assert list(records) == ["plan"]
    report = evaluate_records(records, single_gold_dir(tmp_path, "plan"))
    assert report.fields["summary"].f1 == 1.0


def test_report_renders_table_diff_and_json(tmp_path: Path, gold_plan: dict[str, Any]) -> None:
    record = record_from_gold(gold_plan)
    assert record.document is not None
    record.document.place = "Đà Lạt"
    report = evaluate_records({"plan": record}, single_gold_dir(tmp_path, "plan"))
    table = render_table(report)
    assert "recipients" in table and "docx" in table and "plan.tasks.lead" in table
    diff = render_diff(report)
    assert "place" in diff and "Lâm Đồng" in diff and "Đà Lạt" in diff
    data = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    assert data["fields"]["place"] == {
        "tp": 0,
        "fp": 1,
        "fn": 1,
        "support": 1,
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
    }
    assert data["by_format"]["docx"]["documents"] == 1
    assert data["plans"][0]["id"] == "plan"
    assert render_diff(EvalReport()) == "No mismatches.\n"


def test_scores_group_by_the_manifests_source_and_batch() -> None:
    """Each scored document carries its manifest source and batch, so a rule that only helps the
    documents it was written on shows as one source rising and another falling."""
    gold = load_gold(EVAL_FIXTURES / "gold", ["plan", "markdown"])
    records = {doc_id: record_from_gold(entry) for doc_id, entry in gold.items()}
    records["markdown"].document.summary = "something else"  # type: ignore[union-attr]
    manifest = EVAL_FIXTURES / "manifest.jsonl"
    report = evaluate_records(records, EVAL_FIXTURES / "gold", manifest, ids=list(gold))
    by_batch = report.by("batch")
    assert set(by_batch) == {"base", "2026-12"}
    assert by_batch["base"]["summary"].f1 == 1.0
    assert by_batch["2026-12"]["summary"].f1 == 0.0
    by_source = report.by("source")
    assert by_source["vpubnd49/VBAI"]["summary"].f1 == 1.0
    assert by_source["tnt305/tai_lieu_noi_bo"]["summary"].f1 == 0.0
    table = render_table(report, ("source", "batch"))
    assert "F1 by source" in table and "F1 by batch" in table and "F1 by format" not in table
    data = report.to_json()
    assert data["by_batch"]["2026-12"]["documents"] == 1
    assert batch_ids(manifest, "2026-12") == ["markdown"]
    assert batch_ids(manifest, "base") == ["notice", "plan", "scan"]
