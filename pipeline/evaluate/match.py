"""One-to-one matching of list items (recipients, legal bases, sections, targets, tasks).

Every matcher builds a similarity matrix between gold and predicted items, keeps the pairs at or
above a threshold, and solves the assignment that maximises first the number of pairs and then
their total similarity (Hungarian algorithm, ``assign``). An item is matched at most once, so a
duplicate prediction is an extra, not a second hit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from rapidfuzz import fuzz

from pipeline.evaluate.fold import fold, fold_code, fold_item

STRING_THRESHOLD = 0.85
TASK_THRESHOLD = 0.80
TARGET_THRESHOLD = 0.80
BODY_THRESHOLD = 0.85
# Prefix comparison of texts only when the shorter one has this many characters (avoids
# "Tham mưu" matching every task that starts with it).
MIN_PREFIX_CHARS = 40
# Texts this short are compared more strictly: "Phường Bắc Gia Nghĩa" is not "Phường Nam Gia Nghĩa".
SHORT_TEXT_CHARS = 30
SHORT_TEXT_THRESHOLD = 0.90
# A matched task or target text counts as fully read at this similarity without cutting.
SAME_TEXT_THRESHOLD = 0.90

# A sentence ends at . ; ! ? followed by white space, unless the word before is an abbreviation.
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+")
_ABBREVIATIONS = frozenset(
    ["tp", "tx", "tt", "q", "p", "kt", "tm", "tl", "tuq", "ts", "ths", "pgs", "gs", "bs", "ks", "st", "v.v"]
)
_LAST_WORD = re.compile(r"(\S+)[.;!?]$")

G = TypeVar("G")
P = TypeVar("P")


@dataclass(frozen=True)
class Matching:
    """Result of a one-to-one matching: index pairs (gold, predicted) and what was left over."""

    pairs: list[tuple[int, int]]
    unmatched_gold: list[int]
    unmatched_predicted: list[int]


def assign(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Pairs (row, column) maximising the total weight; cells with weight <= 0 are never paired.

    Hungarian algorithm (potentials, O(n^2 m)) on the rectangular matrix, rows <= columns after an
    internal transpose. Pure Python: the lists here are at most a few hundred items.
    """
    rows = len(weights)
    cols = len(weights[0]) if rows else 0
    if rows == 0 or cols == 0:
        return []
    if rows > cols:
        transposed = [[weights[r][c] for r in range(rows)] for c in range(cols)]
        return [(r, c) for c, r in assign(transposed)]
    top = max(max(row) for row in weights)
    if top <= 0:
        return []
    cost = [[top - max(weight, 0.0) for weight in row] for row in weights]
    column_of_row = _hungarian(cost, rows, cols)
    return [(r, c) for r, c in enumerate(column_of_row) if weights[r][c] > 0]


