"""Changing the server a tablet talks to, without enrolling again.

A commune that moves onto the province's deployment gets a new address. The tablet keeps
the server key it pinned at enrolment, so only a server holding the council's signing key
can hand it packs: a new address is therefore safe to type, and it is kept only once
the server there answers as this device's server (its sessions, after telling the tablet
its new numbers if the commune's ids moved with it).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from shared.errors import BilingualError, Invalid
from tablet_app.core.client import ClientError
from tablet_app.core.sync import AvailableSession, Tablet


class BadServerAddress(Invalid):
    code = "bad_server_address"
    message_vi = "Địa chỉ máy chủ phải có dạng http://… hoặc https://…"
    message_en = "The server address must look like http://… or https://…"


def normalised(url: str) -> str:
    """The address as typed, without spaces or a trailing slash; refused if not http(s)."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadServerAddress()
    return url


def change_server(tablet: Tablet, url: str) -> list[AvailableSession]:
    """Ask the server at ``url`` for this device's sessions; if it answers, keep the
    address (sealed in the key store and in device.json) and return what it offers.
    On any refusal the old address stays and the refusal is raised, in words."""
    url = normalised(url)
    previous = tablet.server_url
    tablet.close()
    tablet.server_url = url
    try:
        offered = tablet.available_sessions()
    except (ClientError, BilingualError):
        tablet.close()
        tablet.server_url = previous
        raise
    tablet.keystore.set_value("server_url", url)
    tablet.keystore.save()
    info = tablet.store.device_info()
    if info:
        tablet.store.write_device_info({**info, "server_url": url})
    return offered
