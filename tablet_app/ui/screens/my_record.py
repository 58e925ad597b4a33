""""Hoạt động của tôi": the delegate's own record of the year, reached from the Library.

The record comes from ``tablet_app.core.my_record`` (device-signed, kept sealed on the
tablet for offline reading); this screen only lays the sections out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kivy.factory import Factory
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from tablet_app.ui.app import in_background, running_app

if TYPE_CHECKING:
    from tablet_app.core.my_record import MyRecordBook


class RecordSection(BoxLayout):
    title = StringProperty("")
    count = StringProperty("")

    def __init__(self, lines: list[str], **kwargs: Any) -> None:
        super().__init__(orientation="vertical", size_hint_y=None, **kwargs)
        self.bind(minimum_height=self.setter("height"))
        for line in lines:
            self.ids.lines.add_widget(Factory.TLabel(text=line))


class MyRecordScreen(Screen):
    status = StringProperty("")
    shown: Any = None  # the MyRecord on screen

    def on_pre_enter(self, *_: object) -> None:
        self.load()

    def book(self) -> MyRecordBook | None:
        """The app's record book: the one it was given, or the unlocked tablet's."""
        from tablet_app.core.my_record import for_tablet

        app = running_app()
        if app.my_record_book is not None:
            return app.my_record_book
        return for_tablet(app.tablet) if app.tablet is not None else None

    def load(self) -> None:
        app = running_app()
        book = self.book()
        if book is None:
            self._show_words(app.t("my_record.no_device"))
            return
        self.status = app.t("common.wait")
        in_background(book.load, self.show, self._failed)

    def _failed(self, error: BaseException) -> None:
        from tablet_app.core.my_record import NoRecordYet

        app = running_app()
        self._show_words(app.t("my_record.none_yet") if isinstance(error, NoRecordYet)
                         else app.err(error))

    def _show_words(self, text: str) -> None:
        self.shown = None
        self.status = text
        self.ids.sections.clear_widgets()

    def show(self, found: Any) -> None:
        from tablet_app.core.my_record import sections, status_line

        app = running_app()
        self.shown = found
        self.status = status_line(found, app.lang)
        box = self.ids.sections
        box.clear_widgets()
        for section in sections(found.record, app.lang):
            box.add_widget(RecordSection(section.lines, title=section.title,
                                         count=section.count))