def _hungarian(cost: list[list[float]], rows: int, cols: int) -> list[int]:
    """Minimum-cost assignment of every row to a distinct column (rows <= cols)."""
    infinity = float("inf")
    u = [0.0] * (rows + 1)
    v = [0.0] * (cols + 1)
    owner = [0] * (cols + 1)  # owner[column] = row (1-based), 0 = free
    way = [0] * (cols + 1)
    for row in range(1, rows + 1):
        owner[0] = row
        column = 0
        slack = [infinity] * (cols + 1)
        used = [False] * (cols + 1)
        while True:
            used[column] = True
            current = owner[column]
            delta = infinity
            next_column = 0
            for j in range(1, cols + 1):
                if used[j]:
                    continue
                reduced = cost[current - 1][j - 1] - u[current] - v[j]
                if reduced < slack[j]:
                    slack[j] = reduced
                    way[j] = column
                if slack[j] < delta:
                    delta = slack[j]
                    next_column = j
            for j in range(cols + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    slack[j] -= delta
            column = next_column
            if owner[column] == 0:
                break
        while column:
            previous = way[column]
            owner[column] = owner[previous]
            column = previous
    column_of_row = [0] * rows
    for j in range(1, cols + 1):
        if owner[j]:
            column_of_row[owner[j] - 1] = j - 1
    return column_of_row


def match_by(
    gold: Sequence[G],
    predicted: Sequence[P],
    similarity: Callable[[G, P], float],
    threshold: float,
    tie_break: Callable[[G, P], float] | None = None,
) -> Matching:
    """Match items one-to-one where ``similarity`` (0..1) reaches ``threshold``.

    Each admissible pair weighs 1 + similarity (+ a small ``tie_break`` in 0..1, e.g. to pair
    tasks printed with the same text but different leads the right way round), so the solution
    has as many pairs as possible and, among those, the most similar ones.
    """
    weights = [[0.0] * len(predicted) for _ in gold]
    for g, gold_item in enumerate(gold):
        for p, predicted_item in enumerate(predicted):
            score = similarity(gold_item, predicted_item)
            if score >= threshold:
                bonus = 0.01 * tie_break(gold_item, predicted_item) if tie_break else 0.0
                weights[g][p] = 1.0 + score + bonus
    pairs = sorted(assign(weights))
    matched_gold = {g for g, _ in pairs}
    matched_predicted = {p for _, p in pairs}
    return Matching(
        pairs=pairs,
        unmatched_gold=[g for g in range(len(gold)) if g not in matched_gold],
        unmatched_predicted=[p for p in range(len(predicted)) if p not in matched_predicted],
    )


def ratio(left: str, right: str) -> float:
    """rapidfuzz ratio of two already folded strings, 0..1."""
    return fuzz.ratio(left, right) / 100.0


def item_similarity(gold: str, predicted: str) -> float:
    """Similarity of two list entries (recipients, addressees, section titles, bodies)."""
    return ratio(fold_item(gold), fold_item(predicted))


def match_strings(
    gold: Sequence[str], predicted: Sequence[str], threshold: float = STRING_THRESHOLD
) -> Matching:
    """Recipients, addressees, section titles: rapidfuzz ratio on folded entries."""
    return match_by(gold, predicted, item_similarity, threshold)


def first_sentence(text: str) -> str:
    """The text up to its first sentence end ("TP. Hồ Chí Minh" does not end one)."""
    for end in _SENTENCE_END.finditer(text):
        head = text[: end.start()]
        last_word = _LAST_WORD.search(head)
        word = last_word.group(1) if last_word else ""
        if word.casefold() in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        return head.rstrip(".;!? ")
    return text.rstrip(".;!? ")


def text_similarity(gold: str, predicted: str) -> float:
    """Similarity of two task or target texts when either may be cut shorter than the other.

    The gold says the first sentence is enough, and extractors may stop at a line break or run on
    into the next sentence, so the best of: the whole texts, their first sentences (when one side
    is a single sentence), and the shorter text against the same-length prefix of the longer (when
    it holds a quarter of the longer one's first sentence and ``MIN_PREFIX_CHARS``).
    """
    left, right = fold(gold), fold(predicted)
    if not left or not right:
        return 0.0
    best = ratio(left, right)
    # Sentences are cut on the printed text: folding drops the space after a full stop.
    left_first, right_first = fold(first_sentence(gold)), fold(first_sentence(predicted))
    # First sentences decide only when one side gives nothing more ("the first sentence is enough").
    one_sentence = left_first == left.rstrip(".;!?") or right_first == right.rstrip(".;!?")
    if left_first and right_first and one_sentence:
        best = max(best, ratio(left_first, right_first))
    if len(left) <= len(right):
        shorter, longer, longer_first = left, right, right_first
    else:
        shorter, longer, longer_first = right, left, left_first
    if len(shorter) >= max(MIN_PREFIX_CHARS, len(longer_first) / 4):
        best = max(best, ratio(shorter, longer[: len(shorter)]))
    return best


def same_text(gold: str, predicted: str) -> bool:
    """The texts agree as a whole or on their first sentences ("the first sentence is enough"),
    not only as a cut prefix."""
    whole = ratio(fold(gold), fold(predicted))
    first = ratio(fold(first_sentence(gold)), fold(first_sentence(predicted)))
    return max(whole, first) >= SAME_TEXT_THRESHOLD


def text_match_score(gold: str, predicted: str) -> float:
    """``text_similarity``, but 0 for short texts below ``SHORT_TEXT_THRESHOLD``."""
    score = text_similarity(gold, predicted)
    if min(len(fold(gold)), len(fold(predicted))) < SHORT_TEXT_CHARS and score < SHORT_TEXT_THRESHOLD:
        return 0.0
    return score


def bodies_similarity(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Share of bodies matched (Dice over one-to-one fuzzy matches); 1.0 when both are empty."""
    if not gold and not predicted:
        return 1.0
    matching = match_strings(gold, predicted, BODY_THRESHOLD)
    return 2 * len(matching.pairs) / (len(gold) + len(predicted))


def same_bodies(gold: Sequence[str], predicted: Sequence[str]) -> bool:
    """The two lists name the same set of bodies (order free, duplicates ignored, fuzzy)."""
    gold_set = sorted({fold_item(body) for body in gold} - {""})
    predicted_set = sorted({fold_item(body) for body in predicted} - {""})
    if len(gold_set) != len(predicted_set):
        return False
    return len(match_strings(gold_set, predicted_set, BODY_THRESHOLD).pairs) == len(gold_set)


def match_tasks(gold: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]]) -> Matching:
    """Tasks by text; among equally good texts (one row printed twice), by lead and deadline."""
    return match_by(
        gold,
        predicted,
        lambda g, p: text_match_score(g["text"], p["text"]),
        TASK_THRESHOLD,
        tie_break=_task_tie_break,
    )


def _task_tie_break(gold: dict[str, Any], predicted: dict[str, Any]) -> float:
    leads = bodies_similarity(gold.get("lead") or [], predicted.get("lead") or [])
    deadline = ratio(fold(gold.get("deadline")), fold(predicted.get("deadline")))
    return (leads + deadline) / 2


def match_targets(gold: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]]) -> Matching:
    """Targets by text; among equally good texts, by value."""
    return match_by(
        gold,
        predicted,
        lambda g, p: text_match_score(g["text"], p["text"]),
        TARGET_THRESHOLD,
        tie_break=lambda g, p: 1.0 if same_number(g.get("value"), p.get("value")) else 0.0,
    )


def same_number(left: float | None, right: float | None) -> bool:
    if left is None or right is None:
        return left is None and right is None
    return abs(float(left) - float(right)) < 1e-9


def legal_basis_key(basis: dict[str, Any]) -> tuple[str, ...]:
    """What identifies a cited document: its number and symbol (spaces removed, folded), or, for a
    law cited by name only, its type and date."""
    number_symbol = fold_code(basis.get("number_symbol"))
    if number_symbol:
        return ("number", number_symbol)
    return ("name", fold(basis.get("doc_type")), (basis.get("date") or "").strip())


def legal_basis_similarity(gold: dict[str, Any], predicted: dict[str, Any]) -> float:
    """1.0 when the two cite the same document (``legal_basis_key``), else 0.0.

    A gold law cited by name only (no number) also matches a prediction that gives it a number, if
    type and date agree: the number is extra, not a different document.
    """
    gold_key = legal_basis_key(gold)
    if gold_key == legal_basis_key(predicted):
        return 1.0
    if gold_key[0] == "name":
        predicted_name_key = ("name", fold(predicted.get("doc_type")), (predicted.get("date") or "").strip())
        return 1.0 if gold_key == predicted_name_key else 0.0
    return 0.0


def match_legal_bases(gold: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]]) -> Matching:
    """Legal bases by identity (``legal_basis_similarity``); the issuer breaks ties."""
    return match_by(
        gold,
        predicted,
        legal_basis_similarity,
        1.0,
        tie_break=lambda g, p: ratio(fold(g.get("issuer")), fold(p.get("issuer"))),
    )
