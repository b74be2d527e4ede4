"""Records as spaCy Docs: spans where the evidence points, a DocBin round trip, the 'vanban' component."""

from __future__ import annotations

from pathlib import Path

import spacy
from click.testing import CliRunner
from spacy.tokens import DocBin

from pipeline.catalog import Catalog
from pipeline.cli import main
from pipeline.export.spacy import GROUPS, ROW_WINDOW, VanbanLayout, blank_nlp, docbin_of, record_to_doc
from tests.test_catalog import CITES_LAM_DONG, TASKS, all_records, letter, plan_153

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "056.docx"


def test_values_become_spans_at_their_evidence() -> None:
    record = plan_153()
    doc = record_to_doc(record)
    assert doc.text == record.text.pages[0]  # type: ignore[union-attr]
    assert [span.text for span in doc.spans["issuer"]] == ["ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"]
    assert [span.text for span in doc.spans["summary"]] == ["Cải cách hành chính năm 2026"]
    assert [span.text for span in doc.spans["persons"]] == ["Nguyễn Văn An"]
    assert [span.text for span in doc.spans["tasks"]] == [task["text"] for task in TASKS]
    # A lead is looked for in its task's row only; "Lãnh đạo Sở Nội vụ" is printed nowhere: left out.
    assert "Lãnh đạo Sở Nội vụ" not in [span.text for span in doc.spans["leads"]]
    tasks = list(doc.spans["tasks"])
    for lead in doc.spans["leads"]:
        assert any(task.start_char <= lead.start_char <= task.end_char + ROW_WINDOW for task in tasks)
    assert {span.label_ for span in doc.ents} <= {"ORG", "DATE", "PERSON", "LAW"}
    assert doc.user_data["vanban"]["source"]["sha256"] == record.source.sha256


def test_a_real_plan_as_a_doc() -> None:
    doc = VanbanLayout(blank_nlp(), ocr=False)(SAMPLE)
    record = doc.user_data["vanban"]
    assert len(doc.spans["tasks"]) == len(record["plan"]["tasks"])
    assert all(span.text.strip() for group in GROUPS for span in doc.spans[group])
    leads = [span.text for span in doc.spans["leads"]]
    assert leads and all(any(lead in task["lead"] for task in record["plan"]["tasks"]) for lead in leads)
    assert next(span.text for span in doc.spans["legal_references"]).startswith("Nghị quyết số 76/NQ-CP")
    assert any(entity.label_ == "LAW" for entity in doc.ents)


def test_docbin_round_trip_keeps_spans_and_entities(tmp_path: Path) -> None:
    records = [plan_153(), letter("cv-45.docx", "45", CITES_LAM_DONG)]
    path = tmp_path / "records.spacy"
    docbin_of(records).to_disk(path)
    nlp = blank_nlp()
    docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    assert len(docs) == 2
    assert [span.text for span in docs[1].spans["legal_references"]] == [CITES_LAM_DONG["text"]]
    assert [(e.text, e.label_) for e in docs[1].ents if e.label_ == "LAW"] == [
        (CITES_LAM_DONG["text"], "LAW")
    ]
    assert docs[0].user_data["vanban"]["document"]["number"] == "153"


def test_the_vanban_component_in_a_spacy_pipeline() -> None:
    nlp = spacy.blank("xx")
    nlp.add_pipe("vanban")
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nSố: 45/UBND-NC\nLâm Đồng, ngày 01 tháng 4 năm 2026\n"
        "V/v triển khai Kế hoạch cải cách hành chính\n"
        "Thực hiện Kế hoạch số 153/KH-UBND ngày 02/3/2026 của UBND tỉnh, đề nghị các cơ quan triển khai.\n"
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An\n"
    )
    doc = nlp(text)
    assert doc.text == text
    references = [span.text for span in doc.spans["legal_references"]]
    assert any("153/KH-UBND" in reference for reference in references)
    assert doc.user_data["vanban"]["document"]["number"] == "45"


def test_export_spacy_command_writes_the_catalog(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.sqlite")
    catalog.load(all_records())
    catalog.close()
    out = tmp_path / "catalog.spacy"
    result = CliRunner().invoke(
        main, ["export", "spacy", "--catalog", str(tmp_path / "catalog.sqlite"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    docs = list(DocBin().from_disk(out).get_docs(blank_nlp().vocab))
    assert len(docs) == 7
    assert sum(len(doc.spans["tasks"]) for doc in docs) == len(TASKS)
