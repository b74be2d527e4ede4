"""Collective bodies written as lists of common nouns, time words after a lead, programme
horizons, and the planned figures of a plan that carries out a master plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract.plan_deadlines import make_deadline_finder
from pipeline.extract.plan_targets import find_quantity
from pipeline.extract.plan_tasks import leading_bodies
from pipeline.nlp.bodies import split_bodies
from pipeline.nlp.targets import parse_target
from pipeline.run import process_file


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Các Sở, ngành, đơn vị, UBND cấp xã", ["Các Sở, ngành, đơn vị", "UBND cấp xã"]),
        ("các sở, ngành, đơn vị có liên quan", ["các sở, ngành, đơn vị có liên quan"]),
        ("Thủ trưởng các ngành, cơ quan cấp tỉnh", ["Thủ trưởng các ngành, cơ quan cấp tỉnh"]),
        (
            "Các sở, ban, ngành, tổ chức chính trị - xã hội, Ủy ban nhân dân các xã, phường",
            ["Các sở, ban, ngành, tổ chức chính trị - xã hội", "Ủy ban nhân dân các xã, phường"],
        ),
        # A place closes the collective: what follows is another body.
        ("các Sở, ngành Thành phố, đơn vị liên quan", ["các Sở, ngành Thành phố", "đơn vị liên quan"]),
        # A name after the nouns is a body of its own.
        ("Các sở, ngành, Sở Tư pháp", ["Các sở, ngành", "Sở Tư pháp"]),
    ],
)
def test_a_collective_written_as_a_list_of_nouns_stays_one_body(cell: str, expected: list[str]) -> None:
    assert split_bodies(cell) == expected


@pytest.mark.parametrize(
    ("sentence", "bodies"),
    [
        (
            "Các tổ chức, cá nhân liên quan có trách nhiệm phối hợp với các cơ quan có thẩm quyền.",
            ["Các tổ chức, cá nhân liên quan"],
        ),
        (
            "Các Sở, ngành, đơn vị liên quan tổ chức thực hiện các nội dung của Kế hoạch.",
            ["Các Sở, ngành, đơn vị liên quan"],
        ),
        (
            "Các sở, ban, ngành, tổ chức chính trị - xã hội, Ủy ban nhân dân các xã, phường"
            " triển khai thực hiện.",
            ["Các sở, ban, ngành, tổ chức chính trị - xã hội", "Ủy ban nhân dân các xã, phường"],
        ),
        (
            "Đề nghị Ủy ban Mặt trận Tổ quốc tỉnh, các tổ chức chính trị-xã hội phát huy vai trò giám sát.",
            ["Ủy ban Mặt trận Tổ quốc tỉnh", "các tổ chức chính trị-xã hội"],
        ),
        # A time after the name is not part of it.
        (
            "Các Ban chủ nhiệm dự án từng quý phải có báo cáo về Ban chỉ đạo.",
            ["Các Ban chủ nhiệm dự án"],
        ),
    ],
)
def test_the_lead_a_sentence_opens_with(sentence: str, bodies: list[str]) -> None:
    assert leading_bodies(sentence)[0] == bodies


@pytest.mark.parametrize(
    "sentence",
    [
        "Ban hành kế hoạch thực hiện Chương trình tại địa phương giai đoạn 2025 - 2035,"
        " định hướng đến năm 2045 phù hợp với nhu cầu thực tiễn.",
        "Triển khai Quy hoạch mạng lưới cơ sở văn hóa thời kỳ 2021-2030, tầm nhìn đến năm 2045.",
    ],
)
def test_a_programme_horizon_is_no_deadline(sentence: str) -> None:
    assert make_deadline_finder(2025)(sentence) is None


def test_a_deadline_is_still_found_beside_a_horizon() -> None:
    found = make_deadline_finder(2025)(
        "Xây dựng Đề án giai đoạn 2026 - 2030, tầm nhìn đến năm 2045; hoàn thành trước ngày 30/6/2026."
    )
    assert found is not None and found.value == "2026-06-30"


def test_quantities_of_a_name_and_of_an_area() -> None:
    assert find_quantity("Kế hoạch phát triển kinh tế - xã hội 05 năm của cả nước") is None
    assert find_quantity("Chiến lược phát triển kinh tế - xã hội 10 năm 2021-2030") is None
    assert find_quantity("nhu cầu sử dụng đất dự kiến là 43.346.068 m2") == (43346068.0, "m2", "=")
    assert parse_target("Chiến lược phát triển kinh tế - xã hội 10 năm 2021-2030", 2030) is None
    area = parse_target("nhu cầu sử dụng đất dự kiến là 43.346.068 m2 (diện tích cụ thể)", 2030)
    assert area is not None and (area.value, area.unit) == (43346068, "m2")


PLAN = """**KẾ HOẠCH**

