"""Session documents: upload, revise, grant access. A revision never overwrites a version."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from sqlalchemy import text
from sqlmodel import Session, col, select

from server.documents.errors import DocumentWithdrawn
from server.documents.inspection import TEXT_NOTES, Limits, PdfFacts, TextStatus, inspect
from server.documents.storage import DocumentStore, StagedFile
from server.documents.titles import readable_title
from server.errors import NotFound, ValidationFailed
from server.models import (
    Account,
    AgendaItem,
    Confidentiality,
    CouncilSession,
    Document,
    DocumentGrant,
    DocumentKind,
    DocumentVersion,
)
from server.models.base import id_of, utcnow
from server.schemas.document import DocumentRead, DocumentUpdate, VersionRead
from server.services import audit, document_record, search
from server.services.council import get_person

MAX_FILENAME = 255
SAME_FILE_WINDOW = timedelta(minutes=10)  # Settings.upload_same_file_minutes
T = TypeVar("T")


class DocumentNotFound(NotFound):
    """No document with this id (or the caller may not see it)."""

    message_vi = "Không tìm thấy tài liệu."
    message_en = "No such document."


class DocumentVersionNotFound(NotFound):
    """The document has no version with this number."""

    message_vi = "Không có phiên bản này của tài liệu."
    message_en = "No such version of the document."


@dataclass(frozen=True)
class Uploaded:
    """What an upload became: a new document, or the one the same file made moments ago."""

    document: Document
    duplicate: bool = False


def get_document(db: Session, document_id: int) -> Document:
    document = db.get(Document, document_id)
    if document is None:
        raise DocumentNotFound()
    return document


def in_session(db: Session, session_id: int) -> list[Document]:
    return list(db.exec(select(Document).where(Document.session_id == session_id)
                        .order_by(col(Document.id))).all())


def versions(db: Session, document_id: int) -> list[DocumentVersion]:
    return list(db.exec(select(DocumentVersion).where(DocumentVersion.document_id == document_id)
                        .order_by(col(DocumentVersion.version))).all())


def get_version(db: Session, document_id: int, version: int) -> DocumentVersion:
    found = db.exec(select(DocumentVersion).where(DocumentVersion.document_id == document_id,
                                                  DocumentVersion.version == version)).first()
    if found is None:
        raise DocumentVersionNotFound()
    return found


def describe(db: Session, document: Document) -> DocumentRead:
    history = versions(db, id_of(document))
    current = history[-1] if history else None
    return DocumentRead(
        id=document.id, session_id=document.session_id, agenda_item_id=document.agenda_item_id,
        title=document.title, number=document.number, kind=document.kind,
        confidentiality=document.confidentiality, current_version=document.current_version,
        published=document_record.is_published(db, document),
        withdrawn_at=document.withdrawn_at, withdrawn_reason=document.withdrawn_reason,
        page_count=current.page_count if current else 0, size=current.size if current else 0,
        sha256=current.sha256 if current else "",
        versions=[_version_read(v) for v in history],
    )


def _version_read(version: DocumentVersion) -> VersionRead:
    note_vi, note_en = TEXT_NOTES.get(TextStatus(version.text_status), ("", ""))
    return VersionRead.model_validate(version).model_copy(
        update={"text_note_vi": note_vi, "text_note_en": note_en})


def _check_item(db: Session, session: CouncilSession, agenda_item_id: int | None) -> None:
    if agenda_item_id is None:
        return
    item = db.get(AgendaItem, agenda_item_id)
    if item is None or item.session_id != session.id:
        raise ValidationFailed("Mục chương trình không thuộc kỳ họp này.",
                               "The agenda item is not in this session.", field="agenda_item_id")


def _display_name(filename: str | None) -> str:
    name = (filename or "tai-lieu.pdf").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:MAX_FILENAME] or "tai-lieu.pdf"


async def stage_and_check(store: DocumentStore, chunks: AsyncIterator[bytes], limit: int,
                          limits: Limits) -> tuple[StagedFile, PdfFacts]:
    """Stream the upload to disk, then have the PDF worker check it and read its text."""
    staged = await store.stage(chunks, limit)
    try:
        return staged, await inspect(staged.path, limits)
    except BaseException:
        store.discard(staged)
        raise


def add_version(db: Session, store: DocumentStore, actor: Account, document: Document,
                staged: StagedFile, facts: PdfFacts, filename: str | None,
                note: str = "") -> DocumentVersion:
    """Record a checked upload as the next version and index its text; nothing is committed."""
    version = DocumentVersion(
        document_id=id_of(document), version=document.current_version + 1,
        original_filename=_display_name(filename), storage_key=store.new_key(),
        size=staged.size, page_count=facts.page_count, sha256=staged.sha256, note=note,
        uploaded_by=actor.id, text_status=facts.text_status.value,
    )
    document.current_version = version.version
    db.add(version)
    db.add(document)
    db.flush()
    search.index_document_version(db, version, facts.texts)
    audit.record(db, actor, "document.version_added", "document", document.id,
                 version=version.version, sha256=version.sha256, size=version.size,
                 pages=facts.page_count, filename=version.original_filename,
                 text=facts.text_status.value)
    return version


def create_document(db: Session, store: DocumentStore, actor: Account, session: CouncilSession,
                    staged: StagedFile, facts: PdfFacts, filename: str | None, title: str,
                    kind: DocumentKind, confidentiality: Confidentiality,
                    agenda_item_id: int | None,
                    number: str = "") -> tuple[Document, DocumentVersion]:
    _check_item(db, session, agenda_item_id)
    title = title.strip() or readable_title(filename)
    document = Document(session_id=id_of(session), agenda_item_id=agenda_item_id, title=title,
                        number=number.strip(), kind=kind, confidentiality=confidentiality)
    db.add(document)
    db.flush()
    audit.record(db, actor, "document.created", "document", document.id, session_id=session.id,
                 title=title, number=document.number, kind=kind.value,
                 confidentiality=confidentiality.value)
    return document, add_version(db, store, actor, document, staged, facts, filename)


def commit_upload(db: Session, store: DocumentStore, staged: StagedFile,
                  version: DocumentVersion) -> None:
    """Keep the file and commit rows and index together: on any failure none of them stays."""
    try:
        store.keep(staged, version.storage_key)
        db.commit()
    except BaseException:
        db.rollback()
        store.discard(staged)
        store.remove(version.storage_key)
        raise


def same_file_recently(db: Session, session_id: int, agenda_item_id: int | None,
                       sha256: str, window: timedelta) -> Document | None:
    """A document of this item whose first version is this very file, uploaded within
    ``window``: a double click or a retried request, not a second document."""
    since = utcnow() - window
    return db.exec(
        select(Document).join(DocumentVersion, col(DocumentVersion.document_id) == Document.id)
        .where(Document.session_id == session_id, Document.agenda_item_id == agenda_item_id,
               col(Document.withdrawn_at).is_(None), DocumentVersion.version == 1,
               DocumentVersion.sha256 == sha256, DocumentVersion.uploaded_at >= since)
        .order_by(col(Document.id))).first()


def _lock_same_file(db: Session, session_id: int, sha256: str) -> None:
    """Two requests with one file wait for each other here, so the second finds the first."""
    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"upload:{session_id}:{sha256}".encode())
                             .digest()[:8], "big", signed=True)
        db.connection().execute(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=key))
    elif dialect == "sqlite":
        db.connection().execute(text("UPDATE document SET id = id WHERE 0"))  # takes the write lock


async def upload_new_document(db: Session, store: DocumentStore, actor: Account,
                              session: CouncilSession, chunks: AsyncIterator[bytes], limit: int,
                              limits: Limits, filename: str | None, title: str,
                              kind: DocumentKind, confidentiality: Confidentiality,
                              agenda_item_id: int | None, number: str = "",
                              same_file_window: timedelta = SAME_FILE_WINDOW) -> Uploaded:
    """Stream, check and keep an upload as a new document: all of it, or nothing.

    The same file sent again to the same agenda item within ``same_file_window`` is the
    document already made (``duplicate``): nothing is stored twice."""
    _check_item(db, session, agenda_item_id)  # refuse before the worker spends its time
    staged = await store.stage(chunks, limit)
    session_id = id_of(session)
    earlier = same_file_recently(db, session_id, agenda_item_id, staged.sha256,
                                 same_file_window)
    if earlier is not None:
        store.discard(staged)
        return Uploaded(earlier, duplicate=True)
    try:
        facts = await inspect(staged.path, limits)
    except BaseException:
        store.discard(staged)
        raise

    def keep() -> Uploaded:
        _lock_same_file(db, session_id, staged.sha256)
        again = same_file_recently(db, session_id, agenda_item_id, staged.sha256,
                                   same_file_window)
        if again is not None:  # the other click got here first
            db.rollback()
            store.discard(staged)
            return Uploaded(again, duplicate=True)
        document, version = create_document(db, store, actor, session, staged, facts, filename,
                                            title, kind, confidentiality, agenda_item_id,
                                            number)
        commit_upload(db, store, staged, version)
        return Uploaded(document)

    return await _off_the_loop(db, store, staged, keep)


async def upload_new_version(db: Session, store: DocumentStore, actor: Account,
                             document: Document, chunks: AsyncIterator[bytes], limit: int,
                             limits: Limits, filename: str | None,
                             note: str = "") -> DocumentVersion:
    """Stream, check and keep an upload as the document's next version: all, or nothing.

    On a published document this is its replacement (thay thế): the next pack carries the
    new version, earlier ones stay in the history and delegates' notes are carried over
    on the tablet (``tablet_app.core.carry_forward``). A withdrawn document takes none."""
    if document.withdrawn_at is not None:
        raise DocumentWithdrawn()
    staged, facts = await stage_and_check(store, chunks, limit, limits)

    def keep() -> DocumentVersion:
        version = add_version(db, store, actor, document, staged, facts, filename, note)
        commit_upload(db, store, staged, version)
        return version

    return await _off_the_loop(db, store, staged, keep)


async def _off_the_loop(db: Session, store: DocumentStore, staged: StagedFile,
                        keep: Callable[[], T]) -> T:
    """Write rows, index and file in a thread: thousands of pages of index rows must not
    hold the event loop (and every other request) while they are written."""
    try:
        return await asyncio.to_thread(keep)
    except BaseException:
        db.rollback()
        store.discard(staged)
        raise


def same_file_window(settings: object) -> timedelta:
    return timedelta(minutes=getattr(settings, "upload_same_file_minutes", 10))


def update_document(db: Session, store: DocumentStore, actor: Account, session: CouncilSession,
                    document: Document, data: DocumentUpdate) -> Document:
    """Title, số/ký hiệu, kind, confidentiality or item; the next pack carries the change."""
    if document.withdrawn_at is not None:
        raise DocumentWithdrawn()
    changes = data.model_dump(exclude_unset=True)
    if "agenda_item_id" in changes:
        _check_item(db, session, changes["agenda_item_id"])
    for key, value in changes.items():
        setattr(document, key, value.strip() if isinstance(value, str) else value)
    db.add(document)
    if "confidentiality" in changes:
        search.set_document_public(db, document)
    if "title" in changes:
        search.retitle_document(db, document)
    audit.record(db, actor, "document.updated", "document", document.id,
                 **data.model_dump(mode="json", exclude_unset=True))
    return document


def set_grants(db: Session, actor: Account, document: Document, person_ids: list[int]) -> list[int]:
    wanted = set(person_ids)
    for person_id in wanted:
        get_person(db, person_id)
    existing = {g.person_id: g for g in db.exec(select(DocumentGrant)
                                                .where(DocumentGrant.document_id == document.id))}
    for person_id, grant in existing.items():
        if person_id not in wanted:
            db.delete(grant)
    for person_id in wanted - existing.keys():
        db.add(DocumentGrant(document_id=id_of(document), person_id=person_id))
    audit.record(db, actor, "document.grants_set", "document", document.id,
                 person_ids=sorted(wanted))
    return sorted(wanted)


def grants(db: Session, document_id: int) -> list[int]:
    return sorted(db.exec(select(DocumentGrant.person_id)
                          .where(DocumentGrant.document_id == document_id)).all())
