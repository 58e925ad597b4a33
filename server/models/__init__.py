"""All tables, imported here so that ``SQLModel.metadata`` knows every one of them."""

from server.models import ballot as _ballot_tables  # noqa: F401
from server.models import citizens as _citizen_tables  # noqa: F401
from server.models import delegates as _delegate_tables  # noqa: F401
from server.models import devices as _device_tables  # noqa: F401
from server.models import followup as _followup_tables  # noqa: F401
from server.models import followup_notice as _reminder_tables  # noqa: F401
from server.models import minutes_draft as _minutes_tables  # noqa: F401
from server.models import questioning as _questioning_tables  # noqa: F401
from server.models import register as _register_tables  # noqa: F401
from server.models import renumbering as _renumbering_tables  # noqa: F401
from server.models.account import Account, AccountRole, AuthToken, TokenKind
from server.models.audit import AuditEntry
from server.models.base import mark_tenanted_column
from server.models.council import Body, BodyKind, Council, CouncilLevel, Membership, MembershipRole, Person
from server.models.document import (
    Confidentiality,
    Document,
    DocumentGrant,
    DocumentKind,
    DocumentVersion,
)
from server.models.live import CommandReceipt, LiveEvent, SecretTally, Sitting, SittingDelegation
from server.models.meeting import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CouncilSession,
    SessionKind,
    SessionOfficer,
    SessionOfficerRole,
    SessionStatus,
)
from server.models.signature import DocumentSignature

__all__ = [
    "Account", "AccountRole", "AuthToken", "TokenKind", "AuditEntry", "Body", "BodyKind",
    "Council", "CouncilLevel", "Membership", "MembershipRole", "Person", "Confidentiality",
    "Document", "DocumentGrant", "DocumentKind", "DocumentVersion", "DocumentSignature",
    "AgendaItem", "Attendance",
    "AttendanceStatus", "CouncilSession", "SessionKind", "SessionOfficer", "SessionOfficerRole",
    "SessionStatus",
    "CommandReceipt", "LiveEvent", "SecretTally", "Sitting", "SittingDelegation",
]

mark_tenanted_column()
