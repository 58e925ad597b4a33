"""One life cycle for everything the council follows until it is done.

Resolutions' tasks, supervision recommendations, commitments made when answering
questions, voter petitions and citizens' complaints all move through the same states:

    received → forwarded → in_progress → answered → verified_done
                    ↑            ↑            |            |
                    └── reopened ←────────────┴────────────┘   (answer not accepted,
                                                                 or the work not done)
    received / forwarded / in_progress / reopened → overdue   (marked when the deadline
                                                                 passed; work may resume)

Overdue is both derived (:func:`effective_status` says so whenever an open item is past
its deadline) and explicit (the ``mark_overdue`` action records it in the history, e.g.
when the Standing Committee decides on re-supervision).

:func:`transition` is pure: it takes the current status and returns the new one with the
history entry to store; the service writes both and the audit log in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from server.errors import Forbidden, InvalidState
from server.followup.deadlines import is_overdue
from server.followup.labels import label
from server.followup.states import Action, ItemKind, Role, Status

__all__ = [
    "OPEN_STATUSES", "PERMITTED_ROLES", "TRANSITIONS", "Action", "ActionNotPermitted",
    "HistoryEntry", "IllegalTransition", "ItemKind", "Role", "Status", "TrackedItem",
    "TransitionResult", "allowed_actions", "effective_status", "transition",
]

E = TypeVar("E", bound=StrEnum)


OPEN_STATUSES: frozenset[Status] = frozenset(
    {Status.RECEIVED, Status.FORWARDED, Status.IN_PROGRESS, Status.REOPENED, Status.OVERDUE}
)
"""Statuses in which the agency still owes something; past the deadline they are overdue."""

TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.RECEIVED, Action.FORWARD): Status.FORWARDED,
    (Status.FORWARDED, Action.RECORD_PROGRESS): Status.IN_PROGRESS,
    (Status.FORWARDED, Action.RECORD_ANSWER): Status.ANSWERED,
    (Status.IN_PROGRESS, Action.RECORD_PROGRESS): Status.IN_PROGRESS,
    (Status.IN_PROGRESS, Action.RECORD_ANSWER): Status.ANSWERED,
    (Status.ANSWERED, Action.VERIFY_DONE): Status.VERIFIED_DONE,
    (Status.ANSWERED, Action.REOPEN): Status.REOPENED,
    (Status.VERIFIED_DONE, Action.REOPEN): Status.REOPENED,
    (Status.REOPENED, Action.FORWARD): Status.FORWARDED,
    (Status.REOPENED, Action.RECORD_PROGRESS): Status.IN_PROGRESS,
    (Status.REOPENED, Action.RECORD_ANSWER): Status.ANSWERED,
    (Status.RECEIVED, Action.MARK_OVERDUE): Status.OVERDUE,
    (Status.FORWARDED, Action.MARK_OVERDUE): Status.OVERDUE,
    (Status.IN_PROGRESS, Action.MARK_OVERDUE): Status.OVERDUE,
    (Status.REOPENED, Action.MARK_OVERDUE): Status.OVERDUE,
    (Status.OVERDUE, Action.FORWARD): Status.FORWARDED,
    (Status.OVERDUE, Action.RECORD_PROGRESS): Status.IN_PROGRESS,
    (Status.OVERDUE, Action.RECORD_ANSWER): Status.ANSWERED,
}
"""(status, action) → new status. Any pair not listed is refused."""

PERMITTED_ROLES: dict[Action, frozenset[Role]] = {
    Action.FORWARD: frozenset({Role.CLERK}),
    Action.RECORD_PROGRESS: frozenset({Role.AGENCY, Role.CLERK}),
    Action.RECORD_ANSWER: frozenset({Role.AGENCY, Role.CLERK}),
    Action.VERIFY_DONE: frozenset({Role.STANDING_COMMITTEE, Role.CLERK}),
    Action.REOPEN: frozenset({Role.STANDING_COMMITTEE, Role.CLERK}),
    Action.MARK_OVERDUE: frozenset({Role.SYSTEM, Role.CLERK}),
}
"""Who may take each action. The clerk records on behalf of an agency that sends paper."""


class IllegalTransition(InvalidState):
    """The action is not allowed from the item's status (or by this role)."""

    code = "followup_illegal_transition"
    message_vi = "Không thể thực hiện thao tác này ở trạng thái hiện tại của việc đang theo dõi."
    message_en = "This action is not allowed in the followed item's current status."

    def __init__(
        self,
        code: str | None = None,
        message_vi: str | None = None,
        message_en: str | None = None,
        **extra: object,
    ) -> None:
        if code is not None:
            self.code = code
        super().__init__(message_vi, message_en, **extra)


