""""Chất vấn của tôi" (the session shown in the Library) and "Kiến nghị của cử tri thôn…".

Lists, confirmation words and where a written answer is come from
``tablet_app.core.my_questions`` and ``tablet_app.core.constituency_petitions`` (device-
signed, kept sealed for offline reading); these screens only lay them out and keep what
the delegate typed until the server accepted it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kivy.factory import Factory
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from tablet_app.ui.app import in_background, running_app

if TYPE_CHECKING:
    from tablet_app.core.constituency_petitions import PetitionBook
    from tablet_app.core.my_questions import QuestionBook


def question_book() -> QuestionBook | None:
    """The book the app was given (tests), or the unlocked tablet's."""
    from tablet_app.core import my_questions

    app = running_app()
    if app.question_book is not None:
        return app.question_book
    return my_questions.for_tablet(app.tablet) if app.tablet is not None else None


def petition_book() -> PetitionBook | None:
    """The book the app was given (tests), or the unlocked tablet's."""
    from tablet_app.core import constituency_petitions

    app = running_app()
    if app.petition_book is not None:
        return app.petition_book
    return constituency_petitions.for_tablet(app.tablet) if app.tablet is not None else None


class QuestionCard(BoxLayout):
    heading = StringProperty("")
    text = StringProperty("")
    status = StringProperty("")
    conclusion = StringProperty("")
    answer_note = StringProperty("")  # where the answer is, when not on the tablet

    def __init__(self, row: Any, session_id: int, **kwargs: Any) -> None:
        super().__init__(heading=row.heading, text=row.text, status=row.status,
                         conclusion=row.conclusion, **kwargs)
        self.row = row
        self.session_id = session_id
        if row.answer_document_id is None:
            row_box = self.ids.answer_row
            row_box.parent.remove_widget(row_box)

    def open_answer(self) -> None:
        """From the pack when it holds the answer; otherwise say where it is."""
        from tablet_app.core.my_questions import answer_place

        app = running_app()
        book = question_book()
        held = app.library.sessions() if app.library is not None else []
        place = answer_place(self.session_id, self.row.answer_document_id, held,
                             book.server_url if book is not None else "")
        if place.document is not None:
            app.screens.get_screen("reader").open_document(place.document)
            return
        self.answer_note = place.words(app.lang)


