"""Device-signed requests: who is calling, proven by the device's Ed25519 key.

Every device request carries four headers (docs/pack-format.md, "HTTP API"):

    X-HDND-Device     the device id given at enrolment
    X-HDND-Timestamp  Unix seconds, within 5 minutes of the server clock
    X-HDND-Nonce      16 random bytes, b64url; each (device, nonce) is accepted once
    X-HDND-Signature  b64url Ed25519 signature over ``shared.crypto.device_request.request_message(...)``

A revoked device is refused everywhere with ``device_revoked``; the refusal carries its
wipe order, and only the order routes accept a revoked device that still has one
pending.

Two keys may sign. The device key (sealed under the PIN on the tablet) signs every
route. The order key (kept outside the PIN seal, so the app can ask before the PIN is
entered) is accepted only by the order routes (``DeviceWithOrders``,
``DeviceAskingOrders``): whoever copies it out of a tablet can learn that device's
orders and acknowledge a wipe, nothing else (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Annotated, TypeVar

from cryptography.exceptions import InvalidSignature
from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool

from server.cache import generations
from server.cache.generations import Counters
from server.deps import SessionDep
from server.models.base import utcnow
from server.models.devices import Device, DeviceRequestNonce
from server.models.renumbering import CouncilRenumbering
from server.packs import known_devices
from server.packs.errors import (
    DeviceAuthFailed,
    DeviceClockSkew,
    DeviceRenumbered,
    DeviceRequestReplayed,
    DeviceRevoked,
)
from server.packs.known_devices import KnownDevice
from server.packs.request_nonces import MemoryNonces
from server.schemas.base import MAX_ID
from server.tenancy import scoping
from server.tenancy.scope import Scope
from shared import clock
from shared.crypto.device_request import (
    HEADER_DEVICE,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIME,
    request_message,
)
from shared.crypto.encoding import BadEncoding, b64url_decode
from shared.crypto.signing import ed25519_public_from_b64

T = TypeVar("T")

MAX_SKEW_SECONDS = 300
NONCE_KEEP = timedelta(seconds=2 * MAX_SKEW_SECONDS)  # older ones fail the clock check anyway
SEEN_EVERY = timedelta(minutes=1)  # "last seen" is kept to the minute


def wipe_order(device: Device) -> dict[str, object]:
    return {"wipe": device.wipe_pending,
            "wipe_ordered_at": device.wipe_ordered_at.isoformat() if device.wipe_ordered_at
            else None,
            "revoked": device.revoked_at is not None}


class Signer(Enum):
    """Which of the device's keys a route accepts."""

    device = "device"  # the PIN-sealed device key: every route
    device_or_order = "device_or_order"  # the order routes


class Revoked(Enum):
    """What a revoked device may still do on a route."""

    refuse = "refuse"
    if_wipe_pending = "if_wipe_pending"  # fetch its wipe order and acknowledge it
    allow = "allow"  # learn its own standing (the signed order check)


def _signed_by(device: Device, signer: Signer, signature: bytes, message: bytes) -> bool:
    keys = [device.ed25519_public]
    if signer is Signer.device_or_order and device.order_public:
        keys.append(device.order_public)
    for key in keys:
        try:
            ed25519_public_from_b64(key).verify(signature, message)
        except InvalidSignature:
            continue
        return True
    return False


@dataclass(frozen=True)
class SignedRequest:
    """What a device request says about itself, before anything is checked."""

    method: str
    device_id: int
    signed_at: int
    nonce: str
    signature: bytes
    message: bytes  # what the signature must cover

    @classmethod
    def parse(cls, method: str, path: str, headers: Mapping[str, str],
              body: bytes) -> SignedRequest:
        try:
            device_id = int(headers[HEADER_DEVICE.lower()])
            timestamp = headers[HEADER_TIME.lower()]
            nonce = headers[HEADER_NONCE.lower()]
            signature = b64url_decode(headers[HEADER_SIGNATURE.lower()])
            signed_at = int(timestamp)
        except (KeyError, ValueError, BadEncoding):
            raise DeviceAuthFailed(reason="missing or malformed device headers") from None
        if not 8 <= len(nonce) <= 64 or not 1 <= device_id <= MAX_ID:
            raise DeviceAuthFailed(reason="bad nonce or device id")
        return cls(method, device_id, signed_at, nonce, signature,
                   request_message(method, path, timestamp, nonce, body))

    def in_time(self) -> bool:
        return abs(clock.timestamp() - self.signed_at) <= MAX_SKEW_SECONDS


