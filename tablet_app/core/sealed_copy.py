"""The last answer of a device-signed read, kept in the PIN-sealed key store.

Personal lists (my questions, my thôn's petitions) must read offline and be wiped with
the device, so they live where ``tablet_app.core.my_record`` keeps the record: inside the
key store, never in a clear file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar
from zoneinfo import ZoneInfo

from shared import clock
from tablet_app.core.client import ServerUnreachable
from tablet_app.core.i18n import translate

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
T = TypeVar("T")


class SealedValues(Protocol):
    """What a copy needs of ``tablet_app.core.keystore.KeyStore``."""

    def value(self, name: str) -> str | None: ...
    def set_value(self, name: str, value: str) -> None: ...
    def save(self) -> None: ...


class NothingKeptYet(ServerUnreachable):
    """Offline and never fetched: nothing to show."""


@dataclass
class Copy(Generic[T]):
    data: T
    fetched_at: datetime
    offline: bool = False  # read from the tablet's copy: the server was out of reach


def fetch_or_copy(key: str, fetch: Callable[[], T], store: SealedValues) -> Copy[T]:
    """The server's answer, sealed as the new copy; out of reach, the last copy kept.
    A refusal (``ServerRefused``) is not hidden behind an old copy: it propagates."""
    try:
        data = fetch()
    except ServerUnreachable as error:
        raw = store.value(key)
        if not raw:
            raise NothingKeptYet(str(error)) from error
        kept = json.loads(raw)
        return Copy(kept["data"], datetime.fromisoformat(kept["fetched_at"]), True)
    fetched = clock.now()
    store.set_value(key, json.dumps({"data": data, "fetched_at": fetched.isoformat()},
                                    ensure_ascii=False))
    store.save()
    return Copy(data, fetched)


def as_of(copy: Copy[Any], lang: str) -> str:
    """"" online; offline, the words saying as of when the copy is."""
    if not copy.offline:
        return ""
    at = copy.fetched_at.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")
    return translate("my_record.offline", lang, at=at)
