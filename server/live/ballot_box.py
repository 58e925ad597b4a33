"""The database ballot box of secret modes: counters, never ballots.

Implements ``shared.live.ballot_box.BallotBox`` on the ``secret_tally`` table. Every
counter of a vote is created (at zero) when the vote opens, so nothing about the order
of arrival survives; a ballot only adds one to existing counters, in the same
transaction as its choice-free ``vote_cast`` event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlmodel import Session, col, select

from server.models.live import SecretTally
from shared.live.voting import Choice, Tally, VoteSettings

BALLOTS = "ballots"


def _option(key: str) -> str:
    return f"c:{key}"


def _rating(official: str, level: str) -> str:
    return f"r:{official}:{level}"


def counters_for(settings: VoteSettings) -> list[str]:
    """Every counter a vote needs, known from its settings alone."""
    if settings.mode == "election":
        return [BALLOTS, *(_option(c.candidate_id) for c in settings.candidates)]
    if settings.mode == "confidence":
        return [BALLOTS, *(_rating(c.candidate_id, o.key)
                           for c in settings.officials for o in settings.options)]
    return [BALLOTS, *(_option(o.key) for o in settings.options)]


def _counters_of(choice: Choice) -> list[str]:
    if isinstance(choice, str):
        return [_option(choice)]
    if isinstance(choice, Mapping):
        return [_rating(official, level) for official, level in choice.items()]
    return [_option(candidate) for candidate in choice]


class DbBallotBox:
    """The ``BallotBox`` of one sitting, working in the caller's transaction."""

    def __init__(self, db: Session, sitting_id: int):
        self.db = db
        self.sitting_id = sitting_id

    def open(self, settings: VoteSettings) -> None:
        for key in sorted(counters_for(settings)):
            self.db.add(SecretTally(sitting_id=self.sitting_id, vote_id=settings.vote_id,
                                    choice_key=key, count=0))
        self.db.flush()

    def record(self, vote_id: str, choice: Choice) -> None:
        for key in (BALLOTS, *_counters_of(choice)):
            result = cast(CursorResult[Any], self.db.execute(  # an UPDATE: a CursorResult
                update(SecretTally)
                .where(col(SecretTally.sitting_id) == self.sitting_id,
                       col(SecretTally.vote_id) == vote_id,
                       col(SecretTally.choice_key) == key)
                .values(count=col(SecretTally.count) + 1)
            ))
            if result.rowcount != 1:  # decide checked the choice; a missing counter is a bug
                raise RuntimeError(f"no counter {key!r} for vote {vote_id}")

    def tally(self, vote_id: str) -> Tally:
        ballots = 0
        counts: dict[str, int] = {}
        ratings: dict[str, dict[str, int]] = {}
        rows = self.db.exec(select(SecretTally).where(
            SecretTally.sitting_id == self.sitting_id, SecretTally.vote_id == vote_id))
        for row in rows:
            if row.count == 0:
                continue
            if row.choice_key == BALLOTS:
                ballots = row.count
            elif row.choice_key.startswith("c:"):
                counts[row.choice_key[2:]] = row.count
            else:
                official, level = row.choice_key[2:].rsplit(":", 1)
                ratings.setdefault(official, {})[level] = row.count
        return Tally(
            ballots=ballots,
            counts=dict(sorted(counts.items())),
            ratings={k: dict(sorted(v.items())) for k, v in sorted(ratings.items())},
        )
