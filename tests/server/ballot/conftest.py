"""A sitting in progress on the real API, and tablets that speak the ballot flow.

Each test gets its own sitting (one open vote at a time per sitting); the API is the
session-wide ``api`` fixture (SQLite, and PostgreSQL when available).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from tablet_app.core.ballot_client import BallotClient
from tests.server.conftest import Api

COMMITTEE = ["delegate01", "delegate02", "delegate03"]
VOTERS = [f"delegate{n:02d}" for n in range(4, 12)]  # 8 voters


class As:
    """The ``httpx.Client`` surface ``BallotClient`` uses, signed in as ``user``; it
    follows ``hall.api``, so a tablet outlives a server restart."""

    def __init__(self, hall: Hall, user: str) -> None:
        self.hall, self.user = hall, user

    def request(self, method: str, url: str, **kwargs: Any):
        return self.hall.api.request(self.user, method, url, **kwargs)


@dataclass
class Hall:
    api: Api
    sitting_id: int
    item_id: int
    people: dict[str, int] = field(default_factory=dict)
    tablets: dict[str, BallotClient] = field(default_factory=dict)

    def command(self, user: str, **command: Any) -> dict:
        response = self.api.request(user, "POST", f"/api/sittings/{self.sitting_id}/commands",
                                    json={"key": uuid.uuid4().hex, **command})
        assert response.status_code == 200, response.text
        return response.json()

    def tablet(self, user: str) -> BallotClient:
        if user not in self.tablets:
            self.tablets[user] = BallotClient(As(self, user))  # type: ignore[arg-type]
        return self.tablets[user]

    def pid(self, user: str) -> int:
        return self.people[user]

    def call(self, user: str, method: str, url: str, **kwargs: Any):
        return self.api.request(user, method, url, **kwargs)

    def state(self) -> dict:
        return self.call("chair", "GET", f"/api/sittings/{self.sitting_id}").json()["state"]

    def public(self) -> dict:
        return self.api.request(None, "GET", f"/api/sittings/{self.sitting_id}/public").json()

    # --- the ballot flow ---------------------------------------------------------------

    def create(self, kind: str, candidates: list[dict], committee: list[str] = COMMITTEE,
               **extra: Any) -> int:
        response = self.call("chair", "POST", f"/api/sittings/{self.sitting_id}/ballots", json={
            "item_id": self.item_id, "kind": kind, "title": f"Phiếu {kind}",
            "candidates": candidates, "committee": [self.pid(u) for u in committee], **extra})
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def setup_and_open(self, kind: str, candidates: list[dict], **extra: Any) -> int:
        ballot_id = self.create(kind, candidates, **extra)
        for user in COMMITTEE:
            self.tablet(user).post_key_share(ballot_id, str(self.pid(user)))
        response = self.call("chair", "POST", f"/api/ballots/{ballot_id}/open", json={})
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "open"
        return ballot_id

    def close(self, ballot_id: int) -> dict:
        response = self.call("chair", "POST", f"/api/ballots/{ballot_id}/close")
        assert response.status_code == 200, response.text
        return response.json()

    def count(self, ballot_id: int, members: list[str] = COMMITTEE) -> dict:
        answer: dict = {}
        for user in members:
            answer = self.tablet(user).post_partial_decryption(ballot_id, str(self.pid(user)))
        return answer

    def view(self, ballot_id: int) -> dict:
        return self.call("delegate05", "GET", f"/api/ballots/{ballot_id}").json()

    def board(self, ballot_id: int) -> dict:
        response = self.call("delegate05", "GET", f"/api/ballots/{ballot_id}/board")
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def hall(api: Api, demo_session_id: int) -> Hall:
    """An open sitting, committee and voters checked in, the first agenda item open."""
    created = api.request("clerk", "POST", f"/api/sessions/{demo_session_id}/sittings",
                          json={"title": f"Phiên bầu cử {uuid.uuid4().hex[:6]}"})
    assert created.status_code == 201, created.text
    sitting_id = created.json()["id"]
    hall = Hall(api, sitting_id, 0)
    hall.command("chair", type="open_sitting")
    for user in [*COMMITTEE, *VOTERS]:
        hall.command(user, type="check_in")
        hall.people[user] = api.request(user, "GET", "/api/auth/me").json()["person"]["id"]
    state = hall.state()
    # the rest of the council, checked in by the chair: a secret ballot binds the council
    # and is refused without quorum (docs/rules.md)
    for member in state["roster"]["members"]:
        if member["person_id"] not in state["present"]:
            hall.command("chair", type="check_in", person_id=member["person_id"])
    state = hall.state()
    hall.item_id = state["roster"]["agenda"][0]["item_id"]
    hall.command("chair", type="open_item", item_id=hall.item_id)
    return hall
