"""The one clock. Every "what time is it" in ``server/``, ``shared/`` and ``tablet_app/core/``
asks here, so that time is an input: tests set the day they need, a training server can
rehearse a sitting on another date, and no deadline or overdue mark depends on the day a
suite happens to run.

Durations (timeouts, rate windows, profiling) use :func:`time.monotonic` directly: they
measure how long something took, not what day it is.

The clock in force comes from ``HDND_CLOCK`` when the process starts, or from
:func:`set_clock` / :func:`using`:

=================================  ==========================================================
``HDND_CLOCK``                     clock
=================================  ==========================================================
unset, ``""`` or ``system``        the machine's clock
``2028-03-01T08:00:00+07:00``      starts at that instant when the process starts, then runs
``2028-03-01``                     the same, 08:00 in Vietnam on that day
``frozen:2028-03-01T08:00+07:00``  stands still at that instant
``+400d``, ``-3h``, ``+90m``       the machine's clock moved by that much
``file:/path/to/offset``           the machine's clock moved by the seconds written in the file
                                   (re-read when the file changes; lets a test move the clock
                                   of server processes it started)
=================================  ==========================================================

All instants are timezone-aware UTC; local dates are Vietnam's (Asia/Ho_Chi_Minh, UTC+7).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
"""Vietnam's time zone (UTC+7, no daylight saving): the only local time the project uses."""

ENV_VAR = "HDND_CLOCK"


class Clock(Protocol):
    """Anything that can tell the current instant (aware, UTC)."""

    def now(self) -> datetime: ...


def _machine_now() -> datetime:
    # The one read of the machine's wall clock in the project.
    return datetime.now(UTC)


def machine_now() -> datetime:
    """The machine's own clock, whatever clock is in force: only to set up another clock."""
    return _machine_now()


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return _machine_now()

    def __repr__(self) -> str:
        return "SystemClock()"


@dataclass
class FrozenClock:
    """Stands still until moved: for tests that need an exact instant."""

    at: datetime

    def __post_init__(self) -> None:
        self.at = _aware(self.at)

    def now(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta) -> None:
        self.at = self.at + delta

    def set(self, at: datetime) -> None:
        self.at = _aware(at)


@dataclass
class ShiftedClock:
    """The machine's clock moved by *offset*: time runs, on another day."""

    offset: timedelta = timedelta(0)

    @classmethod
    def starting_at(cls, start: datetime) -> ShiftedClock:
        """A running clock that reads *start* now."""
        return cls(_aware(start) - _machine_now())

    def now(self) -> datetime:
        return _machine_now() + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset = self.offset + delta


@dataclass
class FileClock:
    """The machine's clock moved by the seconds written in *path* (missing file: zero).

    One process (a test) writes the offset; every process started with
    ``HDND_CLOCK=file:<path>`` follows it, re-reading the file when it changes.
    """

    path: Path
    _stamp: int = field(default=-1, repr=False)
    _offset: timedelta = field(default=timedelta(0), repr=False)

    def now(self) -> datetime:
        try:
            stamp = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return _machine_now()
        if stamp != self._stamp:
            text = self.path.read_text().strip()
            self._offset = timedelta(seconds=float(text or 0))
            self._stamp = stamp
        return _machine_now() + self._offset

    @staticmethod
    def write(path: Path, offset: timedelta) -> None:
        """Move every clock that follows *path* (atomic: readers never see half a number)."""
        partial = path.with_suffix(path.suffix + ".part")
        partial.write_text(f"{offset.total_seconds():.6f}")
        os.replace(partial, path)


class ClockSettingInvalid(ValueError):
    """``HDND_CLOCK`` holds something that is not a clock."""


_SHIFT = re.compile(r"^([+-])(\d+(?:\.\d+)?)([dhms])$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


def from_setting(value: str | None) -> Clock:
    """The clock an ``HDND_CLOCK`` value names (see the module docstring)."""
    text = (value or "").strip()
    if text in ("", "system"):
        return SystemClock()
    if text.startswith("file:"):
        return FileClock(Path(text[5:]))
    if text.startswith("frozen:"):
        return FrozenClock(parse_instant(text[7:]))
    shift = _SHIFT.match(text)
    if shift:
        sign, amount, unit = shift.groups()
        delta = timedelta(**{_UNITS[unit]: float(amount)})
        return ShiftedClock(delta if sign == "+" else -delta)
    return ShiftedClock.starting_at(parse_instant(text))


def parse_instant(text: str) -> datetime:
    """An ISO instant or date (08:00 in Vietnam); naive times are Vietnam's."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(8, 0), tzinfo=VN_TZ)
        return _aware(datetime.fromisoformat(text))
    except ValueError as exc:
        raise ClockSettingInvalid(
            f"{ENV_VAR}={text!r}: không phải thời điểm hợp lệ / not a valid instant "
            "(e.g. 2028-03-01, 2028-03-01T08:00:00+07:00, frozen:…, +400d, file:/path)"
        ) from exc


def _aware(value: datetime) -> datetime:
    """Naive instants are read as Vietnam's local time; every instant is returned in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    return value.astimezone(UTC)


_lock = threading.Lock()
_current: Clock = from_setting(os.environ.get(ENV_VAR))


def current() -> Clock:
    """The clock in force."""
    return _current


def set_clock(clock: Clock) -> Clock:
    """Put *clock* in force for the whole process; returns the one it replaces."""
    global _current
    with _lock:
        previous, _current = _current, clock
    return previous


@contextmanager
def using(clock: Clock) -> Iterator[Clock]:
    """Put *clock* in force inside the ``with`` block."""
    previous = set_clock(clock)
    try:
        yield clock
    finally:
        set_clock(previous)


def now() -> datetime:
    """The current instant, aware UTC."""
    return _current.now()


def timestamp() -> float:
    """The current instant as POSIX seconds (for signed requests and cookies)."""
    return _current.now().timestamp()


def local_now() -> datetime:
    """The current instant on Vietnam's wall clock."""
    return _current.now().astimezone(VN_TZ)


def today() -> date:
    """Today's date in Vietnam: the day a deadline, a report period or a year is counted in."""
    return local_now().date()

