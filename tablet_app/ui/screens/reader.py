"""The Reader: one document, its pages from the render cache, the annotation tools."""

from __future__ import annotations

import threading
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.factory import Factory
from kivy.metrics import dp, sp
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.popup import Popup
from kivy.uix.screenmanager import Screen

from tablet_app.core.annotation_store import AnnotationJournal
from tablet_app.core.annotations import (
    PEN_COLORS,
    Mark,
    Note,
    Stroke,
    line_anchor,
    make_highlight,
    note_near,
    notes_in_order,
)
from tablet_app.core.carry_forward import carry_forward
from tablet_app.core.reader import PageUnrenderable, PdfReader, RenderedPage, SearchHit
from tablet_app.core.render_cache import RenderCache
from tablet_app.ui.app import HdndApp, app_if_running, close_then, in_background, running_app
from tablet_app.ui.library_model import DocumentCard
from tablet_app.ui.page_view import PageView, texture_from  # noqa: F401 - kv uses PageView

THUMB_SIZE = (90, 120)
THUMBS_AROUND = 6
KEY_RIGHT, KEY_LEFT, KEY_PAGE_DOWN, KEY_PAGE_UP, KEY_SPACE = 275, 276, 281, 280, 32

class Thumb(ButtonBehavior, BoxLayout):
    """A page in the thumbnail strip; its picture arrives from a worker thread."""

    text = StringProperty("")
    selected = BooleanProperty(False)
    texture = ObjectProperty(None, allownone=True)


