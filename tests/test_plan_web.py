"""Plans published on the web as Markdown: the layouts of their task items (a duty shared out
among agencies, labels at the end of a duty, a numeral alone on its line, a heading's duties
before its labels) and the sentences that are no task (requirements, what to do when
difficulties arise)."""

from __future__ import annotations

from pathlib import Path

from pipeline.record.models import Task
from pipeline.run import process_file

WEB_PLAN = """**ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI**

Số: 12/KH-UBND

Quảng Ngãi, ngày 10 tháng 11 năm 2025

**KẾ HOẠCH**

Tổng kiểm kê tài sản công trên địa bàn tỉnh

**I. MỤC ĐÍCH, YÊU CẦU**

- Các sở, ban, ngành, Ủy ban nhân dân các xã, phường triển khai nghiêm túc, đúng tiến độ.

**II. NHIỆM VỤ CỤ THỂ**

*1.1.
Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo*

- Tham mưu triển khai thực hiện kế hoạch kiểm kê cho các thành viên Ban Chỉ đạo.

Thời
gian hoàn thành: Tháng 11 - 12/2025.

- Tổng
hợp kết quả kiểm kê, báo cáo kết quả kiểm kê gửi Bộ Tài chính. Thời gian hoàn
thành: Trước ngày 31/5/2026.

*1.2. Các cơ quan tham mưu quản lý ngành, lĩnh vực*

- Phối
hợp hướng dẫn các cơ quan, tổ chức, đơn vị thực hiện kiểm kê tài sản kết cấu hạ tầng thuộc
phạm vi quản lý. Trong đó:

+ Sở
Xây dựng: hướng dẫn các cơ quan, tổ chức, đơn vị thực hiện kiểm kê tài sản kết cấu hạ tầng
giao thông.

+ Sở
Công Thương: hướng dẫn các cơ quan, tổ chức, đơn vị thực hiện kiểm kê tài sản kết cấu hạ tầng
thương mại là chợ.

Thời
gian thực hiện: Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê.

- Cử công chức chuyên môn tham gia tổ công tác kiểm tra việc kiểm kê.

Thời
gian thực hiện: Tháng 12/2025.

*1.3. Trách nhiệm của các cơ quan quản lý cấp trên:*

- Đôn đốc, hướng dẫn đối tượng thực hiện kiểm kê cấp dưới thực hiện kiểm kê.

Thời hạn thực hiện: Từ tháng 10/2025 đến khi kết thúc kiểm kê.

- Tổng hợp kết quả kiểm kê của các đơn vị cấp dưới.

Thời hạn hoàn thành: Trước ngày 15/4/2026.

**2. Nâng cao nhận thức của các cơ quan, đơn vị**

- Các cơ quan, đơn vị, địa phương tiếp tục nâng cao nhận thức về vai trò của công tác kiểm kê.

- Đề nghị người đứng đầu cơ quan, đơn vị trực tiếp chỉ đạo việc kiểm kê.

Đơn vị thực hiện: Các Sở, ngành, đơn vị, UBND cấp xã.

Thời gian thực hiện: Thường xuyên.

3.

Tổ chức hội nghị sơ kết công tác kiểm kê

Đơn vị chủ trì: Sở Tài chính.

4.

Tổ chức triển khai thực hiện Chiến lược kiểm kê quốc gia

Thời gian thực hiện sau khi Chiến lược kiểm kê quốc gia được ban hành.

**III. TỔ CHỨC THỰC HIỆN**

1. Sở Tài chính chủ trì theo dõi, đôn đốc việc triển khai Kế hoạch này.

2. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh về Sở
Tài chính để tổng hợp, báo cáo.

3. Bộ CHQS tỉnh có trách nhiệm tham mưu Ủy ban nhân dân tỉnh theo dõi, kiểm tra việc kiểm kê tài sản.

Ủy ban nhân dân tỉnh yêu cầu các cơ quan, đơn vị, địa phương nghiêm túc triển khai thực hiện./.
"""


def _tasks(tmp_path: Path) -> list[Task]:
    path = tmp_path / "plan.md"
    path.write_text(WEB_PLAN, encoding="utf-8")
    plan = process_file(path, include_text=False).plan
    assert plan is not None
    return plan.tasks


def _deadline(task: Task) -> str | None:
    return task.deadline.text if task.deadline else None


def _starting(tasks: list[Task], start: str) -> Task:
    found = [task for task in tasks if task.text.startswith(start)]
    assert len(found) == 1, [task.text[:50] for task in tasks]
    return found[0]


def test_a_duty_shared_out_among_agencies(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path)
    # each agency's share is a task, named as printed, with the block's time
    for body in ("Sở Xây dựng", "Sở Công Thương"):
        share = _starting(tasks, f"{body}: hướng dẫn")
        assert share.lead == [body]
        assert _deadline(share) == "Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê"
    # the duty that introduces the shares ('... Trong đó:') is not a task of its own
    assert not any(task.text.startswith("Phối hợp hướng dẫn") for task in tasks)
    assert _deadline(_starting(tasks, "Cử công chức")) == "Tháng 12/2025"


def test_labels_at_the_end_of_a_duty_and_thoi_han_thuc_hien(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path)
    report = _starting(tasks, "Tổng hợp kết quả kiểm kê, báo cáo")
    assert report.text == "Tổng hợp kết quả kiểm kê, báo cáo kết quả kiểm kê gửi Bộ Tài chính."
    assert report.lead == ["Sở Tài chính"]
    assert _deadline(report) == "Trước ngày 31/5/2026"
    # 'Thời hạn thực hiện:' is a label: each duty of the heading is a task of the party it names
    first = _starting(tasks, "Đôn đốc, hướng dẫn đối tượng")
    assert first.lead == ["các cơ quan quản lý cấp trên"]
    assert _deadline(first) == "Từ tháng 10/2025 đến khi kết thúc kiểm kê"
    assert _deadline(_starting(tasks, "Tổng hợp kết quả kiểm kê của")) == "Trước ngày 15/4/2026"


