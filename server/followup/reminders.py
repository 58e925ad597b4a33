"""Deadline reminders: 7 days and 1 day before an open item's due date, and the day after it
passed; recorded as in-app notices and sent once by e-mail through the configured SMTP server.

Run by ``hdnd followup remind`` from cron (e.g. every hour, or daily at 08:05). Each run
looks back :data:`LOOKBACK` for reminders that fell due, so a missed run (the office PC off
over the weekend) still sends them; the ``followup_reminder`` row, unique per item, deadline
and reminder, is what keeps a reminder from being sent twice. A failed e-mail keeps its row
with ``emailed_at`` unset and is retried by the next run.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from server.config import Settings
from server.followup.deadlines import (
    Reminder,
    days_left,
    local_date,
    reminder_schedule,
    reminders_due,
)
from server.followup.labels import label
from server.followup.lifecycle import OPEN_STATUSES, ItemKind
from server.followup.reports import overdue_title
from server.models import Account, AccountRole, Person
from server.models.base import id_of, utcnow
from server.models.followup import TrackedItem
from server.models.followup_notice import FollowupReminder
from server.services import audit

DAYS_BEFORE = (7, 1)
DAYS_AFTER = (1,)
LOOKBACK = timedelta(days=3)
"""How far back a run sends reminders it finds unsent (covers a long weekend)."""


@dataclass
class ReminderRun:
    """What one run did, for the command's output and for tests."""

    created: list[FollowupReminder] = field(default_factory=list)
    emailed: list[int] = field(default_factory=list)
    """Ids of reminders e-mailed in this run."""
    failed: list[tuple[int, str]] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)


def clerk_addresses(db: Session) -> list[str]:
    """The e-mail addresses of active clerks (through the person each account belongs to)."""
    rows = db.exec(select(Person.email).join(Account, col(Account.person_id) == Person.id)
                   .where(Account.role == AccountRole.clerk, col(Account.is_active).is_(True),
                          col(Person.email).is_not(None))).all()
    return sorted({r for r in rows if r})


def _due_reminders(db: Session, now: datetime) -> list[tuple[TrackedItem, Reminder]]:
    today = local_date(now)
    window_first = today - timedelta(days=max(DAYS_AFTER) + LOOKBACK.days)
    window_last = today + timedelta(days=max(DAYS_BEFORE))
    items = db.exec(select(TrackedItem).where(
        col(TrackedItem.status).in_([s.value for s in OPEN_STATUSES]),
        col(TrackedItem.due_on) >= window_first, col(TrackedItem.due_on) <= window_last)
        .order_by(col(TrackedItem.due_on), col(TrackedItem.id))).all()
    found = []
    for item in items:
        if item.due_on is None:
            continue  # never: the query asked for a due date in the window
        schedule = reminder_schedule(item.due_on, days_before=DAYS_BEFORE, days_after=DAYS_AFTER)
        fallen = reminders_due(schedule, now - LOOKBACK, now)
        if fallen:  # after a missed run only the latest: "1 day left" is stale once overdue
            found.append((item, fallen[-1]))
    return found


def record_reminders(db: Session, now: datetime | None = None) -> list[FollowupReminder]:
    """Record the reminders that fell due and are not yet recorded (the in-app notices)."""
    now = now or utcnow()
    created = []
    for item, reminder in _due_reminders(db, now):
        exists = db.exec(select(FollowupReminder.id).where(
            FollowupReminder.item_id == item.id, FollowupReminder.due_on == item.due_on,
            FollowupReminder.days_from_due == reminder.days_from_due)).first()
        if exists is not None:
            continue
        assert item.due_on is not None  # due_items found it by its due date
        row = FollowupReminder(item_id=id_of(item), due_on=item.due_on,
                               days_from_due=reminder.days_from_due, created_at=now)
        try:
            with db.begin_nested():  # two runs at once: the unique key lets one win
                db.add(row)
                db.flush()
        except IntegrityError:
            continue
        created.append(row)
    return created


def subject_of(item: TrackedItem, reminder: FollowupReminder) -> str:
    due = reminder.due_on.strftime("%d/%m/%Y")
    if reminder.days_from_due < 0:
        return f"[HĐND] Còn {-reminder.days_from_due} ngày đến hạn ({due}): {_name(item)}"
    return f"[HĐND] Quá hạn từ ngày {due}: {_name(item)}"


def _name(item: TrackedItem) -> str:
    # A complaint's title may point at its sender: mail leaves the server, so only its number.
    return overdue_title(item)[:120]


