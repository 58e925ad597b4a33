"""Building an agenda pack: encrypt each document once, wrap its key per entitled device.

Pure: no database, no HTTP. The server's pack service gathers the session, the
documents and the enrolled devices, calls ``build_pack``, stores the returned content
keys sealed under its at-rest key, and serves the files from ``out_dir``.

A document version already encrypted by an earlier build is passed back in through
``previous`` and reused byte for byte (same key, same file, same hash): that is what lets
a revision of 1 document in 20 move only that document on the next sync.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from shared.crypto.chunked import (
    CHUNK_SIZE,
    EncryptedInfo,
    ciphertext_size,
    encrypt_document,
    generate_content_key,
)
from shared.crypto.keywrap import WrapContext, wrap_key
from shared.crypto.signing import ServerSigningKey
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

CIPHERTEXT_SUFFIX = ".hdndoc"


@dataclass(frozen=True)
class SourceDocument:
    """One session document as the clerk uploaded it (plaintext bytes or a file path)."""

    id: str
    version: int
    kind: str
    title: str
    pages: int
    confidentiality: Confidentiality
    content: bytes | Path


@dataclass(frozen=True)
class PackRecipient:
    """An enrolled, not revoked device and the documents its owner may read."""

    device_id: str
    person_id: str
    public_key: X25519PublicKey
    entitled: Collection[str]  # document ids


@dataclass(frozen=True)
class EncryptedDocument:
    """A document version's ciphertext file and content key, kept for later builds.

    The server must store ``content_key`` sealed under its at-rest key (never in clear)
    so that later packs can wrap it for newly enrolled devices without re-encrypting.
    """

    doc_id: str
    version: int
    path: Path
    content_key: bytes
    info: EncryptedInfo


@dataclass(frozen=True)
class BuiltPack:
    signed: SignedManifest
    documents: Mapping[str, EncryptedDocument]  # by document id


def ciphertext_path(out_dir: Path, doc_id: str, version: int) -> Path:
    """Where a document version's ciphertext lives; the id pattern keeps it a plain name."""
    return out_dir / f"{doc_id}.v{version}{CIPHERTEXT_SUFFIX}"


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
) -> BuiltPack:
    """Encrypt, wrap and sign one version of a session's pack.

    Public and internal documents are still encrypted and wrapped for every recipient
    (the pack never travels in clear); restricted ones are wrapped only for devices
    whose ``entitled`` names them. A recipient entitled to nothing still appears, so
    the device learns it is current.
    """
    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    previous = previous or {}
    recipients = list(recipients)
    encrypted = {
        source.id: previous.get((source.id, source.version))
        or _encrypt_one(source, target, chunk_size)
        for source in documents
    }
    entries = [_entry(source, encrypted[source.id].info) for source in documents]
    grants = [
        _grant(recipient, source, encrypted[source.id].content_key)
        for recipient in recipients
        for source in documents
        if _entitled(recipient, source)
    ]
    manifest = Manifest(
        council=council,
        session=session,
        pack_version=pack_version,
        issued_at=(issued_at or dt.datetime.now(dt.UTC)).replace(microsecond=0),
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


def _encrypt_one(source: SourceDocument, out_dir: Path, chunk_size: int) -> EncryptedDocument:
    key = generate_content_key()  # fresh per version: an old device key never opens a revision
    path = ciphertext_path(out_dir, source.id, source.version)
    partial = path.with_suffix(path.suffix + ".part")
    with open(partial, "wb") as out:
        _reserve(out, source.content, chunk_size)
        if isinstance(source.content, Path):
            with open(source.content, "rb") as plaintext:
                info = encrypt_document(
                    plaintext, key, source.id, source.version, out, chunk_size=chunk_size
                )
        else:
            info = encrypt_document(
                source.content, key, source.id, source.version, out, chunk_size=chunk_size
            )
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)  # a crash never leaves a half file under the final name
    return EncryptedDocument(source.id, source.version, path, key, info)


def _reserve(out: BinaryIO, content: bytes | Path, chunk_size: int) -> None:
    """Allocate the file's blocks up front: on ext4 this makes the writes ~10x faster,
    and a full disk fails here, before any encryption work is spent."""
    if not hasattr(os, "posix_fallocate"):
        return
    size = content.stat().st_size if isinstance(content, Path) else len(content)
    with contextlib.suppress(OSError):  # not supported by this filesystem: just write
        os.posix_fallocate(out.fileno(), 0, ciphertext_size(size, chunk_size))


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
