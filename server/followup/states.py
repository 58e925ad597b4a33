"""The names of the follow-up life cycle: kinds of item, statuses, actions, roles.

Kept apart from :mod:`server.followup.lifecycle` so that labels, models and routes can
import them without the rules.
"""

from __future__ import annotations

from enum import StrEnum


class ItemKind(StrEnum):
    """What is being followed."""

    RESOLUTION_TASK = "resolution_task"
    SUPERVISION_RECOMMENDATION = "supervision_recommendation"
    QUESTIONING_COMMITMENT = "questioning_commitment"
    VOTER_PETITION = "voter_petition"
    CITIZEN_COMPLAINT = "citizen_complaint"


class Status(StrEnum):
    RECEIVED = "received"
    FORWARDED = "forwarded"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    VERIFIED_DONE = "verified_done"
    OVERDUE = "overdue"
    REOPENED = "reopened"


class Action(StrEnum):
    FORWARD = "forward"
    """Send to the competent agency (again, after a reopen or when overdue)."""
    RECORD_PROGRESS = "record_progress"
    RECORD_ANSWER = "record_answer"
    VERIFY_DONE = "verify_done"
    REOPEN = "reopen"
    MARK_OVERDUE = "mark_overdue"


class Role(StrEnum):
    """Who acts on a followed item."""

    CLERK = "clerk"
    AGENCY = "agency"
    """The agency the item was forwarded to (UBND, a department, the competent body)."""
    STANDING_COMMITTEE = "standing_committee"
    SYSTEM = "system"
    """The scheduler, which marks items overdue."""
