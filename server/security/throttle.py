"""Growing delays after failed sign-ins, per account and source, instead of lock-outs.

A lock-out per account let anyone lock the chair out with six anonymous requests. Here a
failure only slows down *the same source* trying *the same username* (and, more gently,
the same source trying many usernames): from the ``free_failures``-th failure on, the
next attempt must wait 1 s, 2 s, 4 s … up to ``max_delay`` seconds. The person at their own
machine is not affected by someone else's guessing, and an enrolled tablet never uses a
password (its requests are signed with its device key).

The answer is the same for a username that exists and one that does not, and is decided
before any password is checked. State is kept in memory (one server process on the hall
LAN); a restart forgets it, which only gives an attacker a fresh set of free failures.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

SOURCE_FREE_FAILURES = 30
"""Failures one source may make across all usernames before its own delays start."""

QUIET_RESET_SECONDS = 900.0
"""Fifteen quiet minutes after a failure and the count starts again from zero: an office
whose staff mistype now and then never reaches the delays."""
FORGET_AFTER_SECONDS = 3600.0
MAX_ENTRIES = 50_000


@dataclass
class _Record:
    failures: int = 0
    not_before: float = 0.0
    last: float = 0.0


class SignInThrottle:
    def __init__(self, free_failures: int = 5, max_delay: float = 300.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.free_failures, self.max_delay, self.clock = free_failures, max_delay, clock
        self._records: OrderedDict[tuple[str, str], _Record] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _keys(username: str, source: str) -> tuple[tuple[str, str], tuple[str, str]]:
        name = username.strip().casefold()[:64]
        return (f"account:{name}", source), ("source", source)

    def wait_seconds(self, username: str, source: str) -> int:
        """Seconds before this source may try this username again (0: now)."""
        now = self.clock()
        with self._lock:
            waits = [record.not_before - now for key in self._keys(username, source)
                     if (record := self._records.get(key)) is not None]
        return math.ceil(max([0.0, *waits]))

    def failed(self, username: str, source: str) -> None:
        now = self.clock()
        pair, whole_source = self._keys(username, source)
        with self._lock:
            self._forget_old(now)
            for key, free in ((pair, self.free_failures), (whole_source, SOURCE_FREE_FAILURES)):
                record = self._records.pop(key, None) or _Record()
                if now - record.last > QUIET_RESET_SECONDS:
                    record.failures = 0
                record.failures += 1
                record.last = now
                over = record.failures - free
                if over >= 0:
                    record.not_before = now + min(2.0 ** over, self.max_delay)
                self._records[key] = record  # most recent last, for _forget_old

    def succeeded(self, username: str, source: str) -> None:
        """A right password from this source clears its record for this username."""
        with self._lock:
            self._records.pop(self._keys(username, source)[0], None)

    def _forget_old(self, now: float) -> None:
        while self._records:
            key, record = next(iter(self._records.items()))
            if now - record.last < FORGET_AFTER_SECONDS and len(self._records) < MAX_ENTRIES:
                break
            del self._records[key]
