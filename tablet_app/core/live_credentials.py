"""Live credentials from the device key: the enrolled tablet is the key to the sitting.

The device signs ``POST /api/devices/me/live-credentials`` with its own key (unlocked by
the PIN) and receives a short-lived access token of its owner, with the sittings the
owner may attend (docs/protocol.md, "Signing in"). ``LiveClient`` asks again before the
credential ends and hands the new one to the open connection (``auth``), so nobody is
thrown out when a token expires; a revoked device or locked account is refused the next
credential, in words.

Expiry is judged by the project's clock (``shared.clock``), the one the server follows
too, so a test that moves the clock moves renewal with it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shared import clock

RENEW_WHEN_LEFT = 1 / 3  # renew when a third of the lifetime is left


@dataclass(frozen=True)
class LiveSitting:
    """A sitting the device's owner may attend, as the server lists it."""

    sitting_id: int
    session_id: str
    title: str
    session_title: str
    status: str  # scheduled | open
    chair: bool = False

    @classmethod
    def of(cls, data: dict[str, Any]) -> LiveSitting:
        return cls(int(data["sitting_id"]), str(data["session_id"]), str(data["title"]),
                   str(data.get("session_title") or ""), str(data["status"]),
                   bool(data.get("chair")))


@dataclass(frozen=True)
class Credential:
    token: str
    expires_at: datetime  # aware
    obtained_at: datetime = field(default_factory=clock.now)
    person_id: int | None = None
    sittings: tuple[LiveSitting, ...] = ()

    @classmethod
    def of(cls, answer: dict[str, Any]) -> Credential:
        return cls(token=str(answer["access_token"]),
                   expires_at=datetime.fromisoformat(str(answer["expires_at"])),
                   person_id=answer.get("person_id"),
                   sittings=tuple(LiveSitting.of(s) for s in answer.get("sittings") or ()))

    def renew_at(self) -> datetime:
        lifetime = self.expires_at - self.obtained_at
        return self.expires_at - max(lifetime * RENEW_WHEN_LEFT, timedelta(seconds=5))

    def due(self, now: datetime | None = None) -> bool:
        return (now or clock.now()) >= self.renew_at()


CredentialSource = Callable[[], Credential]
"""Blocking: obtains a fresh credential or raises (``ServerRefused``, ``ServerUnreachable``)."""


class DeviceCredentials:
    """A ``CredentialSource`` signed by the device key; remembers the last answer."""

    def __init__(self, client: Callable[[], Any]) -> None:
        self._client = client  # -> TabletClient (made lazily: the app may be offline)
        self._lock = threading.Lock()
        self.last: Credential | None = None

    def __call__(self) -> Credential:
        with self._lock:
            credential = Credential.of(self._client().live_credentials())
            self.last = credential
            return credential

    def current(self) -> Credential:
        """The last credential while it is good, else a new one."""
        last = self.last
        if last is not None and not last.due():
            return last
        return self()


REFUSING_CODES = frozenset({"device_revoked", "account_disabled", "token_invalid",
                            "device_auth_failed", "forbidden", "not_found"})


def is_final_refusal(error: BaseException) -> bool:
    """A refusal that trying again will not change (revoked, locked, not allowed)."""
    from tablet_app.core.client import ServerRefused

    return isinstance(error, ServerRefused) and (
        error.code in REFUSING_CODES or error.status in (401, 403))
