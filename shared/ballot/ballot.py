"""Ballot forms, and the encrypted ballot: made on the tablet, checked by the server.

A ballot is a row of 0/1 boxes, each encrypted separately with a proof that it holds 0
or 1, plus one proof per *group* of boxes that the group's sum is allowed:

* ``election``: one box per candidate; one group, all boxes, sum in min..k ("choose at
  most k of n");
* ``confidence`` (the survey, lấy phiếu tín nhiệm): three boxes per official (high,
  medium, low); one group per official, sum exactly 1 ("exactly one level per official");
* ``confidence_vote`` (bỏ phiếu tín nhiệm): two boxes per official (trust, distrust);
  one group per official, sum exactly 1.

The encrypted ballot carries the vote id and the voter id in clear (who voted is public
by design, and the proofs are bound to both so a ballot cannot be replayed under another
vote or copied by another voter); its content, the boxes, only as ciphertexts. The
receipt is SHA-256 of its canonical JSON.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from shared.ballot import elgamal, group, proofs
from shared.ballot.elgamal import Ciphertext
from shared.ballot.errors import InvalidBallot, InvalidChoice, InvalidEncoding
from shared.ballot.group import Point, Scalar
from shared.ballot.proofs import RangeProof
from shared.crypto.encoding import BadEncoding, b64url_decode, b64url_encode
from shared.crypto.errors import NonCanonicalValue
from shared.crypto.signing import canonical_json
from shared.live.voting import CONFIDENCE_LEVELS, CONFIDENCE_VOTE_LEVELS

BallotKind = Literal["election", "confidence", "confidence_vote"]
LEVELS: tuple[str, ...] = tuple(level.key for level in CONFIDENCE_LEVELS)  # high, medium, low
VOTE_LEVELS: tuple[str, ...] = tuple(level.key for level in CONFIDENCE_VOTE_LEVELS)
RATING_KINDS = ("confidence", "confidence_vote")


def levels_of(kind: str) -> tuple[str, ...]:
    """The levels each official is rated with on a ``kind`` ballot (empty for elections)."""
    return {"confidence": LEVELS, "confidence_vote": VOTE_LEVELS}.get(kind, ())
BALLOT_FORMAT = "hdnd-ballot/1"
BINARY = (0, 1)

# A choice, in the shapes of shared.live.voting: candidate ids for an election,
# official id -> level key for a confidence vote.
Choice = Sequence[str] | Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Subject:
    """A candidate (election) or an official (confidence vote) printed on the ballot."""

    subject_id: str
    full_name: str


@dataclass(frozen=True, slots=True)
class BoxGroup:
    """Boxes whose sum is proven to be one of ``allowed``."""

    boxes: tuple[int, ...]
    allowed: tuple[int, ...]


@dataclass(frozen=True)
class BallotDefinition:
    """The ballot form of one secret vote, fixed when the vote opens (setup entry)."""

    vote_id: str
    kind: BallotKind
    title: str
    subjects: tuple[Subject, ...]
    max_choices: int = 1  # election only: k of "choose at most k"
    min_choices: int = 0  # election only
    members_total: int = 0  # all delegates of the council: the confidence rule's base
    _groups: tuple[BoxGroup, ...] = field(init=False, repr=False, compare=False)
    _digest: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ids = [s.subject_id for s in self.subjects]
        problems = []
        if not self.vote_id:
            problems.append("empty vote_id")
        if not ids or len(set(ids)) != len(ids):
            problems.append("subjects must be non-empty and unique")
        if self.kind == "election" and not 0 <= self.min_choices <= self.max_choices <= len(ids):
            problems.append("need 0 <= min_choices <= max_choices <= number of candidates")
        if self.kind not in ("election", *RATING_KINDS):
            problems.append(f"unknown kind {self.kind!r}")
        if problems:
            raise ValueError("; ".join(problems))
        groups: tuple[BoxGroup, ...]
        if self.kind == "election":
            groups = (
                BoxGroup(
                    tuple(range(len(ids))),
                    tuple(range(self.min_choices, self.max_choices + 1)),
                ),
            )
        else:
            n = len(levels_of(self.kind))
            groups = tuple(BoxGroup(tuple(range(n * i, n * i + n)), (1,)) for i in range(len(ids)))
        object.__setattr__(self, "_groups", groups)
        object.__setattr__(self, "_digest", hashlib.sha256(canonical_json(self.to_json())).digest())

    @property
    def width(self) -> int:
        """Number of boxes (ciphertexts) on the ballot."""
        return len(self.subjects) * (len(levels_of(self.kind)) or 1)

    @property
    def groups(self) -> tuple[BoxGroup, ...]:
        return self._groups

    def box_labels(self) -> list[str]:
        """``candidate_id`` per box, or ``official_id/level`` for a confidence ballot."""
        if self.kind == "election":
            return [s.subject_id for s in self.subjects]
        return [f"{s.subject_id}/{level}" for s in self.subjects for level in levels_of(self.kind)]

    def to_json(self) -> dict[str, Any]:
        return {
            "vote_id": self.vote_id,
            "kind": self.kind,
            "title": self.title,
            "subjects": [{"id": s.subject_id, "name": s.full_name} for s in self.subjects],
            "max_choices": self.max_choices,
            "min_choices": self.min_choices,
            "members_total": self.members_total,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BallotDefinition:
        return cls(
            vote_id=data["vote_id"],
            kind=data["kind"],
            title=data["title"],
            subjects=tuple(Subject(s["id"], s["name"]) for s in data["subjects"]),
            max_choices=data["max_choices"],
            min_choices=data["min_choices"],
            members_total=data["members_total"],
        )

    def digest(self) -> bytes:
        """SHA-256 of the canonical JSON of the form: every proof is bound to it."""
        return self._digest

    def marks(self, choice: Choice) -> list[int]:
        """The 0/1 boxes for a choice, or ``InvalidChoice`` if it breaks the ballot's rules."""
        ids = [s.subject_id for s in self.subjects]
        if self.kind == "election":
            if isinstance(choice, Mapping | str) or not all(isinstance(c, str) for c in choice):
                raise InvalidChoice(reason="not_a_list")
            picked = set(choice)
            if len(picked) != len(choice) or not picked <= set(ids):
                raise InvalidChoice(
                    "Ứng cử viên không có trong danh sách hoặc bị chọn hai lần.",
                    "A candidate is not on the list or is chosen twice.",
                )
            if not self.min_choices <= len(picked) <= self.max_choices:
                raise InvalidChoice(
                    f"Phải chọn từ {self.min_choices} đến {self.max_choices} người.",
                    f"Choose between {self.min_choices} and {self.max_choices} people.",
                    chosen=len(picked),
                )
            return [1 if i in picked else 0 for i in ids]
        if not isinstance(choice, Mapping) or set(choice) != set(ids):
            raise InvalidChoice(
                "Phải đánh giá mỗi người được lấy phiếu tín nhiệm đúng một mức.",
                "Rate every official with exactly one level.",
            )
        levels = levels_of(self.kind)
        if not all(choice[i] in levels for i in ids):
            raise InvalidChoice(reason="unknown_level")
        return [1 if choice[i] == level else 0 for i in ids for level in levels]


