"""The enrolled tablet: sync a session's pack, open documents in memory, obey wipe orders.

``Tablet`` joins the unlocked key store (device keys, pinned server key, content keys,
the pack version held per session, all sealed under the PIN), the pack folder
(``PackStore``, ciphertext only) and the device-signed ``TabletClient``. No Kivy here:
the app, the tests and ``hdnd-tablet`` all drive this same class.

A sync is all or nothing for the reader: files are downloaded into ``.partial`` files,
verified chunk by chunk and as a whole, and only when every needed file of the new
manifest is complete does the visible version switch. A cut download resumes with HTTP
Range from the bytes already on disk.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from shared.crypto.chunked import ChunkVerifier, decrypt_document
from shared.crypto.errors import CiphertextHashMismatch, DocumentIntegrityError
from shared.crypto.keywrap import unwrap_key
from shared.errors import Gone, NotFound, Unauthenticated, Unavailable
from shared.pack.manifest import DocumentEntry, Manifest, StoredRef, plan_sync, verify_manifest
from shared.pack.orders import Orders, OrdersUnverified, verify_orders
from tablet_app.core.client import (
    ClientError,
    DeviceRenumbered,
    DeviceRevoked,
    ServerRefused,
    ServerUnreachable,
    TabletClient,
)
from tablet_app.core.keystore import KeyStore
from tablet_app.core.pack_store import PACKS_DIR, PackStore

READ_SIZE = 256 * 1024
# Refusals of a wipe acknowledgement that mean the server has one already.
ALREADY_ACKNOWLEDGED = frozenset({"no_wipe_order", "device_revoked"})


class SyncInterrupted(ClientError, Unavailable):
    code = "sync_interrupted"
    message_vi = ("Mất kết nối khi tải tài liệu; phần đã tải được giữ lại và sẽ tải tiếp "
                  "lần sau. Bản tài liệu trước vẫn đọc được.")
    message_en = ("The connection dropped during the download; what arrived is kept and "
                  "the next sync resumes. The previous pack is still readable.")


class DeviceWiped(ClientError, Gone):
    code = "device_wiped"
    message_vi = "Theo lệnh của Văn phòng, khóa và tài liệu trên máy đã được xóa."
    message_en = "On the office's order, the keys and documents on this device were erased."


class DocumentNotStored(ClientError, NotFound):
    code = "document_not_stored"
    message_vi = "Tài liệu này chưa có trên máy (chưa đồng bộ hoặc không được cấp quyền đọc)."
    message_en = "This document is not on the device (not synced, or not granted)."


class NotEnrolled(ClientError, Unauthenticated):
    code = "not_enrolled"
    message_vi = "Máy chưa được đăng ký với máy chủ."
    message_en = "This device is not enrolled with a server."


@dataclass(frozen=True)
class SyncProgress:
    """Reported while syncing; ``bytes_*`` count ciphertext of this sync's downloads."""

    session_id: str
    phase: str  # "manifest", "download", "done"
    document_id: str | None
    bytes_done: int
    bytes_total: int
    documents_done: int
    documents_total: int


ProgressCallback = Callable[[SyncProgress], None]


@dataclass(frozen=True)
class SyncResult:
    session_id: str
    pack_version: int
    previous_version: int | None
    downloaded: tuple[str, ...]  # document ids fetched now
    unchanged: tuple[str, ...]
    not_entitled: tuple[str, ...]  # documents this device holds no key for
    bytes_downloaded: int  # ciphertext bytes received over the network in this sync
    manifest_bytes: int  # size of the signed manifest received
    acknowledged: bool


@dataclass(frozen=True)
class StoredDocument:
    session_id: str
    pack_version: int
    document_id: str
    version: int
    title: str
    kind: str
    pages: int
    confidentiality: str
    size: int


@dataclass
class _Counter:
    total: int
    done: int = 0
    documents_done: int = 0
    moved: int = 0
    callbacks: list[ProgressCallback] = field(default_factory=list)


@dataclass(frozen=True)
class AvailableSession:
    """A session whose pack the server offers this device, beside what the device holds."""

    session_id: str
    title: str
    start_date: dt.date | None
    end_date: dt.date | None
    place: str
    status: str
    pack_version: int  # the latest published version that lists this device
    documents: int  # documents this device holds a key for in that version
    held_version: int | None  # the version this device holds (its own sealed record)

    @property
    def up_to_date(self) -> bool:
        return self.held_version is not None and self.held_version >= self.pack_version


def _held_key(session_id: str) -> str:
    return f"pack_version:{session_id}"


