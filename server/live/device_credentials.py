"""Live credentials for an enrolled device: the tablet is the key to the sitting.

A device proves itself with its own key (a device-signed request, as the pack routes
do) and receives a short-lived access token of its owner's account, bound to the device
(``AuthToken.device_id``), together with the sittings its owner may attend. No password
is typed in the hall and no refresh token is kept: the app asks again with its key
before the credential ends (docs/protocol.md, "Signing in"). Revoking the device or
locking the account ends the credential at once (``server/live/revocations.py``) and
refuses the next request for one.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlmodel import Session, col, select

from server.config import Settings
from server.errors import Forbidden
from server.models import Account, CouncilSession, SessionOfficerRole
from server.models.base import id_of
from server.models.devices import Device
from server.models.live import Sitting
from server.security import tokens
from server.security.policy import can_view_session
from server.security.principal import Principal, load_principal
from server.services import audit


class OwnerAccountDisabled(Forbidden):
    code = "account_disabled"
    message_vi = ("Tài khoản của người dùng máy này đang bị khóa hoặc chưa có. "
                  "Hãy liên hệ Văn phòng HĐND.")
    message_en = "The account of this device's owner is locked or missing. Contact the office."


def owner_account(db: Session, device: Device) -> Account:
    account = db.exec(select(Account).where(Account.person_id == device.person_id)
                      .order_by(col(Account.id))).first()
    if account is None or not account.is_active:
        raise OwnerAccountDisabled()
    return account


def attendable_sittings(db: Session, principal: Principal) -> list[dict[str, Any]]:
    """Sittings not yet closed of the sessions the owner may see: open ones first."""
    rows = db.exec(select(Sitting, CouncilSession)
                   .join(CouncilSession, col(CouncilSession.id) == Sitting.session_id)
                   .where(col(Sitting.status).in_(("scheduled", "open")))
                   .order_by(col(Sitting.id))).all()
    out = [{"sitting_id": sitting.id, "session_id": str(session.id), "title": sitting.title,
            "session_title": session.title, "status": sitting.status,
            "chair": SessionOfficerRole.chair in principal.session_roles(db, id_of(session))}
           for sitting, session in rows if can_view_session(db, principal, session)]
    out.sort(key=lambda s: (s["status"] != "open", s["sitting_id"]))
    return out


def sittings_for(db: Session, device: Device) -> list[dict[str, Any]]:
    """What the Library offers to join (asked every half minute while not joined)."""
    return attendable_sittings(db, load_principal(db, owner_account(db, device)))


def issue(db: Session, device: Device, settings: Settings) -> dict[str, Any]:
    """A fresh credential for ``device`` (committed by the caller)."""
    account = owner_account(db, device)
    principal = load_principal(db, account)
    credential = tokens.issue_live_credential(db, account, id_of(device), settings)
    audit.record(db, account, "auth.live_credential", "device", device.id,
                 expires_in=credential.expires_in)
    return {"access_token": credential.access_token, "token_type": "bearer",
            "expires_in": credential.expires_in,
            "expires_at": credential.expires_at.replace(tzinfo=UTC).isoformat(),
            "person_id": account.person_id,
            "sittings": attendable_sittings(db, principal)}
