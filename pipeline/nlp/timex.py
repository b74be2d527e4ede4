"""Vietnamese time expressions -> ``TimeValue``.

dateparser reads single dates but not quarters, ranges, recurrences or "trước ngày", and it fills
missing parts from today; this is a small grammar instead. The word tables live in
pipeline/data/time_words.json.

Three steps: (1) *atoms* are found by regular expressions on a folded copy of the text (lower case,
dashes unified, same length, so spans map back); (2) atoms are *combined*: time of day + date,
"X - Y" / "từ X đến Y" ranges, recurrence words + the time they qualify; (3) missing years are filled
(a range's start takes its end's year, then the document's year) and the ``TimeValue`` is built.

Values (``value``): ISO 8601 / EDTF. date "2023-09-30"; month "2025-12"; quarter "2023-35" and half
"2025-40" (EDTF level 2 sub-year groupings: 33-36 quarters, 40-41 semesters); year "2025"; range
"2021/2025"; recurring day or month without a year in ISO 8601:2000 truncated form: "--12"
(December every year), "--12-31", "---05" (the 5th of every month). ``start``/``end`` are the ISO dates
(or date-times) of the first and last day the expression covers; the relation says how a deadline
uses it ("before" 2023-09-30 ends on 2023-09-29).
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

from pipeline.record.models import TimeValue

_DATA = Path(__file__).resolve().parents[1] / "data" / "time_words.json"

Relation = Literal["before", "by", "from", "during", "on", "after"]


@cache
def time_words() -> dict[str, Any]:
    """The word tables of pipeline/data/time_words.json."""
    data: dict[str, Any] = json.loads(_DATA.read_text(encoding="utf-8"))
    return data


# ---- folding -----------------------------------------------------------------------------------

_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"} | {"\u00a0": " "})


def fold(text: str) -> str:
    """Lower case with dashes unified; keeps every character's offset so spans map back."""
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(_DASHES)