class ReaderScreen(Screen):
    title = StringProperty("")
    page = NumericProperty(0)
    page_count = NumericProperty(0)
    status = StringProperty("")
    can_undo = BooleanProperty(False)
    can_redo = BooleanProperty(False)
    document = ObjectProperty(None, allownone=True)
    shown_page = NumericProperty(-1)  # the page whose pixels are on screen (tests wait on it)
    unplaced_count = NumericProperty(0)
    follow_text = StringProperty("")
    pen_color = StringProperty("blue")
    notes_count = NumericProperty(0)
    fit = StringProperty("page")  # "page": the whole page; "width": as wide as the screen

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reader: PdfReader | None = None
        self.cache: RenderCache | None = None
        self.journal: AnnotationJournal | None = None
        self.hits: list[SearchHit] = []
        self.hit_index = -1
        self._thumbs: dict[int, Any] = {}
        self._thumb_lock = threading.Lock()
        self.unplaced: tuple[Mark, ...] = ()
        self.unplaced_from = 0
        self._pending_page: int | None = None

    # --- opening and closing -----------------------------------------------------------------

    def open_document(self, document: DocumentCard, page: int | None = None) -> None:
        """Open ``document`` (at ``page``, 0-based, or where the delegate left it)."""
        app = running_app()
        library = app.library
        if library is None:  # wiped meanwhile: nothing to open from
            return
        self._pending_page = page
        self.close_document()
        self.document, self.title = document, document.title
        self.status = app.t("common.wait")
        app.go("reader")
        # decrypting a pack file may take a moment: never on the UI thread
        in_background(lambda: PdfReader(library.open_document(document.doc_id)),
                      self._opened, self._failed)

    def _opened(self, reader: PdfReader) -> None:
        app = running_app()
        document, annotations = self.document, app.annotations
        if annotations is None:  # the device was wiped while the document was decrypting
            return
        self.reader = reader
        self.page_count = reader.page_count
        view = self.ids.page_view
        view.controller = self
        view.page_size = list(reader.page_size(0))
        width, height = self._target_size()
        self.cache = RenderCache(reader, width, height)
        self.apply_page_look(app)
        self.journal = annotations.open(document.doc_id, document.version)
        self._thumbs.clear()
        app.settings.seen_versions[str(document.doc_id)] = document.version
        self.status = ""
        start = self._pending_page
        if start is None:
            start = app.settings.last_page(document.doc_id, document.version)
        self.show_page(min(start, reader.page_count - 1))
        self._carry_forward(document, reader)

    # --- a new version: carry the older version's marks over -----------------------------------

    def _carry_forward(self, document: DocumentCard, reader: PdfReader) -> None:
        """Highlights and notes of the newest older version move to where their text is now;
        those that cannot be placed are listed (the "not carried" page), never dropped."""
        app = running_app()
        self.unplaced, self.unplaced_count = (), 0
        annotations = app.annotations
        if annotations is None:
            return
        older = [v for v in annotations.versions(document.doc_id) if v < document.version]
        if not older:
            return
        old_version = older[-1]
        with annotations.open(document.doc_id, old_version) as old:
            marks = old.layer.marks()
        if not marks:
            return
        first_time = not app.settings.carried.get(f"{document.doc_id}@{document.version}")

        def done(result) -> None:  # tablet_app.core.carry_forward.CarryResult
            if self.reader is not reader:
                return  # the delegate has moved on to another document
            if first_time and self.journal is not None and result.placed:
                self.journal.layer.add(*result.placed)
                self._refresh_marks()
            app.settings.carried[f"{document.doc_id}@{document.version}"] = old_version
            self.unplaced, self.unplaced_from = result.unplaced, old_version
            self.unplaced_count = len(result.unplaced)

        in_background(lambda: carry_forward(marks, reader), done, self._failed)

    def show_unplaced(self) -> None:
        app, t = running_app(), running_app().t
        box = BoxLayout(orientation="vertical", spacing=dp(6), padding=dp(8))
        version = self.document.version if self.document else 0
        intro = (t("reader.unplaced_intro", old=self.unplaced_from, new=version)
                 if self.unplaced else t("reader.unplaced_none"))
        box.add_widget(Factory.TLabel(text=intro))
        for mark in self.unplaced:
            anchor = getattr(mark, "anchor", None)  # a stroke has no text of its own
            text = getattr(mark, "text", "") or (anchor.text if anchor is not None else "")
            box.add_widget(Factory.TLabel(text="• " + t(f"mark.{mark.kind}", page=mark.page + 1,
                                                         text=text[:120])))
        box.add_widget(Factory.Widget())
        close = Factory.TButton(text=t("common.close"))
        box.add_widget(close)
        popup = Popup(title=t("reader.unplaced_title"), content=box, size_hint=(0.7, 0.75),
                      background="", background_color=app.c("card", app.theme),
                      title_color=app.c("fg", app.theme))
        close.bind(on_release=lambda *_: popup.dismiss())
        self.unplaced_popup = popup
        popup.open()

    # --- follow the presenter ---------------------------------------------------------------

    def follow(self, target: Any) -> None:
        """The presenter turned to ``target`` (a ``FollowTarget``): go there if following."""
        app = running_app()
        if target is None:
            self.follow_text = ""
            return
        roster = app.live.state.roster if app.live and app.live.state else None
        name = roster.name_of(target.presenter_id) if roster else ""
        self.follow_text = app.t("reader.following", name=name, page=target.page)
        if not app.follow_presenter or app.library is None:
            return
        doc_id, page = str(target.document_id), target.page - 1
        if self.document is not None and str(self.document.doc_id) == doc_id:
            if self.reader is not None:
                self.show_page(min(page, self.page_count - 1))
            else:
                self._pending_page = page  # still opening: start there
            return
        card = next((d for s in app.library.sessions() for item in s.items
                     for d in item.documents if str(d.doc_id) == doc_id), None)
        if card is not None:
            self.open_document(card, page)

    def toggle_follow(self) -> None:
        """Step out of following to read on one's own, and back in (to where they are)."""
        app = running_app()
        app.follow_presenter = not app.follow_presenter
        state = app.live.state if app.live else None
        if app.follow_presenter and state is not None:
            self.follow(state.follow_me)

    def _failed(self, error: BaseException) -> None:
        self.status = running_app().err(error)

    def close_document(self) -> None:
        if self.cache is not None:
            self.cache.close()
        if self.journal is not None:
            self.journal.close()  # compacts the journal
        if self.reader is not None:
            self.reader.close()
        self.cache = self.journal = self.reader = None
        self.shown_page = -1
        self.hits, self.hit_index = [], -1  # one document's search never marks the next
        self.notes_count = 0
        self.fit = "page"
        if "search" in self.ids:
            self.ids.search.text = ""
        if "page_view" in self.ids:
            self.ids.page_view.texture = None
            self.ids.page_view.marks = []
            self.ids.page_view.search_rects = []
            self.ids.page_view.zoom, self.ids.page_view.pan = 1.0, [0.0, 0.0]

    def back(self) -> None:
        app = running_app()
        self.close_document()
        app.save_settings()
        app.go("library")

    def _target_size(self) -> tuple[int, int]:
        view = self.ids.page_view
        width = int(view.width if view.width > 100 else Window.width)
        height = int(view.height if view.height > 100 else Window.height - dp(200))
        return max(width, 200), max(height, 200)

    # --- pages --------------------------------------------------------------------------------

    def show_page(self, page: int) -> None:
        if self.cache is None or self.reader is None or not 0 <= page < self.page_count:
            return
        self.page = page
        document = self.document
        running_app().settings.remember_page(document.doc_id, document.version, page)
        view = self.ids.page_view
        view.page_size = list(self.reader.page_size(page))
        self._refresh_marks()
        rendered = self.cache.request(page, view.zoom, self._rendered_elsewhere)
        if rendered is not None:
            self._show(rendered)
        self._refresh_thumbs()

    def _rendered_elsewhere(self, rendered: RenderedPage) -> None:
        Clock.schedule_once(lambda _dt: self._show(rendered), 0)

    def _show(self, rendered: RenderedPage) -> None:
        view = self.ids.page_view
        if rendered.page != self.page or abs(rendered.zoom - round(view.zoom, 3)) > 1e-6:
            return  # the reader has moved on
        if rendered.error is not None:  # "Trang này không hiển thị được."
            view.texture = None
            self.status = running_app().err(rendered.error)
            self.shown_page = rendered.page
            return
        if self.status == running_app().err(PageUnrenderable(rendered.page)):
            self.status = ""  # that page's message, not another one
        view.texture = texture_from(rendered)
        self.shown_page = rendered.page

    def turn(self, step: int) -> None:
        self.show_page(self.page + step)
        if self.fit == "width":  # the next page from its top, as wide as the screen
            self.ids.page_view.fit_to_width()

    def toggle_fit(self) -> None:
        """"Vừa chiều rộng" / "Cả trang": a portrait page read in one column, or whole."""
        view = self.ids.page_view
        if self.fit == "page":
            self.fit = "width"
            view.fit_to_width()
        else:
            self.fit = "page"
            view.fit_to_page()

    def apply_page_look(self, app: HdndApp | None = None) -> None:
        """Dark mode darkens the page too: dimmed paper, or light text on black."""
        app = app or app_if_running()
        if app is None:
            return
        look = app.dark_page if app.dark else "paper"
        self.ids.page_view.page_tint = ([0.72, 0.72, 0.7] if look == "dim" else
                                        [0.9, 0.9, 0.9] if look == "invert" else
                                        [1.0, 1.0, 1.0])
        if self.cache is not None:
            self.cache.set_inverted(look == "invert")
            self.show_page(self.page)

    def go_to(self, text: str) -> None:
        if text.strip().isdigit():
            self.show_page(int(text) - 1)

    def zoom_settled(self) -> None:
        if self.cache is not None:
            self.show_page(self.page)

    def on_size(self, *_: Any) -> None:
        if self.cache is not None:
            Clock.schedule_once(self._resized, 0)

    def _resized(self, _dt: float) -> None:
        if self.cache is not None:
            self.cache.resize(*self._target_size())
            self.show_page(self.page)

    def on_enter(self, *_: Any) -> None:
        Window.bind(on_key_down=self._key)

    def on_leave(self, *_: Any) -> None:
        Window.unbind(on_key_down=self._key)

    def _key(self, _window: Any, key: int, _scancode: int, _text: Any, modifiers: list) -> bool:
        if self.cache is None or self._typing():
            return False
        if "ctrl" in modifiers and key == ord("z"):
            self.undo()
        elif "ctrl" in modifiers and key == ord("y"):
            self.redo()
        elif key in (KEY_RIGHT, KEY_PAGE_DOWN, KEY_SPACE):
            self.turn(1)
        elif key in (KEY_LEFT, KEY_PAGE_UP):
            self.turn(-1)
        elif key in (ord("+"), ord("=")):
            self.ids.page_view.set_zoom(self.ids.page_view.zoom * 1.25)
        elif key == ord("-"):
            self.ids.page_view.set_zoom(self.ids.page_view.zoom / 1.25)
        else:
            return False
        return True

    def _typing(self) -> bool:
        """Keys belong to the text field being typed in (a note, a question, search),
        wherever it is: the reader's bar or a popup over it."""
        from tablet_app.ui.app import typing_somewhere

        return typing_somewhere()

    # --- thumbnails ---------------------------------------------------------------------------

    def _refresh_thumbs(self) -> None:
        strip = self.ids.thumbs
        strip.clear_widgets()
        first = max(0, self.page - THUMBS_AROUND)
        pages = range(first, min(self.page_count, first + 2 * THUMBS_AROUND + 1))
        missing = []
        for number in pages:
            button = Thumb(text=str(number + 1), selected=number == self.page)
            button.bind(on_release=lambda _b, n=number: self.show_page(n))
            texture = self._thumbs.get(number)
            if texture is not None:
                button.texture = texture
            else:
                missing.append(number)
            strip.add_widget(button)
        if missing:
            reader = self.reader
            threading.Thread(target=self._render_thumbs, args=(reader, missing),
                             daemon=True).start()

    def _render_thumbs(self, reader: PdfReader, pages: list[int]) -> None:
        with self._thumb_lock:
            rendered = []
            for number in pages:
                if reader is not self.reader:
                    return
                try:
                    rendered.append(reader.render(number, *THUMB_SIZE))
                except PageUnrenderable:
                    continue
                except Exception:  # the document was closed meanwhile
                    return
        Clock.schedule_once(lambda _dt: self._thumbs_ready(reader, rendered), 0)

    def _thumbs_ready(self, reader: PdfReader, rendered: list[RenderedPage]) -> None:
        if reader is not self.reader:
            return
        for page in rendered:
            self._thumbs[page.page] = texture_from(page)
        for button in self.ids.thumbs.children:
            texture = self._thumbs.get(int(button.text) - 1)
            if texture is not None:
                button.texture = texture

    # --- search and table of contents -----------------------------------------------------------

    def search(self, text: str) -> None:
        app = running_app()
        self.hits = self.reader.search(text) if self.reader and text.strip() else []
        self.hit_index = -1
        if not self.hits:
            self.status = app.t("reader.no_hits") if text.strip() else ""
            self.ids.page_view.search_rects = []
            return
        self.next_hit()

    def next_hit(self, step: int = 1) -> None:
        if not self.hits:
            return
        self.hit_index = (self.hit_index + step) % len(self.hits)
        hit = self.hits[self.hit_index]
        self.status = running_app().t("reader.hit", n=self.hit_index + 1,
                                              total=len(self.hits), page=hit.page + 1)
        self.show_page(hit.page)

    def _hit_rects(self) -> list:
        return [r for h in self.hits if h.page == self.page for r in h.rects]

    def show_toc(self) -> None:
        app = running_app()
        if self.reader is None:
            return
        box = Factory.BoxLayout(orientation="vertical", size_hint_y=None, spacing=dp(4))
        box.bind(minimum_height=box.setter("height"))
        popup = Popup(title=app.t("reader.toc"), size_hint=(0.6, 0.8))
        entries = self.reader.toc()
        if not entries:
            box.add_widget(Factory.Label(text=app.t("reader.no_toc"), size_hint_y=None,
                                         height=dp(48)))
        for entry in entries:
            button = Factory.Button(text=("    " * (entry.level - 1)) + entry.title,
                                    halign="left", size_hint_y=None, height=dp(52),
                                    font_size=sp(16) * app.text_scale)
            button.text_size = (dp(600), None)
            button.bind(on_release=lambda _b, p=entry.page: close_then(
                popup, lambda: self.show_page(max(p, 0))))
            box.add_widget(button)
        scroll = Factory.ScrollView()
        scroll.add_widget(box)
        popup.content = scroll
        popup.open()

    # --- annotations ----------------------------------------------------------------------------

    def _refresh_marks(self) -> None:
        view = self.ids.page_view
        layer = self.journal.layer if self.journal else None
        view.marks = layer.marks(self.page) if layer else []
        view.search_rects = self._hit_rects()
        self.notes_count = len(notes_in_order(layer.marks())) if layer else 0
        self.can_undo = bool(layer and layer.can_undo)
        self.can_redo = bool(layer and layer.can_redo)

    def set_tool(self, tool: str) -> None:
        self.ids.page_view.tool = tool

    def set_color(self, name: str) -> None:
        self.ids.page_view.pen_color = list(PEN_COLORS[name])
        self.pen_color = name  # the chosen colour's button shows a tick

    def set_width(self, width: float) -> None:
        self.ids.page_view.pen_width = width

    def stroke_finished(self, points: tuple) -> None:
        if self.journal is None or self.reader is None or len(points) < 2:
            return
        view = self.ids.page_view
        anchor = line_anchor(self.reader, self.page, points[0])
        self.journal.layer.add(Stroke(page=self.page, points=points,
                                      color=tuple(view.pen_color), width=view.pen_width,
                                      anchor=anchor))
        self._refresh_marks()

    def highlight(self, start: tuple, end: tuple) -> None:
        if self.journal is None or self.reader is None:
            return
        mark = make_highlight(self.reader, self.page, start, end)
        if mark is not None:
            self.journal.layer.add(mark)
            self._refresh_marks()

    def note_at(self, point: tuple) -> None:
        """The note tool: a tap on a note opens it; elsewhere a new note begins."""
        if self._open_note_at(point):
            return
        self._note_popup(None, point)

    def _note_popup(self, note: Note | None, point: tuple) -> None:
        """Write a new note or change one: its text, "Lưu", and for one already there
        "Xóa ghi chú" (undoable)."""
        app = running_app()
        box = Factory.BoxLayout(orientation="vertical", spacing=dp(8), padding=dp(8))
        field = Factory.TextInput(multiline=True, font_size=dp(18) * app.text_scale,
                                  text=note.text if note else "")
        buttons = Factory.BoxLayout(size_hint_y=None, height=dp(56) * max(1, app.text_scale),
                                    spacing=dp(8))
        popup = Popup(title=app.t("reader.note_title"), content=box, size_hint=(0.6, 0.55),
                      title_size=dp(17) * app.text_scale)
        save = Factory.TButton(text=app.t("reader.note_save"), size_hint_y=1)
        buttons.add_widget(save)
        if note is not None:
            delete = Factory.TButton(text=app.t("reader.note_delete"), size_hint_y=1)
            delete.background_color = (0.3, 0.3, 0.33, 1)  # not the colour of "Lưu"
            delete.bind(on_release=lambda *_: close_then(popup, lambda: self.delete_note(note)))
            buttons.add_widget(delete)
        close = Factory.TButton(text=app.t("common.close"), size_hint_y=1)
        buttons.add_widget(close)
        box.add_widget(field)
        box.add_widget(buttons)
        close.bind(on_release=lambda *_: popup.dismiss())

        def done(*_: Any) -> None:
            popup.dismiss()
            if note is None:
                self.add_note(point, field.text)
            else:
                self.edit_note(note, field.text)

        save.bind(on_release=done)
        self.note_popup = popup
        popup.open()
        field.focus = True

    def add_note(self, point: tuple, text: str) -> None:
        if self.journal is None or self.reader is None or not text.strip():
            return
        anchor = line_anchor(self.reader, self.page, point)
        self.journal.layer.add(Note(page=self.page, point=point, text=text.strip(),
                                    anchor=anchor))
        self._refresh_marks()

    def edit_note(self, note: Note, text: str) -> None:
        from dataclasses import replace

        if self.journal is None or not text.strip() or text.strip() == note.text:
            return
        self.journal.layer.replace(replace(note, text=text.strip()))
        self.status = running_app().t("reader.note_saved", page=note.page + 1)
        self._refresh_marks()

    def delete_note(self, note: Note) -> None:
        if self.journal is None:
            return
        self.journal.layer.remove(note.id)
        self.status = running_app().t("reader.note_deleted", page=note.page + 1)
        self._refresh_marks()

    def _open_note_at(self, point: tuple) -> bool:
        if self.journal is None:
            return False
        view = self.ids.page_view
        note = note_near(self.journal.layer.marks(self.page), point, view.note_reach())
        if note is not None:
            self._note_popup(note, note.point)
        return note is not None

    def tapped(self, point: tuple) -> None:
        """A tap on a note (anywhere in its 48 dp target) opens it to read, change or
        delete."""
        self._open_note_at(point)

    def show_notes(self) -> None:
        """Every note of the document, page by page; a tap goes to its page."""
        app = running_app()
        if self.journal is None:
            return
        notes = notes_in_order(self.journal.layer.marks())
        box = Factory.BoxLayout(orientation="vertical", size_hint_y=None, spacing=dp(4))
        box.bind(minimum_height=box.setter("height"))
        popup = Popup(title=app.t("reader.notes_title"), size_hint=(0.7, 0.8),
                      title_size=dp(17) * app.text_scale)
        if not notes:
            box.add_widget(Factory.Label(text=app.t("reader.notes_none"), size_hint_y=None,
                                         font_size=sp(16) * app.text_scale,
                                         text_size=(dp(700), None), height=dp(80)))
        for note in notes:
            line = app.t("reader.note_line", page=note.page + 1,
                         text=" ".join(note.text.split())[:90])
            button = Factory.Button(text=line, halign="left", valign="middle",
                                    size_hint_y=None, font_size=sp(16) * app.text_scale)
            button.bind(width=lambda b, w: setattr(b, "text_size", (w - dp(16), None)),
                        texture_size=lambda b, size: setattr(b, "height",
                                                             max(dp(56), size[1] + dp(16))))
            button.bind(on_release=lambda _b, n=note: close_then(
                popup, lambda: self.show_page(n.page)))
            box.add_widget(button)
        scroll = Factory.ScrollView()
        scroll.add_widget(box)
        close = Factory.TButton(text=app.t("common.close"))
        close.bind(on_release=lambda *_: popup.dismiss())
        outer = Factory.BoxLayout(orientation="vertical", spacing=dp(8))
        outer.add_widget(scroll)
        outer.add_widget(close)
        popup.content = outer
        self.notes_popup = popup
        popup.open()

    def erase_at(self, point: tuple, radius: float) -> None:
        if self.journal is not None and self.journal.layer.erase_at(self.page, point, radius):
            self._refresh_marks()

    def undo(self) -> None:
        if self.journal is not None and self.journal.layer.undo():
            self._refresh_marks()

    def redo(self) -> None:
        if self.journal is not None and self.journal.layer.redo():
            self._refresh_marks()

    def export(self) -> None:
        """Save a copy with the marks as PDF annotations next to the app's data."""
        from tablet_app.core.export import export_annotated

        app = running_app()
        library = app.library
        if self.journal is None or library is None:
            return
        document, marks = self.document, self.journal.layer.marks()

        def work() -> str:
            data = export_annotated(library.open_document(document.doc_id), marks)
            target = app.folder / "exports" / f"{document.doc_id}-v{document.version}.pdf"
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(data)
            return str(target)

        in_background(work, lambda path: setattr(self, "status", app.t("reader.exported",
                                                                       path=path)),
                      self._failed)
