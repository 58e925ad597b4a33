"""The hub in-process: group commit, and a worker that misses a Redis message."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from sqlalchemy import event as sa_event
from sqlmodel import Session, func, select

from server.db import make_engine
from server.live.connection import Connection
from server.live.fanout import RedisFanout
from server.live.hub import SittingHub
from server.live.recorder import Caller, Request, record_batch
from server.models.live import CommandReceipt, LiveEvent
from shared.live.commands import CastVote, CheckIn, CloseVote, OpenSitting, OpenVote
from shared.live.protocol import Ack, ErrorMessage
from shared.live.roster import Roster
from tests.conftest import make_settings
from tests.server.live.conftest import copy_template, new_sitting_row

REDIS_URL = os.environ.get("HDND_TEST_REDIS", "redis://127.0.0.1:6379/15")


class Screen:
    """The socket end of a connection: keeps every message the server sends it."""

    def __init__(self) -> None:
        self.messages: list[dict] = []

    async def send_text(self, text: str) -> None:
        self.messages.append(json.loads(text))

    async def close(self, code: int = 1000) -> None:
        self.messages.append({"type": "closed", "code": code})

    def seqs(self) -> list[int]:
        out = []
        for m in self.messages:
            events = [m["event"]] if m["type"] == "event" else m.get("events", [])
            out += [e["seq"] for e in events] if m["type"] in ("event", "events") else []
        return out


def _roster(engine, sitting_id: int) -> Roster:
    from server.live.store import get_sitting

    with Session(engine) as db:
        return Roster.model_validate_json(get_sitting(db, sitting_id).roster)


@pytest.fixture
def engine(seeded_template: Path, tmp_path: Path):
    engine = make_engine(make_settings(copy_template(seeded_template, tmp_path / "data")))
    yield engine
    engine.dispose()


def test_a_batch_is_one_transaction_with_repeats_and_refusals_kept_apart(engine):
    sitting_id, chair = new_sitting_row(engine)
    members = [m.person_id for m in _roster(engine, sitting_id).members]
    opened = record_batch(engine, sitting_id, [Request(OpenSitting(key="open-0001"),
                                                       Caller(chair))], None)
    first, second = members[0], members[1]
    requests = [
        Request(CheckIn(key="in-first-1"), Caller(first)),
        Request(CheckIn(key="in-first-1"), Caller(first)),  # the same key again, same batch
        Request(CloseVote(key="close-none", vote_id="v999"), Caller(chair)),  # refused
        Request(CheckIn(key="in-second"), Caller(second)),
        Request(CheckIn(key="in-anon-01"), Caller(None)),  # refused
    ]
    commits = []
    sa_event.listen(engine, "commit", lambda _conn: commits.append(1))
    outcome = record_batch(engine, sitting_id, requests, opened.state)
    ack, repeat, refused, other, anon = outcome.answers
    assert isinstance(ack, Ack) and ack.seqs == (2,) and not ack.duplicate
    assert isinstance(repeat, Ack) and repeat.seqs == (2,) and repeat.duplicate
    assert isinstance(refused, ErrorMessage) and refused.key == "close-none"
    assert isinstance(other, Ack) and other.seqs == (3,)
    assert isinstance(anon, ErrorMessage) and anon.code == "unknown_person"
    assert [e.seq for e in outcome.events] == [2, 3] and len(commits) == 1
    assert outcome.state.present == frozenset({first, second})
    # a later resend is answered from the stored receipt, and changes nothing
    again = record_batch(engine, sitting_id, requests[:1], outcome.state)
    assert again.answers[0].seqs == (2,) and again.answers[0].duplicate and not again.events
    with Session(engine) as db:
        assert db.exec(select(func.count()).select_from(LiveEvent)
                       .where(LiveEvent.sitting_id == sitting_id)).one() == 3
        assert db.exec(select(func.count()).select_from(CommandReceipt)
                       .where(CommandReceipt.sitting_id == sitting_id)).one() == 3


def test_votes_arriving_together_share_commits_and_each_counts_once(engine):
    sitting_id, chair = new_sitting_row(engine)
    members = [m.person_id for m in _roster(engine, sitting_id).members]

    async def run() -> tuple[list, int, Screen]:
        hub = SittingHub(engine)
        await hub.start()
        screen = Screen()
        connection = Connection(screen, None)  # type: ignore[arg-type]
        connection.start()
        hub.subscribe(sitting_id, connection)
        connection.go_live(0)
        await hub.submit(sitting_id, OpenSitting(key="open-0001"), Caller(chair))
        await asyncio.gather(*(hub.submit(sitting_id, CheckIn(key=f"in-{p:06d}"), Caller(p))
                               for p in members))
        opened = await hub.submit(sitting_id, OpenVote(key="vote-0001", item_id=_item(engine,
                                  sitting_id), question="Thông qua?"), Caller(chair))
        vote_id = f"v{opened.seqs[0]}"
        commits = []
        sa_event.listen(engine, "commit", lambda _conn: commits.append(1))
        votes = [CastVote(key=f"vote-{p:06d}", vote_id=vote_id, choice="yes") for p in members]
        answers = await asyncio.gather(
            *(hub.submit(sitting_id, v, Caller(p)) for v, p in zip(votes, members, strict=True)),
            *(hub.submit(sitting_id, v, Caller(p)) for v, p in zip(votes, members, strict=True)))
        await hub.submit(sitting_id, CloseVote(key="close-0001", vote_id=vote_id), Caller(chair))
        state, _ = await hub.current(sitting_id)
        await asyncio.sleep(0.05)
        await connection.stop()
        await hub.stop()
        return answers, len(commits), screen, state.votes[vote_id]

    answers, commits, screen, vote = asyncio.run(run())
    n = len(members)
    assert all(isinstance(a, Ack) for a in answers)
    assert [a.seqs for a in answers[:n]] == [a.seqs for a in answers[n:]]  # same answer twice
    assert sum(a.duplicate for a in answers) == n
    assert commits < n  # grouped: fewer transactions than votes
    assert vote.result is not None and vote.result.ballots == n
    assert screen.seqs() == list(range(1, screen.seqs()[-1] + 1))  # every event once, in order
    assert len(screen.messages) < screen.seqs()[-1]  # batches travel as one message


def test_the_sqlite_write_lock_is_held_without_rewriting_the_sitting(engine):
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from server.live import store

    sitting_id, _chair = new_sitting_row(engine)
    with Session(engine) as first, Session(engine) as second:
        sqlite = first.connection().connection.driver_connection
        changes = sqlite.total_changes
        store.take_write_lock(first, sitting_id)
        assert sqlite.total_changes == changes  # held without rewriting the sitting's row
        second.execute(text("PRAGMA busy_timeout = 100"))
        with pytest.raises(OperationalError, match="locked"):  # a second writer waits
            store.take_write_lock(second, sitting_id)
        second.rollback()
        first.rollback()
        store.take_write_lock(second, sitting_id)  # free once the first has finished
        second.rollback()


def _item(engine, sitting_id: int) -> int:
    return _roster(engine, sitting_id).agenda[0].item_id


@pytest.mark.postgres
def test_a_worker_that_misses_a_redis_message_loads_it_from_the_database(pg_seeded):
    data_dir, url = pg_seeded
    engine = make_engine(make_settings(data_dir, url))
    sitting_id, chair = new_sitting_row(engine, "Phiên mất tin Redis")
    members = [m.person_id for m in _roster(engine, sitting_id).members]
    prefix = f"hdnd-test-{os.getpid()}:sitting:"

    async def run() -> Screen:
        writer = SittingHub(engine, RedisFanout(REDIS_URL, prefix))
        reader = SittingHub(engine, RedisFanout(REDIS_URL, prefix))
        await writer.start()
        await reader.start()
        screen = Screen()
        connection = Connection(screen, None)  # type: ignore[arg-type]
        connection.start()
        reader.subscribe(sitting_id, connection)
        state, _events = await reader.current(sitting_id)
        connection.go_live(state.seq)
        await writer.submit(sitting_id, OpenSitting(key="open-0001"), Caller(chair))
        await _until(lambda: screen.seqs() == [1])
        # the reader's Redis subscription drops for a moment: it misses seq 2
        await reader.fanout._pubsub.punsubscribe(prefix + "*")
        await asyncio.sleep(0.1)
        await writer.submit(sitting_id, CheckIn(key="in-missed"), Caller(members[0]))
        await reader.fanout._pubsub.psubscribe(prefix + "*")
        await asyncio.sleep(0.1)
        await writer.submit(sitting_id, CheckIn(key="in-after"), Caller(members[1]))
        await _until(lambda: len(screen.seqs()) >= 3)
        await connection.stop()
        for hub in (writer, reader):
            await hub.stop()
        return screen

    try:
        screen = asyncio.run(run())
    finally:
        engine.dispose()
    assert screen.seqs() == [1, 2, 3]
    assert not [m for m in screen.messages if m["type"] in ("resync", "closed")]


async def _until(predicate, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)
