"""Where the demo's dates fall on the day ``hdnd demo`` runs, so the demo never grows old.

The demo's year of follow-up (resolutions adopted in January, supervision in May, voter
meetings in June, petitions due at the end of November…) was written as seen on
:data:`REFERENCE_DAY`, 20 November: the annual review is near, some deadlines are still
running, some have passed. On any other day the same story is moved so that *today* plays
the part of 20 November: first by whole years (the scenario's year is the year of the
last 20 November), then by the days since. A newcomer in March 2028 sees the twelve months
up to that day, with the same mix of upcoming, running and overdue items as one saw on
20/11/2026. The sittings of the demo's sessions are placed relative to today itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

REFERENCE_DAY = (11, 20)
"""(month, day) on which the demo's follow-up story is written."""
FIRST_YEAR = 2026
"""The first year of the 2026–2031 term: the demo never places its story earlier."""


@dataclass(frozen=True)
class DemoCalendar:
    """Maps the story's (month, day) to a real date: its year, then a shift in days."""

    year: int
    """The scenario's year: resolution numbers (01/2027/NQ-HĐND), titles, KPI year."""
    shift_days: int = 0
    """Days from the scenario year's 20 November to today (0 on 20 November itself)."""

    @classmethod
    def for_today(cls, today: date) -> DemoCalendar:
        month, day = REFERENCE_DAY
        year = today.year if (today.month, today.day) >= REFERENCE_DAY else today.year - 1
        year = max(year, FIRST_YEAR)
        return cls(year, (today - date(year, month, day)).days)

    def on(self, month: int, day: int) -> date:
        """The real date of the story's *day*/*month*."""
        return date(self.year, month, day) + timedelta(days=self.shift_days)

    @property
    def today(self) -> date:
        """The day the story is seen from."""
        return self.on(*REFERENCE_DAY)

    def earlier(self, years: int) -> DemoCalendar:
        """The same story *years* before (tests seed a past year beside the current one)."""
        return DemoCalendar(self.year - years, self.shift_days)


def _next_weekday(day: date, weekday: int) -> date:
    """*day* itself or the first later day that is *weekday* (0 = Monday)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@dataclass(frozen=True)
class DemoSchedule:
    """The demo's sessions around today: the Economic committee's review meeting this week,
    the council's published regular session next week (two days, Tuesday and Wednesday),
    and the year-end session being drafted for a month later."""

    committee_day: date
    session_start: date
    draft_start: date

    @classmethod
    def for_today(cls, today: date) -> DemoSchedule:
        start = _next_weekday(today + timedelta(days=4), 1)
        return cls(committee_day=start - timedelta(days=5), session_start=start,
                   draft_start=_next_weekday(start + timedelta(days=35), 1))

    @property
    def session_end(self) -> date:
        return self.session_start + timedelta(days=1)

    @property
    def draft_end(self) -> date:
        return self.draft_start + timedelta(days=1)

    @property
    def session_title(self) -> str:
        return f"Kỳ họp thường lệ giữa năm {self.session_start.year}"

    @property
    def committee_meeting_title(self) -> str:
        day = self.committee_day
        return f"Phiên họp Ban Kinh tế - Xã hội tháng {day.month}/{day.year}"

    @property
    def draft_title(self) -> str:
        return f"Kỳ họp thường lệ cuối năm {self.draft_start.year}"


def demo_schedule(today: date | None = None) -> DemoSchedule:
    """Where the demo's sessions fall as seen *today* (default: the project's clock)."""
    from shared import clock

    return DemoSchedule.for_today(today or clock.today())
