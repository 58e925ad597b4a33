"""Fixed-window counters per source and for everyone, in memory (one server process).

Why: the citizens' door is open to anyone without an account and the hall is offline, so
no third-party CAPTCHA; a flood is stopped by counting instead. Each source gets its own
budget and all sources together a global one, so one address cannot fill the clerks'
inbox and many addresses cannot either. A restart forgets the counts.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

MAX_SOURCES = 50_000


@dataclass(frozen=True)
class Budget:
    per_source: int
    overall: int
    window_seconds: float


class RateLimiter:
    def __init__(self, budget: Budget, clock: Callable[[], float] = time.monotonic) -> None:
        self.budget, self.clock = budget, clock
        self._windows: OrderedDict[str, tuple[float, int]] = OrderedDict()
        self._lock = threading.Lock()

    def _count(self, key: str, now: float) -> tuple[float, int]:
        started, count = self._windows.get(key, (now, 0))
        if now - started >= self.budget.window_seconds:
            started, count = now, 0
        return started, count

    def wait(self, source: str) -> int:
        """0 when *source* may go on now; else seconds to wait. Counts nothing."""
        now = self.clock()
        with self._lock:
            return self._wait(source, now)

    def _wait(self, source: str, now: float) -> int:
        waits = []
        for key, cap in ((f"src:{source}", self.budget.per_source), ("all", self.budget.overall)):
            started, count = self._count(key, now)
            if count >= cap:
                waits.append(started + self.budget.window_seconds - now)
        return max(1, math.ceil(max(waits))) if waits else 0

    def count(self, source: str) -> None:
        """Count one use by *source* (and by everyone)."""
        now = self.clock()
        with self._lock:
            self._add(source, now)

    def _add(self, source: str, now: float) -> None:
        for key in (f"src:{source}", "all"):
            started, count = self._count(key, now)
            self._windows.pop(key, None)
            self._windows[key] = (started, count + 1)
        while len(self._windows) > MAX_SOURCES:
            self._windows.popitem(last=False)

    def take(self, source: str) -> int:
        """:meth:`wait`, and when 0 also :meth:`count`, in one step."""
        now = self.clock()
        with self._lock:
            wait = self._wait(source, now)
            if not wait:
                self._add(source, now)
            return wait
