"""The rules of the confidence survey (lấy phiếu tín nhiệm) and the confidence vote (bỏ
phiếu tín nhiệm), applied to the counts the committee decrypted.

Nghị quyết 96/2023/QH15. What was read and how far it was checked is in the rule book
(``shared/rules/book.py``, docs/rules.md): the survey's consequences are known from
secondary sources only, and those say "tổng số phiếu" (ballots cast) where the older
texts said "tổng số đại biểu" (all delegates). Until the official text settles it, every
survey result is judged on **both bases** and says which is which; nothing here presents
either reading as verified.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from shared.ballot.ballot import BallotDefinition, levels_of
from shared.rules.book import RULES
from shared.rules.sources import NQ_96_2023, STATUS_EN, STATUS_VI

Flag = Literal["none", "more_than_half_low", "two_thirds_low"]

SOURCE = NQ_96_2023.title
_SURVEY = RULES["survey_consequence"]
_VOTE = RULES["confidence_vote"]

# True only once the consequence clauses are compared word for word with the resolution
RULE_TEXT_VERIFIED = _SURVEY.status == "official_text"
UNVERIFIED_NOTE_VI = (
    "Nội dung điều khoản chưa được đối chiếu với nguyên văn Nghị quyết "
    f"({STATUS_VI[_SURVEY.status]}); kết quả được tính trên cả hai căn cứ: tổng số phiếu và "
    "tổng số đại biểu."
)
UNVERIFIED_NOTE_EN = (
    f"The clause's wording has not been checked against the resolution ({STATUS_EN[_SURVEY.status]});"
    " the result is judged on both bases: ballots cast and all delegates."
)

RULES_TEXT: dict[str, dict[str, str]] = {
    "more_than_half_low": {
        "article": f"{_SURVEY.citation}",
        "text_vi": (
            "Quá nửa đến dưới hai phần ba đánh giá “tín nhiệm thấp”: có thể xin từ chức; nếu "
            "không xin từ chức thì Thường trực Hội đồng nhân dân trình Hội đồng nhân dân bỏ "
            "phiếu tín nhiệm tại kỳ họp đó hoặc kỳ họp gần nhất."
        ),
        "text_en": (
            "More than half and less than two thirds rating “low confidence”: the person may "
            "resign; if not, the Standing Committee puts them to a confidence vote at that "
            "session or the next."
        ),
    },
    "two_thirds_low": {
        "article": f"{_SURVEY.citation}",
        "text_vi": (
            "Từ hai phần ba trở lên đánh giá “tín nhiệm thấp”: cơ quan hoặc người có thẩm quyền "
            "giới thiệu người đó để Hội đồng nhân dân bầu trình Hội đồng nhân dân miễn nhiệm tại "
            "kỳ họp đó hoặc kỳ họp gần nhất."
        ),
        "text_en": (
            "Two thirds or more rating “low confidence”: the body or person who nominated them "
            "must submit their dismissal (miễn nhiệm) at that session or the next."
        ),
    },
}
# kept for callers of the first version
RULES_BY_FLAG = RULES_TEXT


@dataclass(frozen=True, slots=True)
class OfficialResult:
    official_id: str
    full_name: str
    high: int
    medium: int
    low: int
    flag: Flag  # base: all delegates of the council (tổng số đại biểu)
    rule_article: str | None
    rule_text_vi: str | None
    rule_text_en: str | None
    flag_of_ballots: Flag = "none"  # base: ballots cast (tổng số phiếu)


@dataclass(frozen=True, slots=True)
class ConfidenceResult:
    vote_id: str
    members_total: int
    ballots_counted: int
    officials: tuple[OfficialResult, ...]
    source: str = SOURCE

    def to_json(self) -> dict[str, Any]:
        def rule(flag: Flag) -> dict[str, str] | None:
            return None if flag == "none" else {
                "article": RULES_TEXT[flag]["article"],
                "text_vi": RULES_TEXT[flag]["text_vi"],
                "text_en": RULES_TEXT[flag]["text_en"],
            }

        return {
            "vote_id": self.vote_id,
            "members_total": self.members_total,
            "ballots_counted": self.ballots_counted,
            "source": self.source,
            "rule_status": _SURVEY.status,
            "rule_text_verified": RULE_TEXT_VERIFIED,
            "note_vi": None if RULE_TEXT_VERIFIED else UNVERIFIED_NOTE_VI,
            "note_en": None if RULE_TEXT_VERIFIED else UNVERIFIED_NOTE_EN,
            "officials": [
                {
                    "official_id": o.official_id,
                    "full_name": o.full_name,
                    "counts": {"high": o.high, "medium": o.medium, "low": o.low},
                    "flag": o.flag,
                    "flag_of_ballots": o.flag_of_ballots,
                    "rule": rule(o.flag),
                    "rule_of_ballots": rule(o.flag_of_ballots),
                }
                for o in self.officials
            ],
        }


def flag_for(low: int, base: int) -> Flag:
    """Integer comparisons only: 'quá nửa' is 2·low > base, 'từ 2/3' is 3·low >= 2·base.

    ``base`` is all delegates or the ballots cast: the caller says which (both are shown).
    """
    if base <= 0:
        raise ValueError("the base (all delegates, or ballots cast) must be positive")
    if 3 * low >= 2 * base:
        return "two_thirds_low"
    if 2 * low > base:
        return "more_than_half_low"
    return "none"


def confidence_result(definition: BallotDefinition, counts: Sequence[int]) -> ConfidenceResult:
    """Per official: the three counts and the rule that applies on each base, with its text."""
    if definition.kind != "confidence" or len(counts) != definition.width:
        raise ValueError("counts do not belong to this confidence survey ballot")
    ballots = sum(counts[0:3]) if counts else 0  # every ballot rates each official once
    officials = []
    for i, subject in enumerate(definition.subjects):
        high, medium, low = counts[3 * i : 3 * i + 3]  # the order of ballot.LEVELS
        flag = flag_for(low, definition.members_total)
        of_ballots = flag_for(low, ballots) if ballots else "none"
        rule = RULES_TEXT.get(flag)
        officials.append(
            OfficialResult(
                subject.subject_id,
                subject.full_name,
                high,
                medium,
                low,
                flag,
                rule["article"] if rule else None,
                rule["text_vi"] if rule else None,
                rule["text_en"] if rule else None,
                of_ballots,
            )
        )
    return ConfidenceResult(definition.vote_id, definition.members_total, ballots, tuple(officials))


@dataclass(frozen=True, slots=True)
class ConfidenceVoteOfficial:
    official_id: str
    full_name: str
    trust: int
    distrust: int
    no_confidence: bool  # "không tín nhiệm" from more than half of ALL delegates


def confidence_vote_result(
    definition: BallotDefinition, counts: Sequence[int]
) -> dict[str, Any]:
    """Per official: trust / distrust, and whether more than half of all delegates distrust."""
    if definition.kind != "confidence_vote" or len(counts) != definition.width:
        raise ValueError("counts do not belong to this confidence vote ballot")
    n = len(levels_of("confidence_vote"))
    officials = []
    for i, subject in enumerate(definition.subjects):
        trust, distrust = counts[n * i : n * i + n]
        officials.append(ConfidenceVoteOfficial(
            subject.subject_id, subject.full_name, trust, distrust,
            2 * distrust > definition.members_total))
    return {
        "vote_id": definition.vote_id,
        "members_total": definition.members_total,
        "ballots_counted": sum(counts[0:n]) if counts else 0,
        "source": SOURCE,
        "rule": {"citation": _VOTE.citation, "status": _VOTE.status, "text_vi": _VOTE.explain_vi},
        "officials": [
            {"official_id": o.official_id, "full_name": o.full_name,
             "counts": {"trust": o.trust, "distrust": o.distrust},
             "no_confidence": o.no_confidence}
            for o in officials
        ],
    }