def _alternation(phrases: list[str]) -> str:
    """Regex alternation of phrases, longest first; a space matches any white space."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


def _phrase_table(groups: dict[str, list[str]]) -> dict[str, str]:
    """phrase -> group name, from {"group": [phrases]} (keys starting with "_" are comments)."""
    return {p: name for name, phrases in groups.items() if not name.startswith("_") for p in phrases}


def _squash(text: str) -> str:
    return " ".join(text.split())


# ---- atoms -------------------------------------------------------------------------------------


@dataclass
class _Atom:
    """One time expression found by a pattern, before combination. Missing parts are None."""

    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None
    half: int | None = None
    hour: int | None = None
    minute: int | None = None
    year_end: bool = False  # "hết năm 2026": the year, read as its last day
    current_year: bool = False  # "trong năm", "năm nay": the document's year
    bare: bool = False  # digits with no word saying they are a time ("30/9", "2026")
    recurrence: str | None = None  # recurrence word, or an anchor making day/month recur

    @property
    def is_point(self) -> bool:
        return any(
            v is not None for v in (self.year, self.month, self.day, self.quarter, self.half, self.hour)
        ) or (self.current_year)

    @property
    def is_time_of_day(self) -> bool:
        return self.hour is not None and self.day is None

    @property
    def recurs(self) -> bool:
        """A day or month tied to a recurrence ("tháng 12 hằng năm"), with no year of its own."""
        return self.recurrence is not None and self.is_point and self.year is None


@dataclass
class _Patterns:
    date_numeric: re.Pattern[str]
    date_words: re.Pattern[str]
    day_month: re.Pattern[str]
    day_only: re.Pattern[str]
    month: re.Pattern[str]
    month_bare: re.Pattern[str]
    quarter: re.Pattern[str]
    half: re.Pattern[str]
    year: re.Pattern[str]
    year_bare: re.Pattern[str]
    current_year: re.Pattern[str]
    time_of_day: re.Pattern[str]
    recurrence: re.Pattern[str]
    times_per: re.Pattern[str]
    anchor: re.Pattern[str]
    relation_chain: re.Pattern[str]
    relation_head: re.Pattern[str]
    citation: re.Pattern[str]
    deferral: re.Pattern[str]
    connector: re.Pattern[str]


_YEAR = r"((?:1[89]|2[01])\d{2})"
_SEP = r"\s*[/.\-]\s*"
_NOT_DIGIT_AFTER = r"(?![\d/]|\.\d|-\d)"


@cache
def _patterns() -> _Patterns:
    w = time_words()
    day, month, year = _alternation(w["day"]), _alternation(w["month"]), _alternation(w["year"])
    quarter, hour, minute = _alternation(w["quarter"]), _alternation(w["hour"]), _alternation(w["minute"])
    ordinal = _alternation(list(w["ordinals"]))
    halves = _alternation([p for phrases in w["halves"].values() for p in phrases])
    relations = _alternation(list(_phrase_table(w["relations"])))
    recurrences = _alternation(list(_phrase_table(w["recurrences"])))
    anchors = _alternation(list(_phrase_table(w["recurrence_anchors"])))
    per = _alternation(list(w["per"]))
    year_tail = rf"(?:{_SEP}|\s+{year}\s+|\s*,\s*{year}\s+|\s+){_YEAR}"
    return _Patterns(
        date_numeric=re.compile(
            rf"(?<![\d/.])(?:(?:{day})\s+)?(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}{_YEAR}{_NOT_DIGIT_AFTER}"
        ),
        date_words=re.compile(
            rf"(?:(?:{day})\s+)?(?<!\d)(\d{{1,2}})\s+(?:{month})\s+(\d{{1,2}})"
            rf"(?:\s*(?:,\s*)?(?:{year})\s+{_YEAR}|{_SEP}{_YEAR})?(?!\d)"
        ),
        day_month=re.compile(
            rf"(?<![\d/.])((?:{day})\s+)?(\d{{1,2}})\s*[/.]\s*(\d{{1,2}}){_NOT_DIGIT_AFTER}"
        ),
        day_only=re.compile(rf"(?:{day})\s+(\d{{1,2}})(?!\s*[\d/.\-])(?!\s+(?:{month})\s+\d)"),
        month=re.compile(rf"(?:{month})\s+(\d{{1,2}})(?:{year_tail})?(?!\d)"),
        month_bare=re.compile(rf"(?<![\d/.,])(\d{{1,2}})\s*[/.\-]\s*{_YEAR}{_NOT_DIGIT_AFTER}"),
        quarter=re.compile(rf"(?:{quarter})\s+({ordinal})(?!\w)(?:{year_tail})?(?!\d)"),
        half=re.compile(rf"({halves})(?:{_SEP}{_YEAR}|\s+{_YEAR})?(?!\d)"),
        year=re.compile(rf"(?:({_alternation(w['year_end'])})\s+)?(?:{year})\s+{_YEAR}(?![\d/]|\s*%)"),
        year_bare=re.compile(rf"(?<![\d/.,])(?<!\d\s){_YEAR}(?![\d/.,]|\s*%|\s*[-/]\s*[a-zđ])"),
        # "trong năm" with no number: the document's year (look-behind needs fixed-width words)
        current_year=re.compile(
            rf"(?:(?<=trong )|(?<=trong suốt ))(?:{year})(?!\s*\d)"
            rf"(?!\s+(?:{_alternation(w['not_current_year_after'])}))|(?:{_alternation(w['current_year'])})"
        ),
        time_of_day=re.compile(
            rf"(?<![\d/])(\d{{1,2}})\s*(?:{hour})(?![a-zà-ỹđ])(?:\s*(\d{{1,2}})(?:\s*(?:{minute}))?)?"
        ),
        recurrence=re.compile(rf"(?<!\w)(?:{recurrences})(?!\w)"),
        times_per=re.compile(
            rf"(?<![\d/])(\d{{1,2}})\s*(?:{_alternation(w['times_per'])})\s*(?:{_alternation(w['times_per_joiners'])})\s*({per})(?!\w)"
        ),
        anchor=re.compile(rf"\s*(?:{anchors})(?!\w)"),  # used with match(pos): no "^"
        relation_chain=re.compile(rf"(?<!\w)((?:(?:{relations})\s*(?:là\s+)?)+)$"),
        relation_head=re.compile(rf"^(?:{relations})(?!\w)"),
        citation=re.compile(r"\d+\s*/\s*[\w\-]+(?:/[\w\-]+)*\s*(?:của\s+[^,;.]{1,60})?$"),
        deferral=re.compile(rf"^\s*(?:{_alternation(w['deferrals'])})(?!\w)"),
        connector=re.compile(rf"^\s*(?:{_alternation(w['range_connectors'])})\s*(?:ngày\s+)?$"),
    )


def _valid_date(year: int | None, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    # Without a year, 29/2 is allowed (some year has it).
    return day <= calendar.monthrange(year if year is not None else 2000, month)[1]


def _date_atoms(folded: str) -> list[_Atom]:
    p = _patterns()
    atoms = []
    for m in p.date_numeric.finditer(folded):
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid_date(y, mo, d):
            atoms.append(_Atom(m.start(), m.end(), year=y, month=mo, day=d))
    for m in p.date_words.finditer(folded):
        d, mo, year = int(m.group(1)), int(m.group(2)), _year_of(m, 3)
        if _valid_date(year, mo, d):
            atoms.append(_Atom(m.start(), m.end(), year=year, month=mo, day=d))
    for m in p.day_month.finditer(folded):
        d, mo = int(m.group(2)), int(m.group(3))
        if _valid_date(None, mo, d):
            atoms.append(_Atom(m.start(), m.end(), month=mo, day=d, bare=m.group(1) is None))
    for m in p.day_only.finditer(folded):
        if 1 <= int(m.group(1)) <= 31:
            atoms.append(_Atom(m.start(), m.end(), day=int(m.group(1))))
    return atoms


def _month_atoms(folded: str) -> list[_Atom]:
    p = _patterns()
    atoms = []
    for m in p.month.finditer(folded):
        if 1 <= int(m.group(1)) <= 12:
            atoms.append(_Atom(m.start(), m.end(), month=int(m.group(1)), year=_year_of(m, 2)))
    for m in p.month_bare.finditer(folded):
        if 1 <= int(m.group(1)) <= 12:
            atoms.append(_Atom(m.start(), m.end(), month=int(m.group(1)), year=int(m.group(2)), bare=True))
    return atoms


def _year_of(match: re.Match[str], first_group: int) -> int | None:
    years = [g for g in match.groups()[first_group - 1 :] if g and g.isdigit() and len(g) == 4]
    return int(years[0]) if years else None


def _period_atoms(folded: str) -> list[_Atom]:
    """Quarters, halves and years."""
    p, w = _patterns(), time_words()
    atoms = []
    for m in p.quarter.finditer(folded):
        q = w["ordinals"][_squash(m.group(1))]
        atoms.append(_Atom(m.start(), m.end(), quarter=q, year=_year_of(m, 2)))
    half_of = _phrase_table(w["halves"])
    for m in p.half.finditer(folded):
        atoms.append(_Atom(m.start(), m.end(), half=int(half_of[_squash(m.group(1))]), year=_year_of(m, 2)))
    for m in p.year.finditer(folded):
        atoms.append(_Atom(m.start(), m.end(), year=int(m.group(2)), year_end=m.group(1) is not None))
    for m in p.year_bare.finditer(folded):
        atoms.append(_Atom(m.start(), m.end(), year=int(m.group(1)), bare=True))
    for m in p.current_year.finditer(folded):
        atoms.append(_Atom(m.start(), m.end(), current_year=True))
    return atoms


def _clock_and_recurrence_atoms(folded: str) -> list[_Atom]:
    p, w = _patterns(), time_words()
    atoms = []
    for m in p.time_of_day.finditer(folded):
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if hour <= 24 and minute < 60:
            atoms.append(_Atom(m.start(), m.end(), hour=hour, minute=minute))
    kind_of = _phrase_table(w["recurrences"])
    for m in p.recurrence.finditer(folded):
        atoms.append(_Atom(m.start(), m.end(), recurrence=kind_of[_squash(m.group(0))]))
    for m in p.times_per.finditer(folded):
        per = w["per"][_squash(m.group(2))]
        atoms.append(_Atom(m.start(), m.end(), recurrence=f"{int(m.group(1))}/{per}"))
    return atoms


def _leftmost_longest(atoms: list[_Atom]) -> list[_Atom]:
    """Drop atoms overlapping an earlier or longer one."""
    chosen: list[_Atom] = []
    for atom in sorted(atoms, key=lambda a: (a.start, -(a.end - a.start))):
        if not chosen or atom.start >= chosen[-1].end:
            chosen.append(atom)
    return chosen


def _attach_anchor(folded: str, atom: _Atom) -> _Atom:
    """ "ngày 05 của tháng liền kề", "tháng 01 hằng năm": a day or month without a year recurs."""
    if atom.year is not None or atom.current_year or not (atom.day or atom.month):
        return atom
    m = _patterns().anchor.match(folded, atom.end)
    if not m:
        return atom
    kind = _phrase_table(time_words()["recurrence_anchors"])[_squash(m.group(0))]
    if kind == "monthly" and atom.month is not None:
        return atom  # "ngày 31/12 hằng tháng" makes no sense: leave the words alone
    return replace(atom, end=m.end(), recurrence=kind)


def _is_citation(folded: str, atom: _Atom) -> bool:
    """A date of a cited document ("Quyết định số 1737/QĐ-UBND ngày 17/10/2025") is not a time."""
    before = folded[max(0, atom.start - 90) : atom.start]
    return atom.day is not None and bool(_patterns().citation.search(before.rstrip()))


_AND = re.compile(r"\s*(?:,|và|hoặc)\s*$")


def _share_anchors(folded: str, atoms: list[_Atom]) -> list[_Atom]:
    """ "ngày 01 tháng 6 và ngày 01 tháng 12 hàng năm": the anchor covers both days."""
    for i in range(len(atoms) - 2, -1, -1):
        left, right = atoms[i], atoms[i + 1]
        joined = _AND.match(folded[left.end : right.start])
        if joined and right.recurs and left.year is None and left.is_point and left.recurrence is None:
            atoms[i] = replace(left, recurrence=right.recurrence)
    return atoms


def _atoms(folded: str) -> list[_Atom]:
    found = _date_atoms(folded) + _month_atoms(folded) + _period_atoms(folded)
    found += _clock_and_recurrence_atoms(folded)
    atoms = _share_anchors(folded, [_attach_anchor(folded, a) for a in _leftmost_longest(found)])
    return [a for a in _leftmost_longest(atoms) if not _is_citation(folded, a)]


# ---- combination -------------------------------------------------------------------------------


@dataclass
class _Expr:
    start: int
    end: int
    first: _Atom | None = None  # the time, or a range's start
    last: _Atom | None = None  # a range's end
    recurrence: str | None = None
    relation: Relation | None = None
    parts: list[_Atom] = field(default_factory=list)


def _gap(folded: str, left: _Atom | _Expr, right: _Atom) -> str:
    return folded[left.end : right.start]


def _is_connector(text: str) -> bool:
    return bool(_patterns().connector.match(text)) and text.strip() != ""


def _with_clock(clock: _Atom, day: _Atom) -> _Atom:
    return replace(day, start=clock.start, hour=clock.hour, minute=clock.minute)


def _is_clock_range(folded: str, first: _Atom, second: _Atom, day: _Atom) -> bool:
    """ "20 giờ 15 phút - 20 giờ 45 phút" right before a day."""
    return (
        second.is_time_of_day
        and day.day is not None
        and _is_connector(_gap(folded, first, second))
        and not _gap(folded, second, day).strip(" ,")
    )


def _join_clock_ranges(folded: str, atoms: list[_Atom]) -> list[_Atom | tuple[_Atom, _Atom]]:
    """ "20 giờ 15 phút - 20 giờ 45 phút ngày 28 tháng 8": clock times take the day that follows."""
    out: list[_Atom | tuple[_Atom, _Atom]] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        after = atoms[i + 2] if i + 2 < len(atoms) else None
        if a.is_time_of_day and nxt and after and _is_clock_range(folded, a, nxt, after):
            out.append((_with_clock(a, after), replace(_with_clock(nxt, after), start=nxt.start)))
            i += 3
            continue
        if a.is_time_of_day and nxt and nxt.day is not None and not _gap(folded, a, nxt).strip(" ,"):
            out.append(_with_clock(a, nxt))
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def _ranges(folded: str, items: list[_Atom | tuple[_Atom, _Atom]]) -> list[_Expr]:
    exprs: list[_Expr] = []
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, tuple):
            exprs.append(_Expr(item[0].start, item[1].end, first=item[0], last=item[1]))
            i += 1
            continue
        nxt = items[i + 1] if i + 1 < len(items) else None
        if (
            item.is_point
            and isinstance(nxt, _Atom)
            and nxt.is_point
            and not item.is_time_of_day
            and _is_connector(_gap(folded, item, nxt))
        ):
            exprs.append(_Expr(item.start, nxt.end, first=item, last=nxt))
            i += 2
            continue
        if item.is_point:
            exprs.append(_Expr(item.start, item.end, first=item, recurrence=item.recurrence))
        else:
            exprs.append(_Expr(item.start, item.end, recurrence=item.recurrence))
        i += 1
    return exprs


_RECURRENCE_GAP = re.compile(r"^[\s,]*(?:và\s+)?(?:(?:từ|trong|vào|từ\s+ngày)\s+)?$")


def _specific(a: str | None, b: str | None) -> str | None:
    """Of two recurrence words, the more specific ("định kỳ hằng tháng" is monthly)."""
    if a in (None, "periodic"):
        return b or a
    return a


def _merge_recurrences(folded: str, exprs: list[_Expr]) -> list[_Expr]:
    """A bare recurrence word qualifies the time right after it: "Thường xuyên trong năm 2026"."""
    out: list[_Expr] = []
    for expr in exprs:
        prev = out[-1] if out else None
        if prev and prev.first is None and prev.last is None:
            gap = folded[prev.end : expr.start]
            if _RECURRENCE_GAP.match(gap):
                expr.start = prev.start if expr.first is None else expr.start
                expr.recurrence = _specific(prev.recurrence, expr.recurrence)
                out[-1] = expr
                continue
        out.append(expr)
    return out


@cache
def _relations() -> dict[str, Relation]:
    return {k: cast(Relation, v) for k, v in _phrase_table(time_words()["relations"]).items()}


def _relation_of(phrase: str) -> Relation | None:
    return _relations().get(_squash(phrase))


def _relation_before(folded: str, start: int) -> tuple[Relation | None, int]:
    """The relation words right before ``start``: the first of a chain wins ("chậm nhất trong")."""
    p = _patterns()
    m = p.relation_chain.search(folded[max(0, start - 60) : start])
    if not m:
        return None, start
    chain = m.group(1)
    head = p.relation_head.match(chain)
    relation = _relation_of(head.group(0)) if head else None
    return relation, start - len(chain)


def _add_relations(folded: str, exprs: list[_Expr]) -> None:
    previous: _Expr | None = None
    for expr in exprs:
        if expr.first is None:
            continue
        relation, _ = _relation_before(folded, expr.start)
        if expr.last is not None and relation == "from":
            relation = None  # "từ X đến Y" is a closed range
        if relation is None and previous and _AND.match(folded[previous.end : expr.start]):
            relation = previous.relation  # "trước ngày 01/6 và ngày 01/12": both are "before"
        expr.relation = relation
        previous = expr


def _strict_keep(folded: str, expr: _Expr) -> bool:
    """In running text, bare digits count only inside a range or after a relation word."""
    if expr.first is None or not expr.first.bare or expr.last is not None:
        return True
    relation, _ = _relation_before(folded, expr.start)
    return relation is not None or folded[: expr.start].rstrip().endswith("giai đoạn")


def _expressions(text: str, loose: bool) -> tuple[str, list[_Expr]]:
    folded = fold(text)
    atoms = _atoms(folded)
    exprs = _merge_recurrences(folded, _ranges(folded, _join_clock_ranges(folded, atoms)))
    _add_relations(folded, exprs)
    exprs = [e for e in exprs if e.first is not None or e.recurrence is not None]
    # A day with neither month nor recurrence ("ngày 05"), or a clock time with no day
    # ("20 giờ 45 phút tối thứ Sáu"), says nothing on its own.
    exprs = [e for e in exprs if not (e.first and e.first.month is None and e.first.day and not e.recurrence)]
    exprs = [e for e in exprs if not (e.first and e.first.is_time_of_day)]
    if not loose:
        exprs = [e for e in exprs if _strict_keep(folded, e)]
    return folded, exprs


# ---- values ------------------------------------------------------------------------------------


def _fill_years(expr: _Expr, doc_year: int | None) -> tuple[_Atom | None, _Atom | None]:
    first, last = expr.first, expr.last
    if first is not None and last is not None:
        if first.year is None and last.year is not None:
            first = replace(first, year=last.year)
        if last.year is None and first.year is not None:
            last = replace(last, year=first.year)
    return _with_doc_year(first, doc_year), _with_doc_year(last, doc_year)


def _with_doc_year(atom: _Atom | None, doc_year: int | None) -> _Atom | None:
    if atom is None or atom.year is not None or atom.recurs:
        return atom
    if doc_year is None:
        return atom
    return replace(atom, year=doc_year)


def _clock(atom: _Atom) -> str:
    return f"T{atom.hour:02d}:{atom.minute or 0:02d}" if atom.hour is not None else ""


def _bounds(atom: _Atom) -> tuple[str, str] | None:
    """First and last day covered, ISO; None without a year."""
    y = atom.year
    if y is None:
        return None
    if atom.day is not None and atom.month is not None:
        iso = date(y, atom.month, atom.day).isoformat() + _clock(atom)
        return iso, iso
    if atom.month is not None:
        first_month = last_month = atom.month
    elif atom.quarter is not None:
        first_month, last_month = 3 * atom.quarter - 2, 3 * atom.quarter
    elif atom.half is not None:
        first_month, last_month = 6 * atom.half - 5, 6 * atom.half
    else:
        first_month, last_month = 1, 12
    last_day = calendar.monthrange(y, last_month)[1]
    return date(y, first_month, 1).isoformat(), date(y, last_month, last_day).isoformat()


def _kind(atom: _Atom) -> Literal["date", "month", "quarter", "half", "year"]:
    if atom.day is not None and atom.month is not None:
        return "date"
    if atom.month is not None:
        return "month"
    if atom.quarter is not None:
        return "quarter"
    if atom.half is not None:
        return "half"
    return "year"


def _value(atom: _Atom) -> str | None:
    """ISO / EDTF value; recurring day or month in ISO 8601:2000 truncated form ("--12")."""
    sub_year = time_words()["edtf_sub_year"]
    if atom.year is None:
        if not atom.recurs:
            return None
        if atom.month is not None:
            return f"--{atom.month:02d}" + (f"-{atom.day:02d}" if atom.day else "")
        return f"---{atom.day:02d}" if atom.day else None
    kind = _kind(atom)
    if kind == "date":
        return f"{atom.year:04d}-{atom.month:02d}-{atom.day:02d}" + _clock(atom)
    if kind == "month":
        return f"{atom.year:04d}-{atom.month:02d}"
    if kind == "quarter":
        return f"{atom.year:04d}-{sub_year['quarter'][str(atom.quarter)]}"
    if kind == "half":
        return f"{atom.year:04d}-{sub_year['half'][str(atom.half)]}"
    return f"{atom.year:04d}"


def _time_value(text: str, expr: _Expr, doc_year: int | None) -> TimeValue:
    first, last = _fill_years(expr, doc_year)
    recurrence = expr.recurrence or (first.recurrence if first else None)
    if first is None:
        return TimeValue(
            text=text, kind="recurrence", value=None, recurrence=recurrence, relation=expr.relation
        )
    if first.recurs:
        return TimeValue(
            text=text, kind="recurrence", value=_value(first), recurrence=recurrence, relation=expr.relation
        )
    if last is None:
        bounds = _bounds(first)
        return TimeValue(
            text=text,
            kind=_kind(first),
            value=_value(first),
            start=bounds[0] if bounds else None,
            end=bounds[1] if bounds else None,
            relation=expr.relation,
            recurrence=recurrence,
        )
    start, end = _bounds(first), _bounds(last)
    if last.year_end and end:
        end = (end[1], end[1])
    values = (_value(first), _value(last))
    return TimeValue(
        text=text,
        kind="range",
        value=f"{values[0]}/{values[1]}" if all(values) else None,
        start=start[0] if start else None,
        end=end[1] if end else None,
        relation=expr.relation,
        recurrence=recurrence,
    )


# ---- public API --------------------------------------------------------------------------------


def find_times(text: str, doc_year: int | None = None) -> list[tuple[int, int, TimeValue]]:
    """Time expressions inside running text: (start, end, value), spans into ``text``.

    Stricter than ``parse_time``: bare digits ("30/9", "2026") count only after a relation word,
    after "giai đoạn" or inside a range. The relation words before an expression are not in its span.
    """
    _, exprs = _expressions(text, loose=False)
    return [(e.start, e.end, _time_value(text[e.start : e.end], e, doc_year)) for e in exprs]


def _choose(exprs: list[_Expr], doc_year: int | None) -> _Expr:
    """Of several times in one deadline cell, the last milestone: the latest end, else the first."""
    points = [e for e in exprs if e.first is not None]
    recurrences = [e for e in exprs if e.first is None]

    def end_of(expr: _Expr) -> str:
        value = _time_value("", expr, doc_year)
        return value.end or value.value or ""  # "--08" after "--01": recurring months compare too

    if not points:
        # "định kỳ ...; thực hiện hằng năm": the specific word says more than "định kỳ"
        return min(recurrences, key=lambda e: e.recurrence == "periodic")
    chosen = max(points, key=end_of) if any(end_of(e) for e in points) else points[0]
    if chosen.recurrence is None and recurrences and len(points) == 1:
        chosen.recurrence = recurrences[0].recurrence  # "Liên tục và hoàn thành ... trong tháng 6/2027"
    return chosen


def parse_time(text: str, doc_year: int | None = None) -> TimeValue | None:
    """The time of a whole deadline cell or phrase ("Quý III/2023", "Trước ngày 30/9/2023").

    None for empty text; kind "unknown" (text kept) when the cell names no time ("Theo kế hoạch
    riêng", "Khi có phát sinh") or defers to another document ("Theo các mốc thời gian tại ...").
    ``doc_year`` fills dates, months and quarters printed without a year.
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        return None
    folded, exprs = _expressions(cleaned, loose=True)
    if not exprs or _patterns().deferral.match(folded):
        relation, _ = (None, 0) if exprs else _leading_relation(folded)
        return TimeValue(text=cleaned, kind="unknown", value=None, relation=relation, recurrence=None)
    return _time_value(cleaned, _choose(exprs, doc_year), doc_year)


def _leading_relation(folded: str) -> tuple[Relation | None, int]:
    head = _patterns().relation_head.match(folded)
    return (_relation_of(head.group(0)), head.end()) if head else (None, 0)
