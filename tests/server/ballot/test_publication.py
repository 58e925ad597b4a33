"""The public board: nothing before the count, everything (but no choice) after it."""

from __future__ import annotations

from sqlmodel import Session

from server.models import Body, CouncilSession
from server.models.live import Sitting
from shared.ballot.verify import verify_board
from tests.server.ballot.conftest import COMMITTEE, VOTERS, Hall

CANDIDATES = [{"candidate_id": "cand-a", "full_name": "Hờ A Dế"},
              {"candidate_id": "cand-b", "full_name": "Lù Thị Mỷ"}]


def _public(hall: Hall, path: str):
    return hall.api.request(None, "GET", path)


def test_nothing_is_public_until_the_count_then_the_whole_board_is(hall: Hall) -> None:
    ballot_id = hall.setup_and_open("election", CANDIDATES, max_choices=1)
    receipts = {user: hall.tablet(user).cast(ballot_id, [pick], str(hall.pid(user))).receipt
                for user, pick in zip(VOTERS[:3], ["cand-a", "cand-b", "cand-a"], strict=True)}
    paths = [f"/api/public/ballots/{ballot_id}", f"/api/public/ballots/{ballot_id}/board",
             f"/api/public/ballots/{ballot_id}/receipts/{receipts['delegate04']}",
             f"/bo-phieu-kin/{ballot_id}"]

    def all_hidden() -> None:
        for path in paths:
            answer = _public(hall, path)
            assert answer.status_code == 404, (path, answer.text)
            if path.startswith("/api/"):
                problem = answer.json()
                assert problem["code"] == "ballot_not_published"
                assert "Ban kiểm phiếu" in problem["message_vi"] and problem["message_en"]
                assert not {"found", "counted", "voter_id", "entries"} & set(problem)

    all_hidden()  # open: the roll is for the sitting, not for the public
    hall.close(ballot_id)
    hall.count(ballot_id, COMMITTEE[:2])
    all_hidden()  # closed, one member still to decrypt
    hall.count(ballot_id, COMMITTEE[2:])

    board = _public(hall, f"/api/public/ballots/{ballot_id}/board").json()
    assert board == hall.board(ballot_id)  # the same board the sitting sees
    assert verify_board(board).ok and verify_board(board).counts == [2, 1]
    summary = _public(hall, f"/api/public/ballots/{ballot_id}").json()
    assert summary["verification"]["ok"] and summary["ballots_counted"] == 3
    assert [c["votes"] for c in summary["candidates"]] == [2, 1]
    assert summary["board_head"] == board["entries"][-1]["hash"]

    mine = _public(hall, f"/api/public/ballots/{ballot_id}/receipts/{receipts['delegate05']}")
    assert mine.json()["found"] and mine.json()["counted"]
    assert mine.json()["voter_id"] == str(hall.pid("delegate05"))
    unknown = _public(hall, f"/api/public/ballots/{ballot_id}/receipts/{'0' * 64}")
    assert unknown.status_code == 200 and unknown.json() == {"receipt": "0" * 64, "found": False}
    bad = _public(hall, f"/api/public/ballots/{ballot_id}/receipts/xyz")
    assert bad.status_code == 422 and bad.json()["code"] == "receipt_malformed"

    # the session page links the board; the board page answers a lookup in Vietnamese
    session_id = summary["session_id"]
    assert f'href="/bo-phieu-kin/{ballot_id}"' in _public(hall, f"/phien-hop/{session_id}").text
    spaced = " ".join(receipts["delegate06"][i:i + 8] for i in range(0, 64, 8)).upper()
    page = hall.api.client.get(f"/bo-phieu-kin/{ballot_id}", params={"bien_nhan": spaced})
    assert page.status_code == 200 and "đã được kiểm" in page.text
    assert "Hờ A Dế" in page.text and summary["board_head"] in page.text


def test_a_body_that_does_not_publish_results_publishes_no_board(hall: Hall, api) -> None:
    ballot_id = hall.setup_and_open("election", CANDIDATES, max_choices=1)
    hall.tablet(VOTERS[0]).cast(ballot_id, ["cand-b"], str(hall.pid(VOTERS[0])))
    hall.close(ballot_id)
    hall.count(ballot_id)
    engine = api.client.app.state.engine
    with Session(engine) as db:
        sitting = db.get(Sitting, hall.sitting_id)
        body = db.get(Body, db.get(CouncilSession, sitting.session_id).body_id)
        body_id = body.id
        body.publish_vote_results = False
        db.add(body)
        db.commit()
    try:
        answer = _public(hall, f"/api/public/ballots/{ballot_id}/board")
        assert answer.status_code == 404 and answer.json()["code"] == "ballot_not_published"
        # the sitting still has it, signed in
        assert verify_board(hall.board(ballot_id)).ok
    finally:
        with Session(engine) as db:
            body = db.get(Body, body_id)
            body.publish_vote_results = True
            db.add(body)
            db.commit()
