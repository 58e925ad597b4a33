"""The delegate's questions (chất vấn) registered before a sitting, on the tablet.

Registered and read device-signed (``/api/devices/me/sessions/{id}/questions``: the device
key proves the owner). The list is kept sealed per session (``sealed_copy``) to read
offline. The rows a screen shows, and where a written answer can be read, are built
here, Kivy-free, in the tablet's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tablet_app.core.i18n import translate
from tablet_app.core.sealed_copy import Copy, SealedValues, fetch_or_copy

STATUSES = ("registered", "scheduled", "called", "answered", "in_writing", "written")


def copy_key(session_id: int) -> str:
    return f"my_questions:{session_id}"


class QuestionBook:
    """Register the owner's questions and read them back; offline, the kept list."""

    def __init__(self, client: Any, store: SealedValues) -> None:
        self.client = client  # a TabletClient (or anything with its two calls)
        self.store = store

    @property
    def server_url(self) -> str:
        """Where the portal is (the written answer's public address)."""
        return str(getattr(self.client, "server_url", ""))

    def load(self, session_id: int) -> Copy[list[dict[str, Any]]]:
        return fetch_or_copy(copy_key(session_id),
                             lambda: self.client.my_questions(session_id), self.store)

    def register(self, session_id: int, *, to_whom: str, topic: str, text: str,
                 petition_ids: list[int] | None = None) -> dict[str, Any]:
        """Send the question; a refusal raises ``ServerRefused`` with its words."""
        answer: dict[str, Any] = self.client.register_question(
            session_id, to_whom=to_whom.strip(), topic=topic.strip(), text=text.strip(),
            petition_ids=petition_ids or [])
        return answer


def for_tablet(tablet: Any) -> QuestionBook:
    """The book of an unlocked ``tablet_app.core.sync.Tablet``."""
    return QuestionBook(tablet.client, tablet.keystore)


def missing_fields(to_whom: str, topic: str, text: str, lang: str) -> str:
    """Words for what the form still lacks ("" when complete): checked before sending so
    nothing typed is lost on a round trip."""
    empty = [translate(f"questions.{name}", lang) for name, value in
             (("to_whom", to_whom), ("topic", topic), ("text", text)) if not value.strip()]
    return translate("questions.missing", lang, fields=", ".join(empty)) if empty else ""


def place_words(question: dict[str, Any], lang: str) -> str:
    """"thứ tự 3/7" (or "thứ tự 3" when the list size is not known)."""
    size = question.get("list_size")
    place = f"{question['place']}/{size}" if size else str(question["place"])
    return translate("questions.place", lang, place=place)


def confirmation(question: dict[str, Any], lang: str) -> str:
    """"Đã đăng ký, thứ tự 3/7"."""
    return translate("questions.registered_ok", lang, place=place_words(question, lang))


def _day(value: str | None) -> str:
    return date.fromisoformat(value[:10]).strftime("%d/%m/%Y") if value else ""


@dataclass(frozen=True)
class QuestionRow:
    question_id: int
    heading: str  # topic · to whom
    text: str
    status: str  # the status in words, with place and deadline
    conclusion: str  # the chair's conclusion, "" until there is one
    answer_document_id: int | None


def rows(questions: list[dict[str, Any]], lang: str) -> list[QuestionRow]:
    """The list as the screen reads it, in the order of the session's list."""
    def t(key: str, **values: object) -> str:
        return translate(f"questions.{key}", lang, **values)

    found = []
    for q in sorted(questions, key=lambda q: q["place"]):
        status = q["status"] if q["status"] in STATUSES else "registered"
        parts = [t(f"status.{status}"), place_words(q, lang)]
        if q.get("prepare_by") and status in ("registered", "scheduled"):
            parts.append(t("prepare_by", day=_day(q["prepare_by"])))
        if status == "in_writing" and q.get("written_due"):
            parts.append(t("written_due", day=_day(q["written_due"])))
        if q.get("answered_on"):
            parts.append(t("answered_on", day=_day(q["answered_on"])))
        if q.get("petition_ids"):
            parts.append(t("with_petitions", n=len(q["petition_ids"])))
        conclusion = t("conclusion", text=q["conclusion"]) if q.get("conclusion") else ""
        found.append(QuestionRow(q["id"], f"{q['topic']} · {q['to_whom']}", q["text"],
                                 " · ".join(parts), conclusion, q.get("answer_document_id")))
    return found


@dataclass(frozen=True)
class AnswerPlace:
    """Where the written answer can be read: the pack on the tablet, or the portal."""
    document: Any | None  # the Library's DocumentCard when the pack holds it
    portal_url: str

    def words(self, lang: str) -> str:
        return translate("questions.answer_on_portal", lang, url=self.portal_url)


def answer_place(session_id: int, document_id: int, held: list[Any],
                 server_url: str) -> AnswerPlace:
    """The written answer is a public document of the session (*held*: the Library's
    session cards): in the pack once the session is synced after it was filed; until
    then it is on the portal (``/phien-hop/{session}/tai-lieu/{document}``)."""
    card = next((s for s in held if str(s.session_id) == str(session_id)), None)
    document = None
    if card is not None:
        document = next((d for item in card.items for d in item.documents
                         if str(d.doc_id) == str(document_id)), None)
    url = f"{server_url.rstrip('/')}/phien-hop/{session_id}/tai-lieu/{document_id}"
    return AnswerPlace(document, url)