# --- the encrypted ballot -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EncryptedBallot:
    vote_id: str
    voter_id: str
    boxes: tuple[Ciphertext, ...]
    box_proofs: tuple[RangeProof, ...]
    group_proofs: tuple[RangeProof, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": BALLOT_FORMAT,
            "vote_id": self.vote_id,
            "voter_id": self.voter_id,
            "boxes": [
                {"ct": b64url_encode(c.to_bytes()), "proof": b64url_encode(p.to_bytes())}
                for c, p in zip(self.boxes, self.box_proofs, strict=True)
            ],
            "groups": [b64url_encode(p.to_bytes()) for p in self.group_proofs],
        }

    @classmethod
    def from_json(cls, data: Any) -> EncryptedBallot:
        """Decode strictly; any malformed part is ``InvalidBallot('ballot_bad_encoding')``."""
        try:
            if data["format"] != BALLOT_FORMAT:
                raise InvalidBallot("ballot_bad_encoding", format=data["format"])
            boxes = data["boxes"]
            return cls(
                vote_id=_text(data["vote_id"]),
                voter_id=_text(data["voter_id"]),
                boxes=tuple(Ciphertext.from_bytes(b64url_decode(b["ct"])) for b in boxes),
                box_proofs=tuple(_range_proof(b["proof"]) for b in boxes),
                group_proofs=tuple(_range_proof(g) for g in data["groups"]),
            )
        except InvalidBallot:
            raise
        except (KeyError, TypeError, BadEncoding, InvalidEncoding) as exc:
            raise InvalidBallot("ballot_bad_encoding", detail=str(exc)[:80]) from exc

    def receipt(self) -> str:
        """Hex SHA-256 of the canonical JSON: shown on the tablet, looked up on the board."""
        return receipt_of(self.to_json())


