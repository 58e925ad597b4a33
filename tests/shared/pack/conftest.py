"""A real small pack: three devices, documents of every confidentiality, a server key."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from shared.crypto.signing import ServerSigningKey
from shared.pack.builder import PackRecipient, SourceDocument
from shared.pack.manifest import AgendaEntry, Confidentiality, SessionInfo

CHUNK = 4096
SESSION = SessionInfo(
    id="ky-hop-5",
    title="Kỳ họp thứ năm, HĐND xã Y Tý khóa XX",
    date=dt.date(2026, 7, 10),
    place="Hội trường UBND xã Y Tý",
)
ISSUED = dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)


@dataclass
class Device:
    device_id: str
    person_id: str
    private_key: X25519PrivateKey

    def recipient(self, entitled: set[str]) -> PackRecipient:
        return PackRecipient(
            self.device_id, self.person_id, self.private_key.public_key(), frozenset(entitled)
        )


def document(doc_id: str, confidentiality: Confidentiality, size: int, version: int = 1):
    content = random.Random(f"{doc_id}-{version}").randbytes(size)
    return SourceDocument(
        id=doc_id,
        version=version,
        kind="draft_resolution",
        title=f"Dự thảo nghị quyết {doc_id}",
        pages=3,
        confidentiality=confidentiality,
        content=content,
    )


def agenda_for(doc_ids: list[str]) -> list[AgendaEntry]:
    return [
        AgendaEntry(item_id="muc-1", number="1", title="Kinh tế - xã hội"),
        AgendaEntry(
            item_id="muc-1-1",
            number="1.1",
            title="Các dự thảo nghị quyết",
            parent_id="muc-1",
            document_ids=tuple(doc_ids),
        ),
    ]


@pytest.fixture
def server_key(tmp_path: Path) -> ServerSigningKey:
    return ServerSigningKey.generate(tmp_path / "server.key")


@pytest.fixture
def devices() -> list[Device]:
    return [Device(f"tablet-{n}", f"dai-bieu-{n}", X25519PrivateKey.generate()) for n in (1, 2, 3)]
