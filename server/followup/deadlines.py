"""Deadlines in Vietnam's time: due dates, working days, overdue, reminders, legal limits.

All dates are local to Asia/Ho_Chi_Minh (UTC+7, no daylight saving): a petition received
at 00:30 on 1/1 in Y Tý was received on 1/1, although the server's UTC clock still reads
31/12. A due date is a local *date*; the item is overdue from 00:00 local on the day after.

Counting follows the Civil Code 2015 (Bộ luật Dân sự 2015):
- Art. 147(1): when a time limit is counted in days, the first day (the day of receipt)
  is not counted;
- Art. 148(5): when the last day falls on a weekly rest day or a public holiday, the time
  limit ends at the end of the next working day.

Public holidays follow the Labour Code 2019 (Bộ luật Lao động 2019), Art. 112(1): 1/1;
five days of Tết Nguyên đán; 30/4; 1/5; 2/9 and the day before or after it; Giỗ Tổ Hùng
Vương (10/3 lunar). Art. 111(3): a holiday on a weekly rest day is compensated on the
next working day. Each year the Prime Minister / Ministry of Home Affairs announces the
exact days for civil servants (which Tết days, which day beside 2/9, swapped working
Saturdays): put them in :data:`ANNOUNCED_YEARS` or pass them to :class:`HolidayCalendar`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.errors import Internal

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Solar dates of the lunar holidays, 2025-2031. Computed with Hồ Ngọc Đức's published
# algorithm for the Vietnamese lunar calendar (astronomical new moons at UTC+7, "Âm lịch
# Việt Nam", https://www.informatik.uni-leipzig.de/~duc/amlich/), and checked against the
# known dates for 2024-2026 (Tết 10/2/2024, 29/1/2025, 17/2/2026; Giỗ Tổ 18/4/2024,
# 7/4/2025). Note 2030: Vietnam's Tết is 2/2, one day before China's (3/2), because the
# new moon falls between midnight UTC+7 and UTC+8. MUST BE CHECKED against the calendar
# published by the state (Nhà xuất bản / Đài Thiên văn) before relying on years ahead.
TET_DAY_ONE: dict[int, date] = {
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 2),
    2031: date(2031, 1, 23),
}
"""Mùng 1 Tết (first day of the lunar year) by solar year."""

HUNG_KINGS_DAY: dict[int, date] = {
    2025: date(2025, 4, 7),
    2026: date(2026, 4, 26),
    2027: date(2027, 4, 16),
    2028: date(2028, 4, 4),
    2029: date(2029, 4, 23),
    2030: date(2030, 4, 12),
    2031: date(2031, 4, 1),
}
"""Giỗ Tổ Hùng Vương (10/3 lunar) by solar year."""


@dataclass(frozen=True, slots=True)
class AnnouncedYear:
    """A year's days off for civil servants as the government announced them."""

    days_off: frozenset[date]
    """Weekdays off (holidays, compensations, swapped days); replaces the derived ones."""
    working_days: frozenset[date] = frozenset()
    """Saturdays or Sundays worked to make up a swapped day."""


# 2025, as reported from the annual notices (Tết 25/1-2/2; 30/4-4/5 with Friday 2/5 off and
# Saturday 26/4 worked; 30/8-2/9). Check against the official text before relying on it.
ANNOUNCED_YEARS: dict[int, AnnouncedYear] = {
    2025: AnnouncedYear(
        days_off=frozenset(
            {
                date(2025, 1, 1),
                *(date(2025, 1, d) for d in range(27, 32)),
                date(2025, 4, 7),
                date(2025, 4, 30),
                date(2025, 5, 1),
                date(2025, 5, 2),
                date(2025, 9, 1),
                date(2025, 9, 2),
            }
        ),
        working_days=frozenset({date(2025, 4, 26)}),
    ),
}


class HolidaysUnknown(Internal):
    """A deadline needs a year whose lunar holidays are not in the tables."""

    code = "followup_holidays_unknown"

    def __init__(self, year: int) -> None:
        super().__init__(
            f"Chưa có lịch nghỉ Tết và Giỗ Tổ năm {year}; hãy bổ sung vào cấu hình.",
            f"The Tết and Hùng Kings holidays of {year} are not configured; add them.",
            year=year,
        )


def _national_day_companion(year: int) -> date:
    """The day beside 2/9 when no notice says: the one that joins a weekend if possible."""
    national_day = date(year, 9, 2)
    before, after = national_day - timedelta(days=1), national_day + timedelta(days=1)
    if national_day.weekday() == 1 or after.weekday() >= 5:  # Tuesday, or 3/9 a weekend
        return before
    return after


