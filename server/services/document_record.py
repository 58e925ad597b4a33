"""A document's place in the record: published or not, deleted, withdrawn.

Before publication a mistake is simply deleted (file, versions, index, grants). Once a
document has reached delegates (a published pack lists it) or the public (the portal
shows it), it stays in the record: it is withdrawn (rút), left out of later packs and of
the portal, or replaced by a new version (``documents.upload_new_version``) that the next
pack carries while earlier versions stay in its history.
"""

from __future__ import annotations

import json

from sqlmodel import Session, col, select

from server.documents.errors import (
    DocumentInUse,
    DocumentNotPublished,
    DocumentPublished,
    DocumentWithdrawn,
)
from server.documents.storage import DocumentStore
from server.models import Account, Document, DocumentGrant, DocumentVersion
from server.models.base import id_of, utcnow
from server.models.devices import PackBuild, PackDocument, PackGrant, PackStatus
from server.models.followup import Resolution
from server.services import audit, renumbering, search
from server.services.search_visibility import document_is_public


def published_ids(db: Session, session_id: int) -> set[int]:
    """Documents listed by any published pack of the session: delegates have had them.

    Remembered for this database session until another build is published: a page
    listing a hundred documents reads the manifests once, not a hundred times."""
    builds = list(db.exec(select(PackBuild.id).where(
        PackBuild.session_id == session_id, PackBuild.status == PackStatus.published)))
    key = ("published_document_ids", session_id, tuple(sorted(b for b in builds if b)))
    cached = db.info.get(key)
    if cached is not None:
        return cached
    found: set[int] = set()
    for build_id, council_id, manifest in db.exec(
            select(PackBuild.id, PackBuild.council_id, PackBuild.manifest)
            .where(col(PackBuild.id).in_(builds))):
        if not manifest:
            continue
        listed = [int(entry["id"]) for entry in
                  json.loads(manifest).get("manifest", {}).get("documents", [])
                  if str(entry.get("id", "")).isdigit()]
        if renumbering.came_with_move(db, council_id, "pack_build", build_id):
            listed = renumbering.today(db, council_id, "document", listed)  # signed, so as made
        found.update(listed)
    db.info[key] = found
    return found


def is_published(db: Session, document: Document) -> bool:
    """In a published pack, or on the public portal (public, in a published session)."""
    return (document.id in published_ids(db, document.session_id)
            or document_is_public(db, document))


def require_current(document: Document) -> None:
    if document.withdrawn_at is not None:
        raise DocumentWithdrawn()


def delete_document(db: Session, store: DocumentStore, actor: Account,
                    document: Document) -> list[str]:
    """Delete an unpublished document; returns the stored files to remove after commit."""
    if is_published(db, document):
        raise DocumentPublished()
    if db.exec(select(Resolution.id).where(Resolution.document_id == document.id)).first():
        raise DocumentInUse()
    history = list(db.exec(select(DocumentVersion)
                           .where(DocumentVersion.document_id == document.id)))
    keys = [v.storage_key for v in history]
    search.remove_entries(db, "document", id_of(document))
    for row in [*db.exec(select(DocumentGrant).where(DocumentGrant.document_id == document.id)),
                *db.exec(select(PackDocument).where(PackDocument.document_id == document.id)),
                *db.exec(select(PackGrant).where(PackGrant.document_id == document.id)),
                *history]:
        db.delete(row)
    db.flush()
    db.delete(document)
    audit.record(db, actor, "document.deleted", "document", document.id,
                 session_id=document.session_id, title=document.title, number=document.number,
                 versions=[{"version": v.version, "sha256": v.sha256,
                            "filename": v.original_filename} for v in history])
    return keys


def remove_files(store: DocumentStore, keys: list[str]) -> None:
    """After the commit: a rolled-back delete must still find its files."""
    for key in keys:
        store.remove(key)


def withdraw_document(db: Session, actor: Account, document: Document, reason: str) -> Document:
    """Take a published document out of later packs and off the portal; keep its record."""
    require_current(document)
    if not is_published(db, document):
        raise DocumentNotPublished()
    document.withdrawn_at = utcnow()
    document.withdrawn_reason = reason.strip()
    db.add(document)
    db.flush()
    search.set_document_public(db, document)  # no longer found by the public
    audit.record(db, actor, "document.withdrawn", "document", document.id,
                 session_id=document.session_id, reason=document.withdrawn_reason,
                 version=document.current_version)
    return document


def current_documents(db: Session, session_id: int) -> list[Document]:
    """What a pack carries and the portal lists: uploaded and not withdrawn."""
    return list(db.exec(select(Document).where(
        Document.session_id == session_id, col(Document.current_version) >= 1,
        col(Document.withdrawn_at).is_(None)).order_by(col(Document.id))))
