"""Tasks whose lead is named in a sentence after the duty: 'Giao Sở X chủ trì, phối hợp với Y ...'."""

from __future__ import annotations

from pathlib import Path

from pipeline.run import process_file

PLAN = """**ỦY BAN NHÂN DÂN TỈNH BẮC NINH**

Số: 15/KH-UBND

*Bắc Ninh, ngày 3 tháng 2 năm 2026*

**KẾ HOẠCH**

**Cải cách hành chính năm 2026**

**I. NHIỆM VỤ, GIẢI PHÁP**

**1. Cải cách thủ tục hành chính**

- Rà soát, đơn giản hóa thủ tục hành chính nội bộ giữa các cơ quan hành chính nhà nước trên địa bàn
tỉnh. Giao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp và các sở, ngành thực hiện, hoàn thành trong
Quý II/2026.

- Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực. Giao Sở Khoa học và Công nghệ
chủ trì thực hiện; thời gian hoàn thành trước ngày 30/9/2026.

- Tăng cường kỷ luật, kỷ cương hành chính trong thực thi công vụ.
"""


def test_lead_cooperating_and_deadline_from_the_assigning_sentence(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(PLAN, encoding="utf-8")
    plan = process_file(path, include_text=False).plan
    assert plan is not None
    tasks = {task.text: task for task in plan.tasks}
    first = next(task for text, task in tasks.items() if text.startswith("Rà soát, đơn giản hóa"))
    assert first.text.endswith("nhà nước trên địa bàn tỉnh")
    assert first.lead == ["Sở Nội vụ"] and first.cooperating == ["Sở Tư pháp", "các sở, ngành"]
    assert first.deadline is not None and first.deadline.value == "2026-34"  # EDTF Q2 2026
    second = tasks["Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực"]
    assert second.lead == ["Sở Khoa học và Công nghệ"] and second.cooperating == []
    assert second.deadline is not None and second.deadline.value == "2026-09-30"
    # A duty without an assigning sentence names no lead: no task is made up for it.
    assert not any(task.text.startswith("Tăng cường kỷ luật") for task in plan.tasks)
