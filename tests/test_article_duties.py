"""The work a news item reports beyond '<who> yêu cầu <lead> <work>': the duties listed after it
(across the item's sub-headings), the date by which a level must finish, a body that opens a
clause after a word that only looks like a cue, a proposal without a lead, a general request
followed by its specifics, and a news lead repeated as the body's first paragraph."""

from __future__ import annotations

from pathlib import Path

from pipeline.record.models import Task
from pipeline.run import process_file

# One paragraph a line, as the portals' text exports print them.
PARAGRAPHS = [
    "# Khẩn trương sắp xếp, đưa xã, phường mới đi vào hoạt động từ 1/7",
    (
        "(Chinhphu.vn) - UBND tỉnh Khánh Hòa vừa có văn bản khẩn yêu cầu các sở, ban, ngành, địa phương "
        "khẩn trương thực hiện các nhiệm vụ trọng tâm trong sắp xếp tổ chức bộ máy."
    ),
    (
        "UBND tỉnh Khánh Hòa vừa có văn bản khẩn yêu cầu các sở, ban, ngành, địa phương khẩn trương thực "
        "hiện các nhiệm vụ trọng tâm trong sắp xếp tổ chức bộ máy; đưa vào hoạt động đơn vị hành chính "
        "cấp xã mới từ ngày 1/7, phấn đấu hoàn thành trước ngày 15/7; cấp tỉnh phấn đấu hoàn thành trước "
        "ngày 15/8."
    ),
    "**Kiên quyết xử lý các trường hợp sai phạm khi thực hiện sắp xếp**",
    (
        "Trong đó, các cơ quan, đơn vị, địa phương cần tăng cường thông tin, tuyên truyền, chủ động cung "
        "cấp thông tin chính thống về việc sắp xếp."
    ),
    (
        "Kiên quyết xử lý các trường hợp vi phạm, sai phạm trong công tác tổ chức, cán bộ khi thực hiện "
        "sắp xếp."
    ),
    "**Thực hiện hiệu quả chế độ, chính sách đối với người bị ảnh hưởng**",
    (
        "Nghiêm túc quản lý, lưu trữ hồ sơ, số hóa tài liệu, kiểm kê tài sản để sẵn sàng bàn giao khi sáp"
        " nhập đơn vị hành chính cấp xã."
    ),
    (
        "Thời gian qua, quy hoạch phải ổn định, lâu dài, không phá vỡ các quy hoạch đã làm; các địa "
        "phương phải chủ động trong giao đất, thực hiện thủ tục về đất đai theo thẩm quyền."
    ),
    (
        "Cùng với đó, Chính phủ sẽ ban hành văn bản phù hợp, xây dựng tiêu chí, nguyên tắc để các địa "
        "phương giao nhiệm vụ cho doanh nghiệp."
    ),
    (
        "Gần nhất, về cơ chế, chính sách, ngày 10/10, Chính phủ đã ban hành Nghị định 261 sửa đổi, bổ sung "
        "các nghị định về nhà ở xã hội, nâng mức trần thu nhập để được xét mua nhà ở xã hội."
    ),
    (
        "Thủ tướng chỉ đạo Bộ Xây dựng tiếp tục có thông tư quy định chi tiết sau khi Chính phủ đã có Nghị "
        "định 261/2025/NĐ-CP để hướng dẫn cụ thể hơn."
    ),
    (
        "Bên cạnh đó, 7 địa phương gồm Phú Thọ, Thanh Hóa, Cần Thơ có khả năng hoàn thành chỉ tiêu nhà ở "
        "xã hội năm 2025."
    ),
    (
        "Thủ tướng đề nghị đẩy mạnh truyền thông chính sách để người dân hiểu, làm theo, nhân rộng những "
        "điển hình tiên tiến."
    ),
    (
        "Thủ tướng Chính phủ đã ký Công điện yêu cầu các bộ ngành, địa phương tăng cường công tác bảo đảm"
        " an toàn, an ninh, trật tự dịp Lễ Quốc khánh. Trong đó, Thủ tướng yêu cầu Bộ Công an chỉ đạo các"
        " lực lượng chức năng tăng cường tuần tra, kịp thời phát hiện, ngăn chặn các trường hợp gây rối."
    ),
    "Theo Cổng Thông tin điện tử Chính phủ",
    "Ngày đăng: 02/06/2025 18:55",
]
NEWS_ITEM = "\n\n".join(PARAGRAPHS) + "\n"


