"""Check a published board from its JSON alone: ``hdnd ballot verify BOARD.json``.

Nothing here reads the server's database or trusts its state: the verifier recomputes the
hash chain, every proof, which ballot counts for each voter, the homomorphic tally, each
partial decryption and the announced counts. Anyone can run it on the published file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from shared.ballot import board as b
from shared.ballot import committee, elgamal, group
from shared.ballot.ballot import BallotDefinition, EncryptedBallot, check_ballot, receipt_of
from shared.ballot.board import Board, Entry
from shared.ballot.committee import KeyShare, PartialDecryption
from shared.ballot.errors import BallotError, InvalidBoard, ReceiptNotFound
from shared.crypto.encoding import b64url_decode
from shared.crypto.errors import CryptoError

# code -> (Vietnamese, English): what the verifier found wrong.
FINDINGS: dict[str, tuple[str, str]] = {
    "chain_broken": (
        "Chuỗi băm của bảng công khai bị đứt: mục này đã bị sửa, xóa hoặc đảo thứ tự.",
        "The board's hash chain is broken: this entry was edited, removed or moved.",
    ),
    "head_mismatch": (
        "Mã băm cuối của bảng không khớp với mã đã công bố.",
        "The board's last hash does not match the announced one.",
    ),
    "setup_invalid": (
        "Mục khởi tạo (mẫu phiếu, khóa Ban kiểm phiếu) không hợp lệ.",
        "The setup entry (ballot form, committee keys) is not valid.",
    ),
    "entry_out_of_order": (
        "Mục này không được phép ở vị trí này (ví dụ phiếu sau khi đã đóng).",
        "This entry is not allowed here (for example a ballot after closing).",
    ),
    "entry_malformed": (
        "Mục này không đúng định dạng.",
        "This entry is malformed.",
    ),
    "ballot_invalid": (
        "Một phiếu trên bảng không hợp lệ.",
        "A ballot on the board is not valid.",
    ),
    "receipt_mismatch": (
        "Biên nhận ghi trên bảng không phải là mã băm của phiếu.",
        "The receipt on the board is not the hash of the ballot.",
    ),
    "not_eligible": (
        "Người bỏ phiếu không có trong danh sách được bỏ phiếu.",
        "The voter is not on the list of those entitled to vote.",
    ),
    "second_ballot": (
        "Một đại biểu có hai phiếu được tính.",
        "A delegate has two counted ballots.",
    ),
    "superseded_mismatch": (
        "Mục thay phiếu không chỉ đúng phiếu đang được tính của đại biểu.",
        "The superseding entry does not name the delegate's counted ballot.",
    ),
    "tally_mismatch": (
        "Tổng mã hóa khi đóng không khớp với các phiếu được tính.",
        "The encrypted tally at closing does not match the counted ballots.",
    ),
    "partial_invalid": (
        "Phần giải mã của một thành viên Ban kiểm phiếu sai hoặc trùng.",
        "A committee member's partial decryption is wrong or repeated.",
    ),
    "result_mismatch": (
        "Kết quả công bố không khớp với tổng đã giải mã.",
        "The published result does not match the decrypted tally.",
    ),
}


@dataclass(frozen=True, slots=True)
class Finding:
    index: int | None  # board entry, or None for the board as a whole
    code: str
    message_vi: str
    message_en: str
    detail: str = ""


@dataclass
class VerificationReport:
    entries: int = 0
    head: str = b.GENESIS
    vote_id: str | None = None
    status: str = "empty"  # open | closed | counted (as far as the board goes)
    voters_who_voted: list[str] = field(default_factory=list)
    ballots_counted: int = 0
    missing_members: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    counts: list[int] | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first_bad_entry(self) -> int | None:
        indices = [f.index for f in self.findings if f.index is not None]
        return min(indices) if indices else None

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "first_bad_entry": self.first_bad_entry,
            "entries": self.entries,
            "head": self.head,
            "vote_id": self.vote_id,
            "status": self.status,
            "voters_who_voted": self.voters_who_voted,
            "ballots_counted": self.ballots_counted,
            "missing_members": self.missing_members,
            "labels": self.labels,
            "counts": self.counts,
            "findings": [
                {
                    "index": f.index,
                    "code": f.code,
                    "message_vi": f.message_vi,
                    "message_en": f.message_en,
                    "detail": f.detail,
                }
                for f in self.findings
            ],
        }

    def _add(self, index: int | None, code: str, detail: str = "") -> None:
        vi, en = FINDINGS[code]
        self.findings.append(Finding(index, code, vi, en, detail))


def verify_board(
    board_json: str | bytes | Mapping[str, Any], expected_head: str | None = None
) -> VerificationReport:
    """Check everything on the board; ``expected_head`` is the hash announced in the hall."""
    board = Board.from_json(board_json)  # InvalidBoard if it is not a board at all
    report = VerificationReport(entries=len(board.entries), head=board.head)
    _check_chain(board, report)
    if expected_head is not None and expected_head != board.head:
        report._add(None, "head_mismatch", f"board {board.head}, announced {expected_head}")
    if board.entries:
        _Walk(report).run(board.entries)
    return report


def _check_chain(board: Board, report: VerificationReport) -> None:
    prev = b.GENESIS
    for position, e in enumerate(board.entries):
        try:
            recomputed = b.entry_hash(e.index, e.kind, e.prev, e.body)
        except CryptoError:
            recomputed = ""
        if e.index != position or e.prev != prev or e.hash != recomputed:
            report._add(position, "chain_broken")
            return  # the first break is what matters; later links follow the edit
        prev = e.hash


class _Walk:
    """Replays the board's entries in order, checking each against the rules."""

    def __init__(self, report: VerificationReport) -> None:
        self.report = report
        self.definition: BallotDefinition | None = None
        self.pk: group.Point | None = None
        self.shares: dict[str, KeyShare] = {}
        self.voters: frozenset[str] = frozenset()
        self.allow_revote = False
        self.current: dict[str, tuple[str, EncryptedBallot]] = {}
        self.tally: list[elgamal.Ciphertext] | None = None
        self.partials: dict[str, PartialDecryption] = {}

    def run(self, entries: tuple[Entry, ...]) -> None:
        first, *rest = entries
        if first.kind != b.SETUP or not self._setup(first):
            self.report._add(first.index, "setup_invalid")
            return
        for e in rest:
            try:
                handler = {
                    b.BALLOT_CAST: self._cast,
                    b.BALLOT_SUPERSEDED: self._superseded,
                    b.CLOSE: self._close,
                    b.PARTIAL_DECRYPTION: self._partial,
                    b.RESULT: self._result,
                }.get(e.kind)
                if handler is None:
                    self.report._add(e.index, "entry_malformed", f"kind {e.kind!r}")
                else:
                    handler(e)
            except (KeyError, TypeError, ValueError, BallotError, CryptoError) as exc:
                self.report._add(e.index, "entry_malformed", str(exc)[:120])
        self._summarise()

    def _setup(self, e: Entry) -> bool:
        try:
            self.definition = BallotDefinition.from_json(e.body["definition"])
            shares = [b.decode_key_share(s) for s in e.body["committee"]]
            pk = committee.joint_public_key(self.definition.vote_id, shares)
            if b64url_decode(e.body["public_key"]) != pk:
                return False
            self.pk = pk
            self.shares = {s.member_id: s for s in shares}
            self.voters = frozenset(e.body["voters"])
            self.allow_revote = bool(e.body["allow_revote"])
        except (KeyError, TypeError, ValueError, BallotError, CryptoError):
            return False
        self.report.vote_id = self.definition.vote_id
        self.report.labels = self.definition.box_labels()
        self.report.status = "open"
        return True

    def _cast(self, e: Entry) -> None:
        assert self.definition is not None and self.pk is not None
        if self.tally is not None:
            self.report._add(e.index, "entry_out_of_order", "ballot after close")
            return
        voter, ballot_json = e.body["voter_id"], e.body["ballot"]
        ballot = EncryptedBallot.from_json(ballot_json)
        receipt = receipt_of(ballot_json)
        if e.body["receipt"] != receipt:
            self.report._add(e.index, "receipt_mismatch")
        if voter != ballot.voter_id or voter not in self.voters:
            self.report._add(e.index, "not_eligible", voter)
        try:
            check_ballot(self.definition, ballot, self.pk)
        except BallotError as exc:
            self.report._add(e.index, "ballot_invalid", exc.code)
            return
        if voter in self.current:
            # Re-voting needs a superseding entry first; without re-voting, never.
            self.report._add(e.index, "second_ballot", voter)
            return
        self.current[voter] = (receipt, ballot)

    def _superseded(self, e: Entry) -> None:
        voter = e.body["voter_id"]
        held = self.current.get(voter)
        if self.tally is not None or not self.allow_revote:
            self.report._add(e.index, "entry_out_of_order", "superseded without re-voting")
        elif held is None or held[0] != e.body["receipt"]:
            self.report._add(e.index, "superseded_mismatch", voter)
        else:
            del self.current[voter]

    def _close(self, e: Entry) -> None:
        assert self.definition is not None
        if self.tally is not None:
            self.report._add(e.index, "entry_out_of_order", "closed twice")
            return
        counted = sorted(self.current.values(), key=lambda pair: pair[0])
        expected = elgamal.tally((bal.boxes for _, bal in counted), self.definition.width)
        published = b.decode_ciphertexts(e.body["tally"])
        if published != expected or e.body["counted"] != [r for r, _ in counted]:
            self.report._add(e.index, "tally_mismatch")
        self.tally = expected  # later checks use the recomputed tally, never the claimed one
        self.report.status = "closed"

    def _partial(self, e: Entry) -> None:
        assert self.definition is not None
        if self.tally is None or self.report.counts is not None:
            self.report._add(e.index, "entry_out_of_order", "partial decryption")
            return
        partial = b.decode_partial(e.body)
        share = self.shares.get(partial.member_id)
        if share is None or partial.member_id in self.partials:
            self.report._add(e.index, "partial_invalid", partial.member_id)
            return
        try:
            committee.verify_partial(self.definition.vote_id, share, self.tally, partial)
        except BallotError:
            self.report._add(e.index, "partial_invalid", partial.member_id)
            return
        self.partials[partial.member_id] = partial

    def _result(self, e: Entry) -> None:
        if self.tally is None or self.report.counts is not None:
            self.report._add(e.index, "entry_out_of_order", "result")
            return
        counts = e.body["counts"]
        missing = [m for m in self.shares if m not in self.partials]
        ok = (
            not missing
            and isinstance(counts, list)
            and len(counts) == len(self.tally)
            and all(type(c) is int and 0 <= c <= len(self.current) for c in counts)
            and e.body.get("labels") == self.report.labels
        )
        if ok:
            # Checking m·G = b - ΣD needs no discrete log: compare points directly.
            plain = committee.combine(self.tally, [self.partials[m] for m in self.shares])
            ok = plain == [group.small_base_mult(c) for c in counts]
        if not ok:
            self.report._add(e.index, "result_mismatch", f"missing {missing}" if missing else "")
            return
        self.report.counts = list(counts)
        self.report.status = "counted"

    def _summarise(self) -> None:
        self.report.voters_who_voted = sorted(self.current)
        self.report.ballots_counted = len(self.current)
        if self.tally is not None:
            self.report.missing_members = [m for m in self.shares if m not in self.partials]


@dataclass(frozen=True, slots=True)
class ReceiptLookup:
    entry: Entry
    counted: bool  # False if the delegate later cast a ballot that replaced this one


def lookup_receipt(board: Board | str | Mapping[str, Any], receipt: str) -> ReceiptLookup:
    """Find a delegate's receipt on the board (``ReceiptNotFound`` if absent)."""
    if not isinstance(board, Board):
        board = Board.from_json(board)
    found: Entry | None = None
    superseded = False
    for e in board.entries:
        if e.kind == b.BALLOT_CAST and e.body.get("receipt") == receipt:
            found = e
        elif e.kind == b.BALLOT_SUPERSEDED and e.body.get("receipt") == receipt:
            superseded = True
    if found is None:
        raise ReceiptNotFound(receipt=receipt)
    return ReceiptLookup(found, counted=not superseded)


__all__ = [
    "Finding",
    "InvalidBoard",
    "ReceiptLookup",
    "VerificationReport",
    "lookup_receipt",
    "verify_board",
]
