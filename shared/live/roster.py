"""Who sits in the sitting and what is on its agenda.

The server builds a :class:`Roster` from its database when the chair opens the sitting;
it travels inside the ``sitting_opened`` event so that a tablet replaying the events
knows everything the reducer needs without asking the database.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Member(_Frozen):
    """A delegate of the body: counts for the quorum and may vote."""

    person_id: int
    full_name: str
    delegate_group: str | None = None


class Official(_Frozen):
    """An invited official (UBND leader, department head) who answers questions."""

    person_id: int
    full_name: str
    title: str = ""


class AgendaDocument(_Frozen):
    document_id: int
    title: str


class AgendaItem(_Frozen):
    """One line of the agenda; ``number`` is what people say ("2.1"), ``item_id`` the key."""

    item_id: int
    number: str
    title: str
    documents: tuple[AgendaDocument, ...] = ()
    parent_id: int | None = None


class QuorumRule(_Frozen):
    """At least ``numerator/denominator`` of ALL members must be present (default 2/3)."""

    numerator: int = Field(default=2, ge=1)
    denominator: int = Field(default=3, ge=1)

    def needed(self, members_total: int) -> int:
        # integer arithmetic: 25 * 2 / 3 must give 17, never 16.999 -> 16
        return math.ceil(members_total * self.numerator / self.denominator) if members_total else 0

    @model_validator(mode="after")
    def _at_most_all(self) -> QuorumRule:
        if self.numerator > self.denominator:
            raise ValueError("quorum cannot exceed all members")
        return self


class TurnLimits(_Frozen):
    """Default time of each kind of turn, in seconds; configurable per body. The question,
    answer and follow-up limits are rule ``questioning_time_limits`` (docs/rules.md):
    a default of the system, not verified against a legal text."""

    speech: int = 420
    debate: int = 180
    question: int = 120
    answer: int = 300
    follow_up: int = 60

    def for_kind(self, kind: str) -> int:
        return int(getattr(self, kind))


class Roster(_Frozen):
    members: tuple[Member, ...]
    officials: tuple[Official, ...] = ()
    chair_ids: frozenset[int] = frozenset()
    secretary_ids: frozenset[int] = frozenset()
    quorum: QuorumRule = QuorumRule()
    publish_named_votes: bool = False
    agenda: tuple[AgendaItem, ...] = ()
    limits: TurnLimits = TurnLimits()

    @property
    def member_ids(self) -> frozenset[int]:
        return frozenset(m.person_id for m in self.members)

    @property
    def official_ids(self) -> frozenset[int]:
        return frozenset(o.person_id for o in self.officials)

    def item(self, item_id: int) -> AgendaItem | None:
        return next((i for i in self.agenda if i.item_id == item_id), None)

    def name_of(self, person_id: int) -> str | None:
        people: tuple[Member | Official, ...] = (*self.members, *self.officials)
        for person in people:
            if person.person_id == person_id:
                return person.full_name
        return None


class Actor(_Frozen):
    """Who sends a command. The server builds it from the authenticated caller."""

    person_id: int
    is_chair: bool = False
    is_secretary: bool = False
    is_member: bool = False
    is_official: bool = False
    device_id: str | None = None

    @classmethod
    def of(cls, roster: Roster, person_id: int, device_id: str | None = None) -> Actor:
        """Rights of ``person_id`` as the roster gives them."""
        return cls(
            person_id=person_id,
            is_chair=person_id in roster.chair_ids,
            is_secretary=person_id in roster.secretary_ids,
            is_member=person_id in roster.member_ids,
            is_official=person_id in roster.official_ids,
            device_id=device_id,
        )
