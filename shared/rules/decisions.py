"""Kinds of decision, the threshold and quorum rule each one follows, and the one-line
rule text every screen shows ("Cần quá nửa tổng số đại biểu (14/27) — Luật …, Điều …").

The kind is chosen when a vote is prepared; the threshold follows from it. Only a
procedural vote may use a rule the council sets for itself, and only a procedural vote
may be taken without quorum (with a reason, recorded in the minutes).
"""

from __future__ import annotations

import math
from typing import Literal

from shared.rules.book import RULES, Rule
from shared.rules.sources import STATUS_EN, STATUS_VI

ThresholdRule = Literal["majority_of_all", "two_thirds_of_all", "majority_of_present"]
DecisionKind = Literal[
    "resolution",  # nghị quyết
    "election",  # bầu chức danh
    "dismissal",  # miễn nhiệm
    "recall",  # bãi nhiệm đại biểu
    "confidence_survey",  # lấy phiếu tín nhiệm
    "confidence_vote",  # bỏ phiếu tín nhiệm
    "procedural",  # biểu quyết thủ tục
]
DECISION_KINDS: tuple[str, ...] = (
    "resolution", "election", "dismissal", "recall", "confidence_survey", "confidence_vote",
    "procedural",
)

DECISION_VI: dict[str, str] = {
    "resolution": "Thông qua nghị quyết",
    "election": "Bầu chức danh",
    "dismissal": "Miễn nhiệm",
    "recall": "Bãi nhiệm đại biểu",
    "confidence_survey": "Lấy phiếu tín nhiệm",
    "confidence_vote": "Bỏ phiếu tín nhiệm",
    "procedural": "Biểu quyết thủ tục",
}
DECISION_EN: dict[str, str] = {
    "resolution": "Resolution",
    "election": "Election",
    "dismissal": "Dismissal",
    "recall": "Recall of a delegate",
    "confidence_survey": "Confidence survey",
    "confidence_vote": "Confidence vote",
    "procedural": "Procedural vote",
}

# the threshold the law fixes; procedural votes take the council's own (default first)
LEGAL_THRESHOLD: dict[str, ThresholdRule] = {
    "resolution": "majority_of_all",
    "election": "majority_of_all",
    "dismissal": "majority_of_all",
    "recall": "two_thirds_of_all",
    "confidence_survey": "majority_of_all",
    "confidence_vote": "majority_of_all",
}
PROCEDURAL_DEFAULT: ThresholdRule = "majority_of_all"

# which ballot each decision is taken on
MODES: dict[str, frozenset[str]] = {
    "resolution": frozenset({"open", "named", "secret"}),
    "dismissal": frozenset({"open", "named", "secret"}),
    "recall": frozenset({"open", "named", "secret"}),
    "procedural": frozenset({"open", "named"}),
    "election": frozenset({"election"}),
    "confidence_survey": frozenset({"confidence"}),
    "confidence_vote": frozenset({"confidence_vote"}),
}

RULE_OF: dict[str, str] = {
    "resolution": "resolution",
    "election": "election",
    "dismissal": "dismissal",
    "recall": "recall",
    "confidence_survey": "survey_consequence",
    "confidence_vote": "confidence_vote",
    "procedural": "procedural",
}


def is_binding(decision: str) -> bool:
    """Every decision but a procedural one binds the council: it needs quorum."""
    return decision != "procedural"


def infer_decision(mode: str, threshold: str | None) -> DecisionKind:
    """The decision an older client meant when it sent no ``decision``."""
    if mode == "election":
        return "election"
    if mode == "confidence":
        return "confidence_survey"
    if mode == "confidence_vote":
        return "confidence_vote"
    if threshold == "two_thirds_of_all":
        return "recall"
    if threshold == "majority_of_present":
        return "procedural"
    return "resolution"


def threshold_for(decision: str, asked: ThresholdRule | None) -> ThresholdRule:
    """The threshold ``decision`` must use, or ValueError when ``asked`` contradicts the law."""
    if decision == "procedural":
        return asked or PROCEDURAL_DEFAULT
    legal = LEGAL_THRESHOLD[decision]
    if asked is not None and asked != legal:
        raise ValueError(f"{decision} is decided by {legal}, not {asked}")
    return legal


def votes_needed(rule: ThresholdRule, members_total: int, present_at_open: int) -> int:
    """Smallest count that satisfies ``rule`` (integers only: 2·27/3 is 18, never 17.99)."""
    if rule == "majority_of_all":
        return members_total // 2 + 1
    if rule == "two_thirds_of_all":
        return math.ceil(members_total * 2 / 3)
    return present_at_open // 2 + 1


_NEED_VI = {
    "majority_of_all": "Cần quá nửa tổng số đại biểu",
    "two_thirds_of_all": "Cần ít nhất hai phần ba tổng số đại biểu",
    "majority_of_present": "Cần quá nửa số đại biểu có mặt",
}
_NEED_EN = {
    "majority_of_all": "Needs more than half of all delegates",
    "two_thirds_of_all": "Needs at least two thirds of all delegates",
    "majority_of_present": "Needs more than half of the delegates present",
}


def rule_for(decision: str) -> Rule:
    return RULES[RULE_OF[decision]]


def rule_line(
    decision: str, threshold: ThresholdRule, members_total: int, present_at_open: int
) -> tuple[str, str]:
    """(Vietnamese, English) one line: what is needed, with numbers, and its legal source.

    The status follows the source when the text was not checked, so no screen shows a
    guess as law.
    """
    needed = votes_needed(threshold, members_total, present_at_open)
    base = present_at_open if threshold == "majority_of_present" else members_total
    rule = rule_for(decision)
    citation = rule.citation
    if decision == "procedural":
        citation = "Quy chế làm việc của Hội đồng"
    vi = f"{_NEED_VI[threshold]} ({needed}/{base}) — {citation}"
    en = f"{_NEED_EN[threshold]} ({needed}/{base}) — {citation}"
    if decision == "confidence_survey":
        vi = f"Đánh giá 'tín nhiệm thấp' tính trên tổng số phiếu và tổng số đại biểu — {citation}"
        en = f"'Low confidence' counted against ballots cast and all delegates — {citation}"
    if rule.status != "official_text":
        vi += f" ({STATUS_VI[rule.status]})"
        en += f" ({STATUS_EN[rule.status]})"
    return vi, en
