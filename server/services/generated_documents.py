"""PDFs the system writes itself (finished minutes, prepared resolutions) kept as session
documents, with versions, search text and audit like an upload.

An upload goes through the limited PDF worker because its bytes come from outside; these
bytes come from our own renderer, so they are read here directly.
"""

from __future__ import annotations

import hashlib
import os
import secrets

import pymupdf
from sqlmodel import Session

from server.documents.storage import DocumentStore, StagedFile
from server.models import Account, Confidentiality, Document, DocumentKind, DocumentVersion
from server.models.base import id_of
from server.services import audit, search


def _stage(store: DocumentStore, pdf: bytes) -> StagedFile:
    path = store.incoming / secrets.token_hex(16)
    with open(path, "wb") as handle:
        handle.write(pdf)
        handle.flush()
        os.fsync(handle.fileno())
    return StagedFile(path, len(pdf), hashlib.sha256(pdf).hexdigest())


def _texts(pdf: bytes) -> tuple[int, dict[int, str]]:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return doc.page_count, {n + 1: page.get_text() for n, page in enumerate(doc)}


def keep_pdf(db: Session, store: DocumentStore, actor: Account | None, *, session_id: int,
             pdf: bytes, filename: str, title: str, kind: DocumentKind,
             agenda_item_id: int | None = None, document: Document | None = None,
             note: str = "") -> tuple[Document, DocumentVersion]:
    """A new document (or the next version of ``document``) holding ``pdf``.

    The file is moved into place before the caller commits; on a failed commit the caller
    calls ``store.remove(version.storage_key)``.
    """
    if document is None:
        document = Document(session_id=session_id, agenda_item_id=agenda_item_id, title=title,
                            kind=kind, confidentiality=Confidentiality.internal)
        db.add(document)
        db.flush()
        audit.record(db, actor, "document.created", "document", document.id,
                     session_id=session_id, title=title, kind=kind.value,
                     confidentiality=document.confidentiality.value, generated=True)
    pages, texts = _texts(pdf)
    staged = _stage(store, pdf)
    version = DocumentVersion(
        document_id=id_of(document), version=document.current_version + 1,
        original_filename=filename[:255], storage_key=store.new_key(), size=staged.size,
        page_count=pages, sha256=staged.sha256, note=note[:1000],
        uploaded_by=actor.id if actor else None)
    document.current_version = version.version
    document.title = title
    db.add(version)
    db.add(document)
    db.flush()
    search.index_document_version(db, version, texts)
    audit.record(db, actor, "document.version_added", "document", document.id,
                 version=version.version, sha256=version.sha256, size=version.size,
                 pages=pages, filename=version.original_filename, generated=True)
    store.keep(staged, version.storage_key)
    return document, version


def read_pdf(store: DocumentStore, db: Session, document: Document) -> bytes:
    """The current version's bytes (for the preview of what will be signed)."""
    from server.services.documents import get_version

    version = get_version(db, id_of(document), document.current_version)
    return store.path_for(version.storage_key).read_bytes()
