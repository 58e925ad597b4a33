"""The verifiable secret ballot in the app's offscreen window, against the real server.

The window's delegate is also on the vote-counting committee: the committee screen makes
the key share on the device; when the chair opens the election the ballot screen slides
in, the delegate marks 2 of 4 (a third is refused, the counter says so), reviews,
confirms, the tablet encrypts and proves off the UI thread and shows the receipt that is
on the server's board. After the close the committee screen decrypts this member's part;
the ballot screen says, from live events, whom the count still waits for, then that it
is counted. A confidence vote follows: one of three levels per official.
The other members and voters are headless ``BallotClient``s (one App per process).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from tablet_app.core.ballot_client import BallotClient, http_for_live
from tablet_app.core.live_client import LiveClient
from tablet_app.ui.library_model import DemoLibrary
from tests.e2e.conftest import pump, screenshot
from tests.e2e.test_tablet_ui import press as _press
from tests.tablet_app.core._pack_server import live, live_template  # noqa: F401

ME = "delegate01"
OTHER_MEMBERS = ["delegate02", "delegate03"]
VOTERS = ["delegate04", "delegate05", "delegate06"]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "tablet-ballot.png"


def press(button) -> None:
    """A finger's tap: the ScrollView passes a tap's release on 0.2 s later (it waits to
    tell a tap from a drag), so wait as a person would before the next one."""
    _press(button)
    pump(0.3)


def _command(live, user: str, sitting: int, **body) -> None:  # noqa: F811
    response = live.call("POST", f"/api/sittings/{sitting}/commands", user,
                         json={"key": uuid.uuid4().hex, **body})
    assert response.status_code == 200, response.text


def _headless(live, user: str, sitting: int) -> BallotClient:  # noqa: F811
    return BallotClient(http_for_live(LiveClient.for_server(live.url, sitting, live.token(user))))


def _toggle(screen, text: str):
    from kivy.uix.togglebutton import ToggleButton

    return next(w for w in screen.ids.choices.walk() if isinstance(w, ToggleButton)
                and w.text == text)


def _level(screen, subject_id: str, level: str):
    return screen._toggles[f"{subject_id}/{level}"]


def _task_button(committee, text: str):
    from kivy.uix.button import Button

    return next(w for w in committee.ids.tasks.walk() if isinstance(w, Button) and w.text == text)


def test_a_delegate_and_committee_member_votes_and_counts_on_the_tablet(
        make_app, kivy_window, live) -> None:  # noqa: F811
    sitting = live.call("POST", f"/api/sessions/{live.session_id}/sittings",
                        json={"title": "Phiên bầu cử"}).json()["id"]
    _command(live, "chair", sitting, type="open_sitting")
    people = {u: live.person_id(u) for u in [ME, *OTHER_MEMBERS, *VOTERS]}
    for user in people:
        _command(live, user, sitting, type="check_in")
    roster = live.call("GET", f"/api/sittings/{sitting}", "chair").json()["state"]["roster"]
    for member in roster["members"]:  # the rest of the council, for the quorum
        if member["person_id"] not in people.values():
            _command(live, "chair", sitting, type="check_in", person_id=member["person_id"])
    item_id = roster["agenda"][0]["item_id"]
    _command(live, "chair", sitting, type="open_item", item_id=item_id)

    mine = LiveClient.for_server(live.url, sitting, live.token(ME))
    app = make_app(library=DemoLibrary(), live=mine)
    pump(until=lambda: mine.state is not None and mine.state.status == "open", timeout=15)
    ballot_screen = app.screens.get_screen("ballot")
    committee = app.screens.get_screen("committee")

    # the chair sets up an election with this delegate on the committee
    created = live.call("POST", f"/api/sittings/{sitting}/ballots", "chair", json={
        "item_id": item_id, "kind": "election", "title": "Bầu Ủy viên Thường trực HĐND xã",
        "candidates": [{"candidate_id": "uv-1", "full_name": "Sùng A Chớ"},
                       {"candidate_id": "uv-2", "full_name": "Lò Thị Xuân"},
                       {"candidate_id": "uv-3", "full_name": "Giàng Seo Phử"},
                       {"candidate_id": "uv-4", "full_name": "Hoàng Văn Thắng"}],
        "max_choices": 2, "committee": [people[u] for u in [ME, *OTHER_MEMBERS]]})
    assert created.status_code == 201, created.text
    ballot_id = created.json()["id"]
    _command(live, "chair", sitting, type="check_out", person_id=people[VOTERS[-1]])
    _command(live, "chair", sitting, type="check_in", person_id=people[VOTERS[-1]])
    # (any live event makes the member's tablet look for ballots; it also polls)
    pump(until=lambda: app.screens.current == "committee"
         and any(t.action == "key_share" for t in committee.tasks), timeout=20)
    pump(0.2)  # laid out
    press(_task_button(committee, "Tạo khóa và gửi phần công khai"))
    pump(until=lambda: "khóa bí mật ở lại trên máy" in committee.status_text, timeout=20)
    view = live.call("GET", f"/api/ballots/{ballot_id}", ME).json()
    assert next(m for m in view["committee"] if m["person_id"] == people[ME])["key_posted"]
    others = {u: _headless(live, u, sitting) for u in [*OTHER_MEMBERS, *VOTERS]}
    for user in OTHER_MEMBERS:
        others[user].post_key_share(ballot_id, str(people[user]))
    opened = live.call("POST", f"/api/ballots/{ballot_id}/open", "chair")
    assert opened.status_code == 200, opened.text

    # the ballot slides in by itself; the live panel stays out of the way
    pump(until=lambda: app.screens.current == "ballot" and ballot_screen.phase == "choose",
         timeout=20)
    pump(0.2)
    assert not app.live_panel.shown
    assert ballot_screen.counter_text == "Đã chọn 0/2"  # a blank ballot is allowed (min 0)
    press(_toggle(ballot_screen, "Sùng A Chớ"))
    press(_toggle(ballot_screen, "Giàng Seo Phử"))
    pump(0.1)
    assert ballot_screen.counter_text == "Đã chọn 2/2" and ballot_screen.counter_ok
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    screenshot(kivy_window, SCREENSHOT)
    press(_toggle(ballot_screen, "Lò Thị Xuân"))  # a third: refused on the tablet
    assert "tối đa 2" in ballot_screen.message
    assert _toggle(ballot_screen, "Lò Thị Xuân").state == "normal"
    assert ballot_screen.picked == ["uv-1", "uv-3"]

    press(ballot_screen.ids.action)  # "Xem lại phiếu": a review step, nothing sent
    pump(until=lambda: ballot_screen.phase == "review")
    assert "Sùng A Chớ" in ballot_screen.review_text and "Giàng Seo Phử" in ballot_screen.review_text
    assert live.call("GET", f"/api/ballots/{ballot_id}", ME).json()["turnout"] == 0
    press(ballot_screen.ids.action)  # "Xác nhận và gửi phiếu"
    pump(until=lambda: ballot_screen.phase == "done", timeout=30)
    receipt = ballot_screen.receipt_text.replace(" ", "")
    board = live.call("GET", f"/api/ballots/{ballot_id}/board", ME).json()
    cast = [e["body"] for e in board["entries"] if e["kind"] == "ballot_cast"]
    assert [(c["voter_id"], c["receipt"]) for c in cast] == [(str(people[ME]), receipt)]
    screenshot(kivy_window, Path(live.data_dir) / "tablet-ballot-receipt.png")

    for user, pick in zip(VOTERS, [["uv-1"], ["uv-2", "uv-3"], ["uv-1", "uv-4"]], strict=True):
        others[user].cast(ballot_id, pick, str(people[user]))
    assert live.call("POST", f"/api/ballots/{ballot_id}/close", "chair").status_code == 200
    # the close names this member among those the count waits for: the committee screen
    pump(until=lambda: ballot_screen.status_text.startswith("Đã kết thúc bỏ phiếu"), timeout=15)
    pump(until=lambda: app.screens.current == "committee"
         and any(t.action == "partial" for t in committee.tasks), timeout=20)
    pump(0.2)
    press(_task_button(committee, "Giải mã phần của tôi và gửi"))
    pump(until=lambda: "đã được xóa" in committee.status_text, timeout=20)
    others[OTHER_MEMBERS[0]].post_partial_decryption(ballot_id, str(people[OTHER_MEMBERS[0]]))
    missing = next(m["full_name"] for m in roster["members"]
                   if m["person_id"] == people[OTHER_MEMBERS[1]])
    pump(until=lambda: f"còn chờ: {missing}." in ballot_screen.status_text, timeout=15)
    others[OTHER_MEMBERS[1]].post_partial_decryption(ballot_id, str(people[OTHER_MEMBERS[1]]))
    pump(until=lambda: ballot_screen.status_text.startswith("Đã kiểm phiếu xong: 4 phiếu"),
         timeout=15)
    counted = live.call("GET", f"/api/ballots/{ballot_id}", ME).json()
    assert counted["result"]["counts"] == [3, 1, 2, 1]

    # a confidence vote: exactly one of three levels per official
    created = live.call("POST", f"/api/sittings/{sitting}/ballots", "chair", json={
        "item_id": item_id, "kind": "confidence", "title": "Lấy phiếu tín nhiệm",
        "candidates": [{"candidate_id": "ct", "full_name": "Vàng A Dình"},
                       {"candidate_id": "pct", "full_name": "Thào Thị Dua"}],
        "committee": [people[u] for u in OTHER_MEMBERS] + [people[VOTERS[0]]]})
    confidence_id = created.json()["id"]
    for user in [*OTHER_MEMBERS, VOTERS[0]]:
        others[user].post_key_share(confidence_id, str(people[user]))
    assert live.call("POST", f"/api/ballots/{confidence_id}/open", "chair").status_code == 200
    pump(until=lambda: ballot_screen.ballot_id == confidence_id
         and ballot_screen.phase == "choose", timeout=20)
    pump(0.2)
    assert ballot_screen.counter_text == "Đã đánh giá 0/2 người"
    press(_level(ballot_screen, "ct", "high"))
    press(_level(ballot_screen, "pct", "medium"))
    press(_level(ballot_screen, "pct", "low"))  # changes the level: one per official
    pump(0.1)
    assert ballot_screen.levels == {"ct": "high", "pct": "low"}
    assert ballot_screen.counter_text == "Đã đánh giá 2/2 người" and ballot_screen.counter_ok
    press(ballot_screen.ids.action)
    pump(until=lambda: ballot_screen.phase == "review")
    assert "Thào Thị Dua: Tín nhiệm thấp" in ballot_screen.review_text
    press(ballot_screen.ids.action)
    pump(until=lambda: ballot_screen.phase == "done", timeout=30)
    found = BallotClient(http_for_live(mine)).find_receipt(
        confidence_id, ballot_screen.receipt_text.replace(" ", ""))
    assert found["voter_id"] == str(people[ME]) and found["counted"]
