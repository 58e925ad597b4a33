"""Who drives a sitting from the web console, and with whose rights.

The console sends the same commands to the same hub as the chair's app; what differs is
only *whose* rights ``decide`` applies:

- the chair or the secretary of the sitting (their person is in the frozen roster) act
  as themselves;
- a clerk (or admin) the chair has delegated to acts **on the chair's behalf**: the
  command is decided with the chair's rights, the events carry the chair as actor, and
  the audit log names the clerk's account and the chair (``recorder`` writes it);
- any other clerk or admin may watch the console but send nothing.

Casting a vote is never a console command: a vote belongs to the person on their own
device (``OPERATOR_REFUSED``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from server.errors import Forbidden, Invalid
from server.live import store
from server.live.recorder import Caller
from server.models import Account, AccountRole
from server.models.base import id_of, utcnow
from server.models.live import Sitting, SittingDelegation
from server.security.principal import Principal
from server.services import audit
from shared.live.roster import Roster

# the console never casts a ballot: not for the chair, not for anyone
OPERATOR_REFUSED = frozenset({"cast_vote"})


class NotAnOperator(Forbidden):
    code = "not_operator"
    message_vi = ("Chỉ chủ tọa, thư ký kỳ họp hoặc người được chủ tọa ủy quyền mới điều hành "
                  "được phiên họp.")
    message_en = ("Only the chair, the session secretary or someone the chair delegates to may "
                  "run the sitting.")


class NoVoteFromConsole(Forbidden):
    code = "no_vote_from_console"
    message_vi = "Bàn điều hành không bỏ phiếu thay ai: đại biểu biểu quyết trên máy của mình."
    message_en = "The console never votes for anyone: delegates vote on their own device."


class NotAStaffAccount(Invalid):
    code = "not_staff_account"
    message_vi = "Chỉ ủy quyền được cho tài khoản công chức tham mưu (clerk) đang hoạt động."
    message_en = "Only an active clerk account can be delegated to."


@dataclass(frozen=True)
class Seat:
    """The console's place in one sitting for one signed-in account."""

    role: str  # "chair" | "secretary" | "delegate" (delegated clerk) | "watcher"
    person_id: int | None  # whose rights commands use; None: watch only
    on_behalf_of: int | None = None  # the chair, when a clerk acts for them

    @property
    def can_command(self) -> bool:
        return self.person_id is not None

    def caller(self, account: Account) -> Caller:
        return Caller(person_id=self.person_id, account_id=account.id,
                      on_behalf_of=self.on_behalf_of, audited=True)


def roster_of(sitting: Sitting) -> Roster:
    return store.initial_state(sitting).roster  # type: ignore[return-value]


def active_delegation(db: Session, sitting_id: int, account_id: int) -> SittingDelegation | None:
    return db.exec(select(SittingDelegation).where(
        SittingDelegation.sitting_id == sitting_id, SittingDelegation.account_id == account_id,
        col(SittingDelegation.revoked_at).is_(None))).first()


def delegations(db: Session, sitting_id: int) -> list[tuple[SittingDelegation, Account]]:
    return list(db.exec(select(SittingDelegation, Account)
                        .join(Account, col(Account.id) == SittingDelegation.account_id)
                        .where(SittingDelegation.sitting_id == sitting_id,
                               col(SittingDelegation.revoked_at).is_(None))
                        .order_by(col(SittingDelegation.id))).all())


def seat_of(db: Session, principal: Principal, sitting: Sitting) -> Seat:
    """The account's seat, or NotAnOperator when it may not even watch."""
    roster = roster_of(sitting)
    person = principal.person_id
    if person is not None and person in roster.chair_ids:
        return Seat("chair", person)
    if person is not None and person in roster.secretary_ids:
        return Seat("secretary", person)
    if principal.is_staff:
        delegation = active_delegation(db, id_of(sitting), id_of(principal.account))
        if delegation is not None and delegation.chair_person_id in roster.chair_ids:
            return Seat("delegate", delegation.chair_person_id, delegation.chair_person_id)
        return Seat("watcher", None)
    raise NotAnOperator()


def operated_sittings(db: Session, principal: Principal) -> list[Sitting]:
    """Sittings this account may open in the console (newest first)."""
    found = []
    for sitting in db.exec(select(Sitting).order_by(col(Sitting.id).desc())):
        try:
            seat_of(db, principal, sitting)
        except NotAnOperator:
            continue
        found.append(sitting)
    return found


def delegate(db: Session, principal: Principal, sitting: Sitting, account_id: int
             ) -> SittingDelegation:
    """The chair lets a clerk's account drive the sitting on their behalf (audited)."""
    seat = seat_of(db, principal, sitting)
    if seat.role != "chair":
        raise Forbidden("Chỉ chủ tọa mới ủy quyền điều hành phiên họp.",
                        "Only the chair can delegate running the sitting.")
    account = db.get(Account, account_id)
    if account is None or not account.is_active or account.role not in (
            AccountRole.clerk, AccountRole.admin):
        raise NotAStaffAccount(field="account_id")
    existing = active_delegation(db, id_of(sitting), account_id)
    if existing is not None:
        return existing
    delegation = SittingDelegation(sitting_id=id_of(sitting), account_id=account_id,
                                   chair_person_id=seat.person_id or 0,
                                   granted_by=id_of(principal.account))
    db.add(delegation)
    db.flush()
    audit.record(db, principal.account, "sitting.delegated", "sitting", sitting.id,
                 to_account=account.username, on_behalf_of=seat.person_id)
    return delegation


def revoke(db: Session, principal: Principal, sitting: Sitting, delegation_id: int) -> None:
    seat = seat_of(db, principal, sitting)
    if seat.role != "chair":
        raise Forbidden("Chỉ chủ tọa mới thu hồi ủy quyền.", "Only the chair can revoke.")
    delegation = db.get(SittingDelegation, delegation_id)
    if delegation is None or delegation.sitting_id != sitting.id or delegation.revoked_at:
        return
    delegation.revoked_at = utcnow()
    db.add(delegation)
    audit.record(db, principal.account, "sitting.delegation_revoked", "sitting", sitting.id,
                 account_id=delegation.account_id)
