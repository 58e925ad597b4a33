"""Building a session's agenda pack: who gets which key, reusing what did not change.

A build runs in the background (``run_build``) and counts documents done, so the
clerk's console can show progress. Each new document version is encrypted once, its
content key sealed under the at-rest key and kept (``PackDocument``); a later build
reuses the same file and key, so revising 1 document of 20 moves only that document.
Confidentiality is decided here, by who receives a wrapped key, with the same rule the
REST API uses (``server.security.policy.can_read_document``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from server.config import Settings
from server.documents.storage import DocumentStore
from server.models import (
    Account,
    AccountRole,
    AgendaItem,
    Council,
    CouncilSession,
    Document,
    DocumentVersion,
    SessionStatus,
)
from server.models.base import utcnow
from server.models.devices import Device, PackBuild, PackDocument, PackGrant, PackStatus
from server.packs import keys
from server.packs.errors import NoPackYet, PackBuildRunning, SessionNotPublished
from server.security.policy import can_read_document, can_view_session
from server.security.principal import Principal, load_principal
from server.services import audit
from shared.crypto.at_rest import AtRestKeyInvalid, open_content_key, seal_content_key
from shared.crypto.chunked import EncryptedInfo
from shared.crypto.signing import x25519_public_from_b64
from shared.pack.builder import (
    EncryptedDocument,
    PackRecipient,
    SourceDocument,
    build_pack,
    ciphertext_path,
)
from shared.pack.manifest import AgendaEntry, Confidentiality, SessionInfo

log = logging.getLogger(__name__)
STALE_BUILD = timedelta(minutes=10)  # a "building" row this old was left by a crash


def blobs_dir(settings: Settings) -> Path:
    return settings.data_dir / "packs" / "blobs"


def latest_published(db: Session, session_id: int) -> PackBuild:
    build = db.exec(select(PackBuild).where(PackBuild.session_id == session_id,
                                            PackBuild.status == PackStatus.published)
                    .order_by(col(PackBuild.version).desc()).limit(1)).first()
    if build is None:
        raise NoPackYet()
    return build


def get_build(db: Session, session_id: int, version: int) -> PackBuild:
    build = db.exec(select(PackBuild).where(PackBuild.session_id == session_id,
                                            PackBuild.version == version)).first()
    if build is None:
        raise NoPackYet("Không có phiên bản gói tài liệu này.", "No such pack version.")
    return build


def describe_build(build: PackBuild) -> dict[str, Any]:
    return {"session_id": build.session_id, "version": build.version, "status": build.status,
            "documents_done": build.documents_done, "documents_total": build.documents_total,
            "error": build.error, "created_at": build.created_at,
            "published_at": build.published_at}


def start_build(db: Session, actor: Account, session: CouncilSession) -> PackBuild:
    """Reserve the next pack version; the caller runs ``run_build`` after committing."""
    if session.status not in (SessionStatus.published, SessionStatus.in_progress):
        raise SessionNotPublished()
    for running in db.exec(select(PackBuild).where(PackBuild.session_id == session.id,
                                                   PackBuild.status == PackStatus.building)):
        if running.created_at > utcnow() - STALE_BUILD:
            raise PackBuildRunning(version=running.version)
        running.status, running.error = PackStatus.failed, "abandoned"
        db.add(running)
    last = db.exec(select(func.max(PackBuild.version))
                   .where(PackBuild.session_id == session.id)).one()
    total = db.exec(select(func.count()).select_from(Document).where(
        Document.session_id == session.id, col(Document.current_version) >= 1)).one()
    build = PackBuild(session_id=session.id or 0, version=(last or 0) + 1,
                      documents_total=total, created_by=actor.id)
    db.add(build)
    db.flush()
    audit.record(db, actor, "pack.build_started", "session", session.id, version=build.version)
    return build


def run_build(engine: Engine, settings: Settings, build_id: int) -> None:
    """The background part: encrypt, wrap, sign, publish; on failure mark the build failed."""
    with Session(engine, expire_on_commit=False) as db:
        build = db.get(PackBuild, build_id)
        if build is None:
            return
        try:
            _build(db, settings, build)
        except Exception as exc:
            log.exception("pack build %s failed", build_id)
            db.rollback()
            build = db.get(PackBuild, build_id)
            assert build is not None
            build.status, build.error = PackStatus.failed, f"{type(exc).__name__}: {exc}"[:2000]
            db.add(build)
            audit.record(db, None, "pack.build_failed", "session", build.session_id,
                         version=build.version, error=build.error)
            db.commit()


def _build(db: Session, settings: Settings, build: PackBuild) -> None:
    session = db.get(CouncilSession, build.session_id)
    assert session is not None
    council = db.get(Council, session.council_id)
    out_dir = blobs_dir(settings)
    out_dir.mkdir(parents=True, exist_ok=True)
    at_rest = keys.at_rest_key(settings.keys_dir)
    server_key = keys.signing_key(settings.keys_dir)
    store = DocumentStore(settings.documents_dir)
    info = SessionInfo(id=str(session.id), title=session.title, date=session.start_date,
                       place=session.place)
    documents = list(db.exec(select(Document).where(
        Document.session_id == session.id, col(Document.current_version) >= 1)
        .order_by(col(Document.id))))
    sources = [_source(db, store, d) for d in documents]
    encrypted = _reusable(db, at_rest, out_dir, sources)
    build.documents_total = len(sources)
    build.documents_done = len(encrypted)
    db.add(build)
    db.commit()
    for source in sources:
        if (source.id, source.version) in encrypted:
            continue
        # Encrypt one document at a time (a pack with no recipients) so progress is visible
        # and each finished document is kept even if a later one fails.
        alone = build_pack(council=council.name if council else "", session=info,
                           pack_version=build.version, agenda=(), documents=[source],
                           recipients=(), server_key=server_key, out_dir=out_dir)
        done = alone.documents[source.id]
        encrypted[(source.id, source.version)] = done
        stale = db.exec(select(PackDocument).where(PackDocument.document_id == int(source.id),
                                                   PackDocument.version == source.version))
        for row in stale:  # its file was missing or its key no longer opens
            db.delete(row)
        db.flush()
        db.add(_pack_document(done, at_rest))
        build.documents_done += 1
        db.add(build)
        db.commit()
    recipients = _recipients(db, session, documents)
    built = build_pack(council=council.name if council else "", session=info,
                       pack_version=build.version, agenda=_agenda(db, session, documents),
                       documents=sources, recipients=recipients, server_key=server_key,
                       out_dir=out_dir, previous=encrypted)
    _record_grants(db, built.signed.manifest.keys)
    build.manifest = built.signed.to_json_bytes().decode("utf-8")
    build.status, build.published_at = PackStatus.published, utcnow()
    db.add(build)
    creator = db.get(Account, build.created_by) if build.created_by else None
    audit.record(db, creator, "pack.published", "session", session.id, version=build.version,
                 documents=len(sources), recipients=len(recipients),
                 keys=len(built.signed.manifest.keys))
    db.commit()


def _source(db: Session, store: DocumentStore, document: Document) -> SourceDocument:
    version = db.exec(select(DocumentVersion).where(
        DocumentVersion.document_id == document.id,
        DocumentVersion.version == document.current_version)).one()
    return SourceDocument(id=str(document.id), version=version.version, kind=str(document.kind),
                          title=document.title, pages=version.page_count,
                          confidentiality=Confidentiality(str(document.confidentiality)),
                          content=store.path_for(version.storage_key))


def _reusable(db: Session, at_rest: bytes, out_dir: Path,
              sources: Sequence[SourceDocument]) -> dict[tuple[str, int], EncryptedDocument]:
    found: dict[tuple[str, int], EncryptedDocument] = {}
    for source in sources:
        row = db.exec(select(PackDocument).where(PackDocument.document_id == int(source.id),
                                                 PackDocument.version == source.version)).first()
        if row is None or not (out_dir / row.file_name).exists():
            continue
        try:
            content_key = open_content_key(at_rest, row.sealed_key, source.id, source.version)
        except AtRestKeyInvalid:
            # The at-rest key was lost or replaced: encrypt this version again (a new file
            # and key; devices fetch it once more) rather than fail every later build.
            log.warning("document %s v%s: stored key does not open, re-encrypting",
                        source.id, source.version)
            continue
        found[(source.id, source.version)] = EncryptedDocument(
            doc_id=source.id, version=source.version, path=out_dir / row.file_name,
            content_key=content_key,
            info=EncryptedInfo(size=row.size, sha256=row.sha256, chunk_count=row.chunk_count,
                               plaintext_sha256=row.plaintext_sha256,
                               plaintext_size=row.plaintext_size, chunk_size=row.chunk_size))
    return found


def _pack_document(done: EncryptedDocument, at_rest: bytes) -> PackDocument:
    info = done.info
    return PackDocument(document_id=int(done.doc_id), version=done.version,
                        file_name=done.path.name,
                        sealed_key=seal_content_key(at_rest, done.content_key, done.doc_id,
                                                    done.version),
                        size=info.size, sha256=info.sha256, chunk_count=info.chunk_count,
                        chunk_size=info.chunk_size, plaintext_sha256=info.plaintext_sha256,
                        plaintext_size=info.plaintext_size)


def owner_principal(db: Session, person_id: int) -> Principal:
    """The person's rights as their account has them (a person with none: a delegate's)."""
    account = db.exec(select(Account).where(Account.person_id == person_id,
                                            Account.is_active == True)  # noqa: E712
                      .order_by(col(Account.id))).first()
    if account is None:
        account = Account(username="", password_hash="", role=AccountRole.delegate,
                          person_id=person_id)
    return load_principal(db, account)


def _recipients(db: Session, session: CouncilSession,
                documents: Sequence[Document]) -> list[PackRecipient]:
    out: list[PackRecipient] = []
    principals: dict[int, Principal] = {}
    for device in db.exec(select(Device).where(col(Device.revoked_at).is_(None))
                          .order_by(col(Device.id))):
        if device.person_id not in principals:
            principals[device.person_id] = owner_principal(db, device.person_id)
        principal = principals[device.person_id]
        if not can_view_session(db, principal, session):
            continue  # not a recipient at all: public and internal keys go to every recipient
        entitled = frozenset(str(d.id) for d in documents
                             if can_read_document(db, principal, session, d))
        out.append(PackRecipient(device_id=str(device.id), person_id=str(device.person_id),
                                 public_key=x25519_public_from_b64(device.x25519_public),
                                 entitled=entitled))
    return out


def _agenda(db: Session, session: CouncilSession,
            documents: Sequence[Document]) -> list[AgendaEntry]:
    items = list(db.exec(select(AgendaItem).where(AgendaItem.session_id == session.id)
                         .order_by(col(AgendaItem.position), col(AgendaItem.id))))
    by_item: dict[int, list[str]] = {}
    for document in documents:
        if document.agenda_item_id is not None:
            by_item.setdefault(document.agenda_item_id, []).append(str(document.id))
    children: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    out: list[AgendaEntry] = []

    def walk(parent: int | None, prefix: str) -> None:
        for number, item in enumerate(children.get(parent, []), start=1):
            label = f"{prefix}{number}"
            out.append(AgendaEntry(item_id=str(item.id), number=label, title=item.title,
                                   parent_id=str(parent) if parent is not None else None,
                                   document_ids=tuple(by_item.get(item.id or 0, ()))))
            walk(item.id, f"{label}.")

    walk(None, "")
    return out


def _record_grants(db: Session, grants: Sequence[Any]) -> None:
    """Remember who received which key: only they may fetch that ciphertext file."""
    have = {(g.device_id, g.document_id, g.version) for g in db.exec(select(PackGrant))}
    for grant in grants:
        row = (int(grant.device_id), int(grant.document_id), grant.document_version)
        if row not in have:
            db.add(PackGrant(device_id=row[0], document_id=row[1], version=row[2]))
            have.add(row)


def blob_path(db: Session, settings: Settings, device: Device, doc_id: int,
              version: int) -> Path | None:
    """The ciphertext file, if this device was ever given a key for it."""
    granted = db.exec(select(PackGrant).where(PackGrant.device_id == device.id,
                                              PackGrant.document_id == doc_id,
                                              PackGrant.version == version)).first()
    if granted is None:
        return None
    path = ciphertext_path(blobs_dir(settings), str(doc_id), version)
    return path if path.exists() else None
