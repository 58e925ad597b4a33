"""The vocabulary of a vote: modes, options, threshold rules, choices, tallies and results.

Everything here is pure arithmetic on counts, so the server, the tablet and the minutes
all agree on whether a motion passed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.rules.decisions import (
    DecisionKind,
    ThresholdRule,
    infer_decision,
    rule_line,
    votes_needed,
)

# "confidence" is the confidence survey (lấy phiếu tín nhiệm, three levels);
# "confidence_vote" the confidence vote (bỏ phiếu tín nhiệm, two levels)
VoteMode = Literal["open", "named", "secret", "confidence", "election", "confidence_vote"]

# Modes whose choices must never be linked to a voter, in events, state or logs.
SECRET_MODES: frozenset[str] = frozenset({"secret", "confidence", "election", "confidence_vote"})
# Modes whose choice rates each official on the ballot with one level.
RATING_MODES: frozenset[str] = frozenset({"confidence", "confidence_vote"})

__all__ = ["DecisionKind", "ThresholdRule", "votes_needed"]

# A choice is an option key (open, named, secret), candidate ids (election), or
# official candidate id -> level key (confidence, confidence_vote).
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

CONFIDENCE_VOTE_LEVELS: tuple[VoteOption, ...] = (
    VoteOption(key="trust", label_vi="Tín nhiệm", label_en="Confidence"),
    VoteOption(key="distrust", label_vi="Không tín nhiệm", label_en="No confidence"),
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


class VoteSettings(_Frozen):
    """What the chair decided when opening the vote; shared by the event and the state."""

    vote_id: str
    item_id: int
    question: str
    mode: VoteMode
    # the kind of decision, chosen when the vote is prepared; the threshold follows from
    # it (shared/rules). None only in events written before decision kinds: see ``kind``.
    decision: DecisionKind | None = None
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

    @property
    def kind(self) -> DecisionKind:
        """The decision kind, inferred from mode and threshold for an older event."""
        return self.decision or infer_decision(self.mode, self.threshold)

    def rule_line(self) -> tuple[str, str]:
        """(vi, en) rule text with numbers and source, as ballot, projector, minutes show."""
        return rule_line(self.kind, self.threshold, self.members_total, self.present_at_open)


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
    if settings.mode in RATING_MODES:
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
    decision: DecisionKind | None = None
    # the rule applied, with numbers and legal source, frozen with the result
    rule_vi: str = ""
    rule_en: str = ""
    elected: tuple[str, ...] = ()
    # election: candidates tied across the last seat; the council votes again among them
    tied: tuple[str, ...] = ()
    # confidence survey, on both bases until NQ 96's base is verified (docs/rules.md):
    # "low" reaches more than half of all delegates / of the ballots cast
    low_confidence: tuple[str, ...] = ()
    low_confidence_of_ballots: tuple[str, ...] = ()
    # confidence vote: "distrust" from more than half of all delegates
    no_confidence: tuple[str, ...] = ()
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
    - confidence (survey): an official is listed in ``low_confidence`` when "low" reaches
      it (all delegates), in ``low_confidence_of_ballots`` when "low" is more than half of
      the ballots; passed when nobody is in the first;
    - confidence_vote: an official is in ``no_confidence`` when "distrust" reaches it;
      passed when nobody is.
    """
    needed = votes_needed(settings.threshold, settings.members_total, settings.present_at_open)
    counts = {o.key: tally.counts.get(o.key, 0) for o in settings.options}
    elected: tuple[str, ...] = ()
    tied: tuple[str, ...] = ()
    low: tuple[str, ...] = ()
    low_of_ballots: tuple[str, ...] = ()
    distrusted: tuple[str, ...] = ()

    def rated(level: str) -> dict[str, int]:
        return {c.candidate_id: tally.ratings.get(c.candidate_id, {}).get(level, 0)
                for c in settings.officials}

    if settings.mode == "election":
        counts = {c.candidate_id: tally.counts.get(c.candidate_id, 0) for c in settings.candidates}
        elected, tied = _elect(counts, needed, settings.max_choices)
        passed = len(elected) == min(settings.max_choices, len(settings.candidates))
    elif settings.mode == "confidence":
        counts = {}
        low = tuple(k for k, n in rated("low").items() if n >= needed)
        low_of_ballots = tuple(k for k, n in rated("low").items() if 2 * n > tally.ballots)
        passed = not low
    elif settings.mode == "confidence_vote":
        counts = {}
        distrusted = tuple(k for k, n in rated("distrust").items() if n >= needed)
        passed = not distrusted
    else:
        passed = counts[settings.options[0].key] >= needed
    did_not_vote = None
    if settings.mode in ("open", "named"):
        did_not_vote = tuple(sorted(set(member_ids) - set(voters)))
    rule_vi, rule_en = settings.rule_line()
    return VoteResult(
        ballots=tally.ballots,
        counts=counts,
        ratings=tally.ratings if settings.mode in RATING_MODES else {},
        members_total=settings.members_total,
        present_at_open=settings.present_at_open,
        threshold=settings.threshold,
        needed=needed,
        passed=passed,
        decision=settings.kind,
        rule_vi=rule_vi,
        rule_en=rule_en,
        elected=elected,
        tied=tied,
        low_confidence=low,
        low_confidence_of_ballots=low_of_ballots,
        no_confidence=distrusted,
        did_not_vote=did_not_vote,
        roll=dict(sorted(roll.items())) if settings.mode == "named" and roll is not None else None,
        roll_published=publish_roll and settings.mode == "named",
    )


def _elect(
    counts: Mapping[str, int], needed: int, seats: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(elected, tied): a tie across the last seat elects none of the tied candidates,
    who go to a new vote among themselves (docs/rules.md, "election")."""
    ranked = sorted((c for c in counts.items() if c[1] >= needed), key=lambda c: (-c[1], c[0]))
    chosen = ranked[:seats]
    tied: list[tuple[str, int]] = []
    if len(ranked) > seats and ranked[seats][1] == chosen[-1][1]:
        last = chosen[-1][1]
        tied = [c for c in ranked if c[1] == last]
        chosen = [c for c in chosen if c[1] != last]
    return tuple(c[0] for c in chosen), tuple(sorted(c[0] for c in tied))
