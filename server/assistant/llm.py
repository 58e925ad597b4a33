"""Optional phrasing by a language model server on the council's LAN (OpenAI-compatible).

llama.cpp's ``llama-server``, vLLM and Ollama all serve ``POST /v1/chat/completions``.
The assistant sends the numbered passages it retrieved and the question, and asks for an
answer from those passages only, citing them as [1], [2]. Nothing is downloaded here and
nothing goes beyond the LAN: the server's address must be loopback or private
(RFC 1918 / RFC 4193), checked before every call, and redirects are not followed.
Any failure (down, slow, refused address, empty reply) raises :class:`ModelUnavailable`;
the service then answers with the passages and says why.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

import httpx

from shared.assistant.answer import Citation

SYSTEM_PROMPT = (
    "Bạn là trợ lý của Hội đồng nhân dân xã. Chỉ trả lời dựa trên các đoạn trích được cung "
    "cấp, bằng tiếng Việt, ngắn gọn. Sau mỗi ý, ghi số đoạn trích làm căn cứ trong ngoặc "
    "vuông, ví dụ [1]. Nếu các đoạn trích không có thông tin, hãy nói rõ là không có."
)
_CITED = re.compile(r"\[(\d+)\]")


class ModelUnavailable(Exception):
    """The LAN model server could not give an answer (the reason is in the message)."""


def _is_lan_host(host: str) -> bool:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    for address in addresses:
        ip = ipaddress.ip_address(str(address).split("%")[0])
        if not (ip.is_loopback or ip.is_private or ip.is_link_local):
            return False
    return bool(addresses)


def check_lan_url(url: str) -> str:
    """*url* without a trailing slash, or :class:`ModelUnavailable` if not on the LAN."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ModelUnavailable(f"not an http(s) URL: {url!r}")
    if not _is_lan_host(parts.hostname):
        raise ModelUnavailable(f"{parts.hostname} is not a loopback or private address")
    return url.rstrip("/")


def build_messages(question: str, citations: list[Citation]) -> list[dict[str, str]]:
    passages = "\n\n".join(f"[{c.number}] {c.label()}:\n{c.quote}" for c in citations)
    return [{"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": f"Các đoạn trích:\n{passages}\n\nCâu hỏi: {question}"}]


def phrase(url: str, model: str, question: str, citations: list[Citation], *,
           timeout: float = 30.0) -> str:
    """The model's answer to *question* from *citations*; it cites at least one of them."""
    base = check_lan_url(url)
    payload = {"model": model, "messages": build_messages(question, citations),
               "temperature": 0.1, "stream": False}
    try:
        response = httpx.post(f"{base}/chat/completions", json=payload, timeout=timeout,
                              follow_redirects=False, trust_env=False)
        response.raise_for_status()
        content = response.json()["choices"][0]["message"]["content"]
    except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as error:
        raise ModelUnavailable(f"{type(error).__name__}: {error}") from error
    text = (content or "").strip()
    if not text:
        raise ModelUnavailable("empty reply")
    known = {c.number for c in citations}
    if not {int(n) for n in _CITED.findall(text)} & known:
        # A phrasing that cites nothing still stands on these passages: say which.
        text += "\n" + " ".join(f"[{n}]" for n in sorted(known))
    return text
