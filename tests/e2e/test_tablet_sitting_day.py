"""The day of the sitting as a delegate and as the chair take it: the app is
started as installed (no --live, no --token), enrolled with the clerk's code, PIN set,
pack downloaded; the Library offers the sitting with one "Vào phiên họp" button; the
device key obtains the live credentials and renews them while the project's clock
(``shared.clock.FileClock``, which the in-process server follows too) moves past several
credential lifetimes; a revoked device is cut off and told why.

Other members act through the REST API (Kivy allows one App per process).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from shared import clock
from tests.e2e.conftest import pump, screenshot
from tests.e2e.test_tablet_ui import press
from tests.tablet_app.core._pack_server import PIN, live, live_template  # noqa: F401

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def moving_clock(tmp_path: Path):
    """The project's clock for the whole process (the server runs in it), moved by
    ``FileClock.write`` as a test moves a server subprocess's clock."""
    path = tmp_path / "clock-offset"
    start = clock.now() - clock.machine_now()  # the suite's pinned day, as it runs now
    clock.FileClock.write(path, start)
    with clock.using(clock.FileClock(path)):
        yield lambda moved: clock.FileClock.write(path, start + moved)


def _button(root, text: str):
    from kivy.uix.button import Button

    return next(w for w in root.walk() if isinstance(w, Button) and w.text == text)


def _labels(root) -> str:
    from kivy.uix.label import Label

    return " ".join(w.text for w in root.walk() if isinstance(w, Label))


def _command(live, user: str, body: dict, sitting: int) -> dict:  # noqa: F811
    response = live.call("POST", f"/api/sittings/{sitting}/commands", user,
                         json={"key": uuid.uuid4().hex, **body})
    assert response.status_code == 200, response.text
    return response.json()


def _first_start(app, live, username: str) -> None:  # noqa: F811
    """What the person does: type the server and the clerk's code, the PIN twice."""
    first = app.screens.get_screen("first_start")
    first.ids.server.text = live.url
    first.ids.code.text = live.issue_code(username)
    first.ids.pin.text = first.ids.pin_again.text = PIN
    first.enrol()
    pump(until=lambda: app.screens.current == "library", timeout=30)


def _quorum(live, sitting: int, skip: str, client) -> None:  # noqa: F811
    """The others check in from their own tablets until the app sees the quorum."""
    for n in range(1, 30):
        pump(0.1)
        if client.state.quorum_met:
            return
        user = f"delegate{n:02d}"
        if user != skip:
            _command(live, user, {"type": "check_in"}, sitting)
    pump(until=lambda: client.state.quorum_met)


def _shot(window, name: str, app) -> None:
    for scale, suffix in ((1.0, ""), (1.6, "-160")):
        app.text_scale = scale
        pump(0.3)
        screenshot(window, SHOTS / f"{name}{suffix}.png")
    app.text_scale = 1.0
    pump(0.1)


def test_a_delegate_joins_from_the_library_votes_and_stays_joined_all_day(
        make_app, live, kivy_window, moving_clock) -> None:  # noqa: F811
    sitting = live.call("POST", f"/api/sessions/{live.session_id}/sittings",
                        json={"title": "Phiên họp thứ nhất"}).json()["id"]
    app = make_app(annotation_key=None)  # as installed: no --live, no --token
    assert app.screens.current == "first_start"
    _first_start(app, live, "delegate03")
    library = app.screens.get_screen("library")
    live.publish()
    pump(0.2)
    press(_button(library, "Đồng bộ"))
    pump(until=lambda: "Đã cập nhật" in _labels(library), timeout=30)

    # the Library offers the sitting (found with the device key), one button to join
    pump(until=lambda: any(s.sitting_id == sitting for s in app.sittings), timeout=30)
    pump(until=lambda: sitting in getattr(library, "join_buttons", {}))
    assert "Chưa khai mạc" in _labels(library)
    _shot(kivy_window, "tablet-library-sitting", app)
    press(library.join_buttons[sitting])
    panel = app.live_panel
    pump(until=lambda: app.link_status == "online" and panel.shown, timeout=15)
    live_client = app.live
    assert live_client.token and live_client.credentials is not None  # from the device key

    _command(live, "chair", {"type": "open_sitting"}, sitting)
    pump(until=lambda: live_client.state is not None and live_client.state.status == "open")
    press(panel.ids.check_in)
    me = live.person_id("delegate03")
    pump(until=lambda: me in live_client.state.present)
    _quorum(live, sitting, "delegate03", live_client)
    item = live_client.state.roster.agenda[0].item_id
    _command(live, "chair", {"type": "open_item", "item_id": item}, sitting)
    _command(live, "chair", {"type": "open_vote", "item_id": item, "mode": "open",
                             "question": "Thông qua Nghị quyết về dự toán ngân sách năm 2026",
                             "threshold": "majority_of_present"}, sitting)
    pump(until=lambda: "yes" in panel._option_buttons, timeout=15)
    pump(0.1)
    press(panel._option_buttons["yes"])
    press(panel.ids.confirm)
    pump(until=lambda: panel.vote_recorded)

    # the day goes on: the clock moves past several credential lifetimes (10 min each)
    for step in range(1, 5):
        moving_clock(timedelta(minutes=8 * step))
        pump(until=lambda s=step: live_client.renewals >= s, timeout=20)
    assert live_client.connects == 1 and app.link_status == "online"  # never thrown out
    assert panel.banner == ""
    live.tokens.clear()  # the others' password sign-ins (15 min) did expire: sign in again

    vote = live_client.state.open_vote
    _command(live, "chair", {"type": "close_vote", "vote_id": vote.vote_id}, sitting)
    pump(until=lambda: panel.result_text != "", timeout=15)
    assert ("Tán thành", 1) in panel.result_rows or any(
        row[0] == "Tán thành" and row[1] >= 1 for row in panel.result_rows)

    # the office revokes the tablet: cut off, and told why where the person is looking
    device_id = app.tablet.device_id
    assert live.call("POST", f"/api/devices/{device_id}/revoke").status_code == 200
    pump(until=lambda: app.link_status == "refused", timeout=15)
    assert "thu hồi" in panel.banner
    panel.shown = False
    app.go("library")
    pump(until=lambda: "Không vào được phiên họp" in _labels(library), timeout=10)
    _shot(kivy_window, "tablet-library-revoked", app)


