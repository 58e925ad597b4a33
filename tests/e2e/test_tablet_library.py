"""The Library in the offscreen window against the real server: the sessions offered to
this tablet appear as cards by themselves (no session number to type), download with a
tap, and show when an update is waiting."""

from __future__ import annotations

from pathlib import Path

from server.demo.calendar import demo_schedule
from tablet_app.core.enrol import enrol
from tablet_app.core.keystore import ScryptParams
from tests.e2e.conftest import pump, screenshot
from tests.tablet_app.core._pack_server import PIN, live, live_template  # noqa: F401

SESSION_TITLE = demo_schedule().session_title

FAST = ScryptParams(log2_n=8)


def texts(root) -> str:
    from kivy.uix.label import Label

    return " | ".join(w.text for w in root.walk(restrict=True) if isinstance(w, Label))


def button(root, text: str):
    from kivy.uix.button import Button

    return next(w for w in root.walk(restrict=True) if isinstance(w, Button) and w.text == text)


def press(widget) -> None:
    from kivy.tests.common import UnitTestTouch

    touch = UnitTestTouch(*widget.to_window(widget.center_x, widget.center_y))
    touch.touch_down()
    touch.touch_up()


def rows(library):
    from tablet_app.ui.screens.library import DocumentRow

    return [w for w in library.walk(restrict=True) if isinstance(w, DocumentRow)]


def test_offered_sessions_appear_as_cards_without_a_number(make_app, live, kivy_window,  # noqa: F811
                                                           tmp_path: Path) -> None:
    from kivy.uix.textinput import TextInput

    folder = tmp_path / "tablet"
    enrol(live.url, live.issue_code("delegate01"), "Máy tính bảng 01", PIN, folder,
          platform="test", params=FAST).close()
    live.publish()  # the office publishes; the tablet has never heard of the session

    app = make_app(folder=folder, annotation_key=None)
    assert app.screens.current == "pin"
    pin = app.screens.get_screen("pin")
    pin.ids.pin.text = PIN
    pin.unlock()
    pump(until=lambda: app.screens.current == "library", timeout=30)
    library = app.screens.get_screen("library")
    assert not [w for w in library.walk(restrict=True) if isinstance(w, TextInput)]  # nothing to type

    pump(until=lambda: SESSION_TITLE in texts(library), timeout=15)
    shown = texts(library)
    assert "Chưa tải về" in shown and "tài liệu cho máy này" in shown
    # the session's date, from the server's list
    assert demo_schedule().session_start.strftime("%d/%m/%Y") in shown
    screenshot(kivy_window, tmp_path / "library-offered.png")

    press(button(library, "Tải về máy"))
    pump(until=lambda: len(rows(library)) > 3 and "Đã cập nhật" in texts(library), timeout=30)
    assert any(0 < f < 1 for f in library.progress_seen)  # the bar moved
    row = next(r for r in rows(library) if "Kế hoạch đầu tư công" in r.label)
    row.open()
    reader = app.screens.get_screen("reader")
    pump(until=lambda: reader.shown_page == 0, timeout=15)

    # The office revises a document: the next time the Library opens, the card says so.
    big = live.big_documents()[0]
    live.revise(big, live.plaintext(live.big_documents()[1]))
    live.publish()
    app.go("library")
    pump(until=lambda: "Có bản cập nhật" in texts(library), timeout=15)
    press(button(library, "Tải bản cập nhật"))
    pump(until=lambda: "Đã cập nhật" in texts(library) and "Có bản cập nhật"
         not in texts(library), timeout=30)
    assert bytes(app.tablet.open_document(big)) == live.plaintext(big)


def test_a_wipe_order_is_obeyed_on_the_pin_screen_before_any_pin(make_app, live,  # noqa: F811
                                                                 tmp_path: Path) -> None:
    from tablet_app.core.keystore import KeyStore
    from tablet_app.core.pack_store import PACKS_DIR

    folder = tmp_path / "lost-tablet"
    tablet = enrol(live.url, live.issue_code("delegate02"), "Máy bị mất", PIN, folder,
                   platform="test", params=FAST)
    device_id = tablet.device_id
    live.publish()
    tablet.sync(live.session_id)
    tablet.close()
    assert any((folder / PACKS_DIR).iterdir())
    assert live.call("POST", f"/api/devices/{device_id}/wipe").status_code == 200

    app = make_app(folder=folder, annotation_key=None)  # a stranger switches it on
    assert app.screens.get_screen("pin").ids.pin.text == ""  # and types no PIN
    pump(until=lambda: app.screens.current == "first_start", timeout=20)
    first = app.screens.get_screen("first_start")
    assert "Theo lệnh của Văn phòng" in first.message  # says why, in Vietnamese
    assert not KeyStore.exists(folder) and KeyStore.wiped_reason(folder) == "remote"
    assert not (folder / PACKS_DIR).exists() or not any((folder / PACKS_DIR).iterdir())
    device = next(d for d in live.call("GET", "/api/devices").json()
                  if str(d["id"]) == device_id)
    assert device["wipe_acknowledged_at"] is not None  # the office sees it done
