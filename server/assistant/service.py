"""Ask the archive a question, or ask for a document's key passages (tóm tắt).

Every answer carries the passages it rests on; when nothing the reader may see is
relevant, the answer says so and cites nothing. A question may be narrowed to one
document ("ask about this document") or one session's documents ("the whole session").
"""

from __future__ import annotations

import logging

from sqlmodel import Session, col, select

from server.assistant import llm
from server.assistant.access import reader_rule
from server.assistant.corpus import archive_index
from server.config import Settings
from server.errors import NotFound, ValidationFailed
from server.models import CouncilSession, Document
from server.models.base import id_of
from server.security.policy import can_read_document
from server.security.principal import Principal
from server.services import documents as documents_service
from shared.assistant import answer as answers
from shared.assistant.answer import Answer
from shared.assistant.passages import Passage

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 500
TOP_K = 5


class QuestionInvalid(ValidationFailed):
    code = "assistant_question_invalid"
    message_vi = "Câu hỏi trống hoặc dài quá 500 ký tự."
    message_en = "The question is empty or longer than 500 characters."


def link_for(passage: Passage, surface: str = "api") -> str:
    """Where a person opens the cited source from *surface*: ``api`` (a bearer token),
    ``staff`` (the console), ``web`` (a delegate in the console) or ``public``; the
    document's file at the cited page, the item's page."""
    kind, number = passage.source_type, passage.source_id
    if kind == "document":
        page = f"#page={passage.page}" if passage.page else ""
        version = passage.extra.get("version", 1)
        if surface == "public":
            return f"/phien-hop/{passage.session_id}/tai-lieu/{number}{page}"
        if surface in ("staff", "web"):
            return f"/console/tro-ly/tai-lieu/{number}{page}"
        return f"/api/documents/{number}/versions/{version}/file{page}"
    if kind == "item":
        if surface == "staff":
            return f"/console/theo-doi/viec/{number}"
        return f"/theo-doi/kien-nghi/{number}" if passage.public else ""
    if kind == "resolution":
        return "/theo-doi/nghi-quyet"
    return "/theo-doi/giam-sat"


def ask(db: Session, settings: Settings, principal: Principal | None, question: str, *,
        document_id: int | None = None, session_id: int | None = None,
        lang: str = "vi", surface: str = "api") -> Answer:
    """Answer *question* from what *principal* may read (``None``: the public)."""
    question = " ".join(question.split())
    if not question or len(question) > MAX_QUESTION_CHARS:
        raise QuestionInvalid()
    may_read = reader_rule(db, principal)

    def allowed(passage: Passage) -> bool:
        if document_id is not None and passage.source_key != ("document", document_id):
            return False
        if session_id is not None and passage.session_id != session_id:
            return False
        return may_read(passage)

    hits = archive_index(db).search(question, limit=TOP_K, allowed=allowed)
    citations = answers.cite(hits, question, lambda p: link_for(p, surface))
    if not citations:
        return answers.not_found(question, lang)
    if settings.assistant_llm_url:
        try:
            text = llm.phrase(settings.assistant_llm_url, settings.assistant_llm_model,
                              question, citations, timeout=settings.assistant_llm_timeout)
            return Answer(question, True, text, citations, "model")
        except llm.ModelUnavailable as error:
            log.warning("assistant: model server unavailable, answering with passages: %s",
                        error)
            return answers.from_passages(question, citations, lang,
                                         notice=answers.message("model_down", lang))
    return answers.from_passages(question, citations, lang)


def summarize(db: Session, principal: Principal | None, document_id: int, *,
              lang: str = "vi", surface: str = "api") -> Answer:
    """The key passages of one document the reader may read, in its own order."""
    document = db.get(Document, document_id)
    if document is None:
        raise NotFound()
    probe = Passage("document", document_id, document.title, "", public=(
        document.confidentiality == "public"), session_id=document.session_id)
    if not reader_rule(db, principal)(probe):
        raise NotFound()  # as the documents' routes: no probing of what exists
    chosen = archive_index(db).key_passages(("document", document_id))
    citations = answers.cite(chosen, "", lambda p: link_for(p, surface))
    return answers.summary(document.title, citations, lang)


def readable_documents(db: Session, principal: Principal) -> list[tuple[CouncilSession, Document]]:
    """The documents this reader may open, by session: the choices of "ask about this
    document" and of the summary."""
    out: list[tuple[CouncilSession, Document]] = []
    for session in db.exec(select(CouncilSession).order_by(col(CouncilSession.id))):
        for document in documents_service.in_session(db, id_of(session)):
            if document.current_version and can_read_document(db, principal, session, document):
                out.append((session, document))
    return out