Thực hiện Quy hoạch mạng lưới cơ sở văn hóa thời kỳ 2021-2030

**I. MỤC ĐÍCH, YÊU CẦU**

Triển khai thực hiện có hiệu quả Quy hoạch.

**II. NỘI DUNG**

**1. Kế hoạch phát triển giai đoạn 2026 - 2030**

- Lắp đặt mới trạm 3G/4G: 58 trạm;

- Chuyển đổi từ trạm 3G/4G sang trạm 5G: 125 trạm.

**2. Kế hoạch sử dụng đất**

a) Kế hoạch sử dụng đất giai đoạn 2026-2030: Thực hiện theo Chiến lược phát triển
kinh tế - xã hội 10 năm 2021-2030.

b) Tổng nhu cầu sử dụng đất đến năm 2030 dự kiến là 43.346.068 m2.

**3. Tăng cường đầu tư nguồn lực, hỗ trợ kinh phí**

- Sở Tài chính bố trí 20% kinh phí cho nhiệm vụ chuyển đổi số.

**III. TỔ CHỨC THỰC HIỆN**

1. Sở Văn hóa, Thể thao và Du lịch chủ trì triển khai Kế hoạch này.
"""


def test_planned_figures_of_a_plan_are_targets(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(PLAN, encoding="utf-8")
    plan = process_file(path, include_text=False).plan
    assert plan is not None
    found = {(target.value, target.unit) for target in plan.targets}
    assert {(58, "trạm"), (125, "trạm"), (43346068, "m2")} <= found
    # the years of a cited strategy and a budget share in a task heading are no goals
    assert all(target.unit != "năm" for target in plan.targets)
    assert (20, "%") not in found


EMULATION_PLAN = """**KẾ HOẠCH**

Tổ chức Đợt thi đua đặc biệt năm 2025

**I. MỤC ĐÍCH, YÊU CẦU**

1. Phát huy sức mạnh tổng hợp của cả hệ thống chính trị.

**II. TIÊU CHÍ THI ĐUA VÀ HÌNH THỨC KHEN THƯỞNG**

**1. Tiêu chí thi đua**

**a) Đối với các cơ quan, đơn vị trên địa bàn tỉnh**

- Hoàn thành và hoàn thành vượt mức các nhiệm vụ, chỉ tiêu, kế hoạch đề ra.

**b) Đối với các doanh nghiệp**

- Sản xuất kinh doanh hiệu quả, bền vững, hợp pháp.

**III. PHÂN CÔNG NHIỆM VỤ**

**1. Các sở, ban, ngành, đoàn thể cấp tỉnh và UBND các xã, phường**

- Tiếp tục phổ biến, quán triệt các quy định của pháp luật về bảo vệ bí mật nhà nước.

**IV. THỜI GIAN VÀ TRÁCH NHIỆM THỰC HIỆN**

- Căn cứ kế hoạch này, Giám đốc các Sở, Thủ trưởng các ngành, cơ quan cấp tỉnh xây dựng kế
hoạch cụ thể để triển khai thực hiện.

- Sở Nội vụ hướng dẫn khen thưởng Đợt thi đua; phối hợp với các cơ quan, đơn vị liên quan tổng hợp
kết quả, báo cáo Ủy ban nhân dân tỉnh.
"""


def test_assignment_sections_and_award_criteria(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(EMULATION_PLAN, encoding="utf-8")
    plan = process_file(path, include_text=False).plan
    assert plan is not None
    tasks = {task.text[:30]: task for task in plan.tasks}
    # criteria a unit is judged on are no tasks
    assert not any(text.startswith(("Hoàn thành", "Sản xuất")) for text in tasks)
    # an agency heading of 'PHÂN CÔNG NHIỆM VỤ': its first duty, every body it names
    duty = tasks["Tiếp tục phổ biến, quán triệt "]
    assert duty.lead == ["Các sở, ban, ngành, đoàn thể cấp tỉnh", "UBND các xã, phường"]
    assert duty.source == "organization"
    heads = next(task for text, task in tasks.items() if text.startswith("Căn cứ kế hoạch"))
    assert heads.lead == ["Giám đốc các Sở", "Thủ trưởng các ngành, cơ quan cấp tỉnh"]
    assert tasks["Sở Nội vụ hướng dẫn khen thưởn"].source == "organization"


LABELLED_PLAN = """**KẾ HOẠCH**

Triển khai thi hành Luật Tiêu chuẩn và quy chuẩn kỹ thuật

**I. MỤC ĐÍCH, YÊU CẦU**

1. Xác định cụ thể nội dung công việc, thời hạn hoàn thành.

**II. NHIỆM VỤ, GIẢI PHÁP**

**1. Tăng cường tuyên truyền, phổ biến chủ trương, chính sách của Đảng về xây dựng pháp luật**