def test_the_first_duty_before_the_labels_is_the_task(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path)
    duty = _starting(tasks, "Các cơ quan, đơn vị, địa phương tiếp tục")
    assert duty.lead == ["Các Sở, ngành, đơn vị", "UBND cấp xã"]
    # the second duty of the same block is no task of its own, nor is the heading
    assert not any(task.text.startswith(("Đề nghị người đứng đầu", "Nâng cao nhận thức")) for task in tasks)


def test_a_numeral_alone_on_its_line_numbers_the_next(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path)
    meeting = _starting(tasks, "Tổ chức hội nghị sơ kết")
    assert meeting.lead == ["Sở Tài chính"]
    # a time label printed without its colon is still the task's time
    strategy = _starting(tasks, "Tổ chức triển khai thực hiện Chiến lược")
    assert _deadline(strategy) == "sau khi Chiến lược kiểm kê quốc gia được ban hành"


def test_requirements_and_difficulties_are_no_tasks(tmp_path: Path) -> None:
    tasks = _tasks(tmp_path)
    assert not any("triển khai nghiêm túc, đúng tiến độ" in task.text for task in tasks)
    assert not any("vướng mắc" in task.text for task in tasks)
    assert _starting(tasks, "Sở Tài chính chủ trì theo dõi").source == "organization"
    # the closing request to carry the plan out is none either; an abbreviated command is a body
    assert not any("nghiêm túc triển khai thực hiện" in task.text for task in tasks)
    assert _starting(tasks, "Bộ CHQS tỉnh có trách nhiệm").lead == ["Bộ CHQS tỉnh"]


GOALS_PLAN = """**KẾ HOẠCH**

Phát triển mạng 5G tại các Khu công nghiệp giai đoạn 2026 - 2030

**I. MỤC ĐÍCH, YÊU CẦU**

- Chuyển dịch hạ tầng viễn thông sang hạ tầng số đồng bộ, hiện đại để thúc đẩy chuyển đổi số tại các
Khu công nghiệp, góp phần tăng trưởng kinh tế số, mục tiêu tỷ lệ phủ sóng mạng 5G tại các Khu công
nghiệp đến năm 2030 đạt 100%.

**II. NHIỆM VỤ**

1. Sở Xây dựng chủ trì triển khai Đề án “Đầu tư xây dựng ít nhất 01 triệu căn hộ nhà ở xã hội cho
công nhân khu công nghiệp” đối với các thiết chế công đoàn tại các khu công nghiệp.
"""


def test_a_goal_clause_after_a_comma_and_a_quoted_title(tmp_path: Path) -> None:
    path = tmp_path / "goals.md"
    path.write_text(GOALS_PLAN, encoding="utf-8")
    plan = process_file(path, include_text=False).plan
    assert plan is not None
    # the goal starts at its own words, not at the duty the bullet opens with
    texts = [target.text for target in plan.targets]
    assert texts == ["mục tiêu tỷ lệ phủ sóng mạng 5G tại các Khu công nghiệp đến năm 2030 đạt 100%"]
    assert plan.targets[0].value == 100 and plan.targets[0].year == 2030


OVERVIEW_PLAN = """**KẾ HOẠCH**

Phát triển công nghệ thông tin của tỉnh giai đoạn 1998 - 2000

**I. PHÂN TÍCH VÀ ĐÁNH GIÁ HIỆN TRẠNG VỀ NHÂN LỰC**

1. Sở Khoa học, Công nghệ và Môi trường tổ chức đào tạo tin học cho cán bộ các ngành từ năm 1995.

**II. NHIỆM VỤ**

1. Sở Khoa học, Công nghệ và Môi trường chủ trì xây dựng kế hoạch đào tạo công nghệ thông tin.

2. Ban Tổ chức Chính quyền tỉnh phối hợp xây dựng chính sách thu hút cán bộ tin học.

**III. TỔNG HỢP CÁC DỰ TOÁN KINH PHÍ THEO CÁC NỘI DUNG DỰ ÁN**

1. Dự án tin học hóa khối các Sở, Ban, Ngành

- Tên dự án: Tin học hoá khối các Sở, Ban, Ngành của tỉnh

- Cơ quan chủ trì: Sở Khoa học, Công nghệ và Môi trường

2. Phân bổ kinh phí

- Cục Thống kê: 34.000.000đ

- Cơ quan chủ trì: Sở Tài chính
"""


def test_descriptions_of_the_present_and_cost_estimates_assign_nothing(tmp_path: Path) -> None:
    path = tmp_path / "overview.md"
    path.write_text(OVERVIEW_PLAN, encoding="utf-8")
    plan = process_file(path, include_text=False).plan
    assert plan is not None
    texts = [task.text for task in plan.tasks]
    # what a body did before the plan, the heads of cost tables and an amount are no tasks
    assert not any("từ năm 1995" in text or "Tên dự án" in text or "34.000.000" in text for text in texts)
    assert any(text.startswith("Sở Khoa học, Công nghệ và Môi trường chủ trì xây dựng") for text in texts)
    assert any(text.startswith("Ban Tổ chức Chính quyền tỉnh phối hợp") for text in texts)
