"""The confidence survey's who and when (Nghị quyết 96/2023/QH15), as warnings and
exclusions computed from data.

A warning does not stop the council: the law may have moved past what the project could
read (commune councils after the 2025 reform), and the chair decides. It is shown when
the ballot is set up and kept in the audit log, with its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.rules.book import RULES
from shared.rules.sources import STATUS_VI


@dataclass(frozen=True)
class RuleWarning:
    code: str
    message_vi: str
    message_en: str
    rule: str  # key in shared.rules.book.RULES

    def to_json(self) -> dict[str, str]:
        rule = RULES[self.rule]
        return {"code": self.code, "message_vi": self.message_vi, "message_en": self.message_en,
                "source": rule.citation, "status": rule.status}


def _cite(rule_key: str) -> str:
    rule = RULES[rule_key]
    return f"{rule.citation} ({STATUS_VI[rule.status]})"


def survey_warnings(
    council_level: str,
    term_start_year: int,
    session_kind: str | None,
    session_start: date | None,
    later_regular_session_in_year: bool = False,
) -> list[RuleWarning]:
    """Why a confidence survey held here and now may not be the one the law asks for.

    ``council_level`` is "xa" or "tinh"; the window is the year-end regular session of the
    term's third year (``term_start_year + 2``).
    """
    warnings = []
    if council_level != "tinh":
        warnings.append(RuleWarning(
            "survey_commune_council",
            "Nghị quyết 96/2023/QH15 (Điều 2 khoản 2) chỉ nêu Hội đồng nhân dân cấp tỉnh, cấp "
            "huyện lấy phiếu tín nhiệm; chưa tìm thấy văn bản sửa đổi áp dụng cho cấp xã sau "
            "năm 2025. Đề nghị kiểm tra căn cứ trước khi tiến hành. Nguồn: " + _cite("survey_who"),
            "Resolution 96/2023/QH15 (Article 2.2) names only provincial and district councils; "
            "no amendment extending the survey to commune councils after 2025 was found. Check "
            "the legal basis before going ahead.",
            "survey_who",
        ))
    third_year = term_start_year + 2
    in_window = (
        session_kind == "regular"
        and session_start is not None
        and session_start.year == third_year
        and not later_regular_session_in_year
    )
    if not in_window:
        when = session_start.strftime("%d/%m/%Y") if session_start else "không rõ ngày"
        warnings.append(RuleWarning(
            "survey_outside_window",
            f"Lấy phiếu tín nhiệm được tổ chức một lần mỗi nhiệm kỳ tại kỳ họp thường lệ cuối "
            f"năm thứ ba của nhiệm kỳ (năm {third_year}); kỳ họp này ({when}) không phải kỳ họp "
            f"đó. Nguồn: " + _cite("survey_window"),
            f"The survey is held once a term, at the year-end regular session of the term's "
            f"third year ({third_year}); this session ({when}) is not that one.",
            "survey_window",
        ))
    return warnings


def excluded_from_survey(
    survey_year: int, elected_on: date | None, retirement_announced: bool
) -> str | None:
    """Why Điều 2 khoản 5 leaves this official out, or None when they are surveyed."""
    if retirement_announced:
        return "retirement_announced"
    if elected_on is not None and elected_on.year == survey_year:
        return "elected_in_survey_year"
    return None
