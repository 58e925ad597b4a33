"""The petitions and proposals citizens sent from the delegate's thôn, on the tablet.

Read device-signed (``GET /api/devices/me/citizen-petitions``; no sender data, public
replies only) and kept sealed (``sealed_copy``) to read offline, e.g. at a meeting with
voters in the thôn. Rows built here, Kivy-free.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tablet_app.core.i18n import translate
from tablet_app.core.sealed_copy import Copy, SealedValues, fetch_or_copy

COPY_KEY = "constituency_petitions"
STEPS = ("received", "forwarded", "answered", "closed")


class PetitionBook:
    def __init__(self, client: Any, store: SealedValues) -> None:
        self.client = client
        self.store = store

    def load(self) -> Copy[dict[str, Any]]:
        return fetch_or_copy(COPY_KEY, self.client.citizen_petitions, self.store)

    def kept(self) -> list[dict[str, Any]]:
        """The cases of the last copy, without asking the server (the question form's
        choice of petitions to link)."""
        import json

        raw = self.store.value(COPY_KEY)
        return json.loads(raw)["data"]["cases"] if raw else []


def for_tablet(tablet: Any) -> PetitionBook:
    return PetitionBook(tablet.client, tablet.keystore)


@dataclass(frozen=True)
class PetitionRow:
    case_id: int
    item_id: int | None
    title: str
    text: str
    status: str  # kind · status · received · agency
    answer: str  # the public reply, "" when none (or not public)


def title(answer: dict[str, Any], lang: str) -> str:
    area = answer.get("constituency") or translate("petitions.no_area", lang)
    return translate("petitions.title", lang, area=area)


def rows(answer: dict[str, Any], lang: str) -> list[PetitionRow]:
    def t(key: str, **values: object) -> str:
        return translate(f"petitions.{key}", lang, **values)

    found = []
    for case in answer.get("cases", []):
        status = case["status"] if case["status"] in STEPS else "received"
        parts = [t(f"type.{case['case_type']}"), t(f"status.{status}"),
                 t("received_on", day=date.fromisoformat(case["received_on"][:10])
                   .strftime("%d/%m/%Y"))]
        if case.get("agency"):
            parts.append(t("agency", agency=case["agency"]))
        reply = t("answer", text=case["answer"]) if case.get("answer") else ""
        found.append(PetitionRow(case["id"], case.get("item_id"), case["title"], case["text"],
                                 " · ".join(parts), reply))
    return found
