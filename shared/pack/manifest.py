"""The agenda pack manifest: what a session version contains, signed by the server.

A device trusts nothing in a pack that the signed manifest does not vouch for: the
documents' hashes and sizes, who may open what (the wrapped keys), and the pack version
that must never go backwards. ``verify_manifest`` is the only way a device should turn
bytes from the network into a ``Manifest``; ``plan_sync`` then says what to fetch.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from shared.crypto.encoding import BadEncoding
from shared.crypto.errors import CryptoError, SignatureInvalid
from shared.crypto.keywrap import WrapContext, WrappedKey
from shared.crypto.signing import (
    ServerSigningKey,
    canonical_json,
    ed25519_public_from_b64,
    key_id,
    verify_canonical,
)
from shared.pack.errors import (
    ManifestInvalid,
    ManifestRolledBack,
    ManifestSignatureInvalid,
    NotARecipient,
    UnsupportedManifestFormat,
    WrongSession,
)

MANIFEST_FORMAT: Literal[1] = 1

# Ids become file names on the tablet and the server, so keep them plain.
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
B64Url = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$")]
Text = Annotated[str, StringConstraints(max_length=2000)]
NonNegative = Annotated[int, Field(ge=0, lt=1 << 63)]


class _Model(BaseModel):
    # Unknown fields are refused: a newer server must raise the format number instead.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Confidentiality(StrEnum):
    PUBLIC = "public"  # công khai
    INTERNAL = "internal"  # lưu hành nội bộ
    RESTRICTED = "restricted"  # mật / hạn chế: only the devices the clerk names


class SessionInfo(_Model):
    id: Id
    title: Text
    date: dt.date
    place: Text


class AgendaEntry(_Model):
    item_id: Id
    number: Annotated[str, StringConstraints(max_length=32)]  # "1", "2.3", "II.a"
    title: Text
    parent_id: Id | None = None
    document_ids: tuple[Id, ...] = ()


class DocumentEntry(_Model):
    id: Id
    version: NonNegative
    kind: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")]  # e.g. draft_resolution
    title: Text
    pages: NonNegative
    plaintext_sha256: Sha256Hex
    plaintext_size: NonNegative
    ciphertext_size: NonNegative
    ciphertext_sha256: Sha256Hex
    chunk_size: Annotated[int, Field(ge=4096, le=16 << 20)]
    confidentiality: Confidentiality

    @property
    def ref(self) -> tuple[str, int, str]:
        """What a device stores it under: (document id, version, ciphertext SHA-256)."""
        return (self.id, self.version, self.ciphertext_sha256)


class Recipient(_Model):
    device_id: Id
    person_id: Id


class WrappedKeyFields(_Model):
    alg: Annotated[str, StringConstraints(max_length=64)]
    enc: B64Url
    ct: B64Url

    def to_wrapped(self) -> WrappedKey:
        return WrappedKey(alg=self.alg, enc=self.enc, ct=self.ct)

    @classmethod
    def of(cls, wrapped: WrappedKey) -> WrappedKeyFields:
        return cls(alg=wrapped.alg, enc=wrapped.enc, ct=wrapped.ct)


class KeyGrant(_Model):
    """One document's content key, wrapped for one device."""

    document_id: Id
    document_version: NonNegative
    device_id: Id
    wrapped: WrappedKeyFields

    def context(self) -> WrapContext:
        return WrapContext(self.device_id, self.document_id, self.document_version)


class Manifest(_Model):
    format: Literal[1] = MANIFEST_FORMAT
    council: Text
    session: SessionInfo
    pack_version: Annotated[int, Field(ge=1, lt=1 << 63)]
    issued_at: AwareDatetime
    agenda: tuple[AgendaEntry, ...] = ()
    documents: tuple[DocumentEntry, ...] = ()
    recipients: tuple[Recipient, ...] = ()
    keys: tuple[KeyGrant, ...] = ()

    @field_validator("issued_at")
    @classmethod
    def _utc(cls, value: dt.datetime) -> dt.datetime:
        return value.astimezone(dt.UTC)

    @model_validator(mode="after")
    def _consistent(self) -> Manifest:
        documents = {d.id: d for d in self.documents}
        if len(documents) != len(self.documents):
            raise ValueError("a document id appears twice")
        items = {a.item_id for a in self.agenda}
        if len(items) != len(self.agenda):
            raise ValueError("an agenda item id appears twice")
        for entry in self.agenda:
            if entry.parent_id is not None and entry.parent_id not in items:
                raise ValueError(f"agenda item {entry.item_id}: unknown parent")
            if missing := set(entry.document_ids) - documents.keys():
                raise ValueError(f"agenda item {entry.item_id}: unknown documents {missing}")
        devices = {r.device_id for r in self.recipients}
        if len(devices) != len(self.recipients):
            raise ValueError("a recipient device appears twice")
        grants: set[tuple[str, str]] = set()
        for grant in self.keys:
            document = documents.get(grant.document_id)
            if document is None or document.version != grant.document_version:
                raise ValueError(f"key for unknown document {grant.document_id}")
            if grant.device_id not in devices:
                raise ValueError(f"key for a device that is not a recipient: {grant.device_id}")
            if (grant.document_id, grant.device_id) in grants:
                raise ValueError("two keys for the same document and device")
            grants.add((grant.document_id, grant.device_id))
        return self

    def document(self, doc_id: str) -> DocumentEntry | None:
        return next((d for d in self.documents if d.id == doc_id), None)

    def grant_for(self, device_id: str, doc_id: str) -> KeyGrant | None:
        return next(
            (k for k in self.keys if k.device_id == device_id and k.document_id == doc_id), None
        )

    def documents_for(self, device_id: str) -> list[DocumentEntry]:
        """The documents this device holds a key for: the ones it can open."""
        granted = {k.document_id for k in self.keys if k.device_id == device_id}
        return [d for d in self.documents if d.id in granted]


