"""Vietnamese and English labels of the follow-up life cycle, in one catalogue.

The console, the public portal, reports and e-mails all show these words, so a status
reads the same everywhere. When the project gets ``locales/vi`` and ``locales/en``
catalogues these tables move there unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from server.followup.states import Action, ItemKind, Role, Status

Language = Literal["vi", "en"]

STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.RECEIVED: ("Đã tiếp nhận", "Received"),
    Status.FORWARDED: ("Đã chuyển cơ quan có thẩm quyền", "Forwarded"),
    Status.IN_PROGRESS: ("Đang giải quyết", "In progress"),
    Status.ANSWERED: ("Đã trả lời", "Answered"),
    Status.VERIFIED_DONE: ("Đã hoàn thành (đã kiểm tra)", "Verified done"),
    Status.OVERDUE: ("Quá hạn", "Overdue"),
    Status.REOPENED: ("Mở lại", "Reopened"),
}

ACTION_LABELS: dict[Action, tuple[str, str]] = {
    Action.FORWARD: ("Chuyển xử lý", "Forward"),
    Action.RECORD_PROGRESS: ("Cập nhật tiến độ", "Record progress"),
    Action.RECORD_ANSWER: ("Ghi nhận trả lời", "Record the answer"),
    Action.VERIFY_DONE: ("Xác nhận hoàn thành", "Verify as done"),
    Action.REOPEN: ("Mở lại", "Reopen"),
    Action.MARK_OVERDUE: ("Đánh dấu quá hạn", "Mark overdue"),
}

ROLE_LABELS: dict[Role, tuple[str, str]] = {
    Role.CLERK: ("Công chức tham mưu", "Clerk"),
    Role.AGENCY: ("Cơ quan được giao", "Responsible agency"),
    Role.STANDING_COMMITTEE: ("Thường trực HĐND", "Standing committee"),
    Role.SYSTEM: ("Hệ thống", "System"),
}

KIND_LABELS: dict[ItemKind, tuple[str, str]] = {
    ItemKind.RESOLUTION_TASK: ("Nhiệm vụ theo nghị quyết", "Resolution task"),
    ItemKind.SUPERVISION_RECOMMENDATION: ("Kiến nghị giám sát", "Supervision recommendation"),
    ItemKind.QUESTIONING_COMMITMENT: (
        "Cam kết khi trả lời chất vấn",
        "Commitment made in answering questions",
    ),
    ItemKind.VOTER_PETITION: ("Kiến nghị cử tri", "Voter petition"),
    ItemKind.CITIZEN_COMPLAINT: (
        "Đơn khiếu nại, tố cáo, kiến nghị, phản ánh",
        "Citizen's complaint, denunciation or petition",
    ),
}


STATUS_LABELS_BY_KIND: dict[ItemKind, dict[Status, tuple[str, str]]] = {
    # A task set by a resolution is carried out, not answered: "answered" is the agency's
    # report that it is done, which the Standing Committee still has to check.
    ItemKind.RESOLUTION_TASK: {
        Status.ANSWERED: ("Đã hoàn thành (chờ kiểm tra)", "Completed (awaiting check)"),
    },
}


ACTION_LABELS_BY_KIND: dict[ItemKind, dict[Action, tuple[str, str]]] = {
    # The agency reports a resolution task done; nobody "answers" a resolution.
    ItemKind.RESOLUTION_TASK: {
        Action.RECORD_ANSWER: ("Ghi nhận hoàn thành", "Record completion"),
    },
}


def action_label(action: Action | str, kind: ItemKind | str, language: Language = "vi") -> str:
    """The action as it reads for this kind of item (a resolution task is "completed");
    a step recorded under a name that is no action (e.g. its creation) reads as recorded."""
    try:
        action = Action(action)
    except ValueError:
        return str(action)
    special = ACTION_LABELS_BY_KIND.get(ItemKind(kind), {})
    if action in special:
        vi, en = special[action]
        return vi if language == "vi" else en
    return label(action, language)


def status_label(status: Status, kind: ItemKind | str, language: Language = "vi") -> str:
    """The status as it reads for this kind of item (a resolution task is "completed")."""
    status = Status(status)
    special = STATUS_LABELS_BY_KIND.get(ItemKind(kind), {})
    if status in special:
        vi, en = special[status]
        return vi if language == "vi" else en
    return label(status, language)


def label(member: Status | Action | Role | ItemKind, language: Language = "vi") -> str:
    """The label of a status, action, role or kind of item in *language*."""
    tables: dict[type, Mapping[Any, tuple[str, str]]] = {
        Status: STATUS_LABELS,
        Action: ACTION_LABELS,
        Role: ROLE_LABELS,
        ItemKind: KIND_LABELS,
    }
    vi, en = tables[type(member)][member]
    return vi if language == "vi" else en
