"""Building an agenda pack: encrypt each document once, wrap its key per entitled device.

Pure: no database, no HTTP. The server's pack service gathers the session, the
documents and the enrolled devices, calls ``build_pack``, stores the returned content
keys sealed under its at-rest key, and serves the files from ``out_dir``.

A document version already encrypted by an earlier build is passed back in through
``previous`` and reused byte for byte (same key, same file, same hash): that is what lets
a revision of 1 document in 20 move only that document on the next sync.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from shared import clock
from shared.crypto.chunked import CHUNK_SIZE, EncryptedInfo
from shared.crypto.keywrap import WrapContext, wrap_key
from shared.crypto.signing import ServerSigningKey
from shared.pack.encryptor import (
    CIPHERTEXT_SUFFIX,
    EncryptedDocument,
    PackEncryptor,
    ciphertext_path,
    sync_directory,
)
from shared.pack.manifest import (
    AgendaEntry,
    Confidentiality,
    DocumentEntry,
    KeyGrant,
    Manifest,
    Recipient,
    SessionInfo,
    SignedManifest,
    WrappedKeyFields,
    sign_manifest,
)

__all__ = [
    "CIPHERTEXT_SUFFIX",
    "BuiltPack",
    "EncryptedDocument",
    "PackRecipient",
    "SourceDocument",
    "build_pack",
    "ciphertext_path",
]


@dataclass(frozen=True)
class SourceDocument:
    """One session document as the clerk uploaded it (plaintext bytes or a file path).

    ``expected_sha256``, when known (the upload's hash), is checked against the hash the
    build computes anyway: a stored file that changed since upload stops the build.
    """

    id: str
    version: int
    kind: str
    title: str
    pages: int
    confidentiality: Confidentiality
    content: bytes | Path
    expected_sha256: str | None = None


@dataclass(frozen=True)
class PackRecipient:
    """An enrolled, not revoked device and the documents its owner may read."""

    device_id: str
    person_id: str
    public_key: X25519PublicKey
    entitled: Collection[str]  # document ids


@dataclass(frozen=True)
class BuiltPack:
    signed: SignedManifest
    documents: Mapping[str, EncryptedDocument]  # by document id


def build_pack(
    *,
    council: str,
    session: SessionInfo,
    pack_version: int,
    agenda: Sequence[AgendaEntry],
    documents: Sequence[SourceDocument],
    recipients: Iterable[PackRecipient],
    server_key: ServerSigningKey,
    out_dir: str | os.PathLike[str],
    previous: Mapping[tuple[str, int], EncryptedDocument] | None = None,
    issued_at: dt.datetime | None = None,
    chunk_size: int = CHUNK_SIZE,
    on_encrypted: Callable[[EncryptedDocument], None] | None = None,
    workers: int | None = None,
    work_dir: str | os.PathLike[str] | None = None,
) -> BuiltPack:
    """Encrypt, wrap and sign one version of a session's pack.

    Public and internal documents are still encrypted and wrapped for every recipient
    (the pack never travels in clear); restricted ones are wrapped only for devices
    whose ``entitled`` names them. A recipient entitled to nothing still appears, so
    the device learns it is current.

    New document versions are encrypted in the background while this thread wraps
    their keys; ``on_encrypted`` is called (on this thread) as each file is complete and
    durable, so the caller can record it and show progress. If the build fails, the
    files finished before the failure stay valid for the next build. Unfinished files are
    written in ``work_dir`` (default: ``out_dir``), on the same file system.
    """
    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    previous = previous or {}
    recipients = list(recipients)
    encrypted: dict[str, EncryptedDocument] = {}
    fresh = 0
    scratch = Path(work_dir) if work_dir is not None else None
    with PackEncryptor(target, chunk_size, workers, scratch) as encryptor:
        content_keys: dict[str, bytes] = {}
        for source in documents:
            reused = previous.get((source.id, source.version))
            if reused is not None:
                encrypted[source.id] = reused
                content_keys[source.id] = reused.content_key
            else:
                content_keys[source.id] = encryptor.submit(
                    source.id, source.version, source.content, source.expected_sha256
                )
                fresh += 1
        encryptor.start_sealing()  # queued behind the plaintext hashes
        # Wrapping holds the GIL, the plaintext hashes do not: the two overlap.
        grants = [
            _grant(recipient, source, content_keys[source.id])
            for recipient in recipients
            for source in documents
            if _entitled(recipient, source)
        ]
        for done in encryptor.completed():
            encrypted[done.doc_id] = done
            if on_encrypted is not None:
                on_encrypted(done)
    if fresh:
        sync_directory(target)  # the renames of the new files survive a power cut
    entries = [_entry(source, encrypted[source.id].info) for source in documents]
    manifest = Manifest(
        council=council,
        session=session,
        pack_version=pack_version,
        issued_at=(issued_at or clock.now()).replace(microsecond=0),
        agenda=tuple(agenda),
        documents=tuple(entries),
        recipients=tuple(
            Recipient(device_id=r.device_id, person_id=r.person_id) for r in recipients
        ),
        keys=tuple(grants),
    )
    return BuiltPack(signed=sign_manifest(manifest, server_key), documents=encrypted)


def _entitled(recipient: PackRecipient, source: SourceDocument) -> bool:
    if source.confidentiality is Confidentiality.RESTRICTED:
        return source.id in recipient.entitled
    return True


def _entry(source: SourceDocument, info: EncryptedInfo) -> DocumentEntry:
    return DocumentEntry(
        id=source.id,
        version=source.version,
        kind=source.kind,
        title=source.title,
        pages=source.pages,
        plaintext_sha256=info.plaintext_sha256,
        plaintext_size=info.plaintext_size,
        ciphertext_size=info.size,
        ciphertext_sha256=info.sha256,
        chunk_size=info.chunk_size,
        confidentiality=source.confidentiality,
    )


def _grant(recipient: PackRecipient, source: SourceDocument, content_key: bytes) -> KeyGrant:
    context = WrapContext(recipient.device_id, source.id, source.version)
    wrapped = wrap_key(content_key, recipient.public_key, context)
    return KeyGrant(
        document_id=source.id,
        document_version=source.version,
        device_id=recipient.device_id,
        wrapped=WrappedKeyFields.of(wrapped),
    )
