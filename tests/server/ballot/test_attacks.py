"""Each fault and attack the ballot must withstand (docs/ballot.md), against the real API
and real cryptography."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from server.app import create_app
from server.cli import app as hdnd
from shared.ballot import board as b
from shared.ballot.ballot import BallotDefinition, make_ballot
from shared.ballot.committee import generate_member_key, partial_decrypt
from shared.ballot.group import decode_point
from shared.ballot.verify import verify_board
from shared.crypto.encoding import b64url_decode
from tests.server.ballot.conftest import COMMITTEE, VOTERS, Hall
from tests.server.conftest import Api
from tests.shared.ballot.test_ballot import forge

CANDIDATES = [{"candidate_id": str(300 + n), "full_name": f"Ứng viên {n}"} for n in range(4)]
OFFICIALS = [{"candidate_id": "401", "full_name": "Người A"},
             {"candidate_id": "402", "full_name": "Người B"}]


def _form(hall: Hall, ballot_id: int) -> tuple[BallotDefinition, bytes]:
    view = hall.view(ballot_id)
    return (BallotDefinition.from_json(view["definition"]),
            decode_point(b64url_decode(view["public_key"])))


def _post(hall: Hall, user: str, ballot_id: int, ballot: dict):
    return hall.call(user, "POST", f"/api/ballots/{ballot_id}/cast", json=ballot)


def test_forged_proofs_are_refused_and_leave_no_trace(hall: Hall) -> None:
    ballot_id = hall.setup_and_open("election", CANDIDATES, max_choices=2)
    definition, pk = _form(hall, ballot_id)
    voter = str(hall.pid("delegate04"))
    two_in_a_box = forge(definition, [2, 0, 0, 0], [1, 0, 0, 0], pk, voter)
    answer = _post(hall, "delegate04", ballot_id, two_in_a_box.to_json())
    assert answer.status_code == 422 and answer.json()["code"] == "ballot_option_proof_invalid"
    three_of_two = forge(definition, [1, 1, 1, 0], [1, 1, 1, 0], pk, voter)
    answer = _post(hall, "delegate04", ballot_id, three_of_two.to_json())
    assert answer.status_code == 422 and answer.json()["code"] == "ballot_sum_proof_invalid"
    view = hall.view(ballot_id)
    assert view["board_entries"] == 1 and view["turnout"] == 0
    assert hall.public()["votes"][view["live_vote_id"]]["turnout"] == 0
    # a forged ballot never reached the board, so the honest one still goes in
    hall.tablet("delegate04").cast(ballot_id, ["300"], voter)
    hall.close(ballot_id)
    assert hall.count(ballot_id)["result"]["counts"] == [1, 0, 0, 0]

    # confidence: two levels marked for one official
    ballot_id = hall.setup_and_open("confidence", OFFICIALS)
    definition, pk = _form(hall, ballot_id)
    marks = [1, 0, 1, 0, 1, 0]
    answer = _post(hall, "delegate04", ballot_id, forge(definition, marks, marks, pk, voter)
                   .to_json())
    assert answer.status_code == 422 and answer.json()["code"] == "ballot_sum_proof_invalid"


def test_replay_from_another_vote_or_another_voter_is_refused(hall: Hall) -> None:
    first = hall.setup_and_open("election", CANDIDATES, max_choices=1)
    definition, pk = _form(hall, first)
    old = make_ballot(definition, ["301"], pk, str(hall.pid("delegate04")))
    assert _post(hall, "delegate04", first, old.to_json()).status_code == 200
    hall.close(first)
    hall.count(first)

    second = hall.setup_and_open("election", CANDIDATES, max_choices=1)
    answer = _post(hall, "delegate04", second, old.to_json())
    assert answer.status_code == 422 and answer.json()["code"] == "ballot_wrong_vote"

    definition, pk = _form(hall, second)
    mine = make_ballot(definition, ["302"], pk, str(hall.pid("delegate04")))
    # another delegate sends a copy of it as is, then with their own name on it
    answer = _post(hall, "delegate05", second, mine.to_json())
    assert answer.status_code == 422 and answer.json()["code"] == "ballot_wrong_voter"
    copied = {**mine.to_json(), "voter_id": str(hall.pid("delegate05"))}
    answer = _post(hall, "delegate05", second, copied)
    assert answer.status_code == 422 and answer.json()["code"] == "ballot_option_proof_invalid"
    # someone who is not a delegate of the council cannot vote at all
    answer = _post(hall, "official1", second, mine.to_json())
    assert answer.status_code in (403, 404, 422)
    assert hall.view(second)["turnout"] == 0


def test_one_ballot_per_voter_and_revoting_only_when_allowed(hall: Hall) -> None:
    strict = hall.setup_and_open("election", CANDIDATES, max_choices=1)
    tablet = hall.tablet("delegate04")
    voter = str(hall.pid("delegate04"))
    tablet.cast(strict, ["300"], voter)
    definition, pk = _form(hall, strict)
    again = _post(hall, "delegate04", strict, make_ballot(definition, ["301"], pk, voter).to_json())
    assert again.status_code == 409 and again.json()["code"] == "ballot_already_cast"
    hall.close(strict)
    assert hall.count(strict)["result"]["counts"] == [1, 0, 0, 0]

    relaxed = hall.setup_and_open("election", CANDIDATES, max_choices=1, allow_revote=True)
    first = tablet.cast(relaxed, ["300"], voter).receipt
    last = tablet.cast(relaxed, ["303"], voter).receipt
    assert tablet.find_receipt(relaxed, first)["counted"] is False
    assert tablet.find_receipt(relaxed, last)["counted"] is True
    view = hall.view(relaxed)
    assert view["turnout"] == 1
    assert hall.state()["votes"][view["live_vote_id"]]["turnout"] == 1
    hall.close(relaxed)
    assert hall.count(relaxed)["result"]["counts"] == [0, 0, 0, 1]
    assert verify_board(hall.board(relaxed)).ok


def test_a_missing_member_leaves_a_clear_state_and_the_count_resumes(hall: Hall) -> None:
    ballot_id = hall.setup_and_open("election", CANDIDATES, max_choices=2)
    for user in VOTERS[:3]:
        hall.tablet(user).cast(ballot_id, ["300", "302"], str(hall.pid(user)))
    hall.close(ballot_id)
    live_vote = hall.view(ballot_id)["live_vote_id"]
    # the close reaches every device and the projector as the live "counting" state
    counting = hall.public()["votes"][live_vote]
    assert counting["status"] == "counting" and counting["turnout"] == 3
    assert counting["waiting_for"] == [hall.pid(u) for u in COMMITTEE]
    hall.count(ballot_id, COMMITTEE[:2])
    view = hall.view(ballot_id)
    assert view["status"] == "closed" and view["result"] is None
    assert [m["person_id"] for m in view["waiting_for"]] == [hall.pid(COMMITTEE[2])]
    public_vote = hall.public()["votes"][live_vote]
    assert public_vote["result"] is None and public_vote["status"] == "counting"
    assert public_vote["waiting_for"] == [hall.pid(COMMITTEE[2])]
    assert hall.state()["votes"][live_vote]["waiting_for"] == [hall.pid(COMMITTEE[2])]
    # nobody else can stand in for the missing member
    answer = hall.call("delegate04", "POST", f"/api/ballots/{ballot_id}/partial-decryption",
                       json={"shares": [], "proofs": []})
    assert answer.status_code == 403 and answer.json()["code"] == "not_committee_member"
    # casting after the close is refused
    definition, pk = _form(hall, ballot_id)
    late = make_ballot(definition, ["301"], pk, str(hall.pid("delegate09")))
    answer = _post(hall, "delegate09", ballot_id, late.to_json())
    assert answer.status_code == 409 and answer.json()["code"] == "vote_not_open"

    counted = hall.count(ballot_id, COMMITTEE[2:])  # the member comes back
    assert counted["status"] == "counted" and counted["result"]["counts"] == [3, 0, 3, 0]
    counted_vote = hall.public()["votes"][view["live_vote_id"]]
    assert counted_vote["result"]["counts"]["300"] == 3
    assert counted_vote["status"] == "closed" and counted_vote["waiting_for"] == []


def test_a_wrong_partial_decryption_is_rejected_by_its_proof(hall: Hall) -> None:
    ballot_id = hall.setup_and_open("election", CANDIDATES, max_choices=1)
    hall.tablet("delegate04").cast(ballot_id, ["301"], str(hall.pid("delegate04")))
    hall.close(ballot_id)
    hall.count(ballot_id, COMMITTEE[:2])
    member = COMMITTEE[2]
    mid = str(hall.pid(member))
    vote_id = hall.view(ballot_id)["vote_id"]
    tally = b.decode_ciphertexts(hall.call(member, "GET", f"/api/ballots/{ballot_id}/tally")
                                 .json()["tally"])
    impostor, _share = generate_member_key(vote_id, mid)  # not the key it registered
    wrong = b.encode_partial(partial_decrypt(vote_id, impostor, tally))
    answer = hall.call(member, "POST", f"/api/ballots/{ballot_id}/partial-decryption",
                       json={"shares": wrong["shares"], "proofs": wrong["proofs"]})
    assert answer.status_code == 422 and answer.json()["code"] == "committee_partial_invalid"
    assert hall.view(ballot_id)["status"] == "closed"
    assert hall.count(ballot_id, [member])["result"]["counts"] == [0, 1, 0, 0]
    # a resend after the count changes nothing
    again = hall.call(member, "POST", f"/api/ballots/{ballot_id}/partial-decryption",
                      json={"shares": wrong["shares"], "proofs": wrong["proofs"]})
    assert again.status_code == 200 and again.json()["result"]["counts"] == [0, 1, 0, 0]
    assert verify_board(hall.board(ballot_id)).ok


def test_a_board_edited_after_the_fact_is_found_by_verify(hall: Hall, api: Api,
                                                         tmp_path: Path) -> None:
    ballot_id = hall.setup_and_open("election", CANDIDATES, max_choices=1)
    for user, pick in zip(VOTERS[:3], ["300", "301", "300"], strict=True):
        hall.tablet(user).cast(ballot_id, [pick], str(hall.pid(user)))
    hall.close(ballot_id)
    hall.count(ballot_id)
    good = hall.board(ballot_id)
    head = good["entries"][-1]["hash"]
    # someone with the database swaps the second ballot's first ciphertext for the first's
    first, second = good["entries"][1]["body"], good["entries"][2]["body"]
    edited = json.loads(json.dumps(second))
    edited["ballot"]["boxes"][0] = first["ballot"]["boxes"][0]
    engine = api.client.app.state.engine
    with engine.begin() as conn:
        conn.execute(text("UPDATE ballot_board_entry SET body = :body "
                          "WHERE ballot_id = :b AND position = 2"),
                     {"body": json.dumps(edited), "b": ballot_id})
    bad = hall.board(ballot_id)
    report = verify_board(bad, expected_head=head)
    assert not report.ok and report.first_bad_entry == 2
    path = tmp_path / "BOARD.json"
    path.write_text(json.dumps(bad))
    cli = CliRunner().invoke(hdnd, ["ballot", "verify", str(path)])
    assert cli.exit_code == 1


def test_a_restart_in_the_middle_loses_nothing_and_counts_nothing_twice(hall: Hall,
                                                                        api: Api) -> None:
    ballot_id = hall.setup_and_open("election", CANDIDATES, max_choices=2)
    definition, pk = _form(hall, ballot_id)
    picks = [["300", "301"], ["300"], ["302", "303"], ["301"], ["300", "303"], ["300"],
             ["301", "302"], ["303"]]
    sent = {}
    for user, pick in zip(VOTERS[:4], picks[:4], strict=True):
        sent[user] = make_ballot(definition, pick, pk, str(hall.pid(user))).to_json()
        assert _post(hall, user, ballot_id, sent[user]).status_code == 200
    settings = api.client.app.state.settings
    try:
        with TestClient(create_app(settings)) as client:  # the server restarts
            hall.api = Api(client, dict(api.tokens))
            for user in VOTERS[:4]:  # a tablet that never got its answer sends again
                again = _post(hall, user, ballot_id, sent[user])
                assert again.status_code == 409, again.text
            for user, pick in zip(VOTERS[4:], picks[4:], strict=True):
                hall.tablet(user).cast(ballot_id, pick, str(hall.pid(user)))
            hall.close(ballot_id)
            hall.count(ballot_id, COMMITTEE[:2])
        with TestClient(create_app(settings)) as client:  # and again before the last partial
            hall.api = Api(client, dict(api.tokens))
            view = hall.view(ballot_id)
            assert view["status"] == "closed" and view["turnout"] == 8
            assert [m["person_id"] for m in view["waiting_for"]] == [hall.pid(COMMITTEE[2])]
            counted = hall.count(ballot_id, COMMITTEE[2:])
            assert counted["result"]["counts"] == [4, 3, 2, 3]
            result = hall.public()["votes"][view["live_vote_id"]]["result"]
            assert result["ballots"] == 8 and hall.public()["votes"][view["live_vote_id"]][
                "turnout"] == 8
            report = verify_board(hall.board(ballot_id))
            assert report.ok and report.ballots_counted == 8
    finally:
        hall.api = api


def test_no_table_links_a_voter_to_a_choice(hall: Hall, api: Api) -> None:
    marked = [{"candidate_id": "cand-q7x1", "full_name": "Ứng viên Q"},
              {"candidate_id": "cand-z3k9", "full_name": "Ứng viên Z"}]
    ballot_id = hall.setup_and_open("election", marked, max_choices=1)
    for n, user in enumerate(VOTERS):
        hall.tablet(user).cast(ballot_id, ["cand-q7x1" if n % 3 else "cand-z3k9"],
                               str(hall.pid(user)))
    hall.close(ballot_id)
    assert hall.count(ballot_id)["result"]["counts"] == [5, 3]
    allowed = {("ballot", None), ("ballot_board_entry", "setup"),
               ("ballot_board_entry", "result"), ("live_event", "vote_opened"),
               ("live_event", "vote_closed"), ("secret_tally", None)}
    found = set()
    engine = api.client.app.state.engine
    with engine.connect() as conn:
        from sqlalchemy import inspect

        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')).mappings():
                cells = " ".join(str(v) for v in row.values())
                if "cand-q7x1" in cells or "cand-z3k9" in cells:
                    kind = row.get("kind") if table == "ballot_board_entry" else \
                        row.get("type") if table == "live_event" else None
                    found.add((table, kind))
                    if table == "secret_tally":
                        assert row["count"] == 0  # counters made at open, never used
    assert found <= allowed, found - allowed
    assert ("ballot_board_entry", "result") in found
