"""The confidence vote's rule (lấy phiếu tín nhiệm), applied to the decrypted counts.

Nghị quyết 96/2023/QH15 of the National Assembly (23 June 2023, in force 1 July 2023).
The base is **all** delegates of the council (tổng số đại biểu), not those present nor
the ballots cast. What was checked against the text and what was not is in docs/ballot.md
§6: the thresholds and their consequences below are NOT yet checked against the
resolution's own article (``RULE_TEXT_VERIFIED`` is False and every output says so); a
lawyer of the council's office must confirm them before the text is used in a sitting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from shared.ballot.ballot import BallotDefinition

Flag = Literal["none", "more_than_half_low", "two_thirds_low"]

SOURCE = ("Nghị quyết số 96/2023/QH15 ngày 23/6/2023 của Quốc hội về việc lấy phiếu tín nhiệm, "
          "bỏ phiếu tín nhiệm đối với người giữ chức vụ do Quốc hội, Hội đồng nhân dân bầu hoặc "
          "phê chuẩn (hiệu lực từ ngày 01/7/2023)")

# False until the consequence clauses below are compared word for word with the
# resolution (docs/ballot.md §6 says what was and was not checked, and where)
RULE_TEXT_VERIFIED = False
UNVERIFIED_NOTE_VI = "Nội dung điều khoản chưa được đối chiếu với nguyên văn Nghị quyết."
UNVERIFIED_NOTE_EN = "The clause's wording has not been checked against the resolution's text."

RULES: dict[str, dict[str, str]] = {
    "more_than_half_low": {
        # the resolution's article on using the result: number and wording not checked
        "article": "Nghị quyết 96/2023/QH15 (điều về sử dụng kết quả lấy phiếu tín nhiệm, "
                   "chưa đối chiếu)",
        "text_vi": (
            "Người được lấy phiếu tín nhiệm có quá nửa đến dưới hai phần ba tổng số đại biểu "
            "Hội đồng nhân dân đánh giá “tín nhiệm thấp” thì có thể xin từ chức; trường hợp "
            "không xin từ chức thì Thường trực Hội đồng nhân dân trình Hội đồng nhân dân bỏ "
            "phiếu tín nhiệm tại kỳ họp đó hoặc kỳ họp gần nhất."
        ),
        "text_en": (
            "A person rated “low confidence” by more than half and less than two thirds of "
            "all delegates of the People's Council may resign; if they do not, the Standing "
            "Committee of the Council puts them to a vote of confidence (bỏ phiếu tín nhiệm) "
            "at that session or the next one."
        ),
    },
    "two_thirds_low": {
        # Điều 13 is "Các trường hợp bỏ phiếu tín nhiệm" (title checked, clause not)
        "article": "Nghị quyết 96/2023/QH15, Điều 13 (Các trường hợp bỏ phiếu tín nhiệm; "
                   "khoản chưa đối chiếu)",
        "text_vi": (
            "Người được lấy phiếu tín nhiệm có từ hai phần ba tổng số đại biểu Hội đồng nhân "
            "dân trở lên đánh giá “tín nhiệm thấp” thì cơ quan hoặc người có thẩm quyền giới "
            "thiệu người đó để Hội đồng nhân dân bầu có trách nhiệm trình Hội đồng nhân dân "
            "miễn nhiệm tại kỳ họp đó hoặc kỳ họp gần nhất."
        ),
        "text_en": (
            "For a person rated “low confidence” by two thirds or more of all delegates of "
            "the People's Council, the body or person who nominated them for election must "
            "submit their dismissal (miễn nhiệm) to the Council at that session or the next."
        ),
    },
}


@dataclass(frozen=True, slots=True)
class OfficialResult:
    official_id: str
    full_name: str
    high: int
    medium: int
    low: int
    flag: Flag
    rule_article: str | None
    rule_text_vi: str | None
    rule_text_en: str | None


@dataclass(frozen=True, slots=True)
class ConfidenceResult:
    vote_id: str
    members_total: int
    ballots_counted: int
    officials: tuple[OfficialResult, ...]
    source: str = SOURCE

    def to_json(self) -> dict[str, Any]:
        return {
            "vote_id": self.vote_id,
            "members_total": self.members_total,
            "ballots_counted": self.ballots_counted,
            "source": self.source,
            "rule_text_verified": RULE_TEXT_VERIFIED,
            "note_vi": None if RULE_TEXT_VERIFIED else UNVERIFIED_NOTE_VI,
            "note_en": None if RULE_TEXT_VERIFIED else UNVERIFIED_NOTE_EN,
            "officials": [
                {
                    "official_id": o.official_id,
                    "full_name": o.full_name,
                    "counts": {"high": o.high, "medium": o.medium, "low": o.low},
                    "flag": o.flag,
                    "rule": None
                    if o.rule_article is None
                    else {
                        "article": o.rule_article,
                        "text_vi": o.rule_text_vi,
                        "text_en": o.rule_text_en,
                    },
                }
                for o in self.officials
            ],
        }


def flag_for(low: int, members_total: int) -> Flag:
    """Integer comparisons only: 'quá nửa' is 2·low > total, 'từ 2/3' is 3·low >= 2·total."""
    if members_total <= 0:
        raise ValueError("members_total (all delegates of the council) must be positive")
    if 3 * low >= 2 * members_total:
        return "two_thirds_low"
    if 2 * low > members_total:
        return "more_than_half_low"
    return "none"


def confidence_result(definition: BallotDefinition, counts: Sequence[int]) -> ConfidenceResult:
    """Per official: the three counts and the rule that applies, with its text."""
    if definition.kind != "confidence" or len(counts) != definition.width:
        raise ValueError("counts do not belong to this confidence ballot")
    officials = []
    for i, subject in enumerate(definition.subjects):
        high, medium, low = counts[3 * i : 3 * i + 3]  # the order of ballot.LEVELS
        flag = flag_for(low, definition.members_total)
        rule = RULES.get(flag)
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
            )
        )
    ballots = sum(counts[0:3]) if counts else 0  # every ballot marks each official once
    return ConfidenceResult(definition.vote_id, definition.members_total, ballots, tuple(officials))