def receipt_of(ballot_json: Mapping[str, Any]) -> str:
    try:
        return hashlib.sha256(canonical_json(ballot_json)).hexdigest()
    except NonCanonicalValue as exc:
        raise InvalidBallot("ballot_bad_encoding") from exc


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError("expected a non-empty string")
    return value


def _range_proof(text: Any) -> RangeProof:
    raw = b64url_decode(text)
    if not raw or len(raw) % 64:
        raise InvalidEncoding(what="range_proof", length=len(raw))
    return RangeProof.from_bytes(raw, len(raw) // 64)


# --- contexts: what every ballot proof is bound to ------------------------------------


def box_context(definition: BallotDefinition, voter_id: str, box: int) -> bytes:
    return group.frame(
        b"ballot-box",
        definition.vote_id.encode(),
        definition.digest(),
        voter_id.encode(),
        group.u32(box),
    )


def group_context(definition: BallotDefinition, voter_id: str, index: int) -> bytes:
    return group.frame(
        b"ballot-group",
        definition.vote_id.encode(),
        definition.digest(),
        voter_id.encode(),
        group.u32(index),
    )


# --- tablet side ----------------------------------------------------------------------


def make_ballot(
    definition: BallotDefinition, choice: Choice, pk: Point, voter_id: str
) -> EncryptedBallot:
    """Encrypt and prove a delegate's choice on their own tablet."""
    return seal_marks(definition, definition.marks(choice), pk, voter_id)


def seal_marks(
    definition: BallotDefinition, marks: Sequence[int], pk: Point, voter_id: str
) -> EncryptedBallot:
    """Encrypt already-checked 0/1 marks; ``make_ballot`` is the entry point."""
    if len(marks) != definition.width:
        raise InvalidChoice(reason="wrong_width")
    randomness: list[Scalar] = [group.random_scalar() for _ in marks]
    boxes = tuple(elgamal.encrypt(pk, m, r) for m, r in zip(marks, randomness, strict=True))
    box_proofs = tuple(
        proofs.prove_range(box_context(definition, voter_id, i), pk, boxes[i], r, m, BINARY)
        for i, (m, r) in enumerate(zip(marks, randomness, strict=True))
    )
    group_proofs = []
    for g, box_group in enumerate(definition.groups):
        total = elgamal.sum_ciphertexts(boxes[i] for i in box_group.boxes)
        r_total = group.ZERO
        for i in box_group.boxes:
            r_total = group.scalar_add(r_total, randomness[i])
        value = sum(marks[i] for i in box_group.boxes)
        group_proofs.append(
            proofs.prove_range(
                group_context(definition, voter_id, g),
                pk,
                total,
                r_total,
                value,
                box_group.allowed,
            )
        )
    return EncryptedBallot(definition.vote_id, voter_id, boxes, box_proofs, tuple(group_proofs))


# --- server side ----------------------------------------------------------------------


def check_ballot(definition: BallotDefinition, ballot: EncryptedBallot, pk: Point) -> None:
    """Return if every proof holds for this vote, this voter and this key; else raise.

    Says nothing about the voter's right to vote or earlier ballots: ``box.py`` does.
    """
    if ballot.vote_id != definition.vote_id:
        raise InvalidBallot("ballot_wrong_vote", vote_id=ballot.vote_id)
    if (
        len(ballot.boxes) != definition.width
        or len(ballot.box_proofs) != definition.width
        or len(ballot.group_proofs) != len(definition.groups)
    ):
        raise InvalidBallot("ballot_wrong_shape")
    for i, (ct, proof) in enumerate(zip(ballot.boxes, ballot.box_proofs, strict=True)):
        if not proofs.verify_range(
            box_context(definition, ballot.voter_id, i), pk, ct, BINARY, proof
        ):
            raise InvalidBallot("ballot_option_proof_invalid", box=i)
    for g, (box_group, proof) in enumerate(
        zip(definition.groups, ballot.group_proofs, strict=True)
    ):
        total = elgamal.sum_ciphertexts(ballot.boxes[i] for i in box_group.boxes)
        context = group_context(definition, ballot.voter_id, g)
        if not proofs.verify_range(context, pk, total, box_group.allowed, proof):
            raise InvalidBallot("ballot_sum_proof_invalid", group=g)