def test_the_chairs_laptop_joins_the_same_way_and_runs_the_vote(
        make_app, live, kivy_window, moving_clock) -> None:  # noqa: F811
    sitting = live.call("POST", f"/api/sessions/{live.session_id}/sittings",
                        json={"title": "Phiên họp thứ nhất"}).json()["id"]
    app = make_app(annotation_key=None)
    _first_start(app, live, "chair")
    library = app.screens.get_screen("library")
    pump(until=lambda: sitting in getattr(library, "join_buttons", {}), timeout=30)
    press(library.join_buttons[sitting])
    pump(until=lambda: app.screens.current == "chair" and app.link_status == "online",
         timeout=15)
    console = app.screens.get_screen("chair")
    pump(until=lambda: console.sitting_status == "scheduled")
    console.ask("open_sitting")
    pump(0.4)
    press(_button(console.confirm_popup, "Xác nhận"))
    chair_live = app.live
    pump(until=lambda: chair_live.state.status == "open")
    pump(until=lambda: console.sitting_status == "open")
    assert _button(console, "Khai mạc").disabled  # no longer applies

    pump(0.1)  # the agenda's rows settle (their buttons grow to their words)
    press(_button(console.ids.agenda, "Mở"))
    pump(until=lambda: chair_live.state.current_item_id is not None)
    console.ids.vote_question.text = "Thông qua Nghị quyết về dự toán ngân sách năm 2026"
    press(_button(console, "Mở biểu quyết"))  # nobody has checked in: no quorum
    pump(until=lambda: console.notice != "", timeout=10)
    assert "Mở biểu quyết" in console.notice and "số đại biểu" in console.notice
    _shot(kivy_window, "tablet-chair-refused", app)

    _command(live, "chair", {"type": "check_in"}, sitting)
    _quorum(live, sitting, "chair", chair_live)
    pump(until=lambda: chair_live.state.quorum_met)
    moving_clock(timedelta(minutes=25))  # past two lifetimes
    pump(until=lambda: chair_live.renewals >= 1, timeout=20)
    live.tokens.clear()  # the others' password sign-ins expired meanwhile
    press(_button(console, "Mở biểu quyết"))
    pump(until=lambda: chair_live.state.open_vote is not None, timeout=15)
    assert console.notice == ""
    vote = chair_live.state.open_vote
    _command(live, "delegate01", {"type": "cast_vote", "vote_id": vote.vote_id,
                                  "choice": "yes"}, sitting)
    pump(until=lambda: "1/" in console.vote_text)
    press(console.ids.close_vote)
    pump(0.4)
    press(_button(console.confirm_popup, "Xác nhận"))
    pump(until=lambda: ("Tán thành", 1) in console.result_rows, timeout=15)
    assert chair_live.connects == 1


def test_the_app_joins_by_itself_when_a_sitting_of_its_session_opens(
        make_app, live, kivy_window, monkeypatch) -> None:  # noqa: F811
    import tablet_app.ui.app as app_module

    monkeypatch.setattr(app_module, "SITTING_POLL_S", 0.5)  # the 20 s poll, made quick
    sitting = live.call("POST", f"/api/sessions/{live.session_id}/sittings",
                        json={"title": "Phiên họp thứ hai"}).json()["id"]
    app = make_app(annotation_key=None)
    _first_start(app, live, "delegate05")
    library = app.screens.get_screen("library")
    pump(until=lambda: sitting in getattr(library, "join_buttons", {}), timeout=30)
    pump(1.5)  # several polls: a sitting not yet opened is offered, not joined
    assert app.joined_sitting == 0 and app.live is None
    assert "máy sẽ tự vào" in _labels(library)

    _command(live, "chair", {"type": "open_sitting"}, sitting)  # nothing pressed here
    pump(until=lambda: app.joined_sitting == sitting and app.link_status == "online",
         timeout=30)
    pump(until=lambda: app.live.state is not None and app.live.state.status == "open")
    assert app.live.credentials is not None  # joined with the device key, no sign-in