class Tablet:
    """An unlocked, enrolled device. Make one with ``Tablet.open`` or ``enrol``."""

    def __init__(self, keystore: KeyStore, store: PackStore, *, server_url: str | None = None,
                 transport: httpx.BaseTransport | None = None, retries: int = 5,
                 retry_delay: float = 0.2) -> None:
        self.keystore = keystore
        self.store = store
        self.device_id = keystore.value("device_id") or ""
        self.pinned_key = keystore.value("server_public_key") or ""
        if not self.device_id or not self.pinned_key:
            raise NotEnrolled()
        self.server_url = server_url or keystore.value("server_url") or ""
        self.retries, self.retry_delay = retries, retry_delay
        self._transport = transport
        self._client: TabletClient | None = None
        self._verified: dict[tuple[str, int], Manifest] = {}

    @classmethod
    def open(cls, folder: str | os.PathLike[str], pin: str, *, server_url: str | None = None,
             transport: httpx.BaseTransport | None = None, **options: float) -> Tablet:
        """Unlock the key store with the PIN (wrong PINs are counted; see ``KeyStore``)."""
        root = Path(folder)
        keystore = KeyStore.unlock(root, pin, packs_folder=root / PACKS_DIR)
        return cls(keystore, PackStore(root), server_url=server_url, transport=transport,
                   **options)  # type: ignore[arg-type]

    @property
    def client(self) -> TabletClient:
        if self._client is None:
            if not self.server_url:
                raise NotEnrolled(reason="no server address")
            self._client = TabletClient(self.server_url, self.device_id,
                                        self.keystore.device_ed25519, transport=self._transport)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Tablet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading -----------------------------------------------------------------------

    def held_version(self, session_id: str | int) -> int | None:
        value = self.keystore.value(_held_key(str(session_id)))
        return int(value) if value is not None else None

    def visible_manifest(self, session_id: str | int) -> Manifest | None:
        """The manifest the reader sees, re-verified against the pinned key."""
        sid = str(session_id)
        version = self.store.current_version(sid)
        if version is None:
            return None
        if (sid, version) not in self._verified:
            raw = self.store.manifest_bytes(sid, version)
            if raw is None:
                return None
            self._verified[(sid, version)] = verify_manifest(raw, self.pinned_key, None, None,
                                                             session_id=sid)
        return self._verified[(sid, version)]

    def list_stored(self) -> list[StoredDocument]:
        held = self.store.held_refs()
        out = []
        for sid in self.store.session_ids():
            manifest = self.visible_manifest(sid)
            if manifest is None:
                continue
            for entry in manifest.documents_for(self.device_id):
                if entry.ref in held:
                    out.append(StoredDocument(
                        session_id=sid, pack_version=manifest.pack_version,
                        document_id=entry.id, version=entry.version, title=entry.title,
                        kind=entry.kind, pages=entry.pages,
                        confidentiality=str(entry.confidentiality),
                        size=entry.plaintext_size))
        return out

    def open_document(self, doc_id: str | int, session_id: str | int | None = None) -> bytearray:
        """Decrypt a stored document into memory (zero the bytearray when done).

        Every chunk is authenticated before any plaintext is returned; nothing is written.
        """
        doc = str(doc_id)
        sessions = [str(session_id)] if session_id is not None else self.store.session_ids()
        for sid in sessions:
            manifest = self.visible_manifest(sid)
            entry = manifest.document(doc) if manifest else None
            if entry is None:
                continue
            key = self.keystore.content_key(entry.id, entry.version)
            path = self.store.blob_path(entry.ref)
            if key is None or not path.exists():
                break
            with open(path, "rb") as handle:
                return decrypt_document(handle, key, entry.id, entry.version)
        raise DocumentNotStored(document=doc)

    def _renumber(self, moved: DeviceRenumbered) -> None:
        """The commune moved beside other councils: rename what this tablet keeps, then
        talk to the server under the new device id (tablet_app/core/renumbering.py)."""
        from tablet_app.core import renumbering

        if not moved.device_id:
            raise moved
        renumbering.apply(self.store.folder, self.keystore, self.store, moved.device_id,
                          moved.offsets, moved.stamp)
        self.device_id = moved.device_id
        self._verified.clear()
        self.close()  # the next request signs with the new id
        self.client.acknowledge_renumbering()

    # --- syncing -----------------------------------------------------------------------

    def available_sessions(self) -> list[AvailableSession]:
        """The sessions the server offers this device (no session number needed), newest
        first. A refusal carrying a wipe order is obeyed as in ``sync``."""
        try:
            offered = self.client.my_sessions()
        except DeviceRevoked as refusal:
            self._obey(refusal)
            raise
        except DeviceRenumbered as moved:
            self._renumber(moved)
            offered = self.client.my_sessions()
        return [AvailableSession(
            session_id=str(s["session_id"]), title=str(s["title"]),
            start_date=_day(s.get("start_date")), end_date=_day(s.get("end_date")),
            place=str(s.get("place") or ""), status=str(s.get("status") or ""),
            pack_version=int(s["pack_version"]), documents=int(s.get("documents") or 0),
            held_version=self.held_version(str(s["session_id"]))) for s in offered]

    def sync(self, session_id: str | int, progress: ProgressCallback | None = None) -> SyncResult:
        """Bring the session's pack up to the server's latest signed version.

        Raises the manifest errors of ``shared.pack.errors`` (tampered, rolled back, ...),
        the document integrity errors of ``shared.crypto.errors``, ``SyncInterrupted``,
        ``DeviceRevoked``, or ``DeviceWiped`` after carrying out a wipe order. In every
        case the previously visible version stays as it was (unless wiped).
        """
        sid = str(session_id)
        counter = _Counter(total=0, callbacks=[progress] if progress else [])
        self._emit(counter, sid, "manifest", None, 0)
        try:
            raw = self.client.manifest(sid)
        except DeviceRevoked as refusal:
            self._obey(refusal)
            raise
        except DeviceRenumbered as moved:  # asked with the old numbering: the session's too
            self._renumber(moved)
            sid = str(int(sid) + moved.offsets.get("council_session", 0)) if sid.isdigit() else sid
            self._emit(counter, sid, "manifest", None, 0)
            raw = self.client.manifest(sid)
        held = self.held_version(sid)
        manifest = verify_manifest(raw, self.pinned_key, held, self.device_id, session_id=sid)
        old = self.visible_manifest(sid)
        plan = plan_sync(old, manifest, self.store.held_refs(), device_id=self.device_id)
        wanted = plan.download + plan.unchanged
        keys = {entry.id: self._unwrap(manifest, entry) for entry in wanted}
        counter.total = plan.download_bytes
        for entry in plan.download:
            self._download(sid, entry, keys[entry.id], counter, len(plan.download))
            counter.documents_done += 1
        # Everything is complete and verified: now, and only now, the reader sees it.
        self.store.write_manifest(sid, manifest.pack_version, raw)
        for entry in wanted:
            self.keystore.put_content_key(entry.id, entry.version, keys[entry.id])
        self.keystore.set_value(_held_key(sid), str(manifest.pack_version))
        self.keystore.save()  # the held version is sealed: editing files cannot lower it
        self.store.switch(sid, manifest.pack_version)
        self._forget_unused(sid, old, manifest)
        self._emit(counter, sid, "done", None, len(plan.download))
        return SyncResult(
            session_id=sid, pack_version=manifest.pack_version,
            previous_version=old.pack_version if old else None,
            downloaded=tuple(d.id for d in plan.download),
            unchanged=tuple(d.id for d in plan.unchanged),
            not_entitled=tuple(d.id for d in plan.not_entitled),
            bytes_downloaded=counter.moved, manifest_bytes=len(raw),
            acknowledged=self._acknowledge(sid, manifest.pack_version))

    def _unwrap(self, manifest: Manifest, entry: DocumentEntry) -> bytes:
        grant = manifest.grant_for(self.device_id, entry.id)
        assert grant is not None  # plan_sync keeps only granted documents
        return unwrap_key(grant.wrapped.to_wrapped(), self.keystore.device_x25519,
                          grant.context())

    def _emit(self, counter: _Counter, sid: str, phase: str, doc: str | None,
              documents_total: int) -> None:
        for callback in counter.callbacks:
            callback(SyncProgress(sid, phase, doc, counter.done, counter.total,
                                  counter.documents_done, documents_total))

    def _download(self, sid: str, entry: DocumentEntry, key: bytes, counter: _Counter,
                  documents_total: int) -> None:
        partial = self.store.partial_path(entry.ref)
        failures = 0
        while True:
            verifier = ChunkVerifier(key, entry.id, entry.version,
                                     ciphertext_size=entry.ciphertext_size,
                                     ciphertext_sha256=entry.ciphertext_sha256)
            offset = _replay_partial(partial, verifier)
            if offset is None:
                continue  # a bad tail was cut off; verify the good prefix again
            try:
                if offset < entry.ciphertext_size:
                    self._fetch(sid, entry, offset, partial, verifier, counter, documents_total)
                verifier.finish()
            except (ServerUnreachable, httpx.TransportError) as exc:
                failures += 1
                if failures > self.retries:
                    raise SyncInterrupted(document=entry.id, received=verifier.received) from exc
                time.sleep(self.retry_delay * failures)
                continue
            except CiphertextHashMismatch:
                partial.unlink(missing_ok=True)  # every chunk authentic, yet not the file signed
                raise
            except DocumentIntegrityError:
                _truncate(partial, verifier.verified_offset)
                raise
            self.store.complete(entry.ref)
            return

    def _fetch(self, sid: str, entry: DocumentEntry, offset: int, partial: Path,
               verifier: ChunkVerifier, counter: _Counter, documents_total: int) -> None:
        with self.client.blob(entry.id, entry.version, offset) as response, \
                open(partial, "ab") as out:
            for data in response.iter_bytes(READ_SIZE):
                verifier.feed(data)  # refuses a bad chunk before it reaches the disk
                out.write(data)
                counter.done += len(data)
                counter.moved += len(data)
                self._emit(counter, sid, "download", entry.id, documents_total)
            out.flush()
            os.fsync(out.fileno())

    def _forget_unused(self, sid: str, old: Manifest | None, new: Manifest) -> None:
        """Delete files and keys of the old version that no visible manifest still uses."""
        if old is None or old.pack_version == new.pack_version:
            return
        used: set[StoredRef] = set()
        for other in self.store.session_ids():
            manifest = self.visible_manifest(other)
            if manifest is not None:
                used |= {d.ref for d in manifest.documents_for(self.device_id)}
        for entry in old.documents:
            if entry.ref not in used:
                self.store.remove(entry.ref)
                if all(d.ref[:2] != entry.ref[:2] for d in new.documents):
                    self.keystore.forget_content_key(entry.id, entry.version)
        self.keystore.save()
        self.store.prune_manifests(sid, new.pack_version)

    def _acknowledge(self, sid: str, version: int) -> bool:
        """Tell the office this device is ready; a failure here does not undo the sync."""
        try:
            self.client.acknowledge(sid, version)
        except (ServerUnreachable, ServerRefused):
            return False
        return True

    # --- orders ------------------------------------------------------------------------

    def check_orders(self) -> Orders:
        """Ask the server for orders; carries out a wipe order (then raises ``DeviceWiped``).

        Only a statement signed by the pinned server key, for this device and this
        request, can make the tablet erase anything (``shared.pack.orders``).
        """
        orders = self._signed_orders()
        if orders.wipe:
            self.wipe(acknowledge=True)
            raise DeviceWiped()
        return orders

    def _signed_orders(self) -> Orders:
        answer, nonce = self.client.order_check()
        return verify_orders(answer, self.pinned_key, device_id=self.device_id, nonce=nonce)

    def _obey(self, refusal: DeviceRevoked) -> None:
        """A refusal saying "wipe" is only a hint (anyone on the network can forge one):
        erase only if the signed order check confirms it."""
        if not refusal.wipe_ordered:
            return
        try:
            orders = self._signed_orders()
        except (ClientError, OrdersUnverified):
            return  # not confirmed now; the caller re-raises the refusal
        if orders.wipe:
            self.wipe(acknowledge=True)
            raise DeviceWiped() from refusal

    def wipe(self, *, acknowledge: bool = False) -> bool:
        """Erase keys, then packs; with ``acknowledge``, report it (signed with the key
        still in memory). Returns whether the server took the acknowledgement; if it
        could not be reached, the order key is kept to retry at the next start."""
        self.keystore.wipe(reason="remote" if acknowledge else "local")
        self._verified.clear()
        acknowledged = False
        if acknowledge:
            try:
                self.client.acknowledge_wipe()
                acknowledged = True
            except ServerRefused as refusal:
                acknowledged = refusal.code in ALREADY_ACKNOWLEDGED
            except ServerUnreachable:
                acknowledged = False
        self.store.forget_device(acknowledged=acknowledged or not acknowledge)
        self.close()
        return acknowledged


def _day(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _replay_partial(partial: Path, verifier: ChunkVerifier) -> int | None:
    """Feed what a previous attempt left on disk; returns the offset to resume from.

    Returns None after cutting off a tail that failed verification (the caller starts
    over with a fresh verifier on the remaining, good prefix).
    """
    if not partial.exists():
        return 0
    try:
        with open(partial, "rb") as handle:
            while data := handle.read(1024 * 1024):
                verifier.feed(data)
    except DocumentIntegrityError:
        _truncate(partial, verifier.verified_offset)
        return None
    return verifier.received


def _truncate(partial: Path, size: int) -> None:
    if partial.exists():
        with open(partial, "r+b") as handle:
            handle.truncate(size)