def _tasks(tmp_path: Path) -> list[Task]:
    path = tmp_path / "news.txt"
    path.write_text(NEWS_ITEM, encoding="utf-8")
    record = process_file(path, include_text=False)
    assert record.kind is not None and record.kind.name == "article"
    assert record.plan is not None
    return record.plan.tasks


def _containing(tasks: list[Task], words: str) -> list[Task]:
    return [task for task in tasks if words in task.text]


def test_a_repeated_news_lead_reports_its_assignment_once(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path)
    assert len(_containing(tasks, "khẩn trương thực hiện các nhiệm vụ trọng tâm")) == 1


def test_a_level_s_own_date_to_finish_is_a_task(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path)
    (province,) = _containing(tasks, "cấp tỉnh phấn đấu")
    assert province.deadline is not None and province.deadline.text == "trước ngày 15/8"
    # the clause that goes on with the same work gives its date to the assignment
    (first,) = _containing(tasks, "khẩn trương thực hiện các nhiệm vụ trọng tâm")
    assert first.deadline is not None and first.deadline.text == "trước ngày 15/7"
    assert not _containing(tasks, "đưa vào hoạt động")


def test_duties_listed_after_an_assignment_across_sub_headings(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path)
    (punish,) = _containing(tasks, "Kiên quyết xử lý các trường hợp vi phạm")
    assert punish.lead == ["các cơ quan, đơn vị, địa phương"]
    assert len(_containing(tasks, "Nghiêm túc quản lý, lưu trữ hồ sơ")) == 1
    # the sub-headings themselves are no tasks
    assert not any(task.text.startswith("Kiên quyết xử lý các trường hợp sai phạm") for task in tasks)


def test_bodies_after_a_false_cue_and_in_the_future_tense(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path)
    (land,) = _containing(tasks, "các địa phương phải chủ động")
    assert land.lead == ["các địa phương"]
    (government,) = _containing(tasks, "Chính phủ sẽ ban hành")
    assert government.lead == ["Chính phủ"]


def test_a_proposal_without_a_lead_and_a_request_with_its_specifics(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path)
    (proposal,) = _containing(tasks, "đẩy mạnh truyền thông chính sách")
    assert proposal.lead == []
    # 'Trong đó, ...' states the work: the general request before it is not counted again
    assert _containing(tasks, "tuần tra")
    assert not _containing(tasks, "bảo đảm an toàn, an ninh, trật tự dịp Lễ")


def test_who_may_reach_a_goal_is_no_target(tmp_path: Path) -> None:
    path = tmp_path / "news.txt"
    path.write_text(NEWS_ITEM, encoding="utf-8")
    plan = process_file(path, include_text=False).plan
    assert plan is not None
    assert not any("có khả năng" in target.text for target in plan.targets)


def test_a_cited_document_takes_the_date_of_the_sentence_on_its_issue(tmp_path: Path) -> None:
    path = tmp_path / "news.txt"
    path.write_text(NEWS_ITEM, encoding="utf-8")
    record = process_file(path, include_text=False)
    assert record.document is not None
    cited = {basis.number_symbol: basis.date for basis in record.document.legal_bases}
    # 'ngày 10/10, Chính phủ đã ban hành Nghị định 261 ...': the year is the news item's
    assert cited["261/2025/NĐ-CP"] == "2025-10-10"
