"""A secret ballot leaves no link between a delegate and a choice, in any table or log."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest

from shared.live.protocol import RATE_LIMIT_PER_S
from tests.server.live.conftest import Server, copy_template
from tests.server.live.device import Device

VOTERS = [f"delegate{n:02d}" for n in range(1, 7)]
# distinctive keys, so that finding one anywhere is meaningful
OPTIONS = [{"key": "opt-yes-7f3q", "label_vi": "Đồng ý", "label_en": "Yes"},
           {"key": "opt-no-2k9z", "label_vi": "Không đồng ý", "label_en": "No"}]
CANDIDATES = [{"candidate_id": "cand-a-x81", "full_name": "Ứng viên A"},
              {"candidate_id": "cand-b-y27", "full_name": "Ứng viên B"}]
OFFICIAL = "offi-q7w3"
SECRETS = ["opt-yes-7f3q", "opt-no-2k9z", "cand-a-x81", "cand-b-y27", OFFICIAL]


@pytest.fixture(scope="module")
def own_server(seeded_template: Path, tmp_path_factory):
    srv = Server(copy_template(seeded_template, tmp_path_factory.mktemp("live-secret"))).start()
    yield srv
    srv.stop()


def test_no_row_and_no_log_line_links_a_voter_to_a_secret_choice(own_server: Server):
    server = own_server
    sitting_id = server.new_sitting("Phiên bầu cử")

    async def run() -> None:
        d = {u: Device(server.ws(sitting_id), server.token(u)) for u in ["chair", *VOTERS]}
        await asyncio.gather(*(x.connect() for x in d.values()))
        chair = d["chair"]
        await chair.do("open_sitting")
        for user in VOTERS:
            await d[user].do("check_in")
        # the rest of the council, checked in by the chair: secret ballots bind the council
        # and are refused without quorum (docs/rules.md)
        for member in chair.state.roster.members:
            if member.person_id not in chair.state.present:
                await chair.do("check_in", person_id=member.person_id)
                await asyncio.sleep(1 / RATE_LIMIT_PER_S)  # one device's fair share of commands
        item_id = chair.state.roster.agenda[0].item_id
        ballots = [
            ({"mode": "secret", "options": OPTIONS},
             ["opt-yes-7f3q"] * 4 + ["opt-no-2k9z"] * 2),
            ({"mode": "election", "candidates": CANDIDATES, "max_choices": 1},
             [["cand-a-x81"]] * 5 + [["cand-b-y27"]]),
            ({"mode": "confidence",
              "officials": [{"candidate_id": OFFICIAL, "full_name": "Lồ Văn Dũng"}]},
             [{OFFICIAL: "high"}] * 3 + [{OFFICIAL: "low"}] * 3),
        ]
        results = []
        for settings, choices in ballots:
            opened = await chair.do("open_vote", item_id=item_id, question="Bỏ phiếu kín",
                                    **settings)
            assert opened["type"] == "ack", opened
            vote_id = f"v{opened['seqs'][0]}"
            for user, choice in zip(VOTERS, choices, strict=True):
                assert (await d[user].do("cast_vote", vote_id=vote_id,
                                         choice=choice))["type"] == "ack"
            # even the voter's own device gets no choice back for a secret mode
            assert d[VOTERS[0]].state.votes[vote_id].choices == {}
            closed = await chair.do("close_vote", vote_id=vote_id)
            await chair.wait_seq(closed["seqs"][-1])
            results.append(chair.state.votes[vote_id].result)
        await chair.do("close_sitting")
        for device in d.values():
            await device.close()
        assert results[0].counts == {"opt-yes-7f3q": 4, "opt-no-2k9z": 2}
        assert results[1].counts == {"cand-a-x81": 5, "cand-b-y27": 1}
        # 5 votes are not more than half of all delegates: the law's threshold, not the hall's
        assert results[1].elected == () and results[1].threshold == "majority_of_all"
        assert results[2].ratings == {OFFICIAL: {"high": 3, "low": 3}}

    asyncio.run(run())
    server.stop()  # flush everything to the file and the log

    allowed = {("live_event", "vote_opened"), ("live_event", "vote_closed"),
               ("secret_tally", None)}
    with sqlite3.connect(server.data_dir / "hdnd.sqlite3") as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        found = []
        for table in tables:
            columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
            for row in db.execute(f'SELECT * FROM "{table}"'):
                text = " ".join(str(v) for v in row)
                if any(secret in text for secret in SECRETS):
                    kind = dict(zip(columns, row, strict=True)).get("type")
                    found.append((table, kind if table == "live_event" else None))
        assert found and set(found) <= allowed, set(found) - allowed
        # the ballot box holds counts only: no voter, no time, no order (and whose council)
        columns = [r[1] for r in db.execute('PRAGMA table_info("secret_tally")')]
        assert columns == ["sitting_id", "vote_id", "choice_key", "count", "council_id"]
        # this sitting's votes: the demo's hearings hold open votes of their own
        mine = "AND sitting_id = ?"
        for (payload,) in db.execute(
                f"SELECT payload FROM live_event WHERE type='vote_cast' {mine}", (sitting_id,)):
            assert json.loads(payload)["choice"] is None
        for (payload,) in db.execute(
                f"SELECT payload FROM live_event WHERE type='vote_closed' {mine}", (sitting_id,)):
            assert json.loads(payload)["result"]["roll"] is None
    log = server.log_path.read_text()
    assert "vote" in log.lower() or "GET" in log  # the log exists and has content
    assert not any(secret in log for secret in SECRETS)
