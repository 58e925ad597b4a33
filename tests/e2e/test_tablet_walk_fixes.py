"""The fixes found walking through the app as a delegate, each as a person meets it, in a real offscreen
Kivy window: keys go to the field being typed in; Back goes back one step and leaving
asks first; an empty PIN is not a wrong try; a new vote takes the top of the panel;
an empty Library says so; a question registration says where it stands; the speaker
reads "Bạn đang phát biểu"; the chair's console shows only the buttons that apply,
who is present by name, the speaker's timer, and no internal ids."""

from __future__ import annotations

import pytest

from shared.live import commands as cmd
from tablet_app.ui.library_model import DemoLibrary
from tests.e2e.conftest import pump
from tests.e2e.test_tablet_ui import open_first_document, press, tap
from tests.tablet_app.core._hall import CHAIR, DELEGATE, DELEGATE_2, SECRETARY, SITTING, TinyHall

ESC, RIGHT = 27, 275


def _buttons(root, text: str) -> list:
    from kivy.uix.button import Button

    return [w for w in root.walk() if isinstance(w, Button) and w.text == text]


@pytest.fixture
def hall():
    server = TinyHall().start()
    server.run(CHAIR, cmd.OpenSitting(key="open-sitting"))
    for person in (CHAIR, SECRETARY, DELEGATE_2):
        server.run(person, cmd.CheckIn(key=f"check-in-{person:04d}"))
    server.run(CHAIR, cmd.OpenItem(key="open-item-11", item_id=11))
    yield server
    server.stop()


def test_keys_go_to_the_note_being_typed_not_to_the_pages(make_app, kivy_window) -> None:
    app = make_app(library=DemoLibrary(long_document_pages=23))
    reader = open_first_document(app)
    press(reader.ids.tool_note)
    view = reader.ids.page_view
    tap(view, view.center_x, view.center_y)
    pump(until=lambda: getattr(reader, "note_popup", None) is not None)
    for _ in range(3):
        kivy_window.dispatch("on_key_down", RIGHT, 0, None, [])
        kivy_window.dispatch("on_key_down", 32, 0, " ", [])  # a space between words
    pump(0.2)
    assert reader.page == 0  # the note stays on the page where it was begun
    reader.note_popup.dismiss()
    pump(0.2)
    kivy_window.dispatch("on_key_down", RIGHT, 0, None, [])  # not typing: the page turns
    pump(until=lambda: reader.shown_page == 1)


def test_back_goes_back_one_screen_and_leaving_asks_first(make_app, kivy_window) -> None:
    app = make_app(library=DemoLibrary(long_document_pages=23))
    open_first_document(app)
    kivy_window.dispatch("on_keyboard", ESC, 0, None, [])
    pump(0.1)
    assert app.screens.current == "library"  # out of the document, not out of the app
    kivy_window.dispatch("on_keyboard", ESC, 0, None, [])
    pump(until=lambda: app.leave_popup.parent is not None)
    assert app.t("app.leave_question") == "Thoát ứng dụng HĐND điện tử?"
    press(_buttons(app.leave_popup, "Ở lại")[0])
    pump(until=lambda: app.leave_popup.parent is None)
    assert app.screens.current == "library"


def test_an_empty_pin_is_refused_on_the_spot_and_not_counted(make_app, tmp_path) -> None:
    from tablet_app.core.keystore import KeyStore, ScryptParams

    folder = tmp_path / "enrolled"
    KeyStore.create(folder, "135790", params=ScryptParams(log2_n=10))
    app = make_app(folder=folder)
    assert app.screens.current == "pin"
    pin = app.screens.get_screen("pin")
    pin.ids.pin.text = "   "
    pin.unlock()
    pump(0.3)
    assert "ô đang trống" in pin.message and KeyStore.attempts_left(folder) == 10
    pin.ids.pin.text = "000000"
    pin.unlock()
    pump(until=lambda: "không đúng" in pin.message, timeout=20)
    assert KeyStore.attempts_left(folder) == 9  # a real wrong try does count


