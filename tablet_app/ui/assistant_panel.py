"""The reader's assistant as a side panel: a question, two scopes, tóm tắt, cited sources.

Thin: the answers come from ``tablet_app.core.assistant.PackAssistant`` off the UI
thread; tapping a source opens that document at the cited page in the reader.
"""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.popup import Popup
from kivy.uix.scrollview import ScrollView

from shared.assistant.answer import Answer
from tablet_app.core.assistant import PackAssistant, PackDocument, parse_pack_link
from tablet_app.ui.app import HdndApp, in_background, running_app


def _assistant_for(app: HdndApp) -> PackAssistant:
    """One per library and language (its index of the pack is built on first use)."""
    library = app.library
    if library is None:
        raise RuntimeError("the assistant needs an open library")
    key = (id(library), app.lang)
    cached = app.assistant_cache
    if cached is not None and cached[0] == key:
        return cached[1]
    documents = [PackDocument(d.doc_id, d.title, s.session_id)
                 for s in library.sessions() for item in s.items for d in item.documents]
    tablet = app.tablet
    ask_server = None
    if tablet is not None and tablet.server_url:
        def ask_server(question: str, **scope: Any) -> dict:
            return tablet.client.ask_assistant(question, **scope)
    assistant = PackAssistant(documents, library.open_document, ask_server=ask_server,
                              lang=app.lang)
    app.assistant_cache = (key, assistant)
    return assistant


class AssistantPanel(BoxLayout):
    """The panel's content; ``open_for(reader)`` shows it at the reader's right edge."""

    def __init__(self, reader: Any, **kwargs: Any) -> None:
        super().__init__(orientation="vertical", spacing=dp(6), padding=dp(8), **kwargs)
        self.reader = reader
        app = running_app()
        t = app.t
        self.question = Factory.TInput(hint_text=t("assistant.hint"))
        self.question.bind(on_text_validate=lambda *_: self.ask(whole_session=False))
        self.add_widget(self.question)
        row = BoxLayout(size_hint_y=None, height=dp(48), spacing=dp(6))
        for text, action in ((t("assistant.this_document"), lambda *_: self.ask(False)),
                             (t("assistant.whole_session"), lambda *_: self.ask(True)),
                             (t("assistant.summary"), lambda *_: self.summarize())):
            button = Factory.TButton(text=text)
            button.bind(on_release=action)
            row.add_widget(button)
        self.add_widget(row)
        self.status = Factory.Muted(text="")
        self.add_widget(self.status)
        scroll = ScrollView(do_scroll_x=False)
        self.results = BoxLayout(orientation="vertical", size_hint_y=None, spacing=dp(4))
        self.results.bind(minimum_height=self.results.setter("height"))
        scroll.add_widget(self.results)
        self.add_widget(scroll)

    @classmethod
    def open_for(cls, reader: Any) -> Popup:
        app = running_app()
        panel = cls(reader)
        popup = Popup(title=app.t("assistant.title"), content=panel,
                      size_hint=(0.45, 0.92), pos_hint={"right": 0.995, "top": 0.96},
                      background="", background_color=app.c("card", app.theme),
                      title_color=app.c("fg", app.theme))
        panel.popup = popup
        reader.assistant_popup = popup  # tests and the keyboard find it here
        popup.open()
        return popup

    # --- actions -----------------------------------------------------------------------

    def _document(self) -> tuple[str | None, str | None]:
        document = self.reader.document
        if document is None:
            return None, None
        assistant = _assistant_for(running_app())
        held = assistant.documents.get(str(document.doc_id))
        return str(document.doc_id), (held.session_id if held else None)

    def ask(self, whole_session: bool) -> None:
        app = running_app()
        assistant = _assistant_for(app)
        doc_id, session_id = self._document()
        question = self.question.text
        self.status.text = app.t("assistant.searching")
        in_background(lambda: assistant.ask(question, doc_id=None if whole_session else doc_id,
                                            session_id=session_id),
                      self.show, self.failed)

    def summarize(self) -> None:
        app = running_app()
        assistant = _assistant_for(app)
        doc_id, _ = self._document()
        if doc_id is None:
            return
        self.status.text = app.t("assistant.searching")
        in_background(lambda: assistant.summary(doc_id), self.show, self.failed)

    def failed(self, error: BaseException) -> None:
        self.status.text = running_app().err(error)

    def show(self, answer: Answer) -> None:
        app = running_app()
        self.answer = answer
        self.status.text = answer.notice
        self.results.clear_widgets()
        if not answer.found:
            self.results.add_widget(Factory.TLabel(text=answer.text))
            return
        if answer.mode == "model":
            self.results.add_widget(Factory.TLabel(text=answer.text))
        self.results.add_widget(Factory.Muted(text=app.t("assistant.sources")))
        for citation in answer.citations:
            label = citation.label(app.lang)
            source = Factory.FlatButton(text=f"[{citation.number}] {label}", halign="left")
            source.bind(width=lambda b, w: setattr(b, "text_size", (w - dp(12), None)),
                        texture_size=lambda b, size: setattr(b, "height",
                                                             max(dp(48), size[1] + dp(12))))
            source.bind(on_release=lambda _b, c=citation: self.open_source(c.link))
            self.results.add_widget(source)
            self.results.add_widget(Factory.TLabel(text=f"«{citation.quote}»"))

    def open_source(self, link: str) -> None:
        target = parse_pack_link(link)
        app = running_app()
        if target is None or app.library is None:
            return
        doc_id, page = target
        card = next((d for s in app.library.sessions() for item in s.items
                     for d in item.documents if str(d.doc_id) == doc_id), None)
        if card is None:
            return
        if self.reader.document is not None and str(self.reader.document.doc_id) == doc_id \
                and self.reader.reader is not None:
            self.reader.show_page(min(page, self.reader.page_count - 1))
        else:
            self.reader.open_document(card, page)
        self.popup.dismiss()
