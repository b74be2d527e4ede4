"""The catalog on SQLite and on PostgreSQL: loading, the queries, links and duplicate groups."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from pipeline.catalog import Catalog
from pipeline.catalog.keys import quarter_bounds
from pipeline.catalog.models import Base, Document, TaskBody, TaskRow
from pipeline.nlp.timex import parse_time
from pipeline.record.models import Record
from tests.catalog_support import BACKENDS, catalog_url, make_record

TEMPLATE = (
    "Thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể cải cách "
    "hành chính nhà nước giai đoạn 2021 - 2030, Ủy ban nhân dân tỉnh ban hành Kế hoạch cải cách hành chính "
    "với các nội dung sau. I. MỤC ĐÍCH, YÊU CẦU. Tiếp tục đẩy mạnh cải cách thủ tục hành chính, nâng cao "
    "chất lượng phục vụ người dân và doanh nghiệp; gắn trách nhiệm người đứng đầu với kết quả thực hiện "
    "nhiệm vụ cải cách hành chính của cơ quan, đơn vị. II. NHIỆM VỤ. Rà soát, đơn giản hóa thủ tục hành "
    "chính nội bộ; số hóa hồ sơ, kết quả giải quyết thủ tục hành chính; kiểm tra công tác cải cách hành "
    "chính tại các sở, ban, ngành và địa phương; tuyên truyền về cải cách hành chính trên các phương tiện "
    "thông tin đại chúng. III. TỔ CHỨC THỰC HIỆN. Các cơ quan, đơn vị căn cứ nhiệm vụ được giao xây dựng "
    "kế hoạch cụ thể, báo cáo kết quả về Sở Nội vụ trước ngày 15 tháng 12 để tổng hợp."
)

TASKS = [
    {
        "text": "Rà soát, đơn giản hóa thủ tục hành chính nội bộ",
        "lead": ["Sở Nội vụ"],
        "cooperating": ["Sở Tài chính"],
        "deadline": parse_time("Quý III/2026", 2026),
    },
    {
        "text": "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
        "lead": ["Sở Tài chính"],
        "cooperating": ["Sở Nội vụ", "Các sở, ban, ngành"],
        "deadline": parse_time("Tháng 5/2026", 2026),
    },
    {
        "text": "Tuyên truyền về cải cách hành chính",
        "lead": ["Lãnh đạo Sở Nội vụ"],
        "deadline": parse_time("Thường xuyên", 2026),
    },
    {
        "text": "Kiểm tra công tác cải cách hành chính tại các địa phương",
        "lead": ["Sở Y tế"],
        "deadline": parse_time("Trước ngày 15/8/2026", 2026),
        "output": "Báo cáo kết quả kiểm tra",
    },
]


def plan_153() -> Record:
    return make_record("153.docx", number="153", issued_date="2026-03-02", body=TEMPLATE, tasks=TASKS)


def draft_153() -> Record:
    """The same plan as a draft sent for e-signing: number and day blank, another file."""
    return make_record("153-du-thao.pdf", number=None, issued_date="2026-03", body=TEMPLATE, fmt="pdf")


def plan_2027() -> Record:
    """Next year's plan, made from the same template: a different document."""
    return make_record(
        "12-2027.docx",
        number="12",
        issued_date="2027-01-05",
        summary="Cải cách hành chính năm 2027",
        body=TEMPLATE.replace("2021 - 2030", "2021 - 2030 (năm 2027)"),
    )


def plan_153_quang_ngai() -> Record:
    return make_record(
        "qn-153.pdf",
        number="153",
        issued_date="2025-04-10",
        issuer="ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
        summary="Phát triển du lịch năm 2025",
        body="Kế hoạch phát triển du lịch của tỉnh Quảng Ngãi.",
        fmt="pdf",
    )


def letter(name: str, number: str, citation: dict[str, str | None]) -> Record:
    return make_record(
        name,
        doc_type=("Công văn", None),
        number=number,
        symbol="UBND-NC",
        issued_date="2026-04-01",
        summary="Triển khai thực hiện kế hoạch",
        body=f"Thực hiện {citation['text']}, đề nghị các cơ quan triển khai.",
        references=[citation],
    )


