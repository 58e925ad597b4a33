"""An answer is the passages it rests on, numbered, and words that cite them by number.

Without a language model the words are the passages' own best sentences, quoted; with
one, the model's phrasing (see ``server.assistant.llm``). Either way the citations are
the same list, and an answer without a citation is never built: when nothing relevant is
found, ``found`` is false and the text says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from shared.assistant.passages import Passage
from shared.assistant.ranking import Hit, best_sentences

MESSAGES = {
    "vi": {
        "not_found": "Không tìm thấy nội dung liên quan trong tài liệu của Hội đồng. "
                     "Hãy hỏi bằng từ khác hoặc tra cứu trực tiếp.",
        "intro": "Các đoạn liên quan trong tài liệu:",
        "summary": "Những đoạn chính của tài liệu:",
        "page": "trang",
        "model_down": "Máy chủ mô hình ngôn ngữ trong mạng nội bộ không trả lời; "
                      "dưới đây là các đoạn trích nguyên văn.",
        "offline": "Không kết nối được máy chủ; trả lời từ tài liệu đã tải về máy tính bảng.",
    },
    "en": {
        "not_found": "Nothing relevant was found in the council's documents. "
                     "Try other words or search directly.",
        "intro": "Relevant passages in the documents:",
        "summary": "The key passages of the document:",
        "page": "page",
        "model_down": "The language model server on the LAN did not answer; "
                      "here are the passages themselves.",
        "offline": "The server cannot be reached; answered from the documents on this tablet.",
    },
}


def message(key: str, lang: str = "vi") -> str:
    return MESSAGES.get(lang, MESSAGES["vi"])[key]


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a cited passage is: enough for a person to open it at the right place."""

    number: int
    source_type: str
    source_id: int
    title: str
    page: int
    section: str
    link: str
    quote: str

    def label(self, lang: str = "vi") -> str:
        parts = [self.title]
        if self.page:
            parts.append(f"{message('page', lang)} {self.page}")
        if self.section:
            parts.append(self.section)
        return ", ".join(parts)


@dataclass(slots=True)
class Answer:
    question: str
    found: bool
    text: str
    citations: list[Citation] = field(default_factory=list)
    mode: str = "passages"  # passages | model | summary
    notice: str = ""  # why the answer is in this mode (model down, offline)


def cite(hits: Sequence[Hit] | Sequence[Passage], question: str,
         link: Callable[[Passage], str]) -> list[Citation]:
    passages = [h.passage if isinstance(h, Hit) else h for h in hits]
    return [Citation(n, p.source_type, p.source_id, p.title, p.page, p.section, link(p),
                     best_sentences(question, p) if question else p.text)
            for n, p in enumerate(passages, start=1)]


def not_found(question: str, lang: str = "vi") -> Answer:
    return Answer(question, False, message("not_found", lang))


def from_passages(question: str, citations: list[Citation], lang: str = "vi", *,
                  notice: str = "") -> Answer:
    """The extractive answer: each cited passage's best sentences, marked [n]."""
    if not citations:
        return not_found(question, lang)
    lines = [message("intro", lang)]
    lines += [f"[{c.number}] {c.label(lang)}: «{c.quote}»" for c in citations]
    return Answer(question, True, "\n".join(lines), citations, "passages", notice)


def summary(title: str, citations: list[Citation], lang: str = "vi") -> Answer:
    """Tóm tắt: the document's key passages in its own order, each cited."""
    if not citations:
        return not_found(title, lang)
    lines = [message("summary", lang)]
    lines += [f"[{c.number}] {c.quote}" for c in citations]
    return Answer(title, True, "\n".join(lines), citations, "summary")
