"""HTTP client of the tablet: device-signed requests to the HĐND server, over httpx.

Every request after enrolment is signed with the device's Ed25519 key (headers and
message as in docs/pack-format.md, "HTTP API"); the server refuses unsigned, stale or
replayed requests. Errors come back as ``ServerRefused`` carrying the problem+json
``code`` and both messages; ``DeviceRevoked`` also carries the wipe order if any.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared import clock
from shared.crypto.device_request import (
    HEADER_DEVICE,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIME,
    request_message,
)
from shared.crypto.encoding import b64url_encode
from shared.errors import BilingualError, Unavailable

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class ClientError(BilingualError, abstract=True):
    """Base of the tablet's failures talking to the server (never raised itself)."""

    code = "client_error"
    message_vi = "Lỗi khi liên lạc với máy chủ."
    message_en = "Error while talking to the server."


class ServerUnreachable(ClientError, Unavailable):
    """The tablet cannot reach the server (offline, wrong address, timeout)."""

    code = "server_unreachable"
    message_vi = "Không kết nối được tới máy chủ. Hãy kiểm tra mạng rồi thử lại."
    message_en = "Cannot reach the server. Check the network and try again."


class ServerRefused(ClientError, abstract=True):
    """The server answered with a problem+json (or another error status); ``code`` is the
    server's (see docs/errors.md)."""

    code = "server_refused"

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        self.status = status
        self.problem = problem
        self.code = str(problem.get("code") or f"http_{status}")
        super().__init__(problem.get("message_vi") or f"Máy chủ từ chối (mã {status}).",
                         problem.get("message_en") or f"The server refused (status {status}).",
                         status=status, code=self.code)


class DeviceRevoked(ServerRefused, abstract=True):
    """The server refused with ``device_revoked``; the answer may carry a wipe order."""

    @property
    def wipe_ordered(self) -> bool:
        return bool((self.problem.get("orders") or {}).get("wipe"))