CITES_LAM_DONG = {
    "text": "Kế hoạch số 153/KH-UBND ngày 02/3/2026 của UBND tỉnh",
    "doc_type": "Kế hoạch",
    "number_symbol": "153/KH-UBND",
    "date": "2026-03-02",
    "issuer": "UBND tỉnh",
}
CITES_QUANG_NGAI = {
    "text": "Kế hoạch số 153/KH-UBND ngày 10/4/2025 của UBND tỉnh Quảng Ngãi",
    "doc_type": "Kế hoạch",
    "number_symbol": "153/KH-UBND",
    "date": "2025-04-10",
    "issuer": "UBND tỉnh Quảng Ngãi",
}
CITES_AMBIGUOUS = {"text": "Kế hoạch số 153/KH-UBND", "doc_type": "Kế hoạch", "number_symbol": "153/KH-UBND"}


def all_records() -> list[Record]:
    return [
        plan_153(),
        draft_153(),
        plan_2027(),
        plan_153_quang_ngai(),
        letter("cv-45.docx", "45", CITES_LAM_DONG),
        letter("cv-46.docx", "46", CITES_QUANG_NGAI),
        letter("cv-47.docx", "47", CITES_AMBIGUOUS),
    ]


@pytest.fixture(params=BACKENDS)
def catalog(request: pytest.FixtureRequest, tmp_path: Path) -> Catalog:
    opened = Catalog(catalog_url(request.param, tmp_path))
    request.addfinalizer(opened.close)
    return opened


@pytest.fixture
def loaded(catalog: Catalog) -> Catalog:
    catalog.load(all_records())
    return catalog


def test_migrations_build_exactly_the_models_schema(catalog: Catalog) -> None:
    with catalog.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_loading_twice_keeps_one_row_per_file(catalog: Catalog) -> None:
    first = catalog.load(all_records())
    second = catalog.load(all_records())
    assert (first.added, first.unchanged) == (7, 0)
    assert (second.added, second.unchanged, second.replaced) == (0, 7, 0)
    assert catalog.count() == 7
    with catalog.session() as session:
        assert session.scalar(select(func.count(TaskRow.id))) == 4
        assert session.scalar(select(func.count(TaskBody.id))) == 7


def test_a_newer_pipeline_version_replaces_the_row_and_an_older_one_does_not(catalog: Catalog) -> None:
    catalog.load([plan_153()])
    newer = plan_153().model_copy(update={"pipeline_version": "0.2.0"})
    newer.plan.tasks = newer.plan.tasks[:2]  # type: ignore[union-attr]
    assert catalog.load([newer]).replaced == 1
    older = plan_153().model_copy(update={"pipeline_version": "0.0.9"})
    assert catalog.load([older]).older == 1
    with catalog.session() as session:
        versions = session.scalars(select(Document.pipeline_version)).all()
        assert versions == ["0.2.0"]
        assert session.scalar(select(func.count(TaskRow.id))) == 2
        assert session.scalar(select(func.count(TaskBody.id))) == 5  # the bodies of the old tasks went too


def test_tasks_by_lead_cooperating_and_any_body(loaded: Catalog) -> None:
    lead = {row["task"] for row in loaded.tasks(lead="sở nội vụ")}
    assert lead == {TASKS[0]["text"], TASKS[2]["text"]}  # "Lãnh đạo Sở Nội vụ" names the body too
    cooperating = {row["task"] for row in loaded.tasks(cooperating="Sở Nội Vụ")}
    assert cooperating == {TASKS[1]["text"]}
    assert len(loaded.tasks(body="Sở Nội vụ")) == 3
    assert loaded.tasks(lead="Sở Giáo dục") == []


def test_tasks_by_deadline(loaded: Catalog) -> None:
    q3 = loaded.tasks(quarter="2026-Q3")
    assert [row["due"] for row in q3] == ["2026-08-15", "2026-09-30"]
    assert {row["task"] for row in loaded.tasks(quarter="Q2/2026")} == {TASKS[1]["text"]}
    assert {row["task"] for row in loaded.tasks(overdue_on="2026-06-01")} == {TASKS[1]["text"]}
    assert len(loaded.tasks(due_before="2026-08-31")) == 2
    assert len(loaded.tasks(due_after="2026-06-01")) == 2  # the recurring task has no due day
    assert len(loaded.tasks(lead="Sở Nội vụ", quarter="2026-Q3")) == 1
    with pytest.raises(ValueError):
        quarter_bounds("quý 3")


