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
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from server.config import Settings
from server.documents.shared_files import SharedFiles, document_store, shared_files
from server.documents.storage import DocumentStore
from server.models import (
    Account,
    AgendaItem,
    Council,
    CouncilSession,
    Document,
    DocumentVersion,
    SessionStatus,
)
from server.models.base import id_of, utcnow
from server.models.devices import (
    Device,
    PackBuild,
    PackDocument,
    PackGrant,
    PackRecipient,
    PackStatus,
)
from server.packs import build_lock, keys
from server.packs.errors import NoPackYet, PackBuildRunning, SessionNotPublished
from server.packs.recipients import pack_recipients
from server.packs.recovery import mark_interrupted
from server.services import audit
from shared.crypto.at_rest import AtRestKeyInvalid, open_content_key, seal_content_key
from shared.crypto.chunked import EncryptedInfo
from shared.pack.builder import (
    EncryptedDocument,
    SourceDocument,
    build_pack,
    ciphertext_path,
)
from shared.pack.manifest import AgendaEntry, Confidentiality, KeyGrant, Manifest, SessionInfo

log = logging.getLogger(__name__)
PROGRESS_EVERY = 0.5  # seconds between progress commits during a build


def blobs_dir(settings: Settings) -> Path:
    return settings.data_dir / "packs" / "blobs"


def latest_published(db: Session, session_id: int) -> PackBuild:
    build = db.exec(select(PackBuild).where(PackBuild.session_id == session_id,
                                            PackBuild.status == PackStatus.published)
                    .order_by(col(PackBuild.version).desc()).limit(1)).first()
    if build is None:
        raise NoPackYet()
    return build


def manifest_for(db: Session, session_id: int, device: Device) -> PackBuild:
    """The latest published build, if ``device`` is one of its recipients.

    Any other device gets the same 404 as for a session with no pack or no session at
    all: a manifest names titles, place, agenda and recipients, and a device must not
    learn them (or which session ids exist) for sessions its owner may not see.
    """
    build = latest_published(db, session_id)
    listed = db.exec(select(PackRecipient).where(PackRecipient.build_id == build.id,
                                                 PackRecipient.device_id == device.id)).first()
    if listed is None:
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


def start_build(db: Session, actor: Account, session: CouncilSession,
                settings: Settings) -> PackBuild:
    """Reserve the next pack version; the caller runs ``run_build`` after committing.

    A build of this session still "building" blocks only while its process lives (see
    ``build_lock``); one left by a dead process is marked interrupted here, at once.
    """
    if session.status not in (SessionStatus.published, SessionStatus.in_progress):
        raise SessionNotPublished()
    folder = build_lock.building_dir(settings)
    for running in list(db.exec(select(PackBuild).where(
            PackBuild.session_id == session.id, PackBuild.status == PackStatus.building))):
        if build_lock.is_running(folder, id_of(running)):
            raise PackBuildRunning(version=running.version)
        mark_interrupted(db, id_of(running))
        build_lock.remove_leftovers(folder, id_of(running))
    last = db.exec(select(func.max(PackBuild.version))
                   .where(PackBuild.session_id == session.id)).one()
    total = db.exec(select(func.count()).select_from(Document).where(
        Document.session_id == session.id, col(Document.current_version) >= 1,
        col(Document.withdrawn_at).is_(None))).one()
    build = PackBuild(session_id=id_of(session), version=(last or 0) + 1,
                      documents_total=total, created_by=actor.id)
    db.add(build)
    db.flush()
    # Locked before the row is committed: nobody can see it "building" without a holder.
    build_lock.reserve(folder, id_of(build))
    audit.record(db, actor, "pack.build_started", "session", session.id, version=build.version)
    return build


def run_build(engine: Engine, settings: Settings, build_id: int) -> None:
    """The background part: encrypt, wrap, sign, publish; on failure mark the build failed.

    Runs under the build's lock (taken over from ``start_build`` in this process); if
    another living process holds it, the build is running there and this returns.
    """
    folder = build_lock.building_dir(settings)
    lock = build_lock.take(folder, build_id)
    if lock is None:
        log.warning("pack build %s is running in another process", build_id)
        return
    try:
        _run_locked(engine, settings, build_id)
    finally:
        build_lock.remove_leftovers(folder, build_id)
        lock.release()  # after the row says published or failed