class SignedManifest(_Model):
    manifest: Manifest
    signature: B64Url  # Ed25519 over canonical_json(manifest)
    key_id: B64Url  # signing.key_id of the server key

    def to_json_bytes(self) -> bytes:
        """What the server sends; canonical so its hash is stable for caching."""
        return canonical_json(self.model_dump(mode="json"))


def sign_manifest(manifest: Manifest, server_key: ServerSigningKey) -> SignedManifest:
    signature = server_key.sign(manifest.model_dump(mode="json"))
    return SignedManifest(manifest=manifest, signature=signature, key_id=server_key.key_id)


def verify_manifest(
    signed: SignedManifest | Mapping[str, Any] | bytes | str,
    pinned_public_key: Ed25519PublicKey | str,
    last_seen_version: int | None,
    device_id: str | None,
    *,
    session_id: str | None = None,
) -> Manifest:
    """Return the manifest only if the pinned server key signed it and it moves forward.

    Pass the raw bytes from the network where possible: the signature is checked over
    the manifest exactly as received, before any parsing gives it meaning.
    ``last_seen_version`` is the pack version the device already holds for this session
    (None before the first sync); an equal version is accepted (a repeated sync), a lower
    one is refused. ``device_id``, when given, must be among the recipients.
    """
    pinned = (
        ed25519_public_from_b64(pinned_public_key)
        if isinstance(pinned_public_key, str)
        else pinned_public_key
    )
    envelope = _envelope(signed)
    raw_manifest = envelope.get("manifest")
    signature, signer = envelope.get("signature"), envelope.get("key_id")
    if not isinstance(raw_manifest, dict) or not isinstance(signature, str):
        raise ManifestInvalid(reason="not a signed manifest")
    if signer != key_id(pinned):
        raise ManifestSignatureInvalid(reason="signed by another server key", key_id=signer)
    try:
        verify_canonical(pinned, raw_manifest, signature)
    except (SignatureInvalid, BadEncoding) as exc:
        raise ManifestSignatureInvalid() from exc
    except CryptoError as exc:  # not canonical-able (a float): cannot have been signed
        raise ManifestInvalid(reason=str(exc)) from exc
    if raw_manifest.get("format") != MANIFEST_FORMAT:
        raise UnsupportedManifestFormat(format=raw_manifest.get("format"))
    try:
        manifest = Manifest.model_validate(raw_manifest)
    except ValidationError as exc:
        raise ManifestInvalid(reason=str(exc)) from exc
    if session_id is not None and manifest.session.id != session_id:
        raise WrongSession(expected=session_id, found=manifest.session.id)
    if last_seen_version is not None and manifest.pack_version < last_seen_version:
        raise ManifestRolledBack(held=last_seen_version, offered=manifest.pack_version)
    if device_id is not None and all(r.device_id != device_id for r in manifest.recipients):
        raise NotARecipient(device=device_id)
    return manifest


def _envelope(signed: SignedManifest | Mapping[str, Any] | bytes | str) -> Mapping[str, Any]:
    if isinstance(signed, SignedManifest):
        return signed.model_dump(mode="json")
    if isinstance(signed, Mapping):
        return signed
    try:
        value = json.loads(signed, object_pairs_hook=_no_duplicate_keys)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ManifestInvalid(reason=f"not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise ManifestInvalid(reason="not a JSON object")
    return value


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key in JSON object")
    return result


# --- what a sync moves -----------------------------------------------------------------

StoredRef = tuple[str, int, str]  # (document id, version, ciphertext SHA-256)


@dataclass(frozen=True)
class SyncPlan:
    """The delta between what a device holds and a new manifest.

    Download ``download``; keep ``unchanged``; once the new version is complete and
    visible, delete ``removed`` (older versions, withdrawn or no longer entitled files).
    """

    download: tuple[DocumentEntry, ...]
    unchanged: tuple[DocumentEntry, ...]
    removed: tuple[StoredRef, ...]
    not_entitled: tuple[DocumentEntry, ...]
    added_ids: tuple[str, ...]  # documents new since the old manifest
    revised_ids: tuple[str, ...]  # documents whose version changed
    withdrawn_ids: tuple[str, ...]  # documents in the old manifest, gone from the new

    @property
    def download_bytes(self) -> int:
        return sum(d.ciphertext_size for d in self.download)


def plan_sync(
    old: Manifest | None,
    new: Manifest,
    have: Iterable[StoredRef],
    *,
    device_id: str | None = None,
) -> SyncPlan:
    """Decide what to fetch. A document is fetched only if its exact ciphertext is missing.

    With ``device_id``, documents without a key for that device are neither fetched nor
    kept: confidentiality is decided by the manifest's key grants.
    """
    held = set(have)
    entitled = (
        {d.id for d in new.documents_for(device_id)}
        if device_id is not None
        else {d.id for d in new.documents}
    )
    wanted = [d for d in new.documents if d.id in entitled]
    keep = {d.ref for d in wanted}
    old_versions = {d.id: d.version for d in old.documents} if old is not None else {}
    new_ids = {d.id for d in new.documents}
    return SyncPlan(
        download=tuple(d for d in wanted if d.ref not in held),
        unchanged=tuple(d for d in wanted if d.ref in held),
        removed=tuple(sorted(held - keep)),
        not_entitled=tuple(d for d in new.documents if d.id not in entitled),
        added_ids=tuple(d.id for d in new.documents if d.id not in old_versions),
        revised_ids=tuple(
            d.id for d in new.documents if d.id in old_versions and old_versions[d.id] != d.version
        ),
        withdrawn_ids=tuple(sorted(old_versions.keys() - new_ids)),
    )
