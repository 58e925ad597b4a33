"""Telling the sender of a portal case that it moved: by e-mail (the SMTP settings the
follow-up reminders use) or by SMS (``server.citizens.sms``), as they chose on the form.

Sent after the step's transaction committed, so a mail server that is down never undoes a
clerk's work; each try is recorded in ``citizen_notice`` (step, channel, outcome) and a sent
notice marks the tracked item's sender as notified (the plan's target (5)). The address is
opened from its seal only here and never logged or audited.
"""

from __future__ import annotations

import smtplib
from email import policy
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from sqlmodel import Session

from server.citizens.codes import grouped
from server.citizens.service import _sender, item_of
from server.citizens.sms import SmsFailed, SmsGateway, gateway_from
from server.config import Settings
from server.followup.reminders import open_smtp
from server.models.base import id_of, utcnow
from server.models.citizens import CitizenCase, CitizenNotice
from server.services import audit

MAIL_POLICY = policy.SMTP.clone(max_line_length=998)
"""One long encoded subject line: folded encoded words lose the space between them in
Python's header folding ("đã đượctiếp nhận")."""

STEP_VI = {"received": "đã được tiếp nhận", "forwarded": "đã được chuyển đến cơ quan có "
           "thẩm quyền", "answered": "đã có trả lời", "closed": "đã kết thúc"}
STEP_EN = {"received": "was received", "forwarded": "was forwarded to the competent body",
           "answered": "has been answered", "closed": "was closed"}


def status_url(settings: Settings, case: CitizenCase, base_url: str = "") -> str:
    base = (settings.public_base_url or base_url).rstrip("/")
    return f"{base}/cong-dan/ho-so?ma={case.code}"


def text_of(case: CitizenCase, step: str, url: str, agency: str = "") -> str:
    where = f" ({agency})" if step == "forwarded" and agency else ""
    return (f"HĐND: hồ sơ {grouped(case.code)} {STEP_VI[step]}{where}. Xem: {url}\n"
            f"Council: case {grouped(case.code)} {STEP_EN[step]}.")


def _email(settings: Settings, to: str, case: CitizenCase, step: str, body: str) -> None:
    message = EmailMessage(policy=MAIL_POLICY)
    message["Subject"] = f"[HĐND] Hồ sơ {grouped(case.code)} {STEP_VI[step]}"
    message["From"] = formataddr(("HĐND điện tử", settings.smtp_from))
    message["To"] = to
    message["Message-ID"] = make_msgid(domain="hdnd.local")
    message.set_content("Kính gửi Ông/Bà,\n\n" + body + "\n")
    with open_smtp(settings) as client:
        client.send_message(message)


def notify(db: Session, settings: Settings, secret_key: str, case: CitizenCase, step: str,
           base_url: str = "", gateway: SmsGateway | None = None) -> CitizenNotice | None:
    """Send the step's notice by the sender's chosen channel; commits the record."""
    if not case.notify_by or not case.sender_sealed:
        return None
    sender = _sender(secret_key, case)
    item = item_of(db, case)
    body = text_of(case, step, status_url(settings, case, base_url), item.responsible_agency)
    notice = CitizenNotice(case_id=id_of(case), step=step, channel=case.notify_by)
    try:
        if case.notify_by == "email":
            if not settings.smtp_host:
                raise RuntimeError("no SMTP server configured")
            _email(settings, sender.email, case, step, body)
        else:
            sms = gateway or gateway_from(settings)
            if sms is None:
                raise RuntimeError("no SMS gateway configured")
            sms.send(sender.phone, body, reference=case.code)
    except (OSError, smtplib.SMTPException, SmsFailed, RuntimeError) as error:
        notice.error = f"{type(error).__name__}: {error}"[:500].replace(sender.email, "…")
    else:
        notice.sent_at = utcnow()
        item.sender_notified_at = notice.sent_at
        db.add(item)
    db.add(notice)
    db.flush()
    audit.record(db, None, "citizens.sender_notice", "citizen_case", case.id, step=step,
                 channel=case.notify_by, sent=notice.sent_at is not None)
    db.commit()
    return notice
