"""Both ways a tablet is wiped end on the first-start screen through the app's one
teardown (``HdndApp._forget_device``), in a real offscreen Kivy window: the owner's
"Đăng xuất và xóa dữ liệu trên máy" in Settings, and an office's wipe order the core
carried out while the Library asked the server for its sessions (it says why)."""

from __future__ import annotations

from tablet_app.core.sync import DeviceWiped
from tablet_app.ui.library_model import DemoLibrary
from tests.e2e.conftest import pump
from tests.e2e.test_tablet_ui import press
from tests.e2e.test_tablet_walk_fixes import _buttons

WIPE = "Đăng xuất và xóa dữ liệu trên máy"


def _in_popup(text: str) -> list:
    from kivy.core.window import Window
    from kivy.uix.modalview import ModalView

    return [b for w in Window.children if isinstance(w, ModalView) for b in _buttons(w, text)]


def _scroll_to_the_end(screen) -> None:
    from kivy.uix.scrollview import ScrollView

    next(w for w in screen.walk() if isinstance(w, ScrollView)).scroll_y = 0
    pump(0.2)


class WipedOnLookup(DemoLibrary):
    """A Library whose server lookup finds the office's wipe order (already obeyed)."""

    def discover(self) -> None:
        raise DeviceWiped()


def test_sign_out_and_wipe_in_settings_starts_again_at_enrolment(make_app) -> None:
    app = make_app(library=DemoLibrary(long_document_pages=3))
    app.lang = "vi"
    app.save_settings()
    assert (app.folder / "settings.json").exists()
    app.go("settings")
    settings = app.screens.get_screen("settings")
    pump(0.1)
    _scroll_to_the_end(settings)  # the button is last, below the fold: the owner scrolls
    press(_buttons(settings, WIPE)[0])
    pump(until=lambda: _in_popup(WIPE) != [])
    assert _in_popup("Hủy")  # it asks first
    press(_in_popup(WIPE)[0])
    pump(until=lambda: app.screens.current == "first_start")
    assert app.library is None and app.tablet is None and app.annotations is None
    assert app.ballot_client is None  # nothing of the device is kept for the next owner
    assert not (app.folder / "settings.json").exists()
    assert app.screens.get_screen("first_start").message == ""


def test_a_wipe_order_found_by_the_library_says_why_on_first_start(make_app) -> None:
    app = make_app(library=WipedOnLookup(long_document_pages=3))  # opens on the Library
    pump(until=lambda: app.screens.current == "first_start")
    first = app.screens.get_screen("first_start")
    assert "Theo lệnh của Văn phòng" in first.message  # says why, in Vietnamese
    assert app.library is None and app.annotations is None
