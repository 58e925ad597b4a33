"""The minutes name candidates and officials by the ids the chair gave them, which are
strings ("cand-a", "p101", "12"), not person ids: the minutes used to call int() on them."""

from __future__ import annotations

from sqlmodel import Session

from server.services.minutes import minutes_document, vote_count_sheet
from shared.reports.document import Paragraph, Table
from tests.server.ballot.conftest import COMMITTEE, VOTERS, Hall
from tests.server.conftest import Api


def _text(document) -> str:
    lines = []
    for section in document.sections:
        for block in section.body:
            if isinstance(block, Table):
                lines += [" | ".join(row) for row in block.rows]
            elif isinstance(block, Paragraph):
                lines.append(block.text)
            else:
                lines.append(str(getattr(block, "items", block)))
    return "\n".join(lines)


def test_minutes_name_candidates_and_officials_with_string_ids(hall: Hall, api: Api) -> None:
    engine = api.client.app.state.engine
    election = hall.setup_and_open("election", [
        {"candidate_id": "cand-a", "full_name": "Giàng Seo Phử"},
        {"candidate_id": "cand-b", "full_name": "Lò Thị Xuân"}], max_choices=1)
    for user, pick in zip(VOTERS[:5], ["cand-a", "cand-a", "cand-b", "cand-a", "cand-a"],
                          strict=True):
        hall.tablet(user).cast(election, [pick], str(hall.pid(user)))
    hall.close(election)
    live_election = hall.view(election)["live_vote_id"]
    hall.count(election, COMMITTEE[:2])
    with Session(engine) as db:  # counting: the minutes say who the count waits for
        text = _text(minutes_document(db, hall.sitting_id))
    waiting = hall.view(election)["waiting_for"][0]["full_name"]
    assert f"Ban kiểm phiếu chưa giải mã xong (đang chờ {waiting})" in text
    hall.count(election, COMMITTEE[2:])

    confidence = hall.setup_and_open("confidence", [
        {"candidate_id": "p101", "full_name": "Sùng A Páo"},
        {"candidate_id": "12", "full_name": "Vàng Thị Mai"}])
    for user in VOTERS[:3]:
        hall.tablet(user).cast(confidence, {"p101": "low", "12": "high"}, str(hall.pid(user)))
    hall.close(confidence)
    hall.count(confidence)
    live_confidence = hall.view(confidence)["live_vote_id"]
    # "12" is the chair's id for an official, not person 12: the live vote links nobody
    officials = hall.state()["votes"][live_confidence]["officials"]
    assert [(o["candidate_id"], o["person_id"]) for o in officials] == [("p101", None),
                                                                         ("12", None)]

    with Session(engine) as db:
        text = _text(minutes_document(db, hall.sitting_id))
        sheet = _text(vote_count_sheet(db, hall.sitting_id, live_confidence))
        election_sheet = _text(vote_count_sheet(db, hall.sitting_id, live_election))
    # the election: 4 of 5 is not more than half of all delegates, nobody elected, yet the
    # counts show by name; the confidence ratings show by name, not by id
    assert "Sùng A Páo: Tín nhiệm thấp 3" in text
    assert "Vàng Thị Mai: Tín nhiệm cao 3" in text
    assert "Sùng A Páo: Tín nhiệm thấp 3" in sheet
    assert "Giàng Seo Phử | 4" in election_sheet and "Lò Thị Xuân | 1" in election_sheet


def test_minutes_name_the_elected_by_candidate_id(hall: Hall, api: Api) -> None:
    """Enough voters for a majority of all delegates: "Trúng cử" lists the name."""
    from server.services import minutes

    ballot_id = hall.setup_and_open("election", [
        {"candidate_id": "ung-vien-x", "full_name": "Thào Mí Lử"},
        {"candidate_id": "ung-vien-y", "full_name": "Hầu Thị Dợ"}], max_choices=1)
    more = [f"delegate{n:02d}" for n in range(12, 17)]
    for user in more:  # 8 voters + 3 members + 5 more: a majority of all delegates
        # (checked in already by the fixture, for the quorum)
        hall.people[user] = hall.api.request(user, "GET", "/api/auth/me").json()["person"]["id"]
    for user in [*VOTERS, *COMMITTEE, *more]:
        hall.tablet(user).cast(ballot_id, ["ung-vien-x"], str(hall.pid(user)))
    hall.close(ballot_id)
    hall.count(ballot_id)
    live_vote = hall.view(ballot_id)["live_vote_id"]
    with Session(api.client.app.state.engine) as db:
        ctx = minutes._Context(db, hall.sitting_id)
        vote = ctx.state.votes[live_vote]
        assert vote.result.elected == ("ung-vien-x",)
        lines = [str(getattr(b, "text", b)) for b in minutes._vote_lines(ctx, vote)]
    assert "Trúng cử: Thào Mí Lử." in lines
    # the helper itself, on an id that no longer exists on the vote, keeps the id
    with Session(api.client.app.state.engine) as db:
        ctx = minutes._Context(db, hall.sitting_id)
        assert minutes._subject_name(ctx, ctx.state.votes[live_vote], "ung-vien-y") == "Hầu Thị Dợ"
        assert minutes._subject_name(ctx, ctx.state.votes[live_vote], "gone") == "gone"
