"""Where secret choices go: a box that knows choices but never who made them.

``decide`` hands a secret choice back beside the (choice-free) ``vote_cast`` event; the
server records it here in the same transaction as the event, and asks for the tally when
the chair closes the vote. An implementation must keep no voter, no device, no time and
no order of arrival (an autoincrement id or a timestamp would let someone line ballots up
with the ``vote_cast`` events). A later issue replaces this with a verifiable one.
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol

from shared.live.voting import Choice, Tally


class BallotBox(Protocol):
    def record(self, vote_id: str, choice: Choice) -> None:
        """Put one ballot in the box of ``vote_id``."""

    def tally(self, vote_id: str) -> Tally:
        """Counts of the box of ``vote_id`` (an empty tally for an unknown vote)."""


def _ballot_key(choice: Choice) -> str:
    if isinstance(choice, str):
        return "s:" + choice
    if isinstance(choice, dict):
        return "m:" + ",".join(f"{k}={v}" for k, v in sorted(choice.items()))
    return "t:" + ",".join(sorted(choice))


class InMemoryBallotBox:
    """Counts identical ballots together, so nothing records their order."""

    def __init__(self) -> None:
        self._boxes: dict[str, Counter[str]] = {}
        self._ballots: dict[str, Choice] = {}

    def record(self, vote_id: str, choice: Choice) -> None:
        key = _ballot_key(choice)
        self._ballots[key] = choice
        self._boxes.setdefault(vote_id, Counter())[key] += 1

    def tally(self, vote_id: str) -> Tally:
        box = self._boxes.get(vote_id, Counter())
        return Tally.of(self._ballots[key] for key, n in box.items() for _ in range(n))
