"""Devices in good standing as the last full check found them, so that a hot device read
(a tablet's list of sessions) can be answered on the event loop without asking the
database who signed it.

An entry is stamped with the "access" counter, which the device's columns the check
reads move (revoked, owner, council, keys, renumbering: server/cache/generations.py):
a revocation empties it at once on the host that made it and within
``generations.FRESH_S`` on the others, as for staff tokens. Revoked devices and devices
still to be told their new numbers are never kept: their requests take the full check,
which says why they are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from server.cache import generations
from server.cache.generations import Counters
from server.cache.lru import GenerationCache
from server.models.base import id_of
from server.models.devices import Device
from shared.crypto.signing import ed25519_public_from_b64


@dataclass(frozen=True)
class KnownDevice:
    id: int
    council_id: int | None
    person_id: int
    public_key: Ed25519PublicKey  # the PIN-sealed device key only: the order key signs no read
    last_seen_at: datetime  # as written by this process's last full check


_KNOWN: GenerationCache[int, KnownDevice] = GenerationCache(capacity=4096)


def remember(counters: Counters, device: Device) -> None:
    """Keep a device the full check has just let in. ``counters`` must have been read
    before the device's row, so a change committed between the two leaves a stale
    stamp (a miss), never a stale device under a fresh stamp."""
    if device.revoked_at is not None or device.renumber_pending or device.last_seen_at is None:
        return
    stamp = counters.stamp(generations.ACCESS)
    known = _KNOWN.get(id_of(device), stamp)
    if known is not None and known.last_seen_at == device.last_seen_at:
        return  # as kept: no key to parse again
    _KNOWN.put(id_of(device), stamp, KnownDevice(
        id=id_of(device), council_id=device.council_id, person_id=device.person_id,
        public_key=ed25519_public_from_b64(device.ed25519_public),
        last_seen_at=device.last_seen_at))


def recall(counters: Counters, device_id: int) -> KnownDevice | None:
    return _KNOWN.get(device_id, counters.stamp(generations.ACCESS))