def _run_locked(engine: Engine, settings: Settings, build_id: int) -> None:
    with Session(engine, expire_on_commit=False) as db:
        build = db.get(PackBuild, build_id)
        if build is None or build.status != PackStatus.building:
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
    server_key = keys.council_signing_key(db, settings.keys_dir, session.council_id)
    store = document_store(settings)
    info = SessionInfo(id=str(session.id), title=session.title, date=session.start_date,
                       place=session.place)
    # a withdrawn document leaves the pack; devices drop it with the next manifest
    documents = list(db.exec(select(Document).where(
        Document.session_id == session.id, col(Document.current_version) >= 1,
        col(Document.withdrawn_at).is_(None)).order_by(col(Document.id))))
    sources = _sources(db, store, documents)
    encrypted = _reusable(db, at_rest, out_dir, sources, shared_files(settings))
    _forget_unusable(db, sources, encrypted)
    build.documents_total = len(sources)
    build.documents_done = len(encrypted)
    db.add(build)
    db.commit()
    recipients = pack_recipients(db, session, documents)
    progress = _Progress(db, build, at_rest)
    try:
        built = build_pack(council=council.name if council else "", session=info,
                           pack_version=build.version, agenda=_agenda(db, session, documents),
                           documents=sources, recipients=recipients, server_key=server_key,
                           out_dir=out_dir, previous=encrypted, on_encrypted=progress.record,
                           work_dir=build_lock.work_dir(settings, id_of(build)))
    except Exception:
        progress.keep_finished()
        raise
    shared = shared_files(settings)
    if shared is not None:  # published only once every host can serve every blob
        for done in built.documents.values():
            shared.put(f"packs/blobs/{done.path.name}", done.path)
    _record_grants(db, built.signed.manifest.keys, build.council_id)
    _record_recipients(db, id_of(build), built.signed.manifest, build.council_id)
    build.manifest = built.signed.to_json_bytes().decode("utf-8")
    build.status, build.published_at = PackStatus.published, utcnow()
    db.add(build)
    creator = db.get(Account, build.created_by) if build.created_by else None
    audit.record(db, creator, "pack.published", "session", session.id, version=build.version,
                 documents=len(sources), recipients=len(recipients),
                 keys=len(built.signed.manifest.keys))
    db.commit()


class _Progress:
    """Records each newly encrypted document as it is finished (on the build's thread).

    Commits at most every ``PROGRESS_EVERY`` seconds: often enough for the clerk's
    progress bar on a big pack, without one database commit (an fsync) per document on a
    small one. On a failure, what was finished is committed, so the next build reuses it.
    """

    def __init__(self, db: Session, build: PackBuild, at_rest: bytes) -> None:
        self.db, self.build, self.at_rest = db, build, at_rest
        self._committed_at = time.monotonic()

    def record(self, done: EncryptedDocument) -> None:
        self.db.add(_pack_document(done, self.at_rest))
        self.build.documents_done += 1
        self.db.add(self.build)
        if time.monotonic() - self._committed_at >= PROGRESS_EVERY:
            self.db.commit()
            self._committed_at = time.monotonic()

    def keep_finished(self) -> None:
        try:
            self.db.commit()
        except Exception:  # the failure may be the database itself: the build fails anyway
            log.exception("could not keep the documents finished before the failure")
            self.db.rollback()


def _sources(db: Session, store: DocumentStore,
             documents: Sequence[Document]) -> list[SourceDocument]:
    """Each document's current version, as the builder takes it (one query for all)."""
    wanted = {(d.id, d.current_version) for d in documents}
    versions = {(v.document_id, v.version): v for v in db.exec(select(DocumentVersion).where(
        col(DocumentVersion.document_id).in_([d.id for d in documents])))
        if (v.document_id, v.version) in wanted}
    out = []
    for document in documents:
        version = versions[(id_of(document), document.current_version)]
        out.append(SourceDocument(
            id=str(document.id), version=version.version, kind=str(document.kind),
            title=document.title, pages=version.page_count,
            confidentiality=Confidentiality(str(document.confidentiality)),
            content=store.path_for(version.storage_key), expected_sha256=version.sha256 or None))
    return out


