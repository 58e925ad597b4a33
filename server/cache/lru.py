"""A small thread-safe LRU whose entries remember the stamp they were read at."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
Stamp = tuple[str, Hashable]  # (database, generation): server/cache/generations.py


class GenerationCache(Generic[K, V]):
    """``get`` answers only an entry stored at the stamp asked for.

    Entries are kept per database (the stamp's first part), so one process holding two
    databases (the tests do) never mixes them. Bounded so a flood of distinct keys
    (tokens, session ids) costs memory once, not forever. One lock: entries are tiny and
    the critical sections are dict operations.
    """

    def __init__(self, capacity: int = 4096) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[tuple[str, K], tuple[Hashable, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, stamp: Stamp) -> V | None:
        database, generation = stamp
        with self._lock:
            found = self._entries.get((database, key))
            if found is None or found[0] != generation:
                return None
            self._entries.move_to_end((database, key))
            return found[1]

    def put(self, key: K, stamp: Stamp, value: V) -> None:
        database, generation = stamp
        with self._lock:
            self._entries[(database, key)] = (generation, value)
            self._entries.move_to_end((database, key))
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
