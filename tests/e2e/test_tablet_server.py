"""The app in the offscreen window against the real server (uvicorn on loopback, demo seeded).

First start -> enrol with a code issued through the API (read from its QR image) -> PIN
twice -> the published session in the Library -> sync with progress -> read. And a sitting:
the chair's console in the window opens and closes a vote that the chair (in the window)
and a second delegate (a headless ``LiveClient``: Kivy allows one App per process, and
SDL one window, so the second tablet runs without a screen) both cast and both see.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from tablet_app.core.live_client import LiveClient
from tests.e2e.conftest import pump
from tests.e2e.test_tablet_ui import press
from tests.tablet_app.core._pack_server import PIN, live, live_template  # noqa: F401


def _button(root, text: str):
    from kivy.uix.button import Button

    return next(w for w in root.walk() if isinstance(w, Button) and w.text == text)


def _rows(app):
    from tablet_app.ui.screens.library import DocumentRow

    return [w for w in app.screens.get_screen("library").walk() if isinstance(w, DocumentRow)]


def _command(live, user: str, body: dict, sitting: int) -> None:  # noqa: F811
    response = live.call("POST", f"/api/sittings/{sitting}/commands", user,
                         json={"key": uuid.uuid4().hex, **body})
    assert response.status_code == 200, response.text


def test_first_start_enrols_from_a_qr_image_syncs_and_reads(make_app, live, kivy_window,  # noqa: F811
                                                            tmp_path: Path) -> None:
    issued = live.call("POST", "/api/devices/enrolment-codes",
                       json={"person_id": live.person_id("delegate01")}).json()
    qr = tmp_path / "ma-dang-ky.png"
    qr.write_bytes(live.call("GET", issued["qr_png"]).content)  # what the office prints

    app = make_app(annotation_key=None)
    assert app.screens.current == "first_start"
    first = app.screens.get_screen("first_start")
    first.ids.server.text = ""
    first.use_qr_image(qr)
    pump(until=lambda: first.ids.code.text != "")
    assert first.ids.code.text == issued["code"].replace("-", "").upper()
    assert first.ids.server.text.startswith("http://127.0.0.1:")
    first.ids.pin.text, first.ids.pin_again.text = PIN, PIN[::-1]
    first.enrol()
    assert "không khớp" in first.message  # the PIN twice, and they differ
    first.ids.pin_again.text = PIN
    first.enrol()
    pump(until=lambda: app.screens.current == "library", timeout=30)

    live.publish()  # the office publishes the pack for the enrolled devices
    library = app.screens.get_screen("library")
    pump(0.2)  # a frame or two: the Library is laid out
    press(_button(library, "Đồng bộ"))  # no session number: the server lists it
    pump(until=lambda: len(_rows(app)) > 3 and "Đã cập nhật" in _state_text(library),
         timeout=30)
    assert any(0 < f < 1 for f in library.progress_seen)  # the bar moved during the download
    assert library.progress_seen[-1] == 1.0

    row = next(r for r in _rows(app) if "Kế hoạch đầu tư công" in r.label)
    row.open()
    reader = app.screens.get_screen("reader")
    pump(until=lambda: reader.shown_page == 0, timeout=15)
    first_page = bytes(reader.ids.page_view.texture.pixels)
    kivy_window.dispatch("on_key_down", 275, 0, None, [])
    pump(until=lambda: reader.shown_page == 1)
    assert bytes(reader.ids.page_view.texture.pixels) != first_page


def _state_text(library) -> str:
    from kivy.uix.label import Label

    return " ".join(w.text for w in library.walk() if isinstance(w, Label))


def test_chair_console_opens_and_closes_a_vote_two_tablets_cast_and_see_it(
        make_app, live, tmp_path: Path) -> None:  # noqa: F811
    from tablet_app.core.enrol import enrol
    from tablet_app.core.settings import AppSettings
    from tablet_app.ui.library_model import TabletLibrary

    sitting = live.call("POST", f"/api/sessions/{live.session_id}/sittings",
                        json={"title": "Phiên họp thứ nhất"}).json()["id"]
    tablet = enrol(live.url, live.issue_code("chair"), "may-chu-toa", PIN, tmp_path / "chair")
    live.publish()
    tablet.sync(str(live.session_id))
    library = TabletLibrary(tablet, AppSettings(sessions=[str(live.session_id)]))
    chair_live = LiveClient.for_server(live.url, sitting, live.token("chair"))
    other = LiveClient.for_server(live.url, sitting, live.token("delegate01"))
    other.start()
    try:
        app = make_app(library=library, live=chair_live, folder=tmp_path / "chair")
        pump(until=lambda: app.is_chair, timeout=15)
        app.go("chair")
        console = app.screens.get_screen("chair")
        console.ask("open_sitting")
        pump(0.4)  # the popup opens with an animation
        press(_button(console.confirm_popup, "Xác nhận"))
        pump(until=lambda: chair_live.state.status == "open")

        _command(live, "chair", {"type": "check_in"}, sitting)
        for n in range(1, 30):  # the others check in from their own tablets
            pump(0.05)
            if chair_live.state.quorum_met:
                break
            _command(live, f"delegate{n:02d}", {"type": "check_in"}, sitting)
        pump(until=lambda: chair_live.state.quorum_met)

        press(_button(console.ids.agenda, "Mở"))
        pump(until=lambda: chair_live.state.current_item_id is not None)

        # the pickers speak Vietnamese; the command carries the codes
        assert "Bỏ phiếu kín" in console.ids.vote_mode.values
        # the kind of decision fixes the threshold; only a procedural vote sets its own
        assert console.ids.vote_threshold.disabled
        assert "Luật Tổ chức chính quyền địa phương 2025, Điều 35 khoản 2" in \
            console.threshold_preview
        console.ids.vote_decision.text = "Biểu quyết thủ tục"
        assert console.vote_decision == "procedural" and not console.ids.vote_threshold.disabled
        console.ids.vote_threshold.text = "Quá nửa số đại biểu có mặt"
        assert console.vote_threshold == "majority_of_present"
        console.ids.vote_question.text = "Thông qua Nghị quyết về dự toán ngân sách năm 2026"
        press(_button(console, "Mở biểu quyết"))
        pump(until=lambda: chair_live.state.open_vote is not None)
        vote = chair_live.state.open_vote
        assert vote.threshold == "majority_of_present" and vote.mode == "open"
        assert vote.decision == "procedural"

        # the chair is a member too: the console's button slides the ballot in
        panel = app.live_panel
        assert not panel.shown  # a vote opening does not cover the console by itself
        pump(until=lambda: console.vote_open and console.ids.my_vote.height > 0)
        pump(0.05)  # laid out
        press(console.ids.my_vote)
        pump(until=lambda: panel.shown and "yes" in panel._option_buttons)
        pump(0.1)
        assert "quá nửa số đại biểu có mặt" in panel.threshold
        assert all(b.height >= 64 for b in panel._option_buttons.values())  # large buttons
        press(panel._option_buttons["no"])
        pump(0.05)
        assert panel.confirm_text == "Xác nhận: Không tán thành"  # a confirm step, not sent yet
        assert chair_live.my_vote(vote.vote_id) is None
        press(panel.ids.confirm)
        pump(until=lambda: panel.vote_recorded)
        assert "đã được ghi nhận" in panel.vote_status and "thay đổi" in panel.vote_status
        press(panel._option_buttons["yes"])  # changed while the vote allows it
        press(panel.ids.confirm)
        pump(until=lambda: panel.vote_recorded
             and chair_live.my_vote(vote.vote_id).command.choice == "yes")
        pump(until=lambda: console.ids.my_vote.text == "Phiếu của tôi đã được ghi nhận")
        from shared.live import commands as cmd

        other.send(cmd.CastVote(key=uuid.uuid4().hex, vote_id=vote.vote_id, choice="no"))
        pump(until=lambda: console.vote_text.startswith(vote.question)
             and "2/" in console.vote_text)

        press(_button(panel, "Đóng"))  # the panel slides away; the console's close button
        pump(0.1)
        press(console.ids.close_vote)
        pump(0.4)  # the popup opens with an animation
        assert "không thể hoàn tác" in _labels(console.confirm_popup)  # says so before
        assert chair_live.state.votes[vote.vote_id].status == "open"  # nothing sent yet
        press(_button(console.confirm_popup, "Xác nhận"))
        pump(until=lambda: panel.result_text != "")
        pump(until=lambda: other.state.votes[vote.vote_id].result is not None)
        result = other.state.votes[vote.vote_id].result
        assert result.counts.get("yes") == 1 and result.counts.get("no") == 1  # the change
        assert ("Tán thành", 1) in panel.result_rows and ("Không tán thành", 1) in panel.result_rows
        assert panel.verdict == "KHÔNG ĐƯỢC THÔNG QUA"
        assert "thay đổi" not in panel.vote_status  # recorded, and no longer changeable
        pump(until=lambda: ("Tán thành", 1) in console.result_rows)  # the console's bars
        assert "KHÔNG ĐƯỢC THÔNG QUA" in console.vote_text

        # follow the presenter: the chair turns to page 3 of a document of this item
        item = chair_live.state.roster.item(chair_live.state.current_item_id)
        document_id = item.documents[0].document_id
        reader = app.screens.get_screen("reader")
        _command(live, "chair", {"type": "follow_me", "document_id": document_id, "page": 3},
                 sitting)
        pump(until=lambda: reader.document is not None and reader.shown_page == 2
             and str(reader.document.doc_id) == str(document_id), timeout=15)
        reader.toggle_follow()  # step out: the next turn of the presenter does not move us
        _command(live, "chair", {"type": "follow_me", "document_id": document_id, "page": 1},
                 sitting)
        pump(0.5)
        assert reader.shown_page == 2 and "trang 1" in reader.follow_text
        reader.toggle_follow()  # and back in: to where the presenter is
        pump(until=lambda: reader.shown_page == 0)
    finally:
        other.stop()
        tablet.close()


def _labels(root) -> str:
    from kivy.uix.label import Label

    return " ".join(w.text for w in root.walk() if isinstance(w, Label))
