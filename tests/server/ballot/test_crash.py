"""A power cut while delegates cast encrypted ballots, on the real server in its own
process: every ballot that got a receipt is on the board and counted exactly once.

The in-process restart test (``test_attacks``) rebuilds the app; this one SIGKILLs
uvicorn mid-request, so answers are lost on the wire and tablets resend the same
encrypted ballot to the restarted server (``BallotClient.submit``).
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from shared.ballot.verify import lookup_receipt, verify_board
from tablet_app.core.ballot_client import BallotClient
from tablet_app.core.client import ServerUnreachable
from tests.server.live.conftest import (  # noqa: F401 - seeded_template is a fixture
    Server,
    add_delegates,
    copy_template,
    seeded_template,
)

COMMITTEE = ["delegate01", "delegate02", "delegate03"]
EXTRA = 20  # with delegate04..25: 42 voters
CANDIDATES = [{"candidate_id": f"uv-{n}", "full_name": f"Ứng viên {n}"} for n in range(4)]


class Tablet:
    """The ``httpx.Client`` surface ``BallotClient`` uses: a bearer token, a short timeout
    (a tablet gives up on a dead server and retries)."""

    def __init__(self, server: Server, token: str) -> None:
        self.server, self.token = server, token

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        return httpx.request(method, self.server.http + url, timeout=5,
                             headers={"Authorization": f"Bearer {self.token}"}, **kwargs)


def _restart(server: Server) -> None:
    """``server.start()`` on the same port and database. Its health check gives up after
    20 s of 0.5 s tries; with every tablet resending at once the health answer can queue
    behind the casts (one SQLite writer), so a live process gets a longer, patient wait."""
    try:
        server.start()
        return
    except RuntimeError:
        if server.proc is None or server.proc.poll() is not None:
            raise  # it really died
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(server.http + "/api/health", timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("the restarted server never answered its health check")


def _command(server: Server, token: str, sitting_id: int, **body) -> None:
    answer = server.api_with_token(token, "POST", f"/api/sittings/{sitting_id}/commands",
                                   json={"key": uuid.uuid4().hex, **body})
    assert answer.status_code == 200, answer.text


@pytest.mark.slow
def test_sigkill_while_ballots_are_cast(seeded_template, tmp_path_factory):  # noqa: F811
    data_dir = copy_template(seeded_template, tmp_path_factory.mktemp("ballot-crash"))
    extra_tokens = add_delegates(data_dir, EXTRA)
    server = Server(data_dir).start()
    try:
        sitting_id = server.new_sitting("Phiên bầu cử mất điện")
        tokens = {u: server.token(u) for u in [*COMMITTEE,
                                                *(f"delegate{n:02d}" for n in range(4, 26))]}
        tokens.update({f"extra{n:02d}": t for n, t in enumerate(extra_tokens)})
        person = {u: server.api_with_token(t, "GET", "/api/auth/me").json()["person"]["id"]
                  for u, t in tokens.items()}
        chair = server.token("chair")
        _command(server, chair, sitting_id, type="open_sitting")
        for token in tokens.values():
            _command(server, token, sitting_id, type="check_in")
        state = server.api("chair", "GET", f"/api/sittings/{sitting_id}").json()["state"]
        item_id = state["roster"]["agenda"][0]["item_id"]
        _command(server, chair, sitting_id, type="open_item", item_id=item_id)

        created = server.api("chair", "POST", f"/api/sittings/{sitting_id}/ballots", json={
            "item_id": item_id, "kind": "election", "title": "Bầu Ủy viên Thường trực",
            "candidates": CANDIDATES, "max_choices": 2,
            "committee": [person[u] for u in COMMITTEE]})
        assert created.status_code == 201, created.text
        ballot_id = created.json()["id"]
        tablets = {u: BallotClient(Tablet(server, t)) for u, t in tokens.items()}  # type: ignore[arg-type]
        for user in COMMITTEE:  # the members' secrets live on their tablets, not the server
            tablets[user].post_key_share(ballot_id, str(person[user]))
        opened = server.api("chair", "POST", f"/api/ballots/{ballot_id}/open")
        assert opened.status_code == 200, opened.text
        live_vote = opened.json()["live_vote_id"]

        voters = [u for u in tokens if u not in COMMITTEE]
        rng = random.Random(7)
        picks = {u: rng.sample([c["candidate_id"] for c in CANDIDATES], rng.choice([1, 2]))
                 for u in voters}
        # each tablet encrypts once; after a lost answer it resends the very same ballot
        prepared = {u: tablets[u].prepare(ballot_id, picks[u], str(person[u])) for u in voters}
        receipts: dict[str, str] = {}
        errors: list[BaseException] = []
        lock = threading.Lock()

        def vote(user: str) -> None:
            time.sleep(rng.uniform(0, 1.5))  # delegates press within a second or two
            delay = 0.1
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                try:
                    receipt = tablets[user].submit(ballot_id, prepared[user]).receipt
                except ServerUnreachable:
                    time.sleep(delay)
                    delay = min(delay * 2, 1.0)
                    continue
                except BaseException as exc:  # reported below
                    errors.append(exc)
                    return
                with lock:
                    receipts[user] = receipt
                return
            errors.append(TimeoutError(user))

        with ThreadPoolExecutor(max_workers=len(voters)) as pool:
            futures = [pool.submit(vote, u) for u in voters]
            while len(receipts) < 8:
                time.sleep(0.002)
            server.kill()  # SIGKILL: requests in flight lose their answers
            with lock:
                before_kill = dict(receipts)
            time.sleep(0.3)
            _restart(server)  # same port, same database
            for future in futures:
                future.result()
        assert not errors, errors
        assert 8 <= len(before_kill) < len(voters), "the kill must land while casting"
        assert set(receipts) == set(voters)
        for user, receipt in before_kill.items():
            assert receipts[user] == receipt  # a resend never changes a receipt

        # the board after the restart: each receipt once, each voter once
        board = server.api("delegate05", "GET", f"/api/ballots/{ballot_id}/board").json()
        cast = [e["body"] for e in board["entries"] if e["kind"] == "ballot_cast"]
        assert Counter(e["receipt"] for e in cast) == Counter(receipts.values())
        assert sorted(e["voter_id"] for e in cast) == sorted(str(person[u]) for u in voters)
        for receipt in receipts.values():
            assert lookup_receipt(board, receipt).counted

        assert server.api("chair", "POST", f"/api/ballots/{ballot_id}/close").status_code == 200
        for user in COMMITTEE:
            tablets[user].post_partial_decryption(ballot_id, str(person[user]))
        view = server.api("delegate05", "GET", f"/api/ballots/{ballot_id}").json()
        expected = Counter(c for u in voters for c in picks[u])
        assert view["status"] == "counted" and view["turnout"] == len(voters)
        assert view["result"]["counts"] == [expected[c["candidate_id"]] for c in CANDIDATES]
        report = verify_board(server.api("delegate05", "GET",
                                         f"/api/ballots/{ballot_id}/board").json())
        assert report.ok and report.ballots_counted == len(voters)
        public = server.api(None, "GET", f"/api/sittings/{sitting_id}/public").json()
        assert public["votes"][live_vote]["turnout"] == len(voters)
        assert public["votes"][live_vote]["result"]["ballots"] == len(voters)
    finally:
        server.stop()
