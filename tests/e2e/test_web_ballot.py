"""A verifiable secret ballot seen from the hall and from the street, in a real browser.

The projector shows the counting phase (who the count waits for) from live events; the
portal publishes nothing until the count, then the board with a receipt lookup box.
"""

from __future__ import annotations

import itertools

import httpx
from playwright.sync_api import expect

from tablet_app.core.ballot_client import BallotClient
from tests.e2e.web_conftest import sitting_on_the_projector

_keys = itertools.count(1)
COMMITTEE = ["delegate01", "delegate02", "delegate03"]
VOTERS = [f"delegate{n:02d}" for n in range(4, 10)]


class SignedIn:
    """The ``httpx.Client`` surface ``BallotClient`` uses, with a bearer token."""

    def __init__(self, server, user: str) -> None:
        self.server, self.user = server, user

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        return self.server.api(self.user, method, url, **kwargs)


def command(server, who: str, sitting_id: int, **body) -> dict:
    body.setdefault("key", f"web-ballot-{next(_keys):06d}")
    answer = server.api(who, "POST", f"/api/sittings/{sitting_id}/commands", json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _person(server, user: str) -> int:
    return server.api(user, "GET", "/api/auth/me").json()["person"]["id"]


def test_projector_shows_counting_and_the_portal_publishes_the_board_after(page, web_server):
    server = web_server
    sessions = server.api("clerk", "GET", "/api/sessions").json()
    session_id = next(s["id"] for s in sessions if s["status"] in ("published", "in_progress"))
    sitting_id, _link, projector = sitting_on_the_projector(page, server, session_id,
                                                            "Phiên bầu Phó Chủ tịch")

    state = server.api("clerk", "GET", f"/api/sittings/{sitting_id}").json()["state"]
    item_id = state["roster"]["agenda"][0]["item_id"]
    command(server, "chair", sitting_id, type="open_sitting")
    for member in state["roster"]["members"]:
        command(server, "chair", sitting_id, type="check_in", person_id=member["person_id"])
    command(server, "chair", sitting_id, type="open_item", item_id=item_id)

    people = {user: _person(server, user) for user in [*COMMITTEE, *VOTERS]}
    names = {m["person_id"]: m["full_name"] for m in state["roster"]["members"]}
    created = server.api("chair", "POST", f"/api/sittings/{sitting_id}/ballots", json={
        "item_id": item_id, "kind": "election", "title": "Bầu Phó Chủ tịch HĐND xã",
        "candidates": [{"candidate_id": "ung-vien-1", "full_name": "Thào Seo Dín"},
                       {"candidate_id": "ung-vien-2", "full_name": "Lý Thị Hoa"}],
        "max_choices": 1, "committee": [people[u] for u in COMMITTEE]})
    assert created.status_code == 201, created.text
    ballot_id = created.json()["id"]
    tablets = {u: BallotClient(SignedIn(server, u)) for u in [*COMMITTEE, *VOTERS]}  # type: ignore[arg-type]
    for user in COMMITTEE:
        tablets[user].post_key_share(ballot_id, str(people[user]))
    assert server.api("chair", "POST", f"/api/ballots/{ballot_id}/open").status_code == 200
    expect(projector.locator("#pj-question")).to_have_text("Bầu Phó Chủ tịch HĐND xã")

    receipts = {}
    for user, pick in zip(VOTERS, ["ung-vien-1", "ung-vien-2", "ung-vien-1", "ung-vien-1",
                                   "ung-vien-2", "ung-vien-1"], strict=True):
        receipts[user] = tablets[user].cast(ballot_id, [pick], str(people[user])).receipt
    expect(projector.locator("#pj-turnout")).to_contain_text("Đã biểu quyết: 6 /")

    # nothing on the portal while the vote runs or is being counted
    assert server.api(None, "GET", f"/bo-phieu-kin/{ballot_id}").status_code == 404
    assert server.api("chair", "POST", f"/api/ballots/{ballot_id}/close").status_code == 200
    expect(projector.locator("#pj-result")).to_contain_text("Đang kiểm phiếu")
    for user in COMMITTEE[:2]:
        tablets[user].post_partial_decryption(ballot_id, str(people[user]))
    missing = names[people[COMMITTEE[2]]]
    expect(projector.locator("#pj-result")).to_have_text(
        f"Đang kiểm phiếu: chờ Ban kiểm phiếu giải mã (còn chờ: {missing})")
    expect(projector.locator("#pj-turnout")).to_contain_text("Đã biểu quyết: 6 /")
    assert server.api(None, "GET", f"/api/public/ballots/{ballot_id}/board").status_code == 404

    # the last member comes back: the projector shows the result
    tablets[COMMITTEE[2]].post_partial_decryption(ballot_id, str(people[COMMITTEE[2]]))
    expect(projector.locator("#pj-result")).to_have_text("KHÔNG THÔNG QUA")
    projector.context.close()

    # a voter, not signed in, follows the session page to the board and finds their receipt
    visitor = page.context.browser.new_context(base_url=server.base, locale="vi-VN").new_page()
    visitor.goto(f"/phien-hop/{session_id}")
    visitor.get_by_role("link", name="Bảng tin và tra cứu biên nhận").click()
    expect(visitor.locator("h1")).to_have_text("Bầu Phó Chủ tịch HĐND xã")
    chart = visitor.locator("#result-h ~ .ballot-charts svg.chart")  # bars first, then numbers
    expect(chart).to_have_count(1)
    expect(chart.locator("rect")).to_have_count(2)
    expect(chart).to_contain_text("Thào Seo Dín")
    result = visitor.locator("#ballot-result tbody tr")
    expect(result).to_have_count(2)
    expect(result.nth(0)).to_contain_text("Thào Seo Dín")
    expect(result.nth(0).locator("td").nth(1)).to_have_text("4")
    expect(result.nth(1).locator("td").nth(1)).to_have_text("2")
    expect(visitor.locator("#board-check")).to_contain_text("đều khớp")

    visitor.get_by_role("textbox", name="Biên nhận").fill(receipts["delegate05"])
    visitor.get_by_role("button", name="Tra cứu").click()
    expect(visitor.locator("#receipt-answer")).to_contain_text("đã được kiểm")
    visitor.get_by_role("textbox", name="Biên nhận").fill("ab" * 32)
    visitor.get_by_role("button", name="Tra cứu").click()
    expect(visitor.locator("#receipt-answer")).to_contain_text("Không có phiếu nào")

    # the downloaded board is the one the sitting has, and checks out on its own
    from shared.ballot.verify import verify_board

    with visitor.expect_download() as download:
        visitor.locator("#board-download").click()
    board = download.value.path().read_text(encoding="utf-8")
    report = verify_board(board)
    assert report.ok and report.counts == [4, 2]
    assert visitor.locator("#board-head").inner_text() == report.head
    visitor.context.close()
