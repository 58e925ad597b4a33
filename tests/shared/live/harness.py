"""A hall for tests: a roster, a fake clock, and commands run through decide + apply."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from shared.live import (
    Actor,
    CommandRejected,
    Decision,
    InMemoryBallotBox,
    Roster,
    SittingState,
    apply,
    decide,
)
from shared.live.commands import COMMAND_ADAPTER
from shared.live.events import Event
from shared.live.roster import AgendaDocument, AgendaItem, Member, Official
from shared.live.voting import SECRET_MODES

T0 = datetime(2026, 7, 10, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
CHAIR = 1
SECRETARY = 2
OFFICIAL_A = 101  # Chủ tịch UBND xã
OFFICIAL_B = 102  # Trưởng phòng Kinh tế
OUTSIDER = 999


def make_roster(members: int = 25, publish_named_votes: bool = False) -> Roster:
    return Roster(
        members=tuple(
            Member(person_id=i, full_name=f"Đại biểu {i}", delegate_group=f"Tổ {i % 5 + 1}")
            for i in range(1, members + 1)
        ),
        officials=(
            Official(person_id=OFFICIAL_A, full_name="Lò Văn A", title="Chủ tịch UBND xã"),
            Official(person_id=OFFICIAL_B, full_name="Giàng Thị B", title="Trưởng phòng Kinh tế"),
        ),
        chair_ids=frozenset({CHAIR}),
        secretary_ids=frozenset({SECRETARY}),
        publish_named_votes=publish_named_votes,
        agenda=(
            AgendaItem(
                item_id=10, number="1", title="Báo cáo kinh tế - xã hội 6 tháng",
                documents=(
                    AgendaDocument(document_id=501, title="Báo cáo"),
                    AgendaDocument(document_id=502, title="Báo cáo thẩm tra"),
                ),
            ),
            AgendaItem(item_id=11, number="2", title="Nghị quyết về đầu tư công"),
            AgendaItem(
                item_id=12, number="2.1", title="Dự thảo nghị quyết", parent_id=11,
                documents=(AgendaDocument(document_id=503, title="Dự thảo"),),
            ),
        ),
    )


class Hall:
    """The server's side of one sitting, in memory, with a clock the test moves."""

    def __init__(self, roster: Roster | None = None, sitting_id: int = 7):
        self.roster = roster or make_roster()
        self.state = SittingState.new(sitting_id, self.roster)
        self.events: list[Event] = []
        self.box = InMemoryBallotBox()
        self.now = T0
        self._keys = itertools.count(1)

    def actor(self, person_id: int) -> Actor:
        return Actor.of(self.roster, person_id)

    def do(self, who: int, type_: str, /, advance: float = 1, **fields) -> Decision:
        self.now += timedelta(seconds=advance)
        command = COMMAND_ADAPTER.validate_python(
            {"type": type_, "key": f"key-{next(self._keys):06d}", **fields}
        )
        tally = None
        vote = self.state.votes.get(fields.get("vote_id", ""))
        if type_ == "close_vote" and vote is not None and vote.mode in SECRET_MODES:
            tally = self.box.tally(vote.vote_id)
        decision = decide(self.state, command, self.actor(who), self.now, tally=tally)
        for event in decision.events:
            self.state = apply(self.state, event)
            self.events.append(event)
        if decision.secret_choice is not None:
            self.box.record(decision.secret_choice.vote_id, decision.secret_choice.choice)
        return decision

    def refused(self, who: int, type_: str, /, **fields) -> str:
        """Run a command that must be refused; check nothing changed; return the code."""
        before, before_json, count = self.state, self.state.model_dump_json(), len(self.events)
        with pytest.raises(CommandRejected) as caught:
            self.do(who, type_, **fields)
        assert self.state is before and self.state.model_dump_json() == before_json
        assert len(self.events) == count
        assert caught.value.message_vi and caught.value.message_en
        return caught.value.code

    def check_in_all(self, people) -> None:
        for person in people:
            self.do(person, "check_in")

    def last(self, n: int = 1) -> list[Event]:
        return self.events[-n:]


def ready_hall(present: int = 17, **roster_options) -> Hall:
    """An open sitting with ``present`` members checked in and item 10 open."""
    hall = Hall(make_roster(**roster_options))
    hall.do(CHAIR, "open_sitting")
    hall.check_in_all(range(1, present + 1))
    hall.do(CHAIR, "open_item", item_id=10)
    return hall
