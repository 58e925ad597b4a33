"""The public bulletin board of one secret vote: append-only and hash-chained.

Each entry is ``{index, kind, prev, body, hash}`` where ``hash`` is the hex SHA-256 of the
canonical JSON of ``{index, kind, prev, body}`` and ``prev`` is the previous entry's
``hash`` (64 zeros for the first). Editing, removing or reordering any entry breaks the
chain from there on; rewriting the whole tail is caught by the proofs, the receipts the
delegates hold, and the head hash announced in the hall.

The board is the single record of the vote: the server appends to it and can rebuild its
state from it after a restart; ``verify.py`` checks it knowing nothing else.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shared.ballot import group
from shared.ballot.committee import KeyShare, PartialDecryption
from shared.ballot.elgamal import Ciphertext
from shared.ballot.errors import InvalidBoard
from shared.ballot.proofs import SchnorrProof
from shared.crypto.encoding import b64url_decode, b64url_encode
from shared.crypto.signing import canonical_json

BOARD_FORMAT = "hdnd-ballot-board/1"
GENESIS = "0" * 64

SETUP = "setup"
BALLOT_CAST = "ballot_cast"
BALLOT_SUPERSEDED = "ballot_superseded"
CLOSE = "close"
PARTIAL_DECRYPTION = "partial_decryption"
RESULT = "result"
KINDS = (SETUP, BALLOT_CAST, BALLOT_SUPERSEDED, CLOSE, PARTIAL_DECRYPTION, RESULT)


def entry_hash(index: int, kind: str, prev: str, body: Mapping[str, Any]) -> str:
    material = {"index": index, "kind": kind, "prev": prev, "body": body}
    return hashlib.sha256(canonical_json(material)).hexdigest()


@dataclass(frozen=True, slots=True)
class Entry:
    index: int
    kind: str
    prev: str
    body: dict[str, Any]
    hash: str

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "kind": self.kind,
            "prev": self.prev,
            "body": self.body,
            "hash": self.hash,
        }


class Board:
    """An append-only list of entries; ``append`` is the only way to add one."""

    def __init__(self, entries: Sequence[Entry] = ()) -> None:
        self._entries: list[Entry] = list(entries)

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(self._entries)

    @property
    def head(self) -> str:
        """Hash of the last entry: announce it to fix the whole board in the minutes."""
        return self._entries[-1].hash if self._entries else GENESIS

    def append(self, kind: str, body: Mapping[str, Any]) -> Entry:
        if kind not in KINDS:
            raise ValueError(f"unknown board entry kind {kind!r}")
        index, prev = len(self._entries), self.head
        # Round-trip through JSON: the stored body is exactly what the file will hold.
        stored: dict[str, Any] = json.loads(canonical_json(dict(body)))
        entry = Entry(index, kind, prev, stored, entry_hash(index, kind, prev, stored))
        self._entries.append(entry)
        return entry

    def to_json(self) -> dict[str, Any]:
        return {"format": BOARD_FORMAT, "entries": [e.to_json() for e in self._entries]}

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, data: str | bytes | Mapping[str, Any]) -> Board:
        """Read the shape only; hashes and proofs are ``verify.verify_board``'s job."""
        try:
            parsed: Mapping[str, Any] = json.loads(data) if isinstance(data, str | bytes) else data
            if parsed["format"] != BOARD_FORMAT:
                raise InvalidBoard(format=parsed["format"])
            entries = []
            for raw in parsed["entries"]:
                if not isinstance(raw["body"], dict):
                    raise TypeError("entry body must be an object")
                entries.append(
                    Entry(
                        int(raw["index"]),
                        str(raw["kind"]),
                        str(raw["prev"]),
                        raw["body"],
                        str(raw["hash"]),
                    )
                )
            return cls(entries)
        except InvalidBoard:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidBoard(detail=str(exc)[:80]) from exc


# --- how the protocol's objects are written into entry bodies -------------------------


def encode_key_share(share: KeyShare) -> dict[str, str]:
    return {
        "member_id": share.member_id,
        "public": b64url_encode(share.public),
        "proof": b64url_encode(share.proof.to_bytes()),
    }


def decode_key_share(data: Mapping[str, Any]) -> KeyShare:
    return KeyShare(
        data["member_id"],
        group.decode_point(b64url_decode(data["public"])),
        SchnorrProof.from_bytes(b64url_decode(data["proof"])),
    )


def encode_ciphertexts(items: Sequence[Ciphertext]) -> list[str]:
    return [b64url_encode(c.to_bytes()) for c in items]


def decode_ciphertexts(items: Sequence[str]) -> list[Ciphertext]:
    return [Ciphertext.from_bytes(b64url_decode(c)) for c in items]


def encode_partial(partial: PartialDecryption) -> dict[str, Any]:
    return {
        "member_id": partial.member_id,
        "shares": [b64url_encode(d) for d in partial.shares],
        "proofs": [b64url_encode(p.to_bytes()) for p in partial.proofs],
    }


def decode_partial(data: Mapping[str, Any]) -> PartialDecryption:
    return PartialDecryption(
        data["member_id"],
        tuple(group.decode_point(b64url_decode(d)) for d in data["shares"]),
        tuple(SchnorrProof.from_bytes(b64url_decode(p)) for p in data["proofs"]),
    )
