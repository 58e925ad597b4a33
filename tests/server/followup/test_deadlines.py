"""Deadlines in Asia/Ho_Chi_Minh: year's end, Tết, working days, reminders, legal limits."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from server.followup.deadlines import (
    CITIZEN_PETITION_REPLY,
    DEFAULT_CALENDAR,
    DENUNCIATION_INITIAL_HANDLING,
    HUNG_KINGS_DAY,
    LEGAL_TIME_LIMITS,
    TET_DAY_ONE,
    VN_TZ,
    HolidayCalendar,
    HolidaysUnknown,
    days_left,
    due_date,
    is_overdue,
    local_date,
    reminder_schedule,
    reminders_due,
)

cal = DEFAULT_CALENDAR


def test_receipt_date_is_the_date_in_vietnam_not_utc() -> None:
    # 17:30 UTC on 31/12 is 00:30 on 1/1 in Y Tý
    assert local_date(datetime(2026, 12, 31, 17, 30, tzinfo=UTC)) == date(2027, 1, 1)
    assert local_date(datetime(2026, 12, 31, 16, 59, tzinfo=UTC)) == date(2026, 12, 31)
    with pytest.raises(ValueError):
        local_date(datetime(2026, 12, 31, 12, 0))


def test_calendar_days_across_the_year_end_skip_to_a_working_day() -> None:
    # received Wed 23/12/2026; 10 days later is Sat 2/1/2027 -> Monday 4/1/2027
    assert due_date(date(2026, 12, 23), 10) == date(2027, 1, 4)
    # received 22/12/2026: day 10 is Fri 1/1/2027, New Year's Day -> Monday 4/1
    assert due_date(date(2026, 12, 22), 10) == date(2027, 1, 4)
    # received 21/12/2026: day 10 is Thu 31/12 -> a working day, stays
    assert due_date(date(2026, 12, 21), 10) == date(2026, 12, 31)


def test_the_day_of_receipt_counts_in_vietnam_time() -> None:
    late_night_utc = datetime(2026, 12, 21, 17, 30, tzinfo=UTC)  # 00:30 on 22/12 in VN
    assert due_date(late_night_utc, 10) == date(2027, 1, 4)


def test_working_days_across_the_year_end() -> None:
    # from Wed 30/12/2026: Thu 31/12 (1), [Fri 1/1 holiday], Mon 4/1 (2), Tue 5/1 (3)
    assert due_date(date(2026, 12, 30), 3, working_days=True) == date(2027, 1, 5)
    assert cal.working_days_between(date(2026, 12, 30), date(2027, 1, 5)) == 3


def test_working_days_skip_tet() -> None:
    # Tết Bính Ngọ: mùng 1 on Tue 17/2/2026; days off Mon 16/2 to Fri 20/2
    assert [d.day for d in sorted(cal.days_off(2026)) if d.month == 2] == [16, 17, 18, 19, 20]
    # received Thu 12/2/2026: Fri 13 (1), Mon 23 (2), ... Thu 26 (5)
    assert due_date(date(2026, 2, 12), 5, working_days=True) == date(2026, 2, 26)
    # a 7-working-day denunciation received Fri 13/2/2026
    # (Mon 23 to Fri 27 are 1-5, Mon 2/3 is 6, Tue 3/3 is 7)
    assert DENUNCIATION_INITIAL_HANDLING.due(date(2026, 2, 13)) == date(2026, 3, 3)


def test_calendar_days_ending_in_tet_roll_past_it() -> None:
    # Tết Đinh Mùi: mùng 1 Sat 6/2/2027; 10 days from 29/1 ends on Mon 8/2, a Tết day
    assert due_date(date(2027, 1, 29), 10) == date(2027, 2, 12)
    assert CITIZEN_PETITION_REPLY.due(date(2027, 1, 29)) == date(2027, 2, 12)
    # Tết on a weekend is compensated on the next working days (Labour Code Art. 111(3))
    assert {date(2027, 2, 10), date(2027, 2, 11)} <= cal.days_off(2027)


def test_tet_in_late_january_right_after_new_year() -> None:
    # 2028: 1/1 is a Saturday (compensated Monday 3/1) and Tết starts Wed 26/1
    off = cal.days_off(2028)
    assert date(2028, 1, 3) in off
    assert [d.day for d in sorted(off) if d.month == 1 and d.day > 3] == [25, 26, 27, 28, 31]
    assert due_date(date(2027, 12, 30), 3, working_days=True) == date(2028, 1, 5)
    # from Fri 21/1/2028: Mon 24 (1), Tết 25-31, Tue 1/2 (2) ... Fri 4/2 (5)
    assert due_date(date(2028, 1, 21), 5, working_days=True) == date(2028, 2, 4)


def test_announced_year_2025_uses_the_announced_days() -> None:
    assert not cal.is_working_day(date(2025, 5, 2))  # swapped Friday
    assert cal.is_working_day(date(2025, 4, 26))  # the Saturday worked instead
    assert not cal.is_working_day(date(2025, 9, 1))
    assert cal.is_working_day(date(2025, 2, 3))


def test_fixed_holidays_and_the_day_beside_national_day() -> None:
    off = cal.days_off(2027)
    assert {date(2027, 1, 1), date(2027, 4, 30), date(2027, 9, 2), date(2027, 9, 3)} <= off
    # 30/4/2028 is a Sunday and 1/5 is a holiday itself: compensation on Tuesday 2/5
    assert date(2028, 5, 2) in cal.days_off(2028)
    # Hùng Kings' day 2026 is Sunday 26/4: compensated Monday 27/4
    assert date(2026, 4, 27) in cal.days_off(2026)


def test_lunar_tables_cover_the_term() -> None:
    for year in range(2025, 2032):
        assert TET_DAY_ONE[year].month in (1, 2) and TET_DAY_ONE[year].year == year
        assert HUNG_KINGS_DAY[year].month == 4
        # 10/3 lunar is 68-70 days after mùng 1 (two lunar months plus nine days)
        assert 66 <= (HUNG_KINGS_DAY[year] - TET_DAY_ONE[year]).days <= 69
    assert TET_DAY_ONE[2030] == date(2030, 2, 2)  # a day before China's, UTC+7


def test_years_without_lunar_dates_are_refused_not_guessed() -> None:
    with pytest.raises(HolidaysUnknown) as refused:
        due_date(date(2032, 3, 1), 5, working_days=True)
    assert refused.value.code == "followup_holidays_unknown"
    assert "2032" in refused.value.message_vi


def test_the_calendar_takes_the_annual_notice() -> None:
    notice = HolidayCalendar(
        extra_days_off=frozenset({date(2026, 9, 1)}),
        extra_working_days=frozenset({date(2026, 9, 5)}),
    )
    assert not notice.is_working_day(date(2026, 9, 1))
    assert notice.is_working_day(date(2026, 9, 5))
    assert cal.is_working_day(date(2026, 9, 1))


def test_overdue_and_days_left_at_midnight_in_vietnam() -> None:
    due = date(2026, 12, 31)
    assert days_left(due, datetime(2026, 12, 24, 8, tzinfo=VN_TZ)) == 7
    assert days_left(due, datetime(2026, 12, 31, 23, 59, tzinfo=VN_TZ)) == 0
    assert not is_overdue(due, datetime(2026, 12, 31, 16, 59, tzinfo=UTC))  # 23:59 VN
    assert is_overdue(due, datetime(2026, 12, 31, 17, 0, tzinfo=UTC))  # 00:00 on 1/1 VN
    assert days_left(due, datetime(2027, 1, 2, 9, tzinfo=VN_TZ)) == -2


def test_reminders_before_and_after_the_deadline() -> None:
    schedule = reminder_schedule(date(2027, 1, 4))
    assert [(r.at, r.days_from_due, r.before_due) for r in schedule] == [
        (datetime(2026, 12, 28, 8, tzinfo=VN_TZ), -7, True),
        (datetime(2027, 1, 3, 8, tzinfo=VN_TZ), -1, True),
        (datetime(2027, 1, 5, 8, tzinfo=VN_TZ), 1, False),
    ]
    custom = reminder_schedule(date(2027, 1, 4), days_before=(3,), days_after=(1, 7), at=time(7))
    assert [r.days_from_due for r in custom] == [-3, 1, 7]


def test_a_scheduler_sends_each_reminder_once() -> None:
    schedule = reminder_schedule(date(2027, 1, 4))
    night = datetime(2027, 1, 3, 0, tzinfo=VN_TZ)
    morning = datetime(2027, 1, 3, 9, tzinfo=VN_TZ)
    assert [r.days_from_due for r in reminders_due(schedule, night, morning)] == [-1]
    assert reminders_due(schedule, morning, datetime(2027, 1, 4, 9, tzinfo=VN_TZ)) == []
    # comparing across time zones: 01:00 UTC on 5/1 is 08:00 in Vietnam
    after = reminders_due(schedule, morning, datetime(2027, 1, 5, 1, tzinfo=UTC))
    assert [r.days_from_due for r in after] == [1]


def test_legal_time_limits_cite_their_basis_and_admit_they_are_unchecked() -> None:
    for limit in LEGAL_TIME_LIMITS.values():
        assert "Luật" in limit.basis_vi and "Law" in limit.basis_en
        assert "Điều" in limit.basis_vi and "Art." in limit.basis_en
        assert limit.checked is False
    assert CITIZEN_PETITION_REPLY.days == 10 and not CITIZEN_PETITION_REPLY.working_days
