"""The vocabulary of a vote: modes, options, threshold rules, choices, tallies and results.

Everything here is pure arithmetic on counts, so the server, the tablet and the minutes
all agree on whether a motion passed.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

VoteMode = Literal["open", "named", "secret", "confidence", "election"]
ThresholdRule = Literal["majority_of_all", "two_thirds_of_all", "majority_of_present"]

# Modes whose choices must never be linked to a voter, in events, state or logs.
SECRET_MODES: frozenset[str] = frozenset({"secret", "confidence", "election"})

# A choice is an option key (open, named, secret), candidate ids (election), or
# official candidate id -> confidence level key (confidence).
Choice = str | tuple[str, ...] | dict[str, str]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class VoteOption(_Frozen):
    key: str = Field(min_length=1, max_length=40)
    label_vi: str
    label_en: str


class Candidate(_Frozen):
    """A person on an election or confidence ballot; ``candidate_id`` is unique per vote."""

    candidate_id: str = Field(min_length=1, max_length=40)
    full_name: str
    person_id: int | None = None


DEFAULT_OPTIONS: tuple[VoteOption, ...] = (
    VoteOption(key="yes", label_vi="Tán thành", label_en="In favour"),
    VoteOption(key="no", label_vi="Không tán thành", label_en="Against"),
    VoteOption(key="abstain", label_vi="Không biểu quyết", label_en="Abstain"),
)

CONFIDENCE_LEVELS: tuple[VoteOption, ...] = (
    VoteOption(key="high", label_vi="Tín nhiệm cao", label_en="High confidence"),
    VoteOption(key="medium", label_vi="Tín nhiệm", label_en="Confidence"),
    VoteOption(key="low", label_vi="Tín nhiệm thấp", label_en="Low confidence"),
)

_THRESHOLD_TEXT: dict[str, tuple[str, str]] = {
    "majority_of_all": (
        "Được thông qua khi có quá nửa tổng số đại biểu tán thành.",
        "Passes with more than half of all members in favour.",
    ),
    "two_thirds_of_all": (
        "Được thông qua khi có ít nhất hai phần ba tổng số đại biểu tán thành.",
        "Passes with at least two thirds of all members in favour.",
    ),
    "majority_of_present": (
        "Được thông qua khi có quá nửa số đại biểu có mặt tán thành.",
        "Passes with more than half of the members present in favour.",
    ),
}


def threshold_text(rule: ThresholdRule) -> tuple[str, str]:
    """(Vietnamese, English) sentence the ballot shows under the question."""
    return _THRESHOLD_TEXT[rule]


def votes_needed(rule: ThresholdRule, members_total: int, present_at_open: int) -> int:
    """Smallest count that satisfies ``rule``."""
    if rule == "majority_of_all":
        return members_total // 2 + 1
    if rule == "two_thirds_of_all":
        return math.ceil(members_total * 2 / 3)
    return present_at_open // 2 + 1


class VoteSettings(_Frozen):
    """What the chair decided when opening the vote; shared by the event and the state."""

    vote_id: str
    item_id: int
    question: str
    mode: VoteMode
    options: tuple[VoteOption, ...] = DEFAULT_OPTIONS
    threshold: ThresholdRule = "majority_of_all"
    allow_change: bool = True
    max_choices: int = 1
    candidates: tuple[Candidate, ...] = ()
    officials: tuple[Candidate, ...] = ()
    quorum_override_reason: str | None = None
    members_total: int
    present_at_open: int
    # set by the server for a verifiable secret ballot (docs/ballot.md): ballots then go
    # encrypted to /api/ballots/{ballot_id}, never through cast_vote
    ballot_id: int | None = None


def check_choice(settings: VoteSettings, choice: object) -> Choice:
    """The choice in canonical form, or ValueError when it does not fit the ballot."""
    if settings.mode == "election":
        if not isinstance(choice, list | tuple) or not all(isinstance(c, str) for c in choice):
            raise ValueError("an election choice is a list of candidate ids")
        picked = tuple(sorted(set(choice)))
        known = {c.candidate_id for c in settings.candidates}
        if len(picked) != len(choice) or not set(picked) <= known:
            raise ValueError("unknown or repeated candidate")
        if len(picked) > settings.max_choices:
            raise ValueError("too many candidates")
        return picked
    if settings.mode == "confidence":
        if not isinstance(choice, Mapping):
            raise ValueError("a confidence choice maps each official to a level")
        officials = {c.candidate_id for c in settings.officials}
        levels = {o.key for o in settings.options}
        if set(choice) != officials or not all(v in levels for v in choice.values()):
            raise ValueError("rate every official with one level")
        return dict(sorted(choice.items()))
    if not isinstance(choice, str) or choice not in {o.key for o in settings.options}:
        raise ValueError("unknown option")
    return choice


class Tally(_Frozen):
    """Counts of a vote without any voter: what a ballot box hands over at close."""

    ballots: int = 0
    counts: dict[str, int] = {}
    ratings: dict[str, dict[str, int]] = {}

    @classmethod
    def of(cls, choices: Iterable[Choice]) -> Tally:
        ballots = 0
        counts: Counter[str] = Counter()
        ratings: dict[str, Counter[str]] = {}
        for choice in choices:
            ballots += 1
            if isinstance(choice, str):
                counts[choice] += 1
            elif isinstance(choice, Mapping):
                for official, level in choice.items():
                    ratings.setdefault(official, Counter())[level] += 1
            else:
                counts.update(choice)
        return cls(
            ballots=ballots,
            counts=dict(sorted(counts.items())),
            ratings={k: dict(sorted(v.items())) for k, v in sorted(ratings.items())},
        )


class VoteResult(_Frozen):
    """The frozen outcome announced at close, with the numbers the rule used."""

    ballots: int
    counts: dict[str, int]
    ratings: dict[str, dict[str, int]] = {}
    members_total: int
    present_at_open: int
    threshold: ThresholdRule
    needed: int
    passed: bool
    elected: tuple[str, ...] = ()
    low_confidence: tuple[str, ...] = ()
    did_not_vote: tuple[int, ...] | None = None
    roll: dict[int, Choice] | None = None
    roll_published: bool = False


def compute_result(
    settings: VoteSettings,
    tally: Tally,
    member_ids: Iterable[int],
    voters: Iterable[int],
    roll: Mapping[int, Choice] | None = None,
    publish_roll: bool = False,
) -> VoteResult:
    """Apply the threshold rule to a tally.

    - open, named, secret: passed when the first option (the motion, "yes") reaches it;
    - election: candidates reaching it are elected, best first, at most ``max_choices``;
      a tie across the last seat elects none of the tied (the council votes again);
      passed when every seat is filled;
    - confidence: an official is listed in ``low_confidence`` when "low" reaches it;
      passed when nobody is.
    """
    needed = votes_needed(settings.threshold, settings.members_total, settings.present_at_open)
    counts = {o.key: tally.counts.get(o.key, 0) for o in settings.options}
    elected: tuple[str, ...] = ()
    low: tuple[str, ...] = ()
    if settings.mode == "election":
        counts = {c.candidate_id: tally.counts.get(c.candidate_id, 0) for c in settings.candidates}
        elected = _elect(counts, needed, settings.max_choices)
        passed = len(elected) == min(settings.max_choices, len(settings.candidates))
    elif settings.mode == "confidence":
        counts = {}
        low = tuple(
            c.candidate_id
            for c in settings.officials
            if tally.ratings.get(c.candidate_id, {}).get("low", 0) >= needed
        )
        passed = not low
    else:
        passed = counts[settings.options[0].key] >= needed
    did_not_vote = None
    if settings.mode in ("open", "named"):
        did_not_vote = tuple(sorted(set(member_ids) - set(voters)))
    return VoteResult(
        ballots=tally.ballots,
        counts=counts,
        ratings=tally.ratings if settings.mode == "confidence" else {},
        members_total=settings.members_total,
        present_at_open=settings.present_at_open,
        threshold=settings.threshold,
        needed=needed,
        passed=passed,
        elected=elected,
        low_confidence=low,
        did_not_vote=did_not_vote,
        roll=dict(sorted(roll.items())) if settings.mode == "named" and roll is not None else None,
        roll_published=publish_roll and settings.mode == "named",
    )


def _elect(counts: Mapping[str, int], needed: int, seats: int) -> tuple[str, ...]:
    ranked = sorted((c for c in counts.items() if c[1] >= needed), key=lambda c: (-c[1], c[0]))
    chosen = ranked[:seats]
    if len(ranked) > seats and ranked[seats][1] == chosen[-1][1]:
        tied = chosen[-1][1]
        chosen = [c for c in chosen if c[1] != tied]
    return tuple(c[0] for c in chosen)
