"""What the Library screen shows, built from the pack store (no Kivy here).

``TabletLibrary`` reads the enrolled device's verified manifests and syncs through
``tablet_app.core.sync.Tablet``; it learns which sessions exist from the server's signed
"my sessions" list (``discover``), so the delegate never types a session number.
``DemoLibrary`` serves the demo council's PDFs from memory for a desktop demo and the
app's window tests. Both answer the same four calls, so the screens do not know which
one they have.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol

from tablet_app.core.settings import AppSettings

PackState = Literal["not_downloaded", "downloading", "up_to_date", "update_available",
                    "revoked", "failed"]


@dataclass(frozen=True)
class DocumentCard:
    doc_id: str
    version: int
    title: str
    kind: str
    pages: int
    new_version: bool = False


@dataclass(frozen=True)
class ItemGroup:
    number: str
    title: str
    documents: tuple[DocumentCard, ...]


@dataclass
class SessionCard:
    session_id: str
    title: str
    day: date | None
    place: str
    state: PackState
    progress: float = 0.0  # 0..1 while downloading
    items: tuple[ItemGroup, ...] = ()
    message: str = ""
    documents: int = 0  # documents this device may read in the version offered


@dataclass
class Progress:
    session_id: str
    fraction: float
    done: bool = False


class Library(Protocol):
    def sessions(self) -> list[SessionCard]: ...

    def discover(self) -> None:
        """Ask the server which sessions it offers (network: call off the UI thread)."""

    def open_document(self, doc_id: str) -> bytes | bytearray: ...

    def sync(self, session_id: str, progress: Callable[[Progress], None]) -> None: ...


@dataclass
class DemoLibrary:
    """The demo council's session, rendered once per process, served from memory."""

    settings: AppSettings = field(default_factory=AppSettings)
    long_document_pages: int | None = None  # shorten the 161-page plan for quick tests
    _pdfs: dict[str, bytes] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _specs(self):
        from shared.demo.texts import DEMO_AGENDA

        for item in DEMO_AGENDA:
            for number, spec in enumerate(item.documents, start=1):
                if self.long_document_pages and spec.pages > self.long_document_pages:
                    spec = dataclasses.replace(spec, pages=self.long_document_pages)
                yield item, f"demo-{item.position}-{number}", spec

    def sessions(self) -> list[SessionCard]:
        from shared.demo.texts import SESSION_PLACE, SESSION_START, SESSION_TITLE

        groups: dict[str, list[DocumentCard]] = {}
        titles: dict[str, str] = {}
        for item, doc_id, spec in self._specs():
            titles[str(item.position)] = item.title
            version = 2 if spec.kind == "draft_resolution" else 1
            groups.setdefault(str(item.position), []).append(DocumentCard(
                doc_id, version, spec.title, spec.kind, spec.pages,
                self.settings.is_new_version(doc_id, version)))
        items = tuple(ItemGroup(n, titles[n], tuple(docs)) for n, docs in groups.items())
        return [SessionCard("demo", SESSION_TITLE, SESSION_START, SESSION_PLACE, "up_to_date",
                            1.0, items)]

    def open_document(self, doc_id: str) -> bytes:
        from shared.demo.pdfs import render_demo_pdf

        with self._lock:
            if doc_id not in self._pdfs:
                spec = next(s for _, d, s in self._specs() if d == doc_id)
                self._pdfs[doc_id] = render_demo_pdf(spec)
            return self._pdfs[doc_id]

    def sync(self, session_id: str, progress: Callable[[Progress], None]) -> None:
        progress(Progress(session_id, 1.0, done=True))

    def discover(self) -> None:
        """The demo's one session is always there."""


class TabletLibrary:
    """An enrolled, unlocked device (``tablet_app.core.sync.Tablet``)."""

    def __init__(self, tablet, settings: AppSettings) -> None:
        self.tablet = tablet
        self.settings = settings
        self.states: dict[str, SessionCard] = {}
        self.offered: dict[str, object] = {}  # session id -> core.sync.AvailableSession

    def discover(self) -> None:
        """Fetch the sessions the server offers this device (signed request; may raise
        ``ServerUnreachable`` offline, ``DeviceRevoked``, or ``DeviceWiped`` after a wipe)."""
        self.offered = {s.session_id: s for s in self.tablet.available_sessions()}
        folder = self.tablet.store.folder
        if AppSettings.load(folder).renumbered_at > self.settings.renumbered_at:
            self.settings.reload(folder)  # the commune moved: the ids were renamed on disk

    def session_ids(self) -> list[str]:
        held = list(self.tablet.store.session_ids())
        # Numbers typed in by an older version of the app are still honoured.
        return list(dict.fromkeys([*self.offered, *held, *self.settings.sessions]))

    def sessions(self) -> list[SessionCard]:
        cards = []
        for sid in self.session_ids():
            manifest = self.tablet.visible_manifest(sid)
            known = self.states.get(sid)
            offered = self.offered.get(sid)
            if manifest is None:
                cards.append(known or _offered_card(sid, offered))
                continue
            entries = {e.id: e for e in manifest.documents_for(self.tablet.device_id)}
            groups = []
            for item in manifest.agenda:
                docs = tuple(
                    DocumentCard(e.id, e.version, e.title, e.kind, e.pages,
                                 self.settings.is_new_version(e.id, e.version))
                    for d in item.document_ids if (e := entries.get(d)) is not None)
                if docs:
                    groups.append(ItemGroup(item.number, item.title, docs))
            state: PackState = "up_to_date"
            if known and known.state in ("downloading", "revoked", "failed"):
                state = known.state
            elif offered is not None and offered.pack_version > manifest.pack_version:  # type: ignore[attr-defined]
                state = "update_available"
            cards.append(SessionCard(sid, manifest.session.title, manifest.session.date,
                                     manifest.session.place, state,
                                     known.progress if known else 1.0, tuple(groups),
                                     known.message if known else "", len(entries)))
        cards.sort(key=lambda c: (c.day is None, c.day or date.max))
        return cards

    def open_document(self, doc_id: str) -> bytearray:
        return self.tablet.open_document(doc_id)


    def sync(self, session_id: str, progress: Callable[[Progress], None]) -> None:
        from tablet_app.core.client import DeviceRevoked

        card = self.states.setdefault(session_id,
                                      _offered_card(session_id, self.offered.get(session_id)))
        card.state, card.message = "downloading", ""

        def report(p) -> None:  # tablet_app.core.sync.SyncProgress
            card.progress = p.bytes_done / p.bytes_total if p.bytes_total else 0.0
            progress(Progress(session_id, card.progress, p.phase == "done"))

        try:
            self.tablet.sync(session_id, progress=report)
        except DeviceRevoked:
            card.state = "revoked"
            raise
        except Exception as error:
            from tablet_app.core.i18n import error_text

            card.state, card.message = "failed", error_text(error, self.settings.language)
            raise
        card.state, card.progress = "up_to_date", 1.0
        progress(Progress(session_id, 1.0, True))


def _offered_card(session_id: str, offered) -> SessionCard:  # AvailableSession | None
    """A session the server offers but the device has not downloaded yet."""
    if offered is None:
        return SessionCard(session_id, f"#{session_id}", None, "", "not_downloaded")
    return SessionCard(session_id, offered.title, offered.start_date, offered.place,
                       "not_downloaded", 0.0, documents=offered.documents)
