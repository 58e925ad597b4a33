"""What the public may see of a verifiable secret ballot: the board once it is counted.

Issue 7: "The result and the whole board (public key, proofs, ballots, receipts, partial
decryptions) are published for the sitting; a delegate can look up their own receipt".
Before the count nothing leaves the sitting: while a ballot is open or being decrypted,
the roll of who voted is public *to the sitting* (signed-in devices), never to the
portal, and no ballot's content is ever public. So a ballot is public only when

* it is ``counted`` (the ``result`` entry is on the board), and
* its session is public (published, in progress or closed) and its body publishes vote
  results (``Body.publish_vote_results``, the same switch as the portal's results).

Anything else answers ``BallotNotPublished`` (404), indistinguishable from a ballot that
does not exist. The summary re-runs ``verify_board`` on the stored board, so the page
shows what anyone running ``hdnd ballot verify`` on the downloaded JSON would see.
"""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session

from server.ballot import board_store
from server.ballot.service import COUNTED, committee_of, definition_of, member_id
from server.errors import Invalid, NotFound
from server.models import Person
from server.models.ballot import Ballot
from server.models.base import id_of
from server.models.live import Sitting
from server.services import council, renumbering
from server.services.public_data import public_session
from shared.ballot.board import Board
from shared.ballot.confidence import confidence_result
from shared.ballot.errors import BallotError
from shared.ballot.verify import lookup_receipt, verify_board

RECEIPT = re.compile(r"^[0-9a-f]{64}$")


class BallotNotPublished(NotFound):
    code = "ballot_not_published"
    message_vi = ("Không có cuộc bỏ phiếu kín đã kiểm phiếu xong với mã này; bảng tin chỉ được "
                  "công bố sau khi Ban kiểm phiếu công bố kết quả.")
    message_en = ("No counted secret ballot with this number; the board is published only "
                  "once the vote-counting committee has published the result.")


class BadReceipt(Invalid):
    code = "receipt_malformed"
    message_vi = "Biên nhận là 64 ký tự thập lục phân (0-9, a-f), như trên máy tính bảng."
    message_en = "A receipt is 64 hexadecimal characters (0-9, a-f), as the tablet shows it."


def _on_board(db: Session, ballot: Ballot, person_id: int) -> str:
    """The member's name on the board: a ballot of a commune that moved here beside other
    councils was held under the old person ids, which its proofs bind."""
    if renumbering.came_with_move(db, ballot.council_id, "ballot", ballot.id):
        return member_id(renumbering.as_made(db, ballot.council_id, "person", person_id))
    return member_id(person_id)


def published_ballot(db: Session, ballot_id: int) -> Ballot:
    """The ballot if the public may see it, else BallotNotPublished."""
    ballot = db.get(Ballot, ballot_id)
    if ballot is None or ballot.status != COUNTED:
        raise BallotNotPublished(ballot_id=ballot_id)
    sitting = db.get(Sitting, ballot.sitting_id)
    try:
        session = public_session(db, sitting.session_id if sitting else 0)
    except Exception as exc:  # a draft session reads as "no such ballot"
        raise BallotNotPublished(ballot_id=ballot_id) from exc
    if not council.get_body(db, session.body_id).publish_vote_results:
        raise BallotNotPublished(ballot_id=ballot_id)
    return ballot


def public_board(db: Session, ballot_id: int) -> Board:
    return board_store.load_board(db, id_of(published_ballot(db, ballot_id)))


def normalise_receipt(receipt: str) -> str:
    """Lowercase, spaces removed (people copy receipts in groups); BadReceipt if not hex."""
    cleaned = re.sub(r"\s+", "", receipt or "").lower()
    if not RECEIPT.match(cleaned):
        raise BadReceipt(receipt=receipt[:80] if receipt else "")
    return cleaned


def public_receipt(db: Session, ballot_id: int, receipt: str) -> dict[str, Any]:
    """Where a receipt is on the published board: entry, hash, whether it counts."""
    cleaned = normalise_receipt(receipt)
    board = public_board(db, ballot_id)
    try:
        found = lookup_receipt(board, cleaned)
    except BallotError:
        return {"receipt": cleaned, "found": False}
    return {"receipt": cleaned, "found": True, "index": found.entry.index,
            "hash": found.entry.hash, "voter_id": found.entry.body["voter_id"],
            "counted": found.counted}


def public_summary(db: Session, ballot_id: int) -> dict[str, Any]:
    """The result sheet, the committee, the board's head and its independent check."""
    ballot = published_ballot(db, ballot_id)
    board = board_store.load_board(db, id_of(ballot))
    report = verify_board(board.to_json())
    definition = definition_of(ballot)
    sitting = db.get(Sitting, ballot.sitting_id)
    assert sitting is not None
    session = public_session(db, sitting.session_id)
    members = committee_of(db, id_of(ballot))
    people = {m.person_id: db.get(Person, m.person_id) for m in members}
    names = {pid: person.full_name if person else "" for pid, person in people.items()}
    counts = report.counts or []
    out: dict[str, Any] = {
        "id": ballot.id, "kind": ballot.kind, "title": definition.title,
        "vote_id": ballot.vote_key, "session_id": session.id, "session_title": session.title,
        "sitting_title": sitting.title, "members_total": definition.members_total,
        "max_choices": definition.max_choices, "allow_revote": ballot.allow_revote,
        "committee": [{"member_id": _on_board(db, ballot, m.person_id),
                       "full_name": names[m.person_id]} for m in members],
        "ballots_counted": report.ballots_counted, "voters_who_voted": report.voters_who_voted,
        "board_head": board.head, "board_entries": len(board.entries),
        "verification": {"ok": report.ok, "status": report.status,
                         "findings": [{"code": f.code, "index": f.index,
                                       "message_vi": f.message_vi, "message_en": f.message_en}
                                      for f in report.findings]},
        "board_url": f"/api/public/ballots/{ballot.id}/board",
        "page_url": f"/bo-phieu-kin/{ballot.id}",
    }
    if definition.kind == "election" and counts:
        out["candidates"] = [{"candidate_id": s.subject_id, "full_name": s.full_name, "votes": n}
                             for s, n in zip(definition.subjects, counts, strict=True)]
    elif counts:
        out["confidence"] = confidence_result(definition, counts).to_json()
    return out
