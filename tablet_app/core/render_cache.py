"""Pages rendered ahead of the reader on a background thread, kept in a small LRU.

A page turn must never wait on the disk or the network, and on a tablet it should not
wait on MuPDF either: while the delegate reads page n, pages n±1 and n±2 are drawn in
the background, so turning shows an already rendered page. Requests for the page on
screen jump ahead of prefetches. The cache holds a handful of full-screen RGB images
(about 3 MB each at 1280×800), so memory stays bounded however long the document is.

A page the reader cannot display comes back as a ``RenderedPage`` with ``error`` set and
no pixels, so the screen can say so; the other pages render as usual.

``get()`` blocks until the page is ready (the UI calls it from a worker or with a
timeout); ``request()`` returns at once and calls ``on_ready`` from the render thread.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from tablet_app.core.reader import PageUnrenderable, PdfReader, RenderedPage

PageKey = tuple[int, int, int, float, bool]  # page, width_px, height_px, zoom, inverted
ReadyCallback = Callable[[RenderedPage], None]

_URGENT, _PREFETCH = 0, 1


@dataclass
class CacheStats:
    """Counts to measure the cache by (the benchmark and tests read them)."""

    hits: int = 0
    misses: int = 0
    renders: int = 0
    render_seconds: list[float] = field(default_factory=list)


class RenderCache:
    def __init__(
        self,
        reader: PdfReader,
        width_px: int,
        height_px: int,
        *,
        capacity: int = 7,
        prefetch: int = 2,
    ) -> None:
        self.reader = reader
        self.width_px, self.height_px = width_px, height_px
        self.capacity = max(capacity, 2 * prefetch + 1)
        self.prefetch = prefetch
        self.inverted = False  # dark mode's light-on-dark page
        self.stats = CacheStats()
        self._pages: OrderedDict[PageKey, RenderedPage] = OrderedDict()
        self._waiting: dict[PageKey, list[ReadyCallback]] = {}
        self._queue: list[tuple[int, int, PageKey]] = []
        self._order = itertools.count()
        self._cond = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="render-cache", daemon=True)
        self._thread.start()

    # --- the reader's side ------------------------------------------------------------

    def resize(self, width_px: int, height_px: int) -> None:
        """The screen changed size: what is cached is the wrong size now."""
        with self._cond:
            self.width_px, self.height_px = width_px, height_px
            self._pages.clear()

    def set_inverted(self, inverted: bool) -> None:
        """Pages from now on light on dark (or back); the other look is dropped."""
        with self._cond:
            if inverted != self.inverted:
                self.inverted = inverted
                self._pages.clear()

    def _key(self, page: int, zoom: float) -> PageKey:
        return page, self.width_px, self.height_px, round(zoom, 3), self.inverted

    def cached(self, page: int, zoom: float = 1.0) -> RenderedPage | None:
        """The page if it is already rendered, without waiting."""
        with self._cond:
            return self._pages.get(self._key(page, zoom))

    def request(self, page: int, zoom: float = 1.0,
                on_ready: ReadyCallback | None = None) -> RenderedPage | None:
        """Show ``page``: returns it when cached, else renders it first and calls
        ``on_ready`` from the render thread. Neighbours are queued behind it either way."""
        with self._cond:
            key = self._key(page, zoom)
            found = self._pages.get(key)
            if found is not None:
                self._pages.move_to_end(key)
                self.stats.hits += 1
            else:
                self.stats.misses += 1
                if on_ready is not None:
                    self._waiting.setdefault(key, []).append(on_ready)
                self._push(_URGENT, key)
            for near in self._neighbours(page):
                self._push(_PREFETCH, self._key(near, 1.0))
            self._cond.notify()
            return found

    def get(self, page: int, zoom: float = 1.0, timeout: float | None = 10.0) -> RenderedPage:
        """The rendered page, waiting for the render thread if needed."""
        done = threading.Event()
        box: list[RenderedPage] = []

        def ready(rendered: RenderedPage) -> None:
            box.append(rendered)
            done.set()

        found = self.request(page, zoom, ready)
        if found is not None:
            return found
        if not done.wait(timeout):
            raise TimeoutError(f"page {page} not rendered in {timeout} s")
        return box[0]

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout=5)

    # --- the render thread ---------------------------------------------------------------

    def _neighbours(self, page: int) -> list[int]:
        # nearest first, forward before backward: readers mostly go forward
        out = []
        for distance in range(1, self.prefetch + 1):
            for near in (page + distance, page - distance):
                if 0 <= near < self.reader.page_count:
                    out.append(near)
        return out

    def _push(self, priority: int, key: PageKey) -> None:
        heapq.heappush(self._queue, (priority, next(self._order), key))

    def _next_job(self) -> PageKey | None:
        with self._cond:
            while not self._closed:
                while self._queue:
                    _, _, key = heapq.heappop(self._queue)
                    size_now = (key[1], key[2]) == (self.width_px, self.height_px)
                    if key in self._pages or not size_now:
                        self._answer(key, self._pages.get(key))
                        continue
                    return key
                self._cond.wait()
            return None

    def _answer(self, key: PageKey, rendered: RenderedPage | None) -> None:
        if rendered is None:
            return
        for callback in self._waiting.pop(key, []):
            callback(rendered)

    def _run(self) -> None:
        while True:
            key = self._next_job()
            if key is None:
                return
            page, width, height, zoom, inverted = key
            started = time.perf_counter()
            try:
                rendered = self.reader.render(page, width, height, zoom, invert=inverted)
            except PageUnrenderable as error:  # answered (and kept) as a page with an error
                rendered = RenderedPage.failed(page, zoom, error)
            except Exception:  # a closed or broken document: drop the job, keep serving
                with self._cond:
                    self._waiting.pop(key, None)
                continue
            with self._cond:
                self.stats.renders += 1
                self.stats.render_seconds.append(time.perf_counter() - started)
                self._pages[key] = rendered
                self._pages.move_to_end(key)
                while len(self._pages) > self.capacity:
                    self._pages.popitem(last=False)
                callbacks = self._waiting.pop(key, [])
            for callback in callbacks:
                callback(rendered)