@dataclass(frozen=True)
class HolidayCalendar:
    """Working days for public bodies: Monday to Friday minus public holidays.

    *extra_days_off* and *extra_working_days* take what the annual notices decide; a
    year in *announced* replaces the derived days off entirely.
    """

    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    tet_day_one: Mapping[int, date] = field(default_factory=lambda: TET_DAY_ONE)
    hung_kings_day: Mapping[int, date] = field(default_factory=lambda: HUNG_KINGS_DAY)
    announced: Mapping[int, AnnouncedYear] = field(default_factory=lambda: ANNOUNCED_YEARS)

    def legal_holidays(self, year: int) -> list[date]:
        """The Labour Code's holidays of *year*, before weekend compensation."""
        if year not in self.tet_day_one or year not in self.hung_kings_day:
            raise HolidaysUnknown(year)
        tet = self.tet_day_one[year]
        # Common practice when no notice says otherwise: the last day of the old year
        # and the first four of the new one.
        tet_days = [tet + timedelta(days=k) for k in range(-1, 4)]
        return sorted(
            {
                date(year, 1, 1),
                *tet_days,
                self.hung_kings_day[year],
                date(year, 4, 30),
                date(year, 5, 1),
                date(year, 9, 2),
                _national_day_companion(year),
            }
        )

    def days_off(self, year: int) -> frozenset[date]:
        """Weekdays of *year* on which public bodies do not work (holidays, compensations)."""
        if year in self.announced:
            derived = set(self.announced[year].days_off)
        else:
            holidays = self.legal_holidays(year)
            derived = {h for h in holidays if h.weekday() < 5}
            # Art. 111(3): a holiday on Saturday or Sunday moves to the next working day.
            taken = set(holidays)
            for holiday in holidays:
                if holiday.weekday() >= 5:
                    substitute = holiday + timedelta(days=1)
                    while substitute.weekday() >= 5 or substitute in taken:
                        substitute += timedelta(days=1)
                    taken.add(substitute)
                    derived.add(substitute)
        # No holiday sits near 31/12 (Tết starts 21/1 at the earliest), so compensations
        # stay inside the year.
        return frozenset(derived | {d for d in self.extra_days_off if d.year == year})

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        announced = self.announced.get(day.year)
        if announced is not None and day in announced.working_days:
            return True
        if day.weekday() >= 5:
            return False
        return day not in self.days_off(day.year)

    def next_working_day(self, day: date) -> date:
        """*day* itself if it is a working day, else the first one after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, days: int) -> date:
        """The *days*-th working day after *start* (*start* itself not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        for _ in range(days):
            day = self.next_working_day(day + timedelta(days=1))
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many a deadline has consumed."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


DEFAULT_CALENDAR = HolidayCalendar()


def local_date(moment: datetime | date) -> date:
    """The date in Vietnam of an aware datetime (a date passes through)."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("datetimes must be timezone-aware")
        return moment.astimezone(VN_TZ).date()
    return moment


def due_date(
    received: datetime | date,
    days: int,
    *,
    working_days: bool = False,
    calendar: HolidayCalendar = DEFAULT_CALENDAR,
) -> date:
    """The last day of a time limit of *days* starting the day after *received*.

    Calendar days roll forward to the next working day when the last day is off (Civil
    Code Art. 148(5)); working days skip weekends and holidays as they go.
    """
    start = local_date(received)
    if working_days:
        return calendar.add_working_days(start, days)
    return calendar.next_working_day(start + timedelta(days=days))


def days_left(due: date, now: datetime) -> int:
    """Whole days from today (in Vietnam) to *due*: 0 on the day, negative once overdue."""
    return (due - local_date(now)).days


def is_overdue(due: date, now: datetime) -> bool:
    """True from 00:00 in Vietnam on the day after *due*."""
    return days_left(due, now) < 0


@dataclass(frozen=True, slots=True)
class Reminder:
    at: datetime
    """When to send, in Vietnam's time."""
    days_from_due: int
    """Negative before the deadline (-7, -1), positive after it (+1)."""

    @property
    def before_due(self) -> bool:
        return self.days_from_due < 0


def reminder_schedule(
    due: date,
    *,
    days_before: Iterable[int] = (7, 1),
    days_after: Iterable[int] = (1,),
    at: time = time(8, 0),
) -> list[Reminder]:
    """Reminders for a deadline: by default 7 and 1 days before, and the day after it."""
    offsets = sorted({-d for d in days_before} | set(days_after))
    return [
        Reminder(datetime.combine(due + timedelta(days=k), at, tzinfo=VN_TZ), k)
        for k in offsets
    ]


def reminders_due(schedule: Iterable[Reminder], since: datetime, now: datetime) -> list[Reminder]:
    """Reminders that fell in (since, now]: what a scheduler waking at *now* must send."""
    return [r for r in schedule if since < r.at <= now]


@dataclass(frozen=True, slots=True)
class LegalTimeLimit:
    """A time limit set by law, with where it comes from."""

    days: int
    working_days: bool
    basis_vi: str
    basis_en: str
    checked: bool
    """False: written from the author's reading, not checked against the current text."""

    def due(self, received: datetime | date, calendar: HolidayCalendar = DEFAULT_CALENDAR) -> date:
        return due_date(received, self.days, working_days=self.working_days, calendar=calendar)


# NOT CHECKED against the current consolidated texts (the author had no access to them):
# a lawyer of the Office must confirm the articles and whether days are calendar or working
# days before these drive reminders. No statutory limit is given for answering voters'
# petitions: the Standing Committee sets one per round (usually before the next session).
CITIZEN_PETITION_REPLY = LegalTimeLimit(
    10,
    False,
    "Luật Tiếp công dân 2013 (42/2013/QH13), Điều 28: trong 10 ngày kể từ ngày nhận khiếu "
    "nại, tố cáo, kiến nghị, phản ánh, trả lời hoặc thông báo việc chuyển đơn cho người gửi.",
    "Law on Citizen Reception 2013, Art. 28: within 10 days of receipt, answer or notify "
    "the sender that the matter was forwarded to the competent body.",
    checked=False,
)
COMPLAINT_ACCEPTANCE = LegalTimeLimit(
    10,
    False,
    "Luật Khiếu nại 2011 (02/2011/QH13), Điều 27: thụ lý trong 10 ngày kể từ ngày nhận "
    "khiếu nại thuộc thẩm quyền, thông báo cho người khiếu nại.",
    "Law on Complaints 2011, Art. 27: accept within 10 days of receiving a complaint "
    "within one's competence and notify the complainant.",
    checked=False,
)
COMPLAINT_FIRST_SETTLEMENT = LegalTimeLimit(
    30,
    False,
    "Luật Khiếu nại 2011, Điều 28: giải quyết lần đầu không quá 30 ngày kể từ ngày thụ lý "
    "(vụ việc phức tạp 45 ngày; vùng sâu, vùng xa 45 và 60 ngày).",
    "Law on Complaints 2011, Art. 28: first settlement within 30 days of acceptance "
    "(45 if complex; 45 and 60 in remote areas).",
    checked=False,
)
COMPLAINT_FIRST_SETTLEMENT_REMOTE = LegalTimeLimit(
    45,
    False,
    "Luật Khiếu nại 2011, Điều 28: ở vùng sâu, vùng xa đi lại khó khăn, giải quyết lần đầu "
    "không quá 45 ngày kể từ ngày thụ lý (phức tạp: 60 ngày).",
    "Law on Complaints 2011, Art. 28: in remote areas, first settlement within 45 days of "
    "acceptance (60 if complex).",
    checked=False,
)
DENUNCIATION_INITIAL_HANDLING = LegalTimeLimit(
    7,
    True,
    "Luật Tố cáo 2018 (25/2018/QH14), Điều 24: trong 07 ngày làm việc kể từ ngày nhận tố "
    "cáo, vào sổ, phân loại, thụ lý hoặc chuyển cơ quan có thẩm quyền.",
    "Law on Denunciations 2018, Art. 24: within 7 working days of receipt, register, "
    "classify, and accept or forward to the competent body.",
    checked=False,
)
DENUNCIATION_SETTLEMENT = LegalTimeLimit(
    30,
    False,
    "Luật Tố cáo 2018, Điều 30: giải quyết không quá 30 ngày kể từ ngày thụ lý (có thể gia "
    "hạn).",
    "Law on Denunciations 2018, Art. 30: settle within 30 days of acceptance "
    "(extensions possible).",
    checked=False,
)

LEGAL_TIME_LIMITS: dict[str, LegalTimeLimit] = {
    "citizen_petition_reply": CITIZEN_PETITION_REPLY,
    "complaint_acceptance": COMPLAINT_ACCEPTANCE,
    "complaint_first_settlement": COMPLAINT_FIRST_SETTLEMENT,
    "complaint_first_settlement_remote": COMPLAINT_FIRST_SETTLEMENT_REMOTE,
    "denunciation_initial_handling": DENUNCIATION_INITIAL_HANDLING,
    "denunciation_settlement": DENUNCIATION_SETTLEMENT,
}