class MyQuestionsScreen(Screen):
    session_id = NumericProperty(0)
    session_title = StringProperty("")
    status = StringProperty("")  # the list: waiting, offline as of when, or why not
    form_message = StringProperty("")  # the confirmation ("Đã đăng ký, thứ tự 3/7") or refusal
    shown: Any = None  # the Copy of the list on screen

    def open_for(self, session_id: int, title: str) -> None:
        self.session_id, self.session_title = session_id, title
        self.form_message = ""
        running_app().go(self.name)

    def on_pre_enter(self, *_: object) -> None:
        self.load()
        self.load_choices()

    def load(self) -> None:
        app = running_app()
        book = question_book()
        if book is None:
            self._show_words(app.t("questions.no_device"))
            return
        self.status = app.t("common.wait")
        sid = self.session_id
        in_background(lambda: book.load(sid), self.show, self._failed)

    def _failed(self, error: BaseException) -> None:
        from tablet_app.core.sealed_copy import NothingKeptYet

        app = running_app()
        self._show_words(app.t("questions.none_yet") if isinstance(error, NothingKeptYet)
                         else app.err(error))

    def _show_words(self, text: str) -> None:
        self.shown = None
        self.status = text
        self.ids.questions.clear_widgets()

    def show(self, found: Any) -> None:
        from tablet_app.core.my_questions import rows
        from tablet_app.core.sealed_copy import as_of

        app = running_app()
        self.shown = found
        listed = rows(found.data, app.lang)
        self.status = as_of(found, app.lang) or ("" if listed else app.t("questions.none"))
        box = self.ids.questions
        box.clear_widgets()
        for row in listed:
            box.add_widget(QuestionCard(row, self.session_id))

    # --- the form ------------------------------------------------------------------------

    def load_choices(self) -> None:
        """The thôn's petitions to link: the kept copy at once, the server's when it
        answers (quietly: the petitions screen says why when it cannot)."""
        book = petition_book()
        if book is None:
            self._choices([])
            return
        self._choices(book.kept())
        in_background(book.load, lambda copy: self._choices(copy.data.get("cases", [])),
                      lambda _error: None)

    def _choices(self, cases: list[dict[str, Any]]) -> None:
        app = running_app()
        box = self.ids.petitions
        chosen = {w.item_id for w in box.children if getattr(w, "state", "") == "down"}
        box.clear_widgets()
        linkable = [c for c in cases if c.get("item_id")]
        if not linkable:
            box.add_widget(Factory.Muted(text=app.t("questions.no_petitions")))
        for case in linkable:
            toggle = Factory.PetitionChoice(text=case["title"])
            toggle.item_id = case["item_id"]
            toggle.state = "down" if case["item_id"] in chosen else "normal"
            box.add_widget(toggle)

    def chosen_petitions(self) -> list[int]:
        return [w.item_id for w in reversed(self.ids.petitions.children)
                if getattr(w, "state", "") == "down"]

    def send(self) -> None:
        from tablet_app.core.my_questions import missing_fields

        app = running_app()
        ids = self.ids
        missing = missing_fields(ids.to_whom.text, ids.topic.text, ids.text.text, app.lang)
        if missing:
            self.form_message = missing
            return
        book = question_book()
        if book is None:
            self.form_message = app.t("questions.no_device")
            return
        self.form_message = app.t("questions.sending")
        ids.send.disabled = True
        sid, fields = self.session_id, (ids.to_whom.text, ids.topic.text, ids.text.text)
        petitions = self.chosen_petitions()
        in_background(lambda: book.register(sid, to_whom=fields[0], topic=fields[1],
                                            text=fields[2], petition_ids=petitions),
                      self._registered, self._refused)

    def _registered(self, made: dict[str, Any]) -> None:
        from tablet_app.core.my_questions import confirmation

        app = running_app()
        self.ids.send.disabled = False
        self.form_message = confirmation(made, app.lang)
        for name in ("to_whom", "topic", "text"):
            self.ids[name].text = ""
        for toggle in self.ids.petitions.children:
            if hasattr(toggle, "item_id"):
                toggle.state = "normal"
        self.load()

    def _refused(self, error: BaseException) -> None:
        """The words of the refusal; what was typed stays in the form."""
        from tablet_app.core.client import ServerRefused, ServerUnreachable

        app = running_app()
        self.ids.send.disabled = False
        if isinstance(error, ServerUnreachable) and not isinstance(error, ServerRefused):
            self.form_message = app.t("questions.offline_send")
        else:
            self.form_message = app.err(error)


class PetitionCard(BoxLayout):
    title = StringProperty("")
    status = StringProperty("")
    text = StringProperty("")
    answer = StringProperty("")


class PetitionsScreen(Screen):
    title = StringProperty("")
    status = StringProperty("")
    shown: Any = None

    def on_pre_enter(self, *_: object) -> None:
        self.load()

    def load(self) -> None:
        app = running_app()
        self.title = app.t("petitions.open")
        book = petition_book()
        if book is None:
            self._show_words(app.t("petitions.no_device"))
            return
        self.status = app.t("common.wait")
        in_background(book.load, self.show, self._failed)

    def _failed(self, error: BaseException) -> None:
        from tablet_app.core.sealed_copy import NothingKeptYet

        app = running_app()
        self._show_words(app.t("petitions.none_yet") if isinstance(error, NothingKeptYet)
                         else app.err(error))

    def _show_words(self, text: str) -> None:
        self.shown = None
        self.status = text
        self.ids.cases.clear_widgets()

    def show(self, found: Any) -> None:
        from tablet_app.core.constituency_petitions import rows, title
        from tablet_app.core.sealed_copy import as_of

        app = running_app()
        self.shown = found
        self.title = title(found.data, app.lang)
        listed = rows(found.data, app.lang)
        self.status = as_of(found, app.lang) or ("" if listed else app.t("petitions.none"))
        box = self.ids.cases
        box.clear_widgets()
        for row in listed:
            box.add_widget(PetitionCard(title=row.title, status=row.status, text=row.text,
                                        answer=row.answer))
