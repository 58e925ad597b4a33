"""The reader's assistant panel, without Kivy: ask the server, or the pack when offline.

With the server in reach, a question goes to ``POST /api/assistant/device/ask`` and is
answered from the whole archive as the device's owner may read it. When the hall's
network is down (or the tablet runs the demo without a server), the same retrieval runs
here on the text of the documents in the agenda pack — which holds only what this
device may read — and the answer says it came from the tablet. Summaries (tóm tắt) are
always made here: the pack has the whole document.

Citations of pack documents carry ``pack:<doc id>#page=<n>`` links, which the widget
turns into "open this document at this page".
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from shared.assistant import answer as answers
from shared.assistant.answer import Answer, Citation
from shared.assistant.passages import Passage, passages_of
from shared.assistant.ranking import PassageIndex
from shared.errors import Invalid
from tablet_app.core.client import ClientError, ServerUnreachable
from tablet_app.core.reader import PdfReader

MAX_QUESTION_CHARS = 500
TOP_K = 5


class QuestionInvalid(Invalid):
    """The tablet refuses an empty or over-long question before sending it (as the server)."""

    code = "assistant_question_invalid"
    message_vi = "Câu hỏi trống hoặc dài quá 500 ký tự."
    message_en = "The question is empty or longer than 500 characters."


@dataclass(frozen=True)
class PackDocument:
    """A document this device holds: its id in the pack, title and session."""

    doc_id: str
    title: str
    session_id: str = ""


AskServer = Callable[..., dict[str, Any]]


def pack_link(passage: Passage) -> str:
    return f"pack:{passage.extra['doc_id']}#page={passage.page}"


def parse_pack_link(link: str) -> tuple[str, int] | None:
    """``pack:12#page=3`` → ("12", 2): the document and the 0-based page to open."""
    if not link.startswith("pack:") or "#page=" not in link:
        return None
    doc_id, page = link[5:].split("#page=", 1)
    return doc_id, max(0, int(page) - 1) if page.isdigit() else 0


class PackAssistant:
    """Answers for the reader's side panel; one per opened session."""

    def __init__(self, documents: Iterable[PackDocument],
                 open_document: Callable[[str], bytes | bytearray], *,
                 ask_server: AskServer | None = None, lang: str = "vi") -> None:
        self.documents = {d.doc_id: d for d in documents}
        self._open = open_document
        self._ask_server = ask_server
        self.lang = lang
        self._index: PassageIndex | None = None
        self._lock = threading.Lock()

    # --- asking --------------------------------------------------------------------------

    def ask(self, question: str, *, doc_id: str | None = None,
            session_id: str | None = None) -> Answer:
        """Answer about one document (*doc_id*) or the whole session; server first."""
        question = " ".join(question.split())
        if not question or len(question) > MAX_QUESTION_CHARS:
            raise QuestionInvalid()
        if self._ask_server is not None:
            try:
                return self._from_server(question, doc_id, session_id)
            except ServerUnreachable:
                pass  # the hall's network is down: the pack still answers
        return self.ask_offline(question, doc_id=doc_id,
                                notice=answers.message("offline", self.lang))

    def _from_server(self, question: str, doc_id: str | None, session_id: str | None) -> Answer:
        assert self._ask_server is not None
        reply = self._ask_server(
            question, document_id=int(doc_id) if doc_id and doc_id.isdigit() else None,
            session_id=int(session_id) if session_id and session_id.isdigit() else None,
            lang=self.lang)
        held = set(self.documents)
        citations = []
        for c in reply["citations"]:
            link = c["link"]
            if c["source_type"] == "document" and str(c["source_id"]) in held:
                link = f"pack:{c['source_id']}#page={c['page']}"  # open it here, offline too
            citations.append(Citation(c["number"], c["source_type"], c["source_id"], c["title"],
                                      c["page"], c["section"], link, c["quote"]))
        return Answer(reply["question"], reply["found"], reply["text"], citations,
                      reply["mode"], reply.get("notice", ""))

    def ask_offline(self, question: str, *, doc_id: str | None = None,
                    notice: str = "") -> Answer:
        """The pack's own text, ranked here (no network)."""
        allowed = None if doc_id is None else (lambda p: p.extra["doc_id"] == doc_id)
        hits = self.index().search(question, limit=TOP_K, allowed=allowed)
        citations = answers.cite(hits, question, pack_link)
        if not citations:
            return answers.not_found(question, self.lang)
        return answers.from_passages(question, citations, self.lang, notice=notice)

    def summary(self, doc_id: str) -> Answer:
        """Tóm tắt of a document in the pack: its key passages, in order."""
        number = list(self.documents).index(doc_id) if doc_id in self.documents else -1
        chosen = self.index().key_passages(("document", number))
        title = self.documents[doc_id].title if doc_id in self.documents else ""
        return answers.summary(title, answers.cite(chosen, "", pack_link), self.lang)

    # --- the pack's text -----------------------------------------------------------------

    def index(self) -> PassageIndex:
        """Built once, on first use (call off the UI thread: it decrypts and reads PDFs)."""
        with self._lock:
            if self._index is None:
                self._index = PassageIndex(self._passages())
            return self._index

    def _passages(self) -> list[Passage]:
        out: list[Passage] = []
        for number, document in enumerate(self.documents.values()):
            data = self._open(document.doc_id)
            try:
                with PdfReader(data) as reader:
                    for page in range(reader.page_count):
                        out.extend(passages_of("document", number, document.title,
                                               reader.page_text(page), page=page + 1,
                                               extra={"doc_id": document.doc_id}))
            finally:
                if isinstance(data, bytearray):
                    data[:] = b"\0" * len(data)  # decrypted text leaves memory with the index
        return out


def server_asker(client: Any) -> AskServer:
    """``TabletClient.ask_assistant`` as the panel's *ask_server* (refusals stay errors)."""

    def ask(question: str, **scope: Any) -> dict[str, Any]:
        answer: dict[str, Any] = client.ask_assistant(question, **scope)
        return answer

    return ask


__all__ = ["ClientError", "PackAssistant", "PackDocument", "QuestionInvalid", "parse_pack_link",
           "server_asker"]
