"""The Library: session cards with their pack state, documents grouped by agenda item."""

from __future__ import annotations

from kivy.app import App
from kivy.factory import Factory
from kivy.metrics import dp
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.progressbar import ProgressBar
from kivy.uix.screenmanager import Screen

from tablet_app.ui.app import in_background, on_ui
from tablet_app.ui.library_model import DocumentCard, Progress, SessionCard


class DocumentRow(BoxLayout):
    label = StringProperty("")
    kind = StringProperty("")
    pages = StringProperty("")
    mark = StringProperty("")
    document = ObjectProperty(None)

    def open(self) -> None:
        App.get_running_app().screens.get_screen("reader").open_document(self.document)


class LibraryScreen(Screen):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.progress_seen: list[float] = []  # this run's sync progress, last 200

    def on_pre_enter(self, *_: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        app = App.get_running_app()
        box = self.ids.cards
        box.clear_widgets()
        if app.library is None:
            return
        self.bars: dict[str, ProgressBar] = {}
        for card in app.library.sessions():
            box.add_widget(self._card(card))

    def _card(self, session: SessionCard):  # noqa: ANN202
        app = App.get_running_app()
        card = Factory.Card()
        card.add_widget(Factory.Heading(text=session.title))
        when = session.day.strftime("%d/%m/%Y") if session.day else ""
        card.add_widget(Factory.Muted(text=" · ".join(x for x in (when, session.place) if x)))
        state = Factory.TLabel(text=app.t(f"pack.{session.state}"), bold=True)
        card.add_widget(state)
        if session.message and session.state in ("failed", "revoked"):
            card.add_widget(Factory.Muted(text=session.message))
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
        app = App.get_running_app()
        return DocumentRow(label=doc.title, kind=app.t(f"kind.{doc.kind}"),
                           pages=app.t("library.pages", n=doc.pages),
                           mark=app.t("library.new_version") if doc.new_version else "",
                           document=doc)

    def add_session(self, number: str) -> None:
        """The office tells delegates the session's number; the device then syncs it.

        (The server has no device-signed "my sessions" list yet; see docs/tablet.md.)
        """
        app = App.get_running_app()
        number = number.strip()
        if not number.isdigit() or app.library is None:
            return
        if number not in app.settings.sessions:
            app.settings.sessions.append(number)
            app.save_settings()
        self._sync(number)
        self.refresh()

    def sync_all(self) -> None:
        app = App.get_running_app()
        if app.library is None:
            return
        for session in app.library.sessions():
            self._sync(session.session_id)

    def _sync(self, session_id: str) -> None:
        app = App.get_running_app()
        progress = on_ui(self._progress)
        in_background(lambda: app.library.sync(session_id, progress),
                      lambda _r: self.refresh(), lambda _e: self.refresh())

    def _progress(self, progress: Progress) -> None:
        self.progress_seen = [*self.progress_seen[-199:], progress.fraction]
        bar = getattr(self, "bars", {}).get(progress.session_id)
        if bar is not None:
            bar.opacity = 0 if progress.done else 1
            bar.value = progress.fraction