def test_tasks_by_text_and_source(loaded: Catalog) -> None:
    assert [row["task"] for row in loaded.tasks(text="SỐ HÓA hồ sơ")] == [TASKS[1]["text"]]
    # Tone placement is folded: "hoá" finds "hóa".
    assert [row["task"] for row in loaded.tasks(text="đơn giản hoá")] == [TASKS[0]["text"]]
    assert loaded.tasks(text="_") == [] and loaded.tasks(text="%") == []  # no wildcards
    assert len(loaded.tasks(source="153/KH-UBND")) == 4
    assert len(loaded.tasks(source="12/KH-UBND")) == 0
    row = loaded.tasks(source="153.docx", text="kiểm tra")[0]
    assert row["document"] == "153/KH-UBND"
    assert row["output"] == "Báo cáo kết quả kiểm tra"
    assert row["page"] == 1


def test_documents_by_type_issuer_date_and_text(loaded: Catalog) -> None:
    assert len(loaded.documents(doc_type="KH")) == 4
    assert len(loaded.documents(doc_type="công văn")) == 3
    assert [row["document"] for row in loaded.documents(issuer="quảng ngãi")] == ["153/KH-UBND"]
    # The draft's month-only date falls inside a range that starts within its month.
    march = {row["path"] for row in loaded.documents(date_from="2026-03-01", date_to="2026-03-31")}
    assert march == {"/archive/153.docx", "/archive/153-du-thao.pdf"}
    assert len(loaded.documents(date_from="2027-01-01")) == 1
    assert {row["path"] for row in loaded.documents(text="năm 2027")} == {"/archive/12-2027.docx"}


def test_references_resolve_to_the_document_they_name(loaded: Catalog) -> None:
    found = loaded.links("153/KH-UBND")
    assert {doc["path"] for doc in found["documents"]} == {"/archive/153.docx", "/archive/qn-153.pdf"}
    cited_by = {row["path"]: row["resolved"] for row in found["cited_by"]}
    # 46 names the Quảng Ngãi plan (date and issuer); 47 names no date nor issuer: ambiguous.
    assert cited_by == {
        "/archive/cv-45.docx": True,
        "/archive/cv-46.docx": True,
        "/archive/cv-47.docx": False,
    }
    cites = loaded.links("45/UBND-NC")["cites"]
    assert len(cites) == 1
    assert cites[0]["resolved"]["path"] == "/archive/153.docx"  # the signed copy, not the draft
    assert loaded.links("46/UBND-NC")["cites"][0]["resolved"]["path"] == "/archive/qn-153.pdf"
    assert loaded.links("47/UBND-NC")["cites"][0]["resolved"] is None


def test_a_citation_of_a_document_loaded_later_is_resolved_then(catalog: Catalog) -> None:
    catalog.load([letter("cv-45.docx", "45", CITES_LAM_DONG)])
    assert catalog.links("45/UBND-NC")["cites"][0]["resolved"] is None
    catalog.load([plan_153()])
    assert catalog.links("45/UBND-NC")["cites"][0]["resolved"]["path"] == "/archive/153.docx"


def test_a_draft_and_its_signed_copy_are_one_group_and_a_template_sibling_is_not(loaded: Catalog) -> None:
    groups = loaded.duplicates()
    assert [sorted(doc["path"] for doc in group) for group in groups] == [
        ["/archive/153-du-thao.pdf", "/archive/153.docx"]
    ]
    assert 0.5 <= groups[0][0]["similarity"] <= 1.0


def test_a_cited_issuer_agrees_with_the_printed_one_once_spelled_out() -> None:
    from pipeline.catalog.links import dates_agree, issuers_agree

    assert issuers_agree("Bộ trưởng Bộ Nội vụ", "BỘ NỘI VỤ", "Hà Nội")
    assert issuers_agree("UBND tỉnh", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "Lâm Đồng")
    assert issuers_agree("Chủ tịch UBND tỉnh Lâm Đồng", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "Lâm Đồng")
    assert not issuers_agree("UBND tỉnh Quảng Ngãi", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "Lâm Đồng")
    assert not issuers_agree("Bộ Tài chính", "BỘ NỘI VỤ", "Hà Nội")
    assert dates_agree("2026-03-02", "2026-03") and not dates_agree("2026-03-02", "2026-03-20")