- Thường xuyên tuyên truyền, phổ biến, quán triệt Nghị quyết số 66-NQ/TW cho đội ngũ cán bộ,
công chức, viên chức và Nhân dân trên địa bàn tỉnh.

*Đơn vị chủ trì thực hiện: *Các Sở, ngành, đơn vị, UBND cấp xã.

*Thời gian thực hiện: *Thường xuyên.

**2. Rà soát văn bản quy phạm pháp luật**

- Nội dung: Rà soát các văn bản quy phạm pháp luật có liên quan đến Luật thuộc thẩm quyền quản lý
nhà nước được phân công.

- Cơ quan thực hiện: Sở Khoa học và Công nghệ tiến hành rà soát các văn bản quy phạm pháp luật
của mình; các sở, ngành liên quan và Ủy ban nhân dân các xã, phường rà soát văn bản quy phạm pháp
luật do cơ quan mình tham mưu ban hành và gửi kết quả về Sở Khoa học và Công nghệ.

- Thời gian thực hiện: Quý IV năm 2025.

**III. TỔ CHỨC THỰC HIỆN**

1. Sở Khoa học và Công nghệ chủ trì theo dõi, đôn đốc việc triển khai Kế hoạch này.
"""


def test_a_single_duty_under_a_labelled_heading(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(LABELLED_PLAN, encoding="utf-8")
    plan = process_file(path, include_text=False).plan
    assert plan is not None
    by_start = {task.text[:40]: task for task in plan.tasks}
    # the one duty written out under the heading is the task's text
    duty = by_start["Thường xuyên tuyên truyền, phổ biến, quá"]
    assert duty.lead == ["Các Sở, ngành, đơn vị", "UBND cấp xã"]
    # a 'Nội dung:' bullet reads after its heading; a lead label written as sentences gives
    # the bodies those sentences open with
    review = next(task for task in plan.tasks if task.text.startswith("Rà soát văn bản quy phạm"))
    assert review.text.startswith("Rà soát văn bản quy phạm pháp luật: Rà soát các văn bản")
    assert review.lead == [
        "Sở Khoa học và Công nghệ",
        "các sở, ngành liên quan",
        "Ủy ban nhân dân các xã, phường",
    ]


INVENTORY_PLAN = """**KẾ HOẠCH**

Tổng kiểm kê tài sản công

**I. MỤC ĐÍCH, YÊU CẦU**

1. Đánh giá thực trạng quản lý, sử dụng tài sản công.

**II. TỔ CHỨC THỰC HIỆN**

**1. Phân công trách nhiệm**

*1.5. Trách nhiệm của đối tượng thực hiện kiểm kê:*

- Thành lập Tổ kiểm kê do Thủ trưởng đối tượng thực hiện kiểm kê quyết định cụ thể.

Thời gian hoàn thành: Trước ngày 30/11/2025.

- Thực hiện kiểm kê tài sản thuộc phạm vi kiểm kê do mình đang trực tiếp quản lý.

Thời gian thực hiện: Từ ngày 01/01/2026 đến ngày 31/3/2026.
"""


def test_a_responsibility_heading_names_the_lead_of_its_dated_duties(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(INVENTORY_PLAN, encoding="utf-8")
    plan = process_file(path, include_text=False).plan
    assert plan is not None
    duties = [task for task in plan.tasks if task.text.startswith(("Thành lập Tổ", "Thực hiện kiểm kê"))]
    assert len(duties) == 2
    assert all(task.lead == ["đối tượng thực hiện kiểm kê"] for task in duties)
    assert duties[0].deadline is not None and duties[0].deadline.value == "2025-11-30"
    assert not any(task.text.startswith("Trách nhiệm của") for task in plan.tasks)


GOALS_PLAN = """**KẾ HOẠCH**

Nâng cao chất lượng đội ngũ làm công tác xây dựng pháp luật giai đoạn 2026 - 2030

**I. MỤC TIÊU CHỦ YẾU**

**1**. 100% các Sở, ngành bố trí công chức, viên chức làm công tác xây dựng pháp luật.

**2**. 100% các xã, phường bố trí công chức xây dựng chính sách, pháp luật đảm bảo số lượng,
điều kiện đáp ứng yêu cầu nhiệm vụ.

**II. NHIỆM VỤ, GIẢI PHÁP**

1. Sở Tư pháp chủ trì tổ chức tập huấn, bồi dưỡng kiến thức cho đội ngũ cán bộ, công chức.
"""


def test_a_numbered_goal_that_mentions_duties_is_still_a_goal(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(GOALS_PLAN, encoding="utf-8")
    plan = process_file(path, include_text=False).plan
    assert plan is not None
    texts = [target.text for target in plan.targets]
    assert any(text.startswith("100% các xã, phường") for text in texts)
    assert any(text.startswith("100% các Sở, ngành") for text in texts)
