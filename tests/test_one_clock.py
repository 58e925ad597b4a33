"""Nothing decides on the wall clock outside the clock module (shared/clock.py).

Durations (``time.monotonic``, ``perf_counter``) are fine; asking the machine what day or
time it is is not: it makes deadlines, expiry and reports depend on the day the code runs.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("server", "shared", "tablet_app")
ALLOWED = {Path("shared/clock.py")}
WALL_CLOCK = re.compile(
    r"\bdatetime\.(?:now|utcnow|today)\(|\bdate\.today\(|\btime\.time\(|\btime\.localtime\("
    r"|\btime\.gmtime\(\)|\btime\.ctime\(|\bfrom time import time\b"
)


def wall_clock_reads() -> list[str]:
    found = []
    for top in CHECKED:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative in ALLOWED:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if WALL_CLOCK.search(line.split("#", 1)[0]):
                    found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    assert wall_clock_reads() == [], "use shared.clock (now, today, timestamp) instead"


def test_the_check_finds_what_it_looks_for(tmp_path) -> None:
    for bad in ("x = datetime.now(UTC)", "d = date.today()", "t = time.time()",
                "from time import time", "n = dt.datetime.now(dt.UTC)"):
        assert WALL_CLOCK.search(bad), bad
    for fine in ("t = time.monotonic()", "clock.now()", "clock.today()", "utcnow()"):
        assert not WALL_CLOCK.search(fine), fine
