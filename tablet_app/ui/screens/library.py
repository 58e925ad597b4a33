"""The Library: session cards with their pack state, documents grouped by agenda item.

The cards come from what the device holds and from the server's list of the sessions it
offers this device (fetched in the background each time the screen opens), so the
delegate never types a session number; a card not yet downloaded has a download button.
"""

from __future__ import annotations

from kivy.factory import Factory
from kivy.metrics import dp
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.progressbar import ProgressBar
from kivy.uix.screenmanager import Screen

from tablet_app.ui.app import app_if_running, in_background, on_ui, running_app
from tablet_app.ui.library_model import DocumentCard, Progress, SessionCard


class DocumentRow(BoxLayout):
    label = StringProperty("")
    kind = StringProperty("")
    pages = StringProperty("")
    mark = StringProperty("")
    document = ObjectProperty(None)

    def open(self) -> None:
        running_app().screens.get_screen("reader").open_document(self.document)


class LibraryScreen(Screen):
    sync_status = StringProperty("")  # what "Đồng bộ" is doing, then how it ended

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.progress_seen: list[float] = []  # this run's sync progress, last 200
        self.bars: dict[str, ProgressBar] = {}  # session id -> its card's progress bar
        self.join_buttons: dict[int, object] = {}  # sitting id -> its "join" button
        self._syncing: set[str] = set()  # sessions "Sync" still waits for

    def on_pre_enter(self, *_: object) -> None:
        self.refresh()
        self.discover()

    def discover(self) -> None:
        """Ask the server which sessions it offers; offline, the held ones still show."""
        app = running_app()
        library = app.library
        if library is None:
            return
        in_background(library.discover, lambda _r: self.refresh(), self._discovery_failed)

    def _discovery_failed(self, error: BaseException) -> None:
        from tablet_app.core.sync import DeviceWiped

        app = app_if_running()
        if isinstance(error, DeviceWiped) and app is not None:
            app.remotely_wiped(error)  # the core carried out the office's wipe order
            return
        self.refresh()  # offline or refused: the cards of what the device holds

    def refresh(self) -> None:
        app = app_if_running()
        box = self.ids.cards
        box.clear_widgets()
        if app is None or app.library is None:  # (an answer arriving after the app stopped)
            return
        self.bars, self.join_buttons = {}, {}
        if app.sittings or app.join_problem:
            box.add_widget(self._sittings_card())
        sessions = app.library.sessions()
        for card in sessions:
            box.add_widget(self._card(card))
        if not sessions:
            empty = Factory.Card()
            empty.add_widget(Factory.Muted(text=app.t("library.empty")))
            box.add_widget(empty)

    def _sittings_card(self):
        """Today's sittings, each with one button: "Vào phiên họp" (no sign-in)."""
        app = running_app()
        card = Factory.Card()
        card.add_widget(Factory.Heading(text=app.t("library.sittings")))
        if app.join_problem:
            card.add_widget(Factory.TLabel(
                text=app.t("library.join_problem", reason=app.join_problem), bold=True,
                color=app.c("accent")))
        for sitting in app.sittings:
            card.add_widget(Factory.TLabel(text=f"{sitting.title} — {sitting.session_title}",
                                           bold=True))
            card.add_widget(Factory.Muted(text=app.t(f"library.sitting_{sitting.status}")))
            joined = (app.joined_sitting == sitting.sitting_id
                      and app.link_status not in ("stopped", "refused"))
            button = Factory.TButton(
                text=app.t("library.show_sitting" if joined else "library.join"),
                size_hint=(None, None), width=dp(260), height=dp(56))
            button.bind(on_release=lambda _b, sid=sitting.sitting_id: app.join_sitting(sid))
            self.join_buttons[sitting.sitting_id] = button
            card.add_widget(button)
        return card

    def _card(self, session: SessionCard):
        app = running_app()
        card = Factory.Card()
        card.add_widget(Factory.Heading(text=session.title))
        when = session.day.strftime("%d/%m/%Y") if session.day else ""
        card.add_widget(Factory.Muted(text=" · ".join(x for x in (when, session.place) if x)))
        state = Factory.TLabel(text=app.t(f"pack.{session.state}"), bold=True)
        card.add_widget(state)
        if session.message and session.state in ("failed", "revoked"):
            card.add_widget(Factory.Muted(text=session.message))
        if session.documents and not session.items:
            card.add_widget(Factory.Muted(text=app.t("library.documents", n=session.documents)))
        if session.state in ("not_downloaded", "update_available", "failed"):
            action = "library.download" if session.state == "not_downloaded" else "library.update"
            button = Factory.TButton(text=app.t(action), size_hint=(None, None),
                                        width=dp(220), height=dp(48))
            button.bind(on_release=lambda _b, sid=session.session_id: self._sync(sid))
            card.add_widget(button)
        if session.session_id.isdigit():  # the server's session: questions are registered there
            ask = Factory.TButton(text=app.t("questions.open"), size_hint=(None, None),
                                  width=dp(300), height=dp(48))
            ask.bind(on_release=lambda _b, s=session: app.screens.get_screen(
                "my_questions").open_for(int(s.session_id), s.title))
            card.add_widget(ask)
        bar = ProgressBar(max=1.0, value=session.progress, size_hint_y=None, height=dp(12),
                          opacity=1 if session.state == "downloading" else 0)
        self.bars[session.session_id] = bar
        card.add_widget(bar)
        for item in session.items:
            card.add_widget(Factory.TLabel(text=f"{item.number}. {item.title}", bold=True))
            for doc in item.documents:
                card.add_widget(self._row(doc))
        return card

    def _row(self, doc: DocumentCard) -> DocumentRow:
        app = running_app()
        return DocumentRow(label=doc.title, kind=app.t(f"kind.{doc.kind}"),
                           pages=app.t("library.pages", n=doc.pages),
                           mark=app.t("library.new_version") if doc.new_version else "",
                           document=doc)

    def sync_all(self) -> None:
        """The "Sync" button: ask the server what it offers, then bring every card up to
        date (offline, the held ones are tried and say why they failed)."""
        app = running_app()
        library = app.library
        if library is None:
            return

        def each(_result: object = None) -> None:
            sessions = library.sessions()
            self._syncing = {s.session_id for s in sessions}
            self.sync_status = app.t("library.syncing") if sessions else app.t(
                "library.nothing_to_sync")
            for session in sessions:
                self._sync(session.session_id)

        def failed(error: BaseException) -> None:
            self._discovery_failed(error)
            self.sync_status = app.t("library.sync_failed", reason=app.err(error))
            if app_if_running() is not None and app.library is library:
                each()  # not wiped: sync what is known

        self.sync_status = app.t("library.asking")
        in_background(library.discover, each, failed)

    def _sync(self, session_id: str) -> None:
        library = running_app().library
        if library is None:
            return
        progress = on_ui(self._progress)
        in_background(lambda: library.sync(session_id, progress),
                      lambda _r: self._synced(session_id, None),
                      lambda e: self._synced(session_id, e))
        self.refresh()  # the card shows "downloading" at once

    def _synced(self, session_id: str, error: BaseException | None) -> None:
        app = app_if_running()
        if error is not None:
            self._discovery_failed(error)
            if app is not None:
                self.sync_status = app.t("library.sync_failed", reason=app.err(error))
            return
        self.refresh()
        waiting = self._syncing
        waiting.discard(session_id)
        if not waiting and app is not None and self.sync_status == app.t("library.syncing"):
            self.sync_status = app.t("library.synced")

    def _progress(self, progress: Progress) -> None:
        self.progress_seen = [*self.progress_seen[-199:], progress.fraction]
        bar = self.bars.get(progress.session_id)
        if bar is not None:
            bar.opacity = 0 if progress.done else 1
            bar.value = progress.fraction