def _check(db: Session, signed: SignedRequest, signer: Signer, revoked: Revoked,
           nonces: MemoryNonces | None, renumbering: bool = False) -> Device:
    device = db.get(Device, signed.device_id)
    if device is None or not _signed_by(device, signer, signed.signature, signed.message):
        _refuse_renumbered(db, signed.device_id, signer, signed.signature, signed.message)
        raise DeviceAuthFailed(reason="unknown device" if device is None else "bad signature")
    if not signed.in_time():
        raise DeviceClockSkew(server_time=int(clock.timestamp()))
    _note_request(db, device, signed, nonces)
    if device.revoked_at is not None and not (
            revoked is Revoked.allow or (revoked is Revoked.if_wipe_pending
                                         and device.wipe_pending)):
        raise DeviceRevoked(orders=wipe_order(device))
    if renumbering and device.renumber_pending:
        _refuse_until_renumbered(db, device)
    # the rest of the request sees the device's council only (server/tenancy)
    scoping.enter(db, Scope.of_council(int(device.council_id or 0)))
    return device


def _note_request(db: Session, device: Device, signed: SignedRequest,
                  memory: MemoryNonces | None) -> None:
    """Remember the nonce (each is accepted once: in this process's memory for the safe
    reads it covers, server/packs/request_nonces.py, else in the database) and, once a
    minute, when the device was last seen, in a short transaction of its own: the
    request's session keeps its objects (a commit there would expire them and read them
    again), and a tablet's library refresh, a hot read, no longer pays for an ORM flush."""
    now = utcnow()
    in_memory = memory is not None and memory.covers(signed.method, signed.signed_at)
    if memory is not None and in_memory \
            and not _first_use(memory, device.id or 0, device.council_id, signed):
        raise DeviceRequestReplayed()
    seen_due = device.last_seen_at is None or now - device.last_seen_at > SEEN_EVERY
    if in_memory and not seen_due:
        return
    nonces = DeviceRequestNonce.__table__  # type: ignore[attr-defined]
    devices = Device.__table__  # type: ignore[attr-defined]
    engine = db.get_bind().engine  # a connection of its own, whatever the session is bound to
    try:
        with engine.begin() as connection:
            if seen_due:
                connection.execute(nonces.delete().where(
                    nonces.c.device_id == device.id, nonces.c.seen_at < now - NONCE_KEEP))
                connection.execute(devices.update().where(devices.c.id == device.id)
                                   .values(last_seen_at=now))
                set_committed_value(device, "last_seen_at", now)
            if not in_memory:
                connection.execute(nonces.insert().values(
                    device_id=device.id, nonce=signed.nonce, seen_at=now,
                    council_id=device.council_id))
    except IntegrityError:
        raise DeviceRequestReplayed() from None


def _first_use(memory: MemoryNonces, device_id: int, council_id: int | None,
                signed: SignedRequest) -> bool:
    return memory.first_use(device_id, council_id, signed.nonce, signed.signed_at,
                            clock.timestamp())


def _refuse_renumbered(db: Session, old_id: int, signer: Signer, signature: bytes,
                       message: bytes) -> None:
    """A tablet of a commune that moved here beside other councils still sends its old id:
    if the device that id became signed this request, tell it its new numbers."""
    for shift in db.exec(select(CouncilRenumbering).where(
            CouncilRenumbering.table_name == "device")).all():
        new_id = old_id + shift.id_offset
        if new_id > shift.last_moved_id:
            continue
        device = db.get(Device, new_id)
        if device is None or device.council_id != shift.council_id \
                or not _signed_by(device, signer, signature, message):
            continue
        _refuse_until_renumbered(db, device)


def _refuse_until_renumbered(db: Session, device: Device) -> None:
    """Every route but the orders' and the acknowledgement's answers with the new numbers
    until the tablet says it has renamed what it keeps (POST /api/devices/me/renumbered)."""
    shifts = list(db.exec(select(CouncilRenumbering).where(
        CouncilRenumbering.council_id == device.council_id)).all())
    raise DeviceRenumbered(device_id=str(device.id), person_id=device.person_id,
                           offsets={r.table_name: r.id_offset for r in shifts},
                           stamp=max((r.moved_at.isoformat() for r in shifts), default=""))


