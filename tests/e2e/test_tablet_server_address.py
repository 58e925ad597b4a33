"""The council moved to another address (the province's system): the delegate, or the
office's IT, types the new address in the tablet's Settings and carries on, without
enrolling again. A wrong address is refused in words and the old one kept."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import pump, screenshot
from tests.e2e.test_tablet_sitting_day import SHOTS, _button, _first_start
from tests.e2e.test_tablet_ui import press
from tests.e2e.test_tablet_wipe import _scroll_to_the_end
from tests.tablet_app.core._pack_server import PIN, live, live_template  # noqa: F401


def test_a_tablet_takes_its_councils_new_address_from_settings(
        make_app, live, kivy_window, tmp_path: Path) -> None:  # noqa: F811
    app = make_app(annotation_key=None)
    _first_start(app, live, "delegate01")
    live.publish()  # for the enrolled tablets
    assert app.tablet.server_url.startswith("http://127.0.0.1:")
    moved_to = app.tablet.server_url.replace("127.0.0.1", "localhost")  # the same server, renamed

    app.go("settings")
    settings = app.screens.get_screen("settings")
    pump(0.2)
    _scroll_to_the_end(settings)  # the server's address is near the end, before the wipe
    settings.ids.server_address.text = "may-chu-tinh"  # typed without http://
    press(_button(settings, "Đổi địa chỉ"))
    pump(until=lambda: "http://" in settings.server_message, timeout=10)
    assert "Địa chỉ máy chủ phải có dạng" in settings.server_message
    assert app.tablet.server_url.startswith("http://127.0.0.1:")  # the old address kept

    settings.ids.server_address.text = "http://127.0.0.1:9/"  # nobody answers there
    press(_button(settings, "Đổi địa chỉ"))
    pump(until=lambda: settings.server_message not in ("", "Vui lòng chờ…")
         and "phải có dạng" not in settings.server_message, timeout=30)
    assert "Đã chuyển" not in settings.server_message
    assert app.tablet.server_url.startswith("http://127.0.0.1:")

    settings.ids.server_address.text = moved_to + "/"
    press(_button(settings, "Đổi địa chỉ"))
    pump(until=lambda: "Đã chuyển sang máy chủ mới" in settings.server_message, timeout=30)
    assert "1 kỳ họp" in settings.server_message
    screenshot(kivy_window, SHOTS / "tablet-settings-new-server.png")
    assert app.tablet.server_url == moved_to

    from tablet_app.core.sync import Tablet

    with Tablet.open(app.folder, PIN) as reopened:  # kept, sealed, for the next start
        assert reopened.server_url == moved_to
