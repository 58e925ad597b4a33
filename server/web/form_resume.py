"""A form that arrived after the clerk's session timed out, carried across the sign-in.

Why: a clerk who typed a long agenda item and came back after the 30-minute idle timeout
must not lose it. The timed-out POST's text fields are sealed (AES-256-GCM, key derived
from the server's secret) into a hidden field of the sign-in form; after signing in, the
clerk sees what they typed and sends it again with a fresh CSRF token. Nothing is stored
on the server. Files are not carried (the browser cannot be made to re-send them); their
names are, so that the page can say which files to choose again.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from shared import clock

MAX_AGE_S = 12 * 3600
MAX_TEXT = 64 * 1024  # a form bigger than this is not carried
_AAD = b"hdnd form resume"


@dataclass(frozen=True)
class PendingForm:
    action: str  # the path the form was posted to
    fields: list[tuple[str, str]]  # in order, repeated names kept (checkbox lists)
    back: str  # the page the form was on, for "discard"
    dropped_files: list[str] = field(default_factory=list)  # names of files not carried


def _key(secret_key: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"hdnd-web",
                info=b"form resume").derive(secret_key.encode())


def seal(secret_key: str, pending: PendingForm) -> str | None:
    """The hidden field's value, or None when the form is too big to carry."""
    payload = json.dumps({"a": pending.action, "f": pending.fields, "b": pending.back,
                          "d": pending.dropped_files, "t": clock.timestamp()},
                         ensure_ascii=False).encode()
    if len(payload) > MAX_TEXT:
        return None
    nonce = os.urandom(12)
    sealed = AESGCM(_key(secret_key)).encrypt(nonce, payload, _AAD)
    return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def unseal(secret_key: str, value: str) -> PendingForm | None:
    """The carried form, or None when missing, altered, too old or not for a console page."""
    if not value:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        data = json.loads(AESGCM(_key(secret_key)).decrypt(raw[:12], raw[12:], _AAD))
        if clock.timestamp() - float(data["t"]) > MAX_AGE_S:
            return None
        action, back = str(data["a"]), str(data["b"])
        fields = [(str(k), str(v)) for k, v in data["f"]]
        dropped = [str(name) for name in data.get("d", [])]
    except (ValueError, KeyError, TypeError, InvalidTag):
        return None
    if not action.startswith("/console/") or not back.startswith("/"):
        return None
    return PendingForm(action, fields, back, dropped)
