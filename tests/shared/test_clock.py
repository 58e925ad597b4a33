"""The one clock: every setting of HDND_CLOCK, and the suite's own pinning."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest

from shared import clock
from tests.conftest import TEST_CLOCK_DEFAULT


def test_the_suite_runs_on_the_clock_it_set_not_on_the_machines() -> None:
    start = clock.parse_instant(os.environ.get("HDND_TEST_CLOCK") or TEST_CLOCK_DEFAULT)
    # the suite's clock started at *start* and runs; it has run for less than a day
    assert timedelta(0) <= clock.now() - start < timedelta(days=1)


def test_a_frozen_clock_stands_still_and_moves_when_told() -> None:
    frozen = clock.FrozenClock(datetime(2027, 12, 31, 23, 30, tzinfo=clock.VN_TZ))
    with clock.using(frozen):
        assert clock.today() == date(2027, 12, 31)
        assert clock.now() == datetime(2027, 12, 31, 16, 30, tzinfo=UTC)
        frozen.advance(timedelta(minutes=31))
        assert clock.today() == date(2028, 1, 1)  # Vietnam's new year, still 2027 in UTC
        assert clock.now().year == 2027
    assert clock.today() != date(2028, 1, 1) or clock.current() is not frozen


def test_using_restores_the_previous_clock() -> None:
    before = clock.current()
    with clock.using(clock.FrozenClock(datetime(2030, 1, 1, tzinfo=UTC))):
        assert clock.current() is not before
    assert clock.current() is before


@pytest.mark.parametrize(("setting", "expected"), [
    ("frozen:2028-02-29T08:00:00+07:00", datetime(2028, 2, 29, 1, 0, tzinfo=UTC)),
    ("frozen:2028-02-29", datetime(2028, 2, 29, 1, 0, tzinfo=UTC)),  # 08:00 in Vietnam
    ("frozen:2028-02-29T10:00", datetime(2028, 2, 29, 3, 0, tzinfo=UTC)),  # naive: Vietnam
])
def test_frozen_settings(setting: str, expected: datetime) -> None:
    assert clock.from_setting(setting).now() == expected


def test_a_start_instant_runs_from_there() -> None:
    running = clock.from_setting("2029-06-01T08:00:00+07:00")
    first = running.now()
    assert abs(first - datetime(2029, 6, 1, 1, 0, tzinfo=UTC)) < timedelta(seconds=5)
    assert running.now() >= first


def test_shifts_move_the_machines_clock() -> None:
    shifted = clock.from_setting("+400d")
    assert abs(shifted.now() - clock.machine_now() - timedelta(days=400)) < timedelta(seconds=5)
    back = clock.from_setting("-1.5h")
    assert abs(clock.machine_now() - back.now() - timedelta(hours=1.5)) < timedelta(seconds=5)


def test_a_file_clock_follows_what_another_process_writes(tmp_path) -> None:
    path = tmp_path / "offset"
    follower = clock.from_setting(f"file:{path}")
    assert abs(follower.now() - clock.machine_now()) < timedelta(seconds=5)  # no file yet
    clock.FileClock.write(path, timedelta(hours=2))
    assert abs(follower.now() - clock.machine_now() - timedelta(hours=2)) < timedelta(seconds=5)
    clock.FileClock.write(path, timedelta(days=-3))
    assert abs(follower.now() - clock.machine_now() + timedelta(days=3)) < timedelta(seconds=5)


def test_a_bad_setting_says_what_is_expected() -> None:
    with pytest.raises(clock.ClockSettingInvalid, match="2028-03-01"):
        clock.from_setting("next tuesday")


def test_a_child_process_reads_the_same_clock_as_the_suite() -> None:
    """Servers the tests start agree with the tests to well under a second."""
    code = "from shared import clock; print(clock.now().isoformat())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=os.environ.copy()).stdout.strip()
    assert abs(datetime.fromisoformat(out) - clock.now()) < timedelta(seconds=5)