class ActionNotPermitted(Forbidden, IllegalTransition):
    """The role may not take this action, whatever the status (Forbidden first: 403)."""

    code = "followup_action_not_permitted"
    message_vi = "Vai trò của bạn không được thực hiện thao tác này."
    message_en = "Your role may not take this action."


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """Who did what and when; stored with the item and mirrored in the audit log."""

    at: datetime
    action: Action
    from_status: Status
    to_status: Status
    actor_role: Role
    actor_id: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class TransitionResult:
    status: Status
    entry: HistoryEntry


def transition(
    status: Status | str,
    action: Action | str,
    actor_role: Role | str,
    now: datetime,
    *,
    actor_id: str | None = None,
    note: str | None = None,
) -> TransitionResult:
    """Apply *action* by *actor_role* to an item in *status* at *now* (timezone-aware).

    Raises :class:`ActionNotPermitted` when the role may never take the action, and
    :class:`IllegalTransition` when the action is not allowed from *status*.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    status = _parse(Status, status, "followup_unknown_status", "trạng thái", "status")
    action = _parse(Action, action, "followup_unknown_action", "thao tác", "action")
    role = _parse(Role, actor_role, "followup_unknown_role", "vai trò", "role")
    if role not in PERMITTED_ROLES[action]:
        raise ActionNotPermitted(
            message_vi=f"{label(role, 'vi')} không được thực hiện thao tác "
            f"“{label(action, 'vi')}”.",
            message_en=f"The {label(role, 'en').lower()} may not {label(action, 'en').lower()}.",
            action=action.value,
            role=role.value,
        )
    new_status = TRANSITIONS.get((status, action))
    if new_status is None:
        raise IllegalTransition(
            message_vi=f"Không thể “{label(action, 'vi').lower()}” khi việc đang ở trạng thái "
            f"“{label(status, 'vi').lower()}”.",
            message_en=f"“{label(action, 'en')}” is not allowed on an item that is "
            f"{label(status, 'en').lower()}.",
            action=action.value,
            from_status=status.value,
        )
    entry = HistoryEntry(now, action, status, new_status, role, actor_id, note)
    return TransitionResult(new_status, entry)


def allowed_actions(status: Status | str, actor_role: Role | str) -> list[Action]:
    """The actions this role may take now, in a stable order (for the buttons to show)."""
    status, role = Status(status), Role(actor_role)
    return [
        action
        for action in Action
        if (status, action) in TRANSITIONS and role in PERMITTED_ROLES[action]
    ]


def effective_status(status: Status | str, due: date | None, now: datetime) -> Status:
    """The status to show: an open item past its deadline reads as overdue."""
    status = Status(status)
    if status in OPEN_STATUSES and due is not None and is_overdue(due, now):
        return Status.OVERDUE
    return status


@dataclass(frozen=True, slots=True)
class TrackedItem:
    """The life-cycle part of any followed item (the service keeps the rest)."""

    kind: ItemKind
    status: Status = Status.RECEIVED
    due: date | None = None
    history: tuple[HistoryEntry, ...] = ()

    def apply(
        self,
        action: Action | str,
        actor_role: Role | str,
        now: datetime,
        *,
        actor_id: str | None = None,
        note: str | None = None,
    ) -> TrackedItem:
        """A copy with the action applied and recorded; see :func:`transition`."""
        result = transition(self.status, action, actor_role, now, actor_id=actor_id, note=note)
        return replace(self, status=result.status, history=(*self.history, result.entry))

    def effective_status(self, now: datetime) -> Status:
        return effective_status(self.status, self.due, now)


def _parse(enum: type[E], value: E | str, code: str, what_vi: str, what_en: str) -> E:
    try:
        return enum(value)
    except ValueError:
        raise IllegalTransition(
            code=code,
            message_vi=f"Không rõ {what_vi} “{value}”.",
            message_en=f"Unknown {what_en} “{value}”.",
        ) from None
