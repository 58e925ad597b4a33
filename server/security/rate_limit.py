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

    def take(self, source: str) -> int:
        """0 when *source* may go on (and it is counted); else seconds to wait."""
        now = self.clock()
        with self._lock:
            checks = ((f"src:{source}", self.budget.per_source), ("all", self.budget.overall))
            waits = []
            counts = {}
            for key, cap in checks:
                started, count = self._count(key, now)
                counts[key] = (started, count)
                if count >= cap:
                    waits.append(started + self.budget.window_seconds - now)
            if waits:
                return max(1, math.ceil(max(waits)))
            for key, (started, count) in counts.items():
                self._windows.pop(key, None)
                self._windows[key] = (started, count + 1)
            while len(self._windows) > MAX_SOURCES:
                self._windows.popitem(last=False)
            return 0
