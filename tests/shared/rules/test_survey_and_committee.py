"""Who and when of the confidence survey, who may count: pure rules, no server."""

from __future__ import annotations

from datetime import date

from shared.rules.committee import committee_problem
from shared.rules.survey import excluded_from_survey, survey_warnings


def codes(*args, **kwargs) -> set[str]:
    return {w.code for w in survey_warnings(*args, **kwargs)}


def test_the_year_end_regular_session_of_the_third_year_is_the_window():
    # a provincial council, term 2026-2031: the window is the last regular session of 2028
    assert codes("tinh", 2026, "regular", date(2028, 12, 10)) == set()
    assert codes("tinh", 2026, "regular", date(2028, 7, 10), later_regular_session_in_year=True) \
        == {"survey_outside_window"}
    assert codes("tinh", 2026, "regular", date(2027, 12, 10)) == {"survey_outside_window"}
    assert codes("tinh", 2026, "thematic", date(2028, 12, 10)) == {"survey_outside_window"}


def test_a_commune_council_is_warned_with_the_source():
    (warning, *_) = survey_warnings("xa", 2026, "regular", date(2028, 12, 10))
    assert warning.code == "survey_commune_council"
    assert "Nghị quyết 96/2023/QH15" in warning.message_vi
    assert warning.to_json()["source"] == "Nghị quyết 96/2023/QH15, Điều 2 khoản 2"


def test_exclusions_of_article_2_clause_5():
    assert excluded_from_survey(2028, None, retirement_announced=True) == "retirement_announced"
    assert excluded_from_survey(2028, date(2028, 1, 5), False) == "elected_in_survey_year"
    assert excluded_from_survey(2028, date(2027, 12, 31), False) is None


def test_who_may_count():
    assert committee_problem([1, 2, 3], {3, 9}) == ("committee_member_on_ballot", [3])
    assert committee_problem([1, 2], set()) == ("committee_too_small", [1, 2])
    assert committee_problem([1, 2], set(), council_level="tinh") is None
    assert committee_problem([1, 2, 3], {9}) is None