def _path(request: Request) -> str:
    """The path exactly as the device sent it, percent-encoding and all (pack-format §8.2):
    what was signed is what arrived, whatever the server decodes it to for routing."""
    raw = request.scope.get("raw_path")
    path = raw.decode("ascii", "replace") if raw else request.url.path
    query = request.url.query
    return path + (f"?{query}" if query else "")


def _memory(request: Request) -> MemoryNonces | None:
    return getattr(request.app.state, "request_nonces", None)


async def _signed(request: Request) -> SignedRequest:
    return SignedRequest.parse(request.method, _path(request), request.headers,
                               await request.body())


async def _device(request: Request, db: Session, signer: Signer, revoked: Revoked,
                  renumbering: bool = False) -> Device:
    signed = await _signed(request)
    return await run_in_threadpool(_check, db, signed, signer, revoked, _memory(request),
                                   renumbering)


async def run_as_device(request: Request, engine: Engine, work: Callable[[Session, Device], T],
                        remembered: Callable[[Counters, KnownDevice], T | None]) -> T:
    """A hot device read: from memory on the event loop when it can be
    (``_from_memory``), else in one thread-pool hop that checks the signature and runs
    ``work`` in one short database session scoped to the device's council (what
    CurrentDevice, a session dependency and a sync route would do in four hops)."""
    signed = await _signed(request)
    memory = _memory(request)
    found = _from_memory(engine, signed, memory, remembered)
    if found is not None:
        return found

    def checked() -> T:
        with Session(engine, expire_on_commit=False) as db:
            counters = generations.current(db)  # before the device's row: known_devices
            device = _check(db, signed, Signer.device, Revoked.refuse, memory,
                            renumbering=True)
            known_devices.remember(counters, device)
            return work(db, device)

    return await run_in_threadpool(checked)


def _from_memory(engine: Engine, signed: SignedRequest, memory: MemoryNonces | None,
                 remembered: Callable[[Counters, KnownDevice], T | None]) -> T | None:
    """The answer with no query and no thread, or None for the full check to give it (or
    say in words why not). Only when everything is already in memory and fresh: the
    counters, the device in good standing, its last-seen time, the answer, and a nonce
    this process's memory remembers; the nonce is taken last, so a miss leaves it for
    the full check."""
    counters = generations.fresh(engine)
    if memory is None or counters is None or not memory.covers(signed.method, signed.signed_at):
        return None
    device = known_devices.recall(counters, signed.device_id)
    if device is None or utcnow() - device.last_seen_at > SEEN_EVERY or not signed.in_time():
        return None
    try:
        device.public_key.verify(signed.signature, signed.message)
    except InvalidSignature:
        return None
    found = remembered(counters, device)
    if found is None:
        return None
    if not _first_use(memory, device.id, device.council_id, signed):
        raise DeviceRequestReplayed()
    return found


async def current_device(request: Request, db: SessionDep) -> Device:
    """The calling device; one whose commune moved here is first told its new numbers."""
    return await _device(request, db, Signer.device, Revoked.refuse, renumbering=True)


async def device_being_renumbered(request: Request, db: SessionDep) -> Device:
    """The calling device, even while it is being told its new numbers."""
    return await _device(request, db, Signer.device, Revoked.refuse)


async def device_with_orders(request: Request, db: SessionDep) -> Device:
    """Like ``current_device`` but lets a revoked device with a pending wipe order in,
    signed with either key (a wipe can be carried out and acknowledged before the PIN)."""
    return await _device(request, db, Signer.device_or_order, Revoked.if_wipe_pending)


async def device_asking_orders(request: Request, db: SessionDep) -> Device:
    """Any enrolled device, revoked or not, signed with either key: it learns its own
    standing, nothing more."""
    return await _device(request, db, Signer.device_or_order, Revoked.allow)


def request_nonce(request: Request) -> str:
    """The signed request's one-time nonce (already checked by the dependency)."""
    return request.headers.get(HEADER_NONCE, "")


CurrentDevice = Annotated[Device, Depends(current_device)]
DeviceWithOrders = Annotated[Device, Depends(device_with_orders)]
DeviceAskingOrders = Annotated[Device, Depends(device_asking_orders)]
DeviceBeingRenumbered = Annotated[Device, Depends(device_being_renumbered)]
