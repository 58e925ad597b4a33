"""The delegate's own record of the year ("Hoạt động của tôi") on the tablet.

Fetched device-signed (``GET /api/devices/me/record``: the device key proves the owner) and
kept in the PIN-sealed key store, so it reads offline and is wiped with the device. The
sections a screen shows are built here, Kivy-free, in the tablet's language.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from shared import clock
from tablet_app.core.client import ServerUnreachable
from tablet_app.core.i18n import translate

RECORD_KEY = "my_record"
"""The key store value holding the last record fetched, with when it was fetched."""

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class SealedValues(Protocol):
    """What the record needs of ``tablet_app.core.keystore.KeyStore``."""

    def value(self, name: str) -> str | None: ...
    def set_value(self, name: str, value: str) -> None: ...
    def save(self) -> None: ...


@dataclass
class MyRecord:
    record: dict[str, Any]
    fetched_at: datetime
    offline: bool = False  # read from the tablet's copy: the server was out of reach


@dataclass
class Section:
    title: str
    count: str
    lines: list[str] = field(default_factory=list)


class NoRecordYet(ServerUnreachable):
    """Offline and never fetched: nothing to show."""


class MyRecordBook:
    """Fetch the owner's record, keep the copy sealed, fall back to it offline."""

    def __init__(self, fetch: Callable[[int], dict[str, Any]], store: SealedValues) -> None:
        self.fetch = fetch
        self.store = store

    def cached(self) -> MyRecord | None:
        raw = self.store.value(RECORD_KEY)
        if not raw:
            return None
        data = json.loads(raw)
        return MyRecord(data["record"], datetime.fromisoformat(data["fetched_at"]), True)

    def load(self, year: int | None = None) -> MyRecord:
        """The server's record of *year* (this year by default); offline, the copy."""
        year = year or clock.today().year
        try:
            record = self.fetch(year)
        except ServerUnreachable as error:
            copy = self.cached()
            if copy is None:
                raise NoRecordYet(str(error)) from error
            return copy
        fetched = clock.now()
        self.store.set_value(RECORD_KEY, json.dumps(
            {"record": record, "fetched_at": fetched.isoformat()}, ensure_ascii=False))
        self.store.save()
        return MyRecord(record, fetched)


def for_tablet(tablet: Any) -> MyRecordBook:
    """The book of an unlocked ``tablet_app.core.sync.Tablet``."""
    return MyRecordBook(lambda year: tablet.client.my_record(year), tablet.keystore)


def _day(value: str) -> str:
    return date.fromisoformat(value[:10]).strftime("%d/%m/%Y")


def _time(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")


def _lines(rows: list[dict[str, Any]]) -> list[str]:
    return [f"{_day(r['on'])} · {r['title']}" + (f" · {r['note']}" if r.get("note") else "")
            for r in rows]


def _speech(row: dict[str, Any], lang: str) -> str:
    kind = translate(f"my_record.kind.{row['kind']}", lang)
    text = f"{kind} · {_time(row['at'])} · {row['sitting_title']}"
    if row.get("seconds") is not None:
        text += " · " + translate("my_record.duration", lang, m=row["seconds"] // 60,
                                  s=row["seconds"] % 60)
    if row.get("text"):
        text += f" — {row['text']}"
    return text


def sections(record: dict[str, Any], lang: str) -> list[Section]:
    """The record as the screen reads it: a title, a count and the lines behind it."""
    def t(key: str) -> str:
        return translate(f"my_record.{key}", lang)

    petitions = record.get("petitions") or []
    rows = petitions if isinstance(petitions, list) else []
    return [
        Section(t("sessions"), str(len(record["sessions"])), _lines(record["sessions"])),
        Section(t("sittings"), str(len(record["sittings"])), _lines(record["sittings"])),
        Section(t("votes"), str(record["votes"])),
        Section(t("speeches"), str(len(record["speeches"])),
                [_speech(s, lang) for s in record["speeches"]]),
        Section(t("voter_meetings"), str(len(record["voter_meetings"])),
                _lines(record["voter_meetings"])),
        Section(t("supervisions"), str(len(record["supervisions"])),
                _lines(record["supervisions"])),
        Section(t("petitions"), str(len(rows) if rows else petitions or 0), _lines(rows)),
        Section(t("training"), str(len(record.get("training", []))),
                _lines(record.get("training", []))),
    ]


def status_line(found: MyRecord, lang: str) -> str:
    """Which year, and, when offline, as of when."""
    line = translate("my_record.year", lang, year=found.record["year"])
    if found.offline:
        at = found.fetched_at.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")
        line += " · " + translate("my_record.offline", lang, at=at)
    return line
