"""The public board in the database: load it in order, append what a box added.

Rows hold each entry exactly as ``shared.ballot.board`` made it (kind, prev, hash, the
canonical JSON body), so ``SecretBallotBox(load_board(...))`` after a restart is the box
that was running: nothing accepted is lost, nothing is counted twice. The unique
(ballot_id, position) constraint makes a second writer of entry N fail, not fork.
"""

from __future__ import annotations

import json

from sqlmodel import Session, col, select

from server.models.ballot import BallotBoardEntry
from shared.ballot.board import Board, Entry
from shared.ballot.box import SecretBallotBox
from shared.crypto.signing import canonical_json


def load_board(db: Session, ballot_id: int) -> Board:
    rows = db.exec(select(BallotBoardEntry).where(BallotBoardEntry.ballot_id == ballot_id)
                   .order_by(col(BallotBoardEntry.position))).all()
    return Board([Entry(r.position, r.kind, r.prev, json.loads(r.body), r.hash) for r in rows])


def load_box(db: Session, ballot_id: int) -> SecretBallotBox:
    return SecretBallotBox(load_board(db, ballot_id))


def save_new_entries(db: Session, ballot_id: int, board: Board, stored: int) -> list[Entry]:
    """Insert the entries after the first ``stored`` ones, in the caller's transaction."""
    new = list(board.entries[stored:])
    for entry in new:
        db.add(BallotBoardEntry(ballot_id=ballot_id, position=entry.index, kind=entry.kind,
                                prev=entry.prev, hash=entry.hash,
                                body=canonical_json(entry.body).decode()))
    db.flush()
    return new
