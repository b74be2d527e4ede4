"""extract.plan's measures: how far to look, how long a heading or a name runs, how alike two
texts must be to be one. Each is a setting of the component (``--set extract.plan.KEY=VALUE``,
``Options(settings={"extract.plan": {...}})``); the helpers of the plan modules read the
document's with ``plan_settings()``."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.registry import current_settings


@dataclass(frozen=True)
class PlanSettings:
    """Defaults tuned on the corpus; characters unless said otherwise."""

    # A plan names itself ("KẾ HOẠCH", a year after "năm") within this many lines of the top.
    head_lines: int = 40
    # A dossier without a header block shows its title after a table of contents: this far in.
    dossier_lines: int = 200
    # A 'Phụ lục' line in lower case this short is an annex heading, not a sentence citing one.
    annex_heading_chars: int = 40
    # A part's title wraps over at most this many lines ("PHẦN THỨ NHẤT" / "ĐÁNH GIÁ ...").
    part_title_lines: int = 3
    # A title's first characters that must be capitals when OCR garbled its Roman numeral
    # (a long title may end in a lower-case note "(Phụ lục đính kèm)").
    roman_title_chars: int = 60
    # A table of contents entry repeats its section's title at least this alike (fuzz.ratio).
    same_title: int = 80
    # A deadline cue ("trước ngày ...") reads no further than this past its start.
    deadline_cue_span: int = 80
    # Prose that repeats a table row this alike (fuzz.partial_ratio) is the same task, when
    # the shorter is at least this share of the longer (a 'Nhiệm vụ' section restating the
    # rows of its task table).
    duplicate_score: int = 80
    min_length_ratio: float = 0.4
    # An agency heading with a verb is at most this long.
    max_heading: int = 100
    # 'Đối với các Sở, ngành, đơn vị cấp Thành phố: ...': the scope before its colon.
    max_scope_gap: int = 60
    # A lead written out before its verb is shorter than this.
    max_lead_prefix: int = 150
    # A unit in brackets after a body: 'Sở Nội vụ (Ban Thi đua Khen thưởng Thành phố)'.
    max_sub_unit: int = 60
    # A heading of at most this many characters after the body is "just the name".
    max_name_only: int = 25
    # Two targets this alike (fuzz.token_set_ratio) are one; the same value and unit restated
    # in other words need only same_goal.
    same_target: int = 80
    same_goal: int = 55
    # 'a) Mục tiêu' and the like: a heading shorter than this names a target section.
    target_heading_chars: int = 60
    # A goal in brackets after this much other work stands alone.
    clause_prefix: int = 60
    # 'Đối với ...:' before a goal, up to this long.
    scope_length: int = 120
    # Characters after a target's number that say what it counts (a key for repeats).
    target_context: int = 50


def plan_settings() -> PlanSettings:
    return current_settings(PlanSettings)
