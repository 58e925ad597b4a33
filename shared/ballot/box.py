"""The secret ballot box on the server: rules of casting and counting, over the board.

Every accepted action is one board entry, written before the call returns, and the box
rebuilds its whole state from the board (``SecretBallotBox(board)``), so a server that
restarts loses nothing it accepted and counts nothing twice. The box holds no secret:
it cannot decrypt a ballot, only the committee together can decrypt the tally.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from shared.ballot import board as b
from shared.ballot import elgamal
from shared.ballot.ballot import BallotDefinition, EncryptedBallot, check_ballot, receipt_of
from shared.ballot.board import Board
from shared.ballot.committee import Count, KeyShare, PartialDecryption, joint_public_key
from shared.ballot.elgamal import Ciphertext
from shared.ballot.errors import InvalidBallot, VoteStateError
from shared.crypto.encoding import b64url_encode

BoxState = Literal["open", "closed", "counted"]


class SecretBallotBox:
    """One secret vote: open → (cast)* → closed → (partial decryption)* → counted."""

    def __init__(self, board: Board) -> None:
        """Rebuild from a board this box (or an earlier run of it) wrote."""
        entries = board.entries
        if not entries or entries[0].kind != b.SETUP:
            raise VoteStateError(reason="board has no setup entry")
        setup = entries[0].body
        self.board = board
        self.definition = BallotDefinition.from_json(setup["definition"])
        self.shares: list[KeyShare] = [b.decode_key_share(s) for s in setup["committee"]]
        self.public_key = joint_public_key(self.definition.vote_id, self.shares)
        self.voters: frozenset[str] = frozenset(setup["voters"])
        self.allow_revote: bool = setup["allow_revote"]
        self.state: BoxState = "open"
        self._current: dict[str, tuple[str, EncryptedBallot]] = {}  # voter -> counted one
        self._count: Count | None = None
        self.counts: list[int] | None = None
        for entry in entries[1:]:
            self._replay(entry.kind, entry.body)

    @classmethod
    def open(
        cls,
        definition: BallotDefinition,
        shares: Sequence[KeyShare],
        voters: Sequence[str],
        *,
        allow_revote: bool = False,
    ) -> SecretBallotBox:
        """Start a board; refuses committee keys without valid proofs."""
        pk = joint_public_key(definition.vote_id, shares)
        board = Board()
        board.append(
            b.SETUP,
            {
                "definition": definition.to_json(),
                "committee": [b.encode_key_share(s) for s in shares],
                "public_key": b64url_encode(pk),
                "voters": sorted(set(voters)),
                "allow_revote": allow_revote,
            },
        )
        return cls(board)

    # --- casting ----------------------------------------------------------------------

    @property
    def voted(self) -> list[str]:
        """Who has a ballot in the box: public to the sitting by design."""
        return sorted(self._current)

    def cast(self, ballot_json: Mapping[str, Any], *, voter_id: str) -> str:
        """Check and record one ballot; return its receipt. Raises ``InvalidBallot``.

        ``voter_id`` is the delegate the server authenticated; the ballot must name them,
        or one delegate could cast in another's name.
        """
        if self.state != "open":
            raise InvalidBallot("vote_not_open", state=self.state)
        ballot = EncryptedBallot.from_json(ballot_json)
        if ballot.voter_id != voter_id:
            raise InvalidBallot("ballot_wrong_voter", voter_id=voter_id)
        if ballot.voter_id not in self.voters:
            raise InvalidBallot("ballot_not_eligible", voter_id=ballot.voter_id)
        previous = self._current.get(ballot.voter_id)
        if previous is not None and not self.allow_revote:
            raise InvalidBallot("ballot_already_cast", voter_id=ballot.voter_id)
        receipt = ballot.receipt()
        if any(r == receipt for r, _ in self._current.values()):
            raise InvalidBallot("ballot_duplicate")
        check_ballot(self.definition, ballot, self.public_key)
        if previous is not None:
            body = {"voter_id": ballot.voter_id, "receipt": previous[0]}
            self._apply(b.BALLOT_SUPERSEDED, body)
        self._apply(b.BALLOT_CAST,
                    {"voter_id": ballot.voter_id, "ballot": ballot.to_json(), "receipt": receipt})
        return receipt

    # --- closing and counting ---------------------------------------------------------

    def close(self) -> list[Ciphertext]:
        """Stop casting and publish the encrypted tally the committee must decrypt."""
        if self.state != "open":
            raise VoteStateError(state=self.state)
        counted = sorted(self._current.values(), key=lambda pair: pair[0])
        tally = elgamal.tally((ballot.boxes for _, ballot in counted), self.definition.width)
        self._apply(
            b.CLOSE,
            {
                "tally": b.encode_ciphertexts(tally),
                "counted": [receipt for receipt, _ in counted],
            },
        )
        return tally

    @property
    def tally(self) -> list[Ciphertext]:
        if self._count is None:
            raise VoteStateError(state=self.state)
        return self._count.tally

    @property
    def missing_members(self) -> list[str]:
        """Committee members whose partial decryption has not arrived (empty once counted)."""
        return [] if self._count is None else self._count.missing

    def add_partial(self, partial: PartialDecryption) -> None:
        """Record a member's partial decryption; refuses one whose proof fails."""
        if self._count is None or self.state != "closed":
            raise VoteStateError(state=self.state)
        if partial.member_id in self._count.partials:
            return  # already recorded (a retry after a lost answer): nothing twice
        self._count.add(partial)  # raises WrongPartialDecryption before anything is written
        self.board.append(b.PARTIAL_DECRYPTION, b.encode_partial(partial))

    def publish_result(self) -> list[int]:
        """Combine the partials and publish the counts; ``TallyIncomplete`` names who is missing."""
        if self.state == "counted" and self.counts is not None:
            return self.counts
        if self._count is None:
            raise VoteStateError(state=self.state)
        counts = self._count.result()
        self._apply(b.RESULT, {"counts": counts, "labels": self.definition.box_labels()})
        return counts

    # --- one path for live actions and for replay after a restart ---------------------

    def _apply(self, kind: str, body: Mapping[str, Any]) -> None:
        entry = self.board.append(kind, body)
        self._replay(entry.kind, entry.body)

    def _replay(self, kind: str, body: Mapping[str, Any]) -> None:
        if kind == b.BALLOT_CAST:
            ballot = EncryptedBallot.from_json(body["ballot"])
            self._current[body["voter_id"]] = (receipt_of(body["ballot"]), ballot)
        elif kind == b.BALLOT_SUPERSEDED:
            self._current.pop(body["voter_id"], None)
        elif kind == b.CLOSE:
            self.state = "closed"
            self._count = Count(
                self.definition.vote_id,
                self.shares,
                b.decode_ciphertexts(body["tally"]),
                ballots_counted=len(body["counted"]),
            )
        elif kind == b.PARTIAL_DECRYPTION and self._count is not None:
            partial = b.decode_partial(body)
            self._count.partials[partial.member_id] = partial  # proof checked when added
        elif kind == b.RESULT:
            self.state = "counted"
            self.counts = list(body["counts"])
