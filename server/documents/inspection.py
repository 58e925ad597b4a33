"""Read an uploaded PDF in a separate, limited worker process, never on the event loop.

MuPDF on a hostile file can take minutes and gigabytes (one page of 1 MB that expands to
300 MB of text operators froze the whole server for 91 s). So the page check and the
text extraction for search run in ``server.documents.pdf_worker``, a child process with
an address-space limit, and the parent waits for it asynchronously with two deadlines:

- the **check** (is it a PDF, not encrypted, does every page load) must finish within
  ``pdf_check_seconds``, or the upload is refused (``pdf_too_complex``);
- the **text** must finish within ``pdf_text_seconds`` and ``pdf_text_max_chars``
  characters, or the file is kept with the text read so far and a note saying that its
  content is not (fully) searchable.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from server.config import Settings
from server.errors import NotAPdf, PdfBroken, PdfEncrypted, PdfTooComplex


class TextStatus(StrEnum):
    """How much of a version's text reached the search index."""

    complete = "complete"
    partial = "partial"  # cut at the limit, or some pages unreadable
    none = "none"  # nothing could be read in time


TEXT_NOTES: dict[TextStatus, tuple[str, str]] = {
    TextStatus.partial: ("Chỉ trích được một phần nội dung để tìm kiếm.",
                         "Only part of the content could be extracted for search."),
    TextStatus.none: ("Không trích được nội dung để tìm kiếm.",
                      "The content could not be extracted for search."),
}


@dataclass(frozen=True)
class Limits:
    check_seconds: float
    text_seconds: float
    memory_mb: int
    max_chars: int

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(settings.pdf_check_seconds, settings.pdf_text_seconds,
                   settings.pdf_worker_memory_mb, settings.pdf_text_max_chars)

    @classmethod
    def default(cls) -> Limits:
        return cls.of(Settings())


@dataclass
class PdfFacts:
    """What the worker learnt: pages, and each page's text (1-based page numbers)."""

    page_count: int
    texts: dict[int, str] = field(default_factory=dict)
    text_status: TextStatus = TextStatus.complete


_REFUSALS = {"pdf_encrypted": PdfEncrypted, "pdf_broken": PdfBroken,
             "pdf_too_complex": PdfTooComplex}


async def inspect(path: Path, limits: Limits) -> PdfFacts:
    """Check ``path`` and read its text; raise a clear error for a file that is refused."""
    with open(path, "rb") as handle:
        if b"%PDF-" not in handle.read(1024):
            raise NotAPdf()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server.documents.pdf_worker", str(path),
        str(limits.max_chars), str(limits.memory_mb),
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        # One line holds at most one page's text, itself at most max_chars characters.
        limit=limits.max_chars * 4 + 65536)
    try:
        return await _read_answers(process, limits)
    finally:
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        await process.wait()


async def _next(process: asyncio.subprocess.Process, deadline: float) -> dict | None:
    """The worker's next message, or None when it ended, crashed or ran out of time."""
    loop = asyncio.get_running_loop()
    assert process.stdout is not None
    try:
        line = await asyncio.wait_for(process.stdout.readline(),
                                      max(deadline - loop.time(), 0.001))
    except (TimeoutError, ValueError):  # ValueError: a line over the stream's limit
        return None
    return json.loads(line) if line else None


async def _read_answers(process: asyncio.subprocess.Process, limits: Limits) -> PdfFacts:
    loop = asyncio.get_running_loop()
    first = await _next(process, loop.time() + limits.check_seconds)
    if first is None:  # out of time or memory (killed by its limit) before an answer
        raise PdfTooComplex()
    if first["check"] != "ok":
        raise _REFUSALS.get(first["check"], PdfBroken)()
    facts = PdfFacts(page_count=int(first["pages"]))
    deadline = loop.time() + limits.text_seconds
    while True:
        message = await _next(process, deadline)
        if message is None:
            facts.text_status = TextStatus.partial if facts.texts else TextStatus.none
            return facts
        if "page" in message:
            facts.texts[int(message["page"])] = message["text"]
        elif message.get("done"):
            if not message["complete"]:
                facts.text_status = TextStatus.partial if facts.texts else TextStatus.none
            return facts


def inspect_now(path: Path, limits: Limits) -> PdfFacts:
    """The same, for code with no event loop (the command line, a worker thread)."""
    return asyncio.run(inspect(path, limits))
