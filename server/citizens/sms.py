"""Sending an SMS through a brandname gateway: one interface, one HTTP adapter.

Vietnamese brandname gateways (the carriers' and resellers') take an HTTP POST with the
registered brandname, the number and the text, authenticated by a token. Their field names
differ; :class:`HttpBrandnameGateway` sends the common shape below, and another gateway
needs only another class with the same ``send``.

    POST {sms_gateway_url}
    Authorization: Bearer {sms_token}
    Content-Type: application/json
    {"brandname": "HDND-XA", "phone": "84912345678", "message": "...", "reference": "..."}

A 2xx answer is success; anything else raises :class:`SmsFailed`.
"""

from __future__ import annotations

from typing import Protocol

import httpx

from server.config import Settings


class SmsFailed(RuntimeError):
    """The gateway refused or could not be reached (the text says why, without the number)."""


class SmsGateway(Protocol):
    def send(self, phone: str, message: str, reference: str) -> None: ...


def international(phone: str) -> str:
    """0912 345 678 → 84912345678 (the form gateways expect)."""
    digits = "".join(c for c in phone if c.isdigit())
    if digits.startswith("0"):
        digits = "84" + digits[1:]
    return digits


class HttpBrandnameGateway:
    def __init__(self, url: str, brandname: str, token: str, timeout: float = 10.0) -> None:
        self.url, self.brandname, self.token, self.timeout = url, brandname, token, timeout

    def send(self, phone: str, message: str, reference: str) -> None:
        try:
            answer = httpx.post(self.url, timeout=self.timeout, json={
                "brandname": self.brandname, "phone": international(phone),
                "message": message, "reference": reference},
                headers={"Authorization": f"Bearer {self.token}"})
        except httpx.HTTPError as exc:
            raise SmsFailed(f"gateway unreachable: {type(exc).__name__}") from exc
        if not answer.is_success:
            raise SmsFailed(f"gateway answered {answer.status_code}")


def gateway_from(settings: Settings) -> SmsGateway | None:
    if not settings.sms_gateway_url:
        return None
    return HttpBrandnameGateway(settings.sms_gateway_url, settings.sms_brandname,
                                settings.sms_token or "")
