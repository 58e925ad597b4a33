"""End to end through the API with real crypto: an election and a confidence vote."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from server.cli import app as hdnd
from shared.ballot.verify import verify_board
from tests.server.ballot.conftest import COMMITTEE, VOTERS, Hall

CANDIDATES = [{"candidate_id": str(100 + n), "full_name": f"Ứng cử viên {n}"} for n in range(4)]


def test_election_two_of_four_counts_and_a_board_anyone_can_verify(hall: Hall,
                                                                   tmp_path: Path) -> None:
    ballot_id = hall.setup_and_open("election", CANDIDATES, max_choices=2)
    view = hall.view(ballot_id)
    assert view["public_key"] and view["voters_total"] >= len(VOTERS)
    live_vote = hall.state()["votes"][view["live_vote_id"]]
    assert live_vote["ballot_id"] == ballot_id and live_vote["mode"] == "election"

    picks = [["100", "101"], ["100", "102"], ["100"], ["101", "100"], ["103"], ["100", "103"],
             [], ["101", "102"]]
    receipts = {}
    for user, pick in zip(VOTERS, picks, strict=True):
        receipts[user] = hall.tablet(user).cast(ballot_id, pick, str(hall.pid(user))).receipt
    # turnout reaches every tablet and the projector while the vote is open, counts do not
    public_vote = hall.public()["votes"][view["live_vote_id"]]
    assert public_vote["turnout"] == 8 and public_vote["result"] is None

    closed = hall.close(ballot_id)
    assert closed["status"] == "closed"
    assert [m["person_id"] for m in closed["waiting_for"]] == [hall.pid(u) for u in COMMITTEE]
    counted = hall.count(ballot_id)
    assert counted["status"] == "counted"
    assert counted["result"]["counts"] == [5, 3, 2, 2]
    assert counted["waiting_for"] == []

    # the projector gets the result through the live vote_closed event
    result = hall.public()["votes"][view["live_vote_id"]]["result"]
    assert result["counts"] == {"100": 5, "101": 3, "102": 2, "103": 2}
    assert result["ballots"] == 8

    board = hall.board(ballot_id)
    report = verify_board(board)
    assert report.ok and report.counts == [5, 3, 2, 2] and report.status == "counted"
    path = tmp_path / "BOARD.json"
    path.write_text(json.dumps(board))
    cli = CliRunner().invoke(hdnd, ["ballot", "verify", str(path)])
    assert cli.exit_code == 0, cli.output

    # each delegate finds their own receipt on the board
    mine = hall.tablet("delegate04").find_receipt(ballot_id, receipts["delegate04"])
    assert mine["voter_id"] == str(hall.pid("delegate04")) and mine["counted"] is True
    # the committee forgot its secrets once the partials were sent
    assert all(not hall.tablet(u)._keys for u in COMMITTEE)


def test_confidence_vote_for_two_officials_with_the_rule_text(hall: Hall) -> None:
    officials = [{"candidate_id": "201", "full_name": "Chủ tịch UBND"},
                 {"candidate_id": "202", "full_name": "Phó Chủ tịch UBND"}]
    ballot_id = hall.setup_and_open("confidence", officials)
    members_total = hall.view(ballot_id)["definition"]["members_total"]
    ratings = [{"201": "high", "202": "low"}, {"201": "medium", "202": "low"},
               {"201": "high", "202": "low"}, {"201": "low", "202": "low"},
               {"201": "high", "202": "medium"}, {"201": "high", "202": "low"},
               {"201": "medium", "202": "low"}, {"201": "high", "202": "high"}]
    for user, rating in zip(VOTERS, ratings, strict=True):
        hall.tablet(user).cast(ballot_id, rating, str(hall.pid(user)))
    hall.close(ballot_id)
    view = hall.count(ballot_id)
    officials_out = view["result"]["confidence"]["officials"]
    assert [o["counts"] for o in officials_out] == [{"high": 5, "medium": 2, "low": 1},
                                                    {"high": 1, "medium": 1, "low": 6}]
    # the base is all delegates of the council, not the ballots cast
    low = 6
    expected = ("two_thirds_low" if 3 * low >= 2 * members_total else "more_than_half_low"
                if 2 * low > members_total else "none")
    assert officials_out[1]["flag"] == expected
    assert officials_out[0]["flag"] == "none"
    assert view["result"]["confidence"]["source"].startswith("Nghị quyết số 96/2023/QH15")
    assert verify_board(hall.board(ballot_id)).ok
    live = hall.public()["votes"][view["live_vote_id"]]["result"]
    assert live["ratings"]["202"] == {"high": 1, "medium": 1, "low": 6}


def test_the_count_sheet_lists_committee_counts_rule_and_board_hash(hall: Hall, api) -> None:
    from sqlmodel import Session

    from server.services.minutes import vote_count_sheet
    from shared.reports.document import BulletList, Table

    officials = [{"candidate_id": "501", "full_name": "Người được lấy phiếu"}]
    ballot_id = hall.setup_and_open("confidence", officials)
    for user in VOTERS:
        hall.tablet(user).cast(ballot_id, {"501": "low"}, str(hall.pid(user)))
    hall.close(ballot_id)
    view = hall.count(ballot_id)
    with Session(api.client.app.state.engine) as db:
        sheet = vote_count_sheet(db, hall.sitting_id, view["live_vote_id"])
    blocks = [block for section in sheet.sections for block in section.body]
    text = "\n".join(str(getattr(b, "text", b)) for b in blocks)
    assert "Ban kiểm phiếu:" in text
    assert view["board_head"] in text
    table = next(b for b in blocks if isinstance(b, Table) and "Tín nhiệm thấp" in b.header)
    assert table.rows == [["Người được lấy phiếu", "0", "0", "8"]]
    flags = [b for b in blocks if isinstance(b, BulletList)]
    members_total = view["definition"]["members_total"]
    if 2 * 8 > members_total:
        # the consequence's article (Điều 13 lists the triggers of a confidence vote)
        assert "Điều 12" in flags[0].items[0] and "Điều 13" not in flags[0].items[0]
    else:
        assert not flags
