"""Regimes ensured for delegates (target (8) of the plan): staff record, from the voucher,
that a regime of ``shared.rules.entitlements`` was ensured for delegates and a period. Each
write is audited; the figure of target (8) is computed from these entries only."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from server.errors import ValidationFailed
from server.models import Account, Person
from server.models.base import saved_ids, utcnow
from server.models.delegates import EntitlementEntry
from server.services import audit
from shared import clock
from shared.rules.entitlements import BY_KEY, Regime


def regime_of(key: str) -> Regime:
    regime = BY_KEY.get(key)
    if regime is None:
        raise ValidationFailed(f"Không có chế độ \"{key[:40]}\".", f"No regime \"{key[:40]}\".")
    return regime


def period_start(regime: Regime, day: date) -> date:
    """The first day of the period *day* falls in (month, year; a term's entry keeps its day)."""
    if regime.period == "month":
        return day.replace(day=1)
    if regime.period == "year":
        return date(day.year, 1, 1)
    return day


def record(db: Session, actor: Account, regime_key: str, period: date, person_ids: list[int],
           voucher: str = "") -> list[EntitlementEntry]:
    """Record *regime* ensured for each delegate of *person_ids* for the period of *period*.
    Recording again for the same delegate and period updates the voucher (no duplicate)."""
    regime = regime_of(regime_key)
    start = period_start(regime, period)
    if start > clock.today():
        raise ValidationFailed("Không ghi nhận trước cho kỳ chưa đến.",
                               "A period that has not begun cannot be recorded.")
    delegates = set(saved_ids(db.exec(select(Person.id).where(
        col(Person.id).in_(person_ids or [-1]), col(Person.is_delegate).is_(True))).all()))
    unknown = sorted(set(person_ids) - delegates)
    if unknown or not person_ids:
        raise ValidationFailed(f"Không phải đại biểu: {unknown}.", f"Not delegates: {unknown}.")
    existing = {e.person_id: e for e in db.exec(select(EntitlementEntry).where(
        EntitlementEntry.regime == regime.key, EntitlementEntry.period_start == start,
        col(EntitlementEntry.person_id).in_(sorted(delegates))))}
    rows = []
    for person_id in sorted(delegates):
        row = existing.get(person_id) or EntitlementEntry(person_id=person_id,
                                                          regime=regime.key, period_start=start)
        row.voucher, row.recorded_by, row.recorded_at = voucher[:100], actor.id, utcnow()
        db.add(row)
        rows.append(row)
    audit.record(db, actor, "entitlement.recorded", "entitlement", None, regime=regime.key,
                 period_start=start.isoformat(), person_ids=sorted(delegates))
    db.flush()
    return rows


def entries(db: Session, year: int, person_id: int | None = None) -> list[EntitlementEntry]:
    query = select(EntitlementEntry).where(
        col(EntitlementEntry.period_start) >= date(year, 1, 1),
        col(EntitlementEntry.period_start) <= date(year, 12, 31)).order_by(
        col(EntitlementEntry.period_start), col(EntitlementEntry.person_id))
    if person_id is not None:
        query = query.where(EntitlementEntry.person_id == person_id)
    return list(db.exec(query))


def months_due(year: int, today: date) -> list[date]:
    """The months of *year* begun by *today* (all twelve for a past year)."""
    if year > today.year:
        return []
    last = 12 if year < today.year else today.month
    return [date(year, m, 1) for m in range(1, last + 1)]
