"""Signed versions of documents: verify and keep an uploaded signed PDF, sign on the server
with a configured PKCS#12 signer, record the signatures, tell the listeners.

Every signed file the server keeps has passed :func:`verification.verify_pdf`, the server's
own signatures included; a refusal is audited with its reason and nothing else is kept.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from datetime import date
from enum import StrEnum
from pathlib import Path

from sqlmodel import Session, col, select

from server.config import Settings
from server.documents.inspection import Limits
from server.documents.storage import DocumentStore, StagedFile
from server.models import Account, CouncilSession, Document, DocumentSignature, DocumentVersion
from server.models.base import id_of
from server.models.followup import Resolution
from server.services import audit, documents
from server.signatures import events, signing
from server.signatures.errors import SignatureRefused, SignerNotConfigured
from server.signatures.verification import SignatureFacts, load_trust_roots, verify_pdf
from shared import clock
from shared.clock import VN_TZ


class SignerRole(StrEnum):
    """Whose key signs on the server (each has its own PKCS#12 file in the settings)."""

    chair = "chair"  # chủ tọa / Chủ tịch HĐND
    secretary = "secretary"  # thư ký kỳ họp
    office = "office"  # chữ ký số của cơ quan (dấu)


SIGNER_REASON = {SignerRole.chair: "Chủ tọa kỳ họp ký", SignerRole.secretary: "Thư ký kỳ họp ký",
                 SignerRole.office: "Văn phòng HĐND-UBND ký số (dấu cơ quan)"}


def signatures_of(db: Session, document_id: int,
                  version: int | None = None) -> list[DocumentSignature]:
    """The signatures of the document's given (default: current) version, in signing order."""
    document = documents.get_document(db, document_id)
    found = documents.get_version(db, document_id, version or document.current_version) \
        if document.current_version else None
    if found is None:
        return []
    return list(db.exec(select(DocumentSignature)
                        .where(DocumentSignature.version_id == found.id)
                        .order_by(col(DocumentSignature.position))).all())


def signatures_by_document(db: Session, document_ids: list[int]) -> dict[int, list[DocumentSignature]]:
    """Current-version signatures of many documents at once (portal, OParl)."""
    if not document_ids:
        return {}
    rows = db.exec(select(DocumentSignature, DocumentVersion, Document)
                   .join(DocumentVersion, col(DocumentVersion.id) == DocumentSignature.version_id)
                   .join(Document, col(Document.id) == DocumentSignature.document_id)
                   .where(col(DocumentSignature.document_id).in_(document_ids),
                          DocumentVersion.version == Document.current_version)
                   .order_by(col(DocumentSignature.position))).all()
    out: dict[int, list[DocumentSignature]] = {}
    for signature, _version, _document in rows:
        out.setdefault(signature.document_id, []).append(signature)
    return out


def public_signature(signature: DocumentSignature) -> dict[str, object]:
    """A signature as the public sees it (portal, OParl): who, when in Vietnam time, whether
    valid, and the certificate's subject, issuer and serial number."""
    local = signature.signing_time.astimezone(VN_TZ)
    return {"signer_name": signature.signer_name, "signing_time": local.isoformat(),
            "signing_time_text": local.strftime("%H:%M ngày %d/%m/%Y"),
            "valid": signature.valid, "subject": signature.subject,
            "issuer": signature.issuer, "serial": signature.serial}


def extended_version(db: Session, document: Document, path: Path) -> int | None:
    """Which stored version the signed file extends byte for byte (signing adds incremental
    updates after the original bytes), newest first; None if it extends none of them —
    then it is a different file, which the audit entry says."""
    data = path.read_bytes()
    for version in reversed(documents.versions(db, id_of(document))):
        if len(data) > version.size and \
                hashlib.sha256(data[:version.size]).hexdigest() == version.sha256:
            return version.version
    return None


def _verify(settings: Settings, path: Path) -> list[SignatureFacts]:
    return verify_pdf(path.read_bytes(), load_trust_roots(settings.signature_trust_roots))


async def upload_signed_version(db: Session, store: DocumentStore, settings: Settings,
                                actor: Account, document: Document,
                                chunks: AsyncIterator[bytes], filename: str | None,
                                note: str = "", resolution_number: str = "",
                                adopted_on: date | None = None) -> DocumentVersion:
    """Check an uploaded signed PDF and keep it as the document's next version."""
    staged, facts = await documents.stage_and_check(store, chunks, settings.max_upload_bytes,
                                                    Limits.of(settings))
    return await _keep_signed(db, store, settings, actor, document, staged, facts, filename,
                              note, resolution_number, adopted_on)


async def sign_on_server(db: Session, store: DocumentStore, settings: Settings, actor: Account,
                         document: Document, role: SignerRole) -> DocumentVersion:
    """Sign the current version with the role's configured PKCS#12 key, keep the result."""
    p12 = settings.signature_signers.get(role.value)
    if p12 is None or not Path(p12).is_file():
        raise SignerNotConfigured(signer=role.value)
    current = documents.get_version(db, id_of(document), document.current_version)
    original = store.path_for(current.storage_key).read_bytes()
    passphrase_file = Path(f"{p12}.passphrase")
    passphrase = passphrase_file.read_bytes().strip() if passphrase_file.is_file() else None

    try:
        signer = signing.pkcs12_signer(Path(p12), passphrase)
    except (ValueError, OSError) as exc:  # a wrong passphrase or a damaged file: say so
        raise SignerNotConfigured(signer=role.value, reason=type(exc).__name__) from exc

    def sign() -> bytes:
        return signing.sign_bytes(original, signer, reason=SIGNER_REASON[role],
                                  signing_time=clock.now())

    signed = await asyncio.to_thread(sign)

    async def one_chunk() -> AsyncIterator[bytes]:
        yield signed

    staged, facts = await documents.stage_and_check(store, one_chunk(),
                                                    settings.max_upload_bytes,
                                                    Limits.of(settings))
    return await _keep_signed(db, store, settings, actor, document, staged, facts,
                              current.original_filename, f"Ký số: {SIGNER_REASON[role]}", "",
                              None, signed_on_server=role.value)


async def _keep_signed(db: Session, store: DocumentStore, settings: Settings, actor: Account,
                       document: Document, staged: StagedFile, facts, filename: str | None,
                       note: str, resolution_number: str, adopted_on: date | None,
                       signed_on_server: str | None = None) -> DocumentVersion:
    try:
        found = await asyncio.to_thread(_verify, settings, staged.path)
    except SignatureRefused as refusal:
        store.discard(staged)
        db.rollback()
        audit.record(db, actor, "document.signature_refused", "document", document.id,
                     reason=refusal.code, sha256=staged.sha256, size=staged.size,
                     **{k: str(v) for k, v in refusal.extra.items()})
        db.commit()
        raise
    except BaseException:
        store.discard(staged)
        raise

    extends = extended_version(db, document, staged.path)

    def keep() -> DocumentVersion:
        version = documents.add_version(db, store, actor, document, staged, facts, filename,
                                        note)
        for position, fact in enumerate(found, start=1):
            db.add(DocumentSignature(
                document_id=id_of(document), version_id=id_of(version), position=position,
                field_name=fact.field_name[:100], signer_name=fact.signer_name[:300],
                subject=fact.subject[:1000], issuer=fact.issuer[:1000], serial=fact.serial[:100],
                signing_time=fact.signing_time, valid=fact.valid, summary=fact.summary[:500]))
        audit.record(db, actor, "document.signed_version_added", "document", document.id,
                     version=version.version, sha256=version.sha256,
                     signers=[f.signer_name for f in found],
                     serials=[f.serial for f in found], on_server=signed_on_server,
                     extends_version=extends)
        link_resolution(db, actor, document, resolution_number, adopted_on)
        documents.commit_upload(db, store, staged, version)
        return version

    try:
        version = await asyncio.to_thread(keep)
    except BaseException:
        db.rollback()
        store.discard(staged)
        raise
    failed = events.notify(db, events.DocumentSigned(
        id_of(document), version.version, tuple(f.signer_name for f in found)))
    if failed:
        audit.record(db, actor, "document.signed_listener_failed", "document", document.id,
                     listeners=failed)
    db.commit()
    return version


def link_resolution(db: Session, actor: Account, document: Document, number: str,
                    adopted_on: date | None) -> Resolution | None:
    """A signed resolution becomes the follow-up tracker's resolution, whose tasks are then
    tracked: an existing Resolution pointing at the document, or a new one by its number."""
    resolution = db.exec(select(Resolution).where(Resolution.document_id == document.id)).first()
    if resolution is None and not number.strip():
        return None
    session = db.get(CouncilSession, document.session_id)
    public = document.confidentiality == "public"
    if resolution is None:
        resolution = Resolution(number=number.strip()[:50], title=document.title[:500],
                                adopted_on=adopted_on or (session.end_date if session
                                                          else clock.today()),
                                session_id=document.session_id, document_id=document.id,
                                public=public)
    else:
        resolution.public = resolution.public or public
    db.add(resolution)
    db.flush()
    audit.record(db, actor, "resolution.signed_linked", "resolution", resolution.id,
                 document_id=document.id, number=resolution.number, public=resolution.public)
    return resolution
