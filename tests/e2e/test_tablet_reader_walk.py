"""The reader as a delegate uses it on the day: notes listed, read,
changed and deleted by touch; a 48 dp note target and 48 dp buttons; fit width and zoom
about the pointer; search marks that end with their document; dark mode that darkens
the page too. Real offscreen Kivy window, the demo council's documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from tablet_app.ui.library_model import DemoLibrary
from tests.e2e.conftest import pump, screenshot
from tests.e2e.test_tablet_ui import open_first_document, press, tap

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _popup_buttons(popup) -> dict:
    from kivy.uix.button import Button

    return {w.text: w for w in popup.walk() if isinstance(w, Button)}


def _hold_press(button) -> None:
    """A finger that rests a moment: a ScrollView hands a touch to its button only after
    its scroll timeout."""
    from kivy.tests.common import UnitTestTouch

    touch = UnitTestTouch(*button.to_window(*button.center))
    touch.touch_down()
    pump(0.2)
    touch.touch_up()


def _shots(window, app, name: str) -> None:
    """100% and 160% text size, then dark mode (dimmed page) at 100%."""
    for scale, dark, suffix in ((1.0, False, ""), (1.6, False, "-160"), (1.0, True, "-dark")):
        app.text_scale, app.dark = scale, dark
        pump(0.4)
        screenshot(window, SHOTS / f"tablet-{name}{suffix}.png")
    app.text_scale, app.dark = 1.0, False
    pump(0.2)


def test_notes_are_listed_opened_changed_and_deleted_by_touch(make_app, kivy_window) -> None:
    from kivy.metrics import dp

    app = make_app(library=DemoLibrary(long_document_pages=23))
    reader = open_first_document(app)
    view = reader.ids.page_view
    press(reader.ids.tool_note)
    pump(0.05)
    assert reader.ids.notes.text == "Ghi chú (0)"
    for page, text in ((0, "Hỏi Sở Tài chính về nguồn vốn"), (4, "Đối chiếu với Điều 3")):
        reader.show_page(page)
        pump(until=lambda p=page: reader.shown_page == p)
        tap(view, view.center_x, view.center_y + 100)
        pump(until=lambda: getattr(reader, "note_popup", None) is not None
             and reader.note_popup.parent is not None)
        field = next(w for w in reader.note_popup.walk() if w.__class__.__name__ == "TextInput")
        field.text = text
        press(_popup_buttons(reader.note_popup)["Lưu ghi chú"])
        pump(until=lambda: reader.note_popup.parent is None)
        reader.note_popup = None
    assert reader.ids.notes.text == "Ghi chú (2)"

    # the list: page by page; a tap goes to the note's page
    press(reader.ids.notes)
    pump(until=lambda: reader.notes_popup.parent is not None)
    lines = [t for t in _popup_buttons(reader.notes_popup) if t.startswith("Trang")]
    assert lines == ["Trang 1: Hỏi Sở Tài chính về nguồn vốn", "Trang 5: Đối chiếu với Điều 3"]
    screenshot(kivy_window, SHOTS / "tablet-reader-notes.png")
    press(_popup_buttons(reader.notes_popup)["Trang 1: Hỏi Sở Tài chính về nguồn vốn"])
    pump(until=lambda: reader.shown_page == 0 and reader.notes_popup.parent is None)

    # in read mode, a tap 20 dp beside the marker (inside its 48 dp target) opens it
    press(reader.ids.tool_read)
    note = reader.journal.layer.marks(0)[0]
    x, y = view.to_widget(*note.point)
    tap(view, x + dp(20), y - dp(20))
    pump(until=lambda: reader.note_popup is not None and reader.note_popup.parent is not None)
    field = next(w for w in reader.note_popup.walk() if w.__class__.__name__ == "TextInput")
    assert field.text == "Hỏi Sở Tài chính về nguồn vốn"
    field.text = "Hỏi Sở Tài chính: nguồn vốn năm 2026"
    press(_popup_buttons(reader.note_popup)["Lưu ghi chú"])
    pump(until=lambda: reader.note_popup.parent is None)
    assert reader.journal.layer.get(note.id).text == "Hỏi Sở Tài chính: nguồn vốn năm 2026"
    assert "Đã lưu ghi chú ở trang 1" in reader.status

    reader.note_popup = None
    tap(view, x, y)
    pump(until=lambda: reader.note_popup is not None and reader.note_popup.parent is not None)
    screenshot(kivy_window, SHOTS / "tablet-reader-note-open.png")
    press(_popup_buttons(reader.note_popup)["Xóa ghi chú"])
    pump(until=lambda: reader.note_popup.parent is None)
    assert reader.journal.layer.get(note.id) is None and reader.ids.notes.text == "Ghi chú (1)"
    assert "Hoàn tác" in reader.status
    reader.undo()  # deleting is one step: undo brings it back
    assert reader.journal.layer.get(note.id) is not None
    tap(view, x + dp(40), y + dp(40))  # outside the target: nothing opens
    reader.note_popup = None
    pump(0.2)
    assert reader.note_popup is None


def test_every_button_is_at_least_48_dp_and_labels_stay_inside_at_160(make_app) -> None:
    from kivy.metrics import dp
    from kivy.uix.button import Button

    app = make_app(library=DemoLibrary(long_document_pages=23))
    reader = open_first_document(app)
    for scale in (1.0, 1.6):
        app.text_scale = scale
        for name in ("reader", "library", "settings", "chair"):
            app.go(name)
            pump(0.3)
            screen = app.screens.get_screen(name)
            shown = [b for b in screen.walk() if isinstance(b, Button) and b.opacity > 0
                     and b.width > 0 and b.get_root_window() is not None]
            assert shown
            small = [(b.text, b.width, b.height) for b in shown
                     if b.height < dp(48) - 0.5 or b.width < dp(48) - 0.5]
            assert small == [], (name, scale)
            spilled = [b.text for b in shown
                       if b.text and b.texture_size[0] > b.width + 1 and not b.text_size[0]]
            assert spilled == [], (name, scale)
    app.text_scale = 1.0
    assert reader is app.screens.get_screen("reader")


def test_fit_width_zoom_about_the_pointer_and_the_chosen_pen_colour(make_app, kivy_window) -> None:
    from kivy.tests.common import UnitTestTouch

    app = make_app(library=DemoLibrary(long_document_pages=23))
    reader = open_first_document(app)
    view = reader.ids.page_view
    assert reader.ids.fit.text == "Vừa chiều rộng"
    press(reader.ids.fit)
    pump(until=lambda: reader.shown_page == 0 and view.zoom > 1.0)
    x, y, w, h = view.image_box()
    assert w == pytest.approx(view.width, abs=1)  # as wide as the screen
    assert y + h == pytest.approx(view.top, abs=1)  # from the page's top
    assert reader.ids.fit.text == "Cả trang"
    screenshot(kivy_window, SHOTS / "tablet-reader-fit-width.png")
    kivy_window.dispatch("on_key_down", 275, 0, None, [])  # the next page: also its top
    pump(until=lambda: reader.shown_page == 1)
    assert view.image_box()[1] + view.image_box()[3] == pytest.approx(view.top, abs=1)
    press(reader.ids.fit)
    pump(until=lambda: view.zoom == 1.0)

    # the wheel zooms about the mouse: the page point under it stays under it
    pointer = (view.center_x - view.width * 0.15, view.y + view.height * 0.7)  # on the page
    under = view.to_page(*pointer)
    for _turn in range(2):
        wheel = UnitTestTouch(*view.to_window(*pointer))
        wheel.button = "scrolldown"
        wheel.profile.append("button")
        wheel.touch_down()
        wheel.touch_up()
    pump(0.1)
    assert view.zoom > 1.3
    assert view.to_page(*pointer) == pytest.approx(under, abs=1.5)

    # the chosen pen colour is marked, the others not
    press(reader.ids.colour_red)
    pump(0.05)
    assert reader.pen_color == "red" and reader.ids.colour_red.text == "•"
    assert reader.ids.colour_blue.text == "" and view.pen_color == [0.85, 0.1, 0.1]


def test_search_marks_end_with_their_document(make_app) -> None:
    app = make_app(library=DemoLibrary(long_document_pages=23))
    reader = open_first_document(app)
    reader.ids.search.text = "ngân sách"
    reader.search("ngân sách")
    pump(until=lambda: reader.ids.page_view.search_rects != [])
    reader.back()
    pump(0.1)
    other = open_first_document(app, "Dự thảo Nghị quyết điều chỉnh")
    pump(0.2)
    assert other.hits == [] and other.ids.page_view.search_rects == []
    assert other.ids.search.text == ""


def test_dark_mode_darkens_the_page_dimmed_or_inverted(make_app, kivy_window) -> None:
    app = make_app(library=DemoLibrary(long_document_pages=23))
    reader = open_first_document(app)
    view = reader.ids.page_view
    paper = bytes(view.texture.pixels[:4])
    assert paper[:3] == b"\xff\xff\xff" and view.page_tint == [1.0, 1.0, 1.0]
    _shots(kivy_window, app, "reader")  # with marks none yet; 100%, 160%, dark (dimmed)
    app.dark = True
    pump(0.2)
    assert app.dark_page == "dim" and view.page_tint[0] < 0.8  # dimmed paper by default
    app.go("settings")
    pump(0.2)
    settings = app.screens.get_screen("settings")
    _hold_press(settings.ids.page_invert)  # inside Settings' ScrollView
    pump(until=lambda: app.dark_page == "invert")
    screenshot(kivy_window, SHOTS / "tablet-settings-dark.png")
    app.go("reader")
    pump(until=lambda: bytes(view.texture.pixels[:3]) == b"\x00\x00\x00", timeout=30)
    screenshot(kivy_window, SHOTS / "tablet-reader-dark-inverted.png")
    app.dark = False
    pump(until=lambda: bytes(view.texture.pixels[:3]) == b"\xff\xff\xff", timeout=30)
    assert app.settings.dark_page == "invert"  # remembered for the next dark evening
