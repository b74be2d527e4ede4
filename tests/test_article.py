"""Document kind and web-article fields, on a provincial department's news item (fixture copied
from the corpus's seed article) and on small pages built here."""

from __future__ import annotations

from pathlib import Path

from pipeline.nlp.indicators import indicators_in
from pipeline.run import process_file

FIXTURE = Path(__file__).parent / "fixtures" / "article_par_index.txt"


def test_news_item_is_an_article_with_headline_date_and_publishing_unit() -> None:
    record = process_file(FIXTURE, include_text=False)
    assert record.kind is not None and record.kind.name == "article"
    assert any(cue.startswith("publication line") for cue in record.kind.cues)
    document = record.document
    assert document is not None and document.doc_type is not None
    assert document.doc_type.name == "Bài viết"
    assert document.summary == "Tổ chức quán triệt, chỉ đạo đẩy mạnh công tác cải cách hành chính năm 2023"
    # "Ngày đăng" is blank on the page: the date is the event's ("Sáng ngày 17/7/2023").
    assert document.issued_date == "2023-07-17"
    assert document.issuer == "PHÒNG CẢI CÁCH HÀNH CHÍNH"
    assert document.number is None and document.symbol is None and document.signer is None
    assert [(b.doc_type, b.number_symbol, b.date, b.issuer) for b in document.legal_bases] == [
        ("Kế hoạch", "153/KH-UBND", "2023-07-07", "UBND tỉnh")
    ]


def test_article_names_its_persons_with_positions_and_body() -> None:
    record = process_file(FIXTURE, include_text=False)
    assert record.article is not None
    assert record.article.event_date == "2023-07-17" and record.article.published is None
    person = record.article.persons[0]
    assert person.name == "Trương Ngọc Tuấn"
    assert person.positions == ["Tỉnh ủy viên", "Giám đốc Sở Nội vụ"]
    assert person.body == "Sở Nội vụ"
    assert person.evidence is not None and person.evidence.text.startswith("Ông Trương Ngọc Tuấn")


def test_rank_target_with_two_horizons_gives_two_targets_with_indicators() -> None:
    plan = process_file(FIXTURE, include_text=False).plan
    assert plan is not None and plan.sections == []
    ranks = [(t.value, t.unit, t.comparator, t.year, t.indicators) for t in plan.targets]
    indicators = ["PAR Index", "PCI", "PAPI", "SIPAS"]
    assert ranks == [
        (40.0, "tỉnh, thành phố", "top", 2023, indicators),
        (30.0, "tỉnh, thành phố", "top", 2025, indicators),
    ]


def test_article_reports_its_assignments_with_their_leads() -> None:
    plan = process_file(FIXTURE, include_text=False).plan
    assert plan is not None
    leads = [task.lead for task in plan.tasks]
    assert ["các phòng, ban, trung tâm thuộc sở"] in leads
    assert ["toàn thể công chức, viên chức, nhân viên cơ quan"] in leads
    assert all(task.source == "prose" for task in plan.tasks)


def test_dated_deadline_of_a_reported_assignment(tmp_path: Path) -> None:
    page = (
        "# Khẩn trương sắp xếp, đưa xã, phường mới đi vào hoạt động\n\n"
        "UBND tỉnh vừa có văn bản yêu cầu các sở, ban, ngành khẩn trương hoàn thành việc sắp xếp "
        "trước ngày 15/7/2025 theo đúng tiến độ, yêu cầu của Tỉnh ủy và UBND tỉnh đã đề ra.\n\n"
        "Theo Cổng Thông tin điện tử Chính phủ\n\nNgày đăng: 02/06/2025 18:55\n"
    )
    path = tmp_path / "news.txt"
    path.write_text(page, encoding="utf-8")
    record = process_file(path, include_text=False)
    assert record.kind is not None and record.kind.name == "article"
    assert record.document is not None
    assert record.document.issued_date == "2025-06-02"
    assert record.document.issuer == "Cổng Thông tin điện tử Chính phủ"
    assert record.document.summary == "Khẩn trương sắp xếp, đưa xã, phường mới đi vào hoạt động"
    assert record.plan is not None
    task = record.plan.tasks[0]
    assert task.lead == ["các sở, ban, ngành"]
    assert task.deadline is not None and task.deadline.text == "trước ngày 15/7/2025"


def test_a_letter_opening_on_a_date_stays_official(tmp_path: Path) -> None:
    letter = (
        "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU\n"
        "Ngày 25/8/2025, Ủy ban nhân dân tỉnh nhận được văn bản của Bộ Nội vụ về việc rà soát, sắp xếp "
        "tổ chức bộ máy; Ủy ban nhân dân tỉnh yêu cầu các sở, ngành khẩn trương thực hiện.\n"
    )
    path = tmp_path / "letter.txt"
    path.write_text(letter, encoding="utf-8")
    record = process_file(path, include_text=False)
    assert record.kind is not None and record.kind.name == "official"
    assert record.article is None


def test_indicator_names_are_found_in_printed_order_once() -> None:
    text = "đưa chỉ số PAPI, PAR INDEX và Chỉ số chuyển đổi số (DTI) của tỉnh vào nhóm 20; PAPI tăng"
    assert indicators_in(text) == ["PAPI", "PAR Index", "DTI"]
    assert indicators_in("PCIe và SIPASX không phải chỉ số") == []


def test_cited_documents_without_a_full_number(tmp_path: Path) -> None:
    page = (
        "(Chinhphu.vn) - Thủ tướng Chính phủ Phạm Minh Chính vừa ký ban hành Công điện yêu cầu các Bộ ngành, "
        "địa phương kiểm soát chặt chẽ thủ tục hành chính, triển khai 2 kết luận là Kết luận số 155, ngày "
        "17/5/2025 và Kết luận số 157-KL/TW ngày 25/5/2025 của Bộ Chính trị.\n\n"
        "Phó Thủ tướng Nguyễn Chí Dũng mới đây đã ký Quyết định ban hành Quy hoạch phổ tần số vô tuyến điện "
        "quốc gia thời kỳ 2021 - 2030, tầm nhìn đến năm 2050 với nhiều nội dung mới.\n"
    )
    path = tmp_path / "digest.txt"
    path.write_text(page, encoding="utf-8")
    record = process_file(path, include_text=False)
    assert record.kind is not None and record.kind.name == "article"
    assert record.document is not None
    cited = [(b.doc_type, b.number_symbol, b.date, b.issuer) for b in record.document.legal_bases]
    assert cited == [
        ("Công điện", None, None, "Thủ tướng Chính phủ"),
        ("Kết luận", "155", "2025-05-17", None),
        ("Kết luận", "157-KL/TW", "2025-05-25", "Bộ Chính trị"),
        ("Quyết định", None, None, None),  # signed by a deputy: no issuing body printed
    ]