def _pack_documents(db: Session, sources: Sequence[SourceDocument]) -> dict[tuple[str, int],
                                                                              PackDocument]:
    rows = db.exec(select(PackDocument).where(
        col(PackDocument.document_id).in_([int(s.id) for s in sources])))
    return {(str(row.document_id), row.version): row for row in rows}


def _reusable(db: Session, at_rest: bytes, out_dir: Path, sources: Sequence[SourceDocument],
              shared: SharedFiles | None = None) -> dict[tuple[str, int], EncryptedDocument]:
    """Document versions encrypted by an earlier build whose file and key are still good."""
    rows = _pack_documents(db, sources)
    found: dict[tuple[str, int], EncryptedDocument] = {}
    for source in sources:
        row = rows.get((source.id, source.version))
        if row is None or not _on_this_host(out_dir / row.file_name, shared):
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


def _forget_unusable(db: Session, sources: Sequence[SourceDocument],
                     reusable: dict[tuple[str, int], EncryptedDocument]) -> None:
    """Drop the records of versions whose file is missing or whose key no longer opens:
    this build encrypts them again under the same (document, version)."""
    current = {(s.id, s.version) for s in sources}
    for key, row in _pack_documents(db, sources).items():
        if key in current and key not in reusable:
            db.delete(row)


def _pack_document(done: EncryptedDocument, at_rest: bytes) -> PackDocument:
    info = done.info
    return PackDocument(document_id=int(done.doc_id), version=done.version,
                        file_name=done.path.name,
                        sealed_key=seal_content_key(at_rest, done.content_key, done.doc_id,
                                                    done.version),
                        size=info.size, sha256=info.sha256, chunk_count=info.chunk_count,
                        chunk_size=info.chunk_size, plaintext_sha256=info.plaintext_sha256,
                        plaintext_size=info.plaintext_size)


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
                                   document_ids=tuple(by_item.get(id_of(item), ()))))
            walk(item.id, f"{label}.")

    walk(None, "")
    return out


def _record_grants(db: Session, grants: Sequence[KeyGrant], council_id: int | None) -> None:
    """Remember who received which key: only they may fetch that ciphertext file."""
    wanted = {(int(g.device_id), int(g.document_id), g.document_version) for g in grants}
    if not wanted:
        return
    have = set(db.exec(select(PackGrant.device_id, PackGrant.document_id, PackGrant.version)
                       .where(col(PackGrant.document_id).in_({row[1] for row in wanted}))))
    rows = [{"device_id": d, "document_id": doc, "version": v, "council_id": council_id}
            for d, doc, v in sorted(wanted - have)]
    if rows:  # one multi-row INSERT, not one ORM object per grant
        db.execute(insert(PackGrant), rows)


def _record_recipients(db: Session, build_id: int, manifest: Manifest,
                       council_id: int | None) -> None:
    """Who this version lists, and how many keys each got: the devices' session list."""
    grants = {int(r.device_id): 0 for r in manifest.recipients}
    for grant in manifest.keys:
        grants[int(grant.device_id)] += 1
    if grants:
        # a bulk INSERT skips the ORM's council stamp (server/tenancy): name it here
        db.execute(insert(PackRecipient), [{"build_id": build_id, "device_id": device,
                                            "grants": count, "council_id": council_id}
                                           for device, count in grants.items()])


def blob_path(db: Session, settings: Settings, device: Device, doc_id: int,
              version: int) -> Path | None:
    """The ciphertext file, if this device was ever given a key for it."""
    granted = db.exec(select(PackGrant).where(PackGrant.device_id == device.id,
                                              PackGrant.document_id == doc_id,
                                              PackGrant.version == version)).first()
    if granted is None:
        return None
    path = ciphertext_path(blobs_dir(settings), str(doc_id), version)
    return path if _on_this_host(path, shared_files(settings)) else None


def _on_this_host(path: Path, shared: SharedFiles | None) -> bool:
    """Whether a blob is on this host's disk, fetching it if another host built it."""
    if path.exists():
        return True
    return shared is not None and shared.fetch(f"packs/blobs/{path.name}", path)