def test_an_empty_library_says_so(make_app) -> None:
    from kivy.uix.label import Label

    class EmptyLibrary(DemoLibrary):
        def sessions(self):
            return []

    app = make_app(library=EmptyLibrary())
    library = app.screens.get_screen("library")
    pump(0.2)
    words = " ".join(w.text for w in library.walk() if isinstance(w, Label))
    assert "Chưa có tài liệu nào trên máy" in words


def test_the_delegate_speaks_as_you_registers_a_question_and_a_vote_takes_the_top(
        make_app, hall) -> None:
    from tablet_app.core.live_client import LiveClient

    live = LiveClient(hall.url, SITTING, "delegate-token")
    app = make_app(library=DemoLibrary(long_document_pages=23), live=live)
    panel = app.live_panel
    panel.shown = True
    pump(until=lambda: live.state is not None and live.state.status == "open")
    press(panel.ids.check_in)
    pump(until=lambda: DELEGATE in live.state.present)

    # the officials are listed by name only: no internal ids beside them
    assert panel.officials == ["Lò Văn Sinh — Chủ tịch UBND xã"]
    panel.ids.addressee.text = panel.officials[0]
    panel.ids.question_text.text = "Tiến độ làm đường vào bản Sín Chải đến đâu?"
    press(_buttons(panel, app.t("live.register_question"))[0])
    pump(0.01)
    assert panel.question_status in ("Đang gửi đăng ký chất vấn…",
                                     "Đã đăng ký chất vấn: câu hỏi của bạn đứng thứ 1/1 "
                                     "trong danh sách.")
    pump(until=lambda: "đứng thứ 1/1" in panel.question_status)

    press(panel.ids.speak)
    pump(until=lambda: panel.my_request != "")
    hall.run(CHAIR, cmd.GrantFloor(key="floor-grant-1", limit_s=300))
    pump(until=lambda: panel.speaking)
    assert panel.speaker_text == "Bạn đang phát biểu"
    assert panel.ids.speak.opacity == 0 and panel.ids.speak.disabled

    # the panel is scrolled down; a vote opens: it takes the top, in sight
    panel.ids.scroll.scroll_y = 0
    pump(0.1)
    hall.run(CHAIR, cmd.OpenVote(key="open-vote-11", item_id=11,
                                 question="Thông qua Nghị quyết dự toán ngân sách bổ sung"))
    pump(until=lambda: panel.vote_question != "")
    pump(0.1)
    assert panel.ids.scroll.scroll_y == pytest.approx(1)


def test_the_chairs_console_shows_what_applies_names_present_and_the_timer(
        make_app, hall) -> None:
    from tablet_app.core.live_client import LiveClient

    live = LiveClient(hall.url, SITTING, "chair-token")
    app = make_app(library=DemoLibrary(long_document_pages=23), live=live)
    app.go("chair")
    console = app.screens.get_screen("chair")
    pump(until=lambda: console.sitting_status == "open")
    opening = _buttons(console, app.t("chair.open_sitting"))[0]
    assert opening.disabled and opening.opacity == 0  # the sitting is already open
    pump(until=lambda: "Lý Thị Mai" in console.present_text)
    assert "Vàng A Chư" in console.present_text and "Hoàng Thị Dung" in console.present_text
    assert not any(ch.isdigit() for ch in console.present_text)  # names, no ids

    hall.run(DELEGATE_2, cmd.RequestToSpeak(key="ask-to-speak-1"))
    hall.run(CHAIR, cmd.GrantFloor(key="floor-grant-2", limit_s=180))
    pump(until=lambda: console.timer_text.startswith("0"), timeout=10)
    assert console.timer_text in ("03:00", "02:59", "02:58")

    hall.run(CHAIR, cmd.OpenVote(key="open-vote-11", item_id=11, question="Thông qua"))
    pump(until=lambda: console.vote_open)
    opening_vote = _buttons(console, app.t("chair.open_vote"))[0]
    assert opening_vote.disabled  # a vote is open: "Mở biểu quyết" no longer applies
