"""The confidence vote's rule (lấy phiếu tín nhiệm), applied to the decrypted counts.

Nghị quyết 96/2023/QH15 of the National Assembly (23 June 2023), Article 13 ("Sử dụng kết
quả lấy phiếu tín nhiệm" — use of the confidence vote's result), clauses 2 and 3 as we
understand them; the base is **all** delegates of the council (tổng số đại biểu), not
those present nor the ballots cast. docs/ballot.md marks what is unverified in the
wording and the article numbers: a lawyer of the council's office should confirm them
before the rule text is shown in a sitting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from shared.ballot.ballot import BallotDefinition

Flag = Literal["none", "more_than_half_low", "two_thirds_low"]

SOURCE = "Nghị quyết số 96/2023/QH15 ngày 23/6/2023 của Quốc hội, Điều 13"

RULES: dict[str, dict[str, str]] = {
    "more_than_half_low": {
        "article": "Điều 13, khoản 2",
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
        "article": "Điều 13, khoản 3",
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