class DeviceRenumbered(ServerRefused, abstract=True):
    """The device's commune moved beside other councils: its new id and each table's
    shift (tablet_app/core/renumbering.py renames what the tablet keeps)."""

    @property
    def device_id(self) -> str:
        return str(self.problem.get("device_id") or "")

    @property
    def stamp(self) -> str:
        """When the commune moved: the same move is applied once, however often told."""
        return str(self.problem.get("stamp") or "")

    @property
    def offsets(self) -> dict[str, int]:
        raw = self.problem.get("offsets") or {}
        return {str(k): int(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


def json_object(response: httpx.Response) -> dict[str, Any]:
    """The body as a JSON object; another shape is a server this tablet does not speak to."""
    body = response.json()
    if not isinstance(body, dict):
        raise ServerRefused(response.status_code, {"code": "unexpected_body"})
    return body


def json_list(response: httpx.Response) -> list[dict[str, Any]]:
    """The body as a JSON list of objects (see :func:`json_object`)."""
    body = response.json()
    if not isinstance(body, list) or not all(isinstance(x, dict) for x in body):
        raise ServerRefused(response.status_code, {"code": "unexpected_body"})
    return body


def raise_for_problem(response: httpx.Response) -> None:
    if response.status_code < 400:
        return
    try:
        problem = response.json()
        if not isinstance(problem, dict):
            problem = {}
    except ValueError:
        problem = {}
    if problem.get("code") == "device_revoked":
        raise DeviceRevoked(response.status_code, problem)
    if problem.get("code") == "device_renumbered":
        raise DeviceRenumbered(response.status_code, problem)
    raise ServerRefused(response.status_code, problem)


class DeviceAuth(httpx.Auth):
    """Signs each request (method, path with query, timestamp, nonce, body hash)."""

    requires_request_body = True

    def __init__(self, device_id: str, key: Ed25519PrivateKey) -> None:
        self.device_id = device_id
        self.key = key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        timestamp = str(int(clock.timestamp()))
        nonce = b64url_encode(os.urandom(16))
        path = request.url.raw_path.decode("ascii")
        message = request_message(request.method, path, timestamp, nonce, request.content)
        request.headers[HEADER_DEVICE] = self.device_id
        request.headers[HEADER_TIME] = timestamp
        request.headers[HEADER_NONCE] = nonce
        request.headers[HEADER_SIGNATURE] = b64url_encode(self.key.sign(message))
        yield request


def enrol_request(server_url: str, payload: dict[str, str],
                  transport: httpx.BaseTransport | None = None) -> dict[str, Any]:
    """The one unsigned device call: spend the enrolment code, get the server key to pin."""
    try:
        with httpx.Client(base_url=server_url, timeout=DEFAULT_TIMEOUT,
                          transport=transport) as client:
            response = client.post("/api/devices/enrol", json=payload)
    except httpx.TransportError as exc:
        raise ServerUnreachable(reason=str(exc)) from exc
    raise_for_problem(response)
    return json_object(response)


class TabletClient:
    """Device-signed calls to one server. Use as a context manager or call ``close``."""

    def __init__(self, server_url: str, device_id: str, signing_key: Ed25519PrivateKey, *,
                 timeout: httpx.Timeout = DEFAULT_TIMEOUT,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.server_url = server_url.rstrip("/")
        self.device_id = device_id
        self._http = httpx.Client(base_url=self.server_url, timeout=timeout,
                                  auth=DeviceAuth(device_id, signing_key), transport=transport)

    def __enter__(self) -> TabletClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            raise ServerUnreachable(reason=str(exc)) from exc
        raise_for_problem(response)
        return response

    def manifest(self, session_id: str) -> bytes:
        """The latest signed manifest, as raw bytes (verify before use)."""
        return self._call("GET", f"/api/sessions/{session_id}/packs/latest/manifest").content

    @contextmanager
    def blob(self, doc_id: str, version: int, offset: int = 0) -> Iterator[httpx.Response]:
        """Stream a ciphertext file from ``offset`` (``Range: bytes=offset-``)."""
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        request = self._http.build_request("GET", f"/api/packs/blobs/{doc_id}/{version}",
                                           headers=headers)
        try:
            response = self._http.send(request, stream=True)
        except httpx.TransportError as exc:
            raise ServerUnreachable(reason=str(exc)) from exc
        try:
            if response.status_code >= 400:
                response.read()
                raise_for_problem(response)
            if offset and response.status_code != 206:
                raise ServerRefused(response.status_code, {"code": "range_not_honoured"})
            yield response
        finally:
            response.close()

    def acknowledge(self, session_id: str, pack_version: int) -> dict[str, Any]:
        return json_object(self._call("POST", f"/api/sessions/{session_id}/packs/ack",
                                      json={"pack_version": pack_version}))

    def ask_assistant(self, question: str, *, document_id: int | None = None,
                      session_id: int | None = None, lang: str = "vi",
                      timeout: float = 8.0) -> dict[str, Any]:
        """The server's assistant, answering as this device's owner may read."""
        body = {"question": question, "document_id": document_id, "session_id": session_id,
                "lang": lang}
        return json_object(self._call("POST", "/api/assistant/device/ask", json=body,
                                      timeout=timeout))

    def my_sessions(self) -> list[dict[str, Any]]:
        """The sessions whose latest pack lists this device, newest first."""
        return json_list(self._call("GET", "/api/devices/me/sessions"))

    def my_questions(self, session_id: int) -> list[dict[str, Any]]:
        """The owner's registered questions (chất vấn): place in the list, deadline, the
        chair's conclusion and the written answer's document id once it is in."""
        return json_list(self._call("GET", f"/api/devices/me/sessions/{session_id}/questions"))

    def register_question(self, session_id: int, *, to_whom: str, topic: str, text: str,
                          petition_ids: list[int] | None = None) -> dict[str, Any]:
        """Register a question before the sitting, for the device's owner."""
        body = {"to_whom": to_whom, "topic": topic, "text": text,
                "petition_ids": petition_ids or []}
        return json_object(self._call("POST", f"/api/devices/me/sessions/{session_id}/questions",
                                      json=body))

    def my_record(self, year: int) -> dict[str, Any]:
        """The owner's record of *year* ("Hoạt động của tôi"), in full."""
        return json_object(self._call("GET", "/api/devices/me/record", params={"year": year}))

    def live_credentials(self) -> dict[str, Any]:
        """A short-lived live credential and the sittings the owner may attend (no PIN
        typed again, no password: the device key is the proof)."""
        return json_object(self._call("POST", "/api/devices/me/live-credentials"))

    def sittings(self) -> list[dict[str, Any]]:
        """The sittings not yet closed that the device's owner may attend, open first."""
        return json_list(self._call("GET", "/api/devices/me/sittings"))

    def citizen_petitions(self) -> dict[str, Any]:
        """Petitions and proposals citizens sent from the owner's thôn, with public answers
        (``{"constituency": ..., "cases": [...]}``; docs/citizens.md)."""
        return json_object(self._call("GET", "/api/devices/me/citizen-petitions"))

    def orders(self) -> dict[str, Any]:
        return json_object(self._call("GET", "/api/devices/me/orders"))

    def order_check(self) -> tuple[dict[str, Any], str]:
        """The server-signed orders for this device, and the nonce this request carried
        (the statement must echo it: ``shared.pack.orders.verify_orders``)."""
        response = self._call("GET", "/api/devices/me/order-check")
        return json_object(response), response.request.headers[HEADER_NONCE]

    def acknowledge_renumbering(self) -> dict[str, Any]:
        """Say this tablet renamed what it keeps to its new numbers."""
        return json_object(self._call("POST", "/api/devices/me/renumbered"))

    def acknowledge_wipe(self) -> dict[str, Any]:
        return json_object(self._call("POST", "/api/devices/me/wipe-ack"))