def body_of(item: TrackedItem, reminder: FollowupReminder, now: datetime,
            base_url: str = "") -> str:
    left = days_left(reminder.due_on, now)
    when = (f"còn {left} ngày" if left > 0 else "đến hạn hôm nay" if left == 0
            else f"đã quá hạn {-left} ngày")
    lines = [
        "Kính gửi công chức tham mưu,",
        "",
        f"Việc đang theo dõi: {_name(item)}",
        f"Loại: {label(ItemKind(item.kind), 'vi')}",
        f"Cơ quan được giao: {item.responsible_agency or '(chưa giao)'}",
        f"Hạn giải quyết: {reminder.due_on.strftime('%d/%m/%Y')} ({when}).",
        "",
        "Đề nghị đôn đốc cơ quan được giao và cập nhật kết quả trên hệ thống.",
    ]
    if base_url:
        lines.append(f"{base_url.rstrip('/')}/console/theo-doi/viec/{item.id}")
    lines += ["", "---", f"Follow-up reminder: item {item.id} is due on "
              f"{reminder.due_on.isoformat()} ({left} days left)."]
    return "\n".join(lines)


def build_message(settings: Settings, recipients: Sequence[str], item: TrackedItem,
                  reminder: FollowupReminder, now: datetime, base_url: str = "") -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject_of(item, reminder)
    message["From"] = formataddr(("HĐND điện tử", settings.smtp_from))
    message["To"] = ", ".join(recipients)
    message["Message-ID"] = make_msgid(domain="hdnd.local")
    message.set_content(body_of(item, reminder, now, base_url))  # UTF-8, quoted-printable
    return message


def open_smtp(settings: Settings) -> smtplib.SMTP:
    """A connection to the configured SMTP server (STARTTLS and login as the settings say)."""
    client = smtplib.SMTP(settings.smtp_host or "", settings.smtp_port, timeout=20)
    if settings.smtp_starttls:
        client.starttls(context=ssl.create_default_context())
    if settings.smtp_user:
        client.login(settings.smtp_user, settings.smtp_password or "")
    return client


def send_reminders(db: Session, settings: Settings, now: datetime | None = None, *,
                   recipients: Sequence[str] | None = None, base_url: str = "") -> ReminderRun:
    """Record the reminders due now and e-mail every recorded one not yet e-mailed.

    *recipients* defaults to the active clerks' addresses. Without ``smtp_host`` (or without
    recipients) the reminders stay in-app only. Commits as it goes: a reminder is marked
    e-mailed right after the server accepted it.
    """
    now = now or utcnow()
    run = ReminderRun(created=record_reminders(db, now))
    db.commit()
    run.recipients = list(recipients if recipients is not None else clerk_addresses(db))
    if not settings.smtp_host or not run.recipients:
        return run
    pending = db.exec(select(FollowupReminder).where(col(FollowupReminder.emailed_at).is_(None))
                      .order_by(col(FollowupReminder.id))).all()
    if not pending:
        return run
    with open_smtp(settings) as client:
        for reminder in pending:
            item = db.get(TrackedItem, reminder.item_id)
            if item is None:
                continue
            try:
                client.send_message(build_message(settings, run.recipients, item, reminder,
                                                  now, base_url))
            except smtplib.SMTPException as error:
                reminder.email_error = str(error)[:500]
                run.failed.append((id_of(reminder), reminder.email_error))
            else:
                reminder.emailed_at = utcnow()
                reminder.email_error = ""
                run.emailed.append(id_of(reminder))
                audit.record(db, None, "followup.reminder_emailed", "tracked_item", item.id,
                             days_from_due=reminder.days_from_due,
                             recipients=len(run.recipients))
            db.add(reminder)
            db.commit()
    return run


def notices(db: Session, *, unread_only: bool = False, limit: int = 50
            ) -> list[tuple[FollowupReminder, TrackedItem]]:
    """The in-app notices, newest first, with their items."""
    query = select(FollowupReminder, TrackedItem).join(
        TrackedItem, col(TrackedItem.id) == FollowupReminder.item_id)
    if unread_only:
        query = query.where(col(FollowupReminder.read_at).is_(None))
    rows = db.exec(query.order_by(col(FollowupReminder.created_at).desc(),
                                  col(FollowupReminder.id).desc()).limit(limit)).all()
    return [(r, i) for r, i in rows]


def mark_read(db: Session, actor: Account, reminder_ids: Sequence[int],
              now: datetime | None = None) -> int:
    """Take notices off the console's list (they stay in the table, with who read them when)."""
    rows = db.exec(select(FollowupReminder).where(col(FollowupReminder.id).in_(
        list(reminder_ids) or [-1]), col(FollowupReminder.read_at).is_(None))).all()
    for row in rows:
        row.read_at = now or utcnow()
        db.add(row)
    if rows:
        audit.record(db, actor, "followup.reminders_read", "followup_reminder",
                     ",".join(str(r.id) for r in rows))
    return len(rows)


def reminder_text(reminder: FollowupReminder, item: TrackedItem) -> str:
    """One line for the console's notice list."""
    due = reminder.due_on.strftime("%d/%m/%Y")
    if reminder.days_from_due < 0:
        return f"Còn {-reminder.days_from_due} ngày đến hạn {due}: {_name(item)}"
    return f"Quá hạn từ {due}: {_name(item)}"
