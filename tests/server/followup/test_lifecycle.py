"""The one follow-up life cycle: happy path, reopen, overdue, refusals with codes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from server.followup.deadlines import VN_TZ
from server.followup.labels import label
from server.followup.lifecycle import (
    PERMITTED_ROLES,
    TRANSITIONS,
    Action,
    ActionNotPermitted,
    IllegalTransition,
    ItemKind,
    Role,
    Status,
    TrackedItem,
    allowed_actions,
    effective_status,
    transition,
)

T0 = datetime(2026, 12, 30, 9, 0, tzinfo=VN_TZ)


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


def test_a_voter_petition_from_receipt_to_verified_done() -> None:
    item = TrackedItem(ItemKind.VOTER_PETITION, due=date(2027, 1, 15))
    item = item.apply(Action.FORWARD, Role.CLERK, at(1), actor_id="clerk-1", note="UBND xã")
    item = item.apply(Action.RECORD_PROGRESS, Role.AGENCY, at(24), note="Đã khảo sát tuyến")
    item = item.apply(Action.RECORD_PROGRESS, Role.AGENCY, at(48))
    item = item.apply(Action.RECORD_ANSWER, Role.AGENCY, at(72), note="Bố trí vốn năm 2027")
    item = item.apply(Action.VERIFY_DONE, Role.STANDING_COMMITTEE, at(96))

    assert item.status is Status.VERIFIED_DONE
    assert [(e.from_status, e.to_status) for e in item.history] == [
        (Status.RECEIVED, Status.FORWARDED),
        (Status.FORWARDED, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.ANSWERED),
        (Status.ANSWERED, Status.VERIFIED_DONE),
    ]
    first = item.history[0]
    assert (first.actor_role, first.actor_id, first.note, first.at) == (
        Role.CLERK, "clerk-1", "UBND xã", at(1)
    )
    # a done item is never overdue, even long after its deadline
    assert item.effective_status(datetime(2027, 6, 1, tzinfo=VN_TZ)) is Status.VERIFIED_DONE


def test_an_unsatisfactory_answer_is_reopened_and_followed_again() -> None:
    item = TrackedItem(ItemKind.SUPERVISION_RECOMMENDATION)
    for action, role in [
        (Action.FORWARD, Role.CLERK),
        (Action.RECORD_ANSWER, Role.AGENCY),
        (Action.REOPEN, Role.STANDING_COMMITTEE),
        (Action.FORWARD, Role.CLERK),
        (Action.RECORD_ANSWER, Role.AGENCY),
        (Action.VERIFY_DONE, Role.CLERK),
        (Action.REOPEN, Role.CLERK),  # voters report the road was not actually repaired
        (Action.RECORD_PROGRESS, Role.AGENCY),
    ]:
        item = item.apply(action, role, T0)
    assert item.status is Status.IN_PROGRESS
    assert [e.to_status for e in item.history].count(Status.REOPENED) == 2


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.RECEIVED, Action.RECORD_ANSWER),
        (Status.RECEIVED, Action.VERIFY_DONE),
        (Status.FORWARDED, Action.VERIFY_DONE),
        (Status.IN_PROGRESS, Action.VERIFY_DONE),
        (Status.VERIFIED_DONE, Action.RECORD_PROGRESS),
        (Status.VERIFIED_DONE, Action.MARK_OVERDUE),
        (Status.ANSWERED, Action.FORWARD),
        (Status.RECEIVED, Action.REOPEN),
        (Status.OVERDUE, Action.MARK_OVERDUE),
    ],
)
def test_illegal_transitions_are_refused_with_a_code(status: Status, action: Action) -> None:
    role = next(iter(sorted(PERMITTED_ROLES[action])))
    with pytest.raises(IllegalTransition) as refused:
        transition(status, action, role, T0)
    error = refused.value
    assert error.code == "followup_illegal_transition"
    assert error.status == 409
    assert label(status, "vi").lower() in error.message_vi
    assert label(action, "en") in error.message_en
    assert error.problem()["from_status"] == status.value


@pytest.mark.parametrize(
    ("action", "role"),
    [
        (Action.FORWARD, Role.AGENCY),
        (Action.VERIFY_DONE, Role.AGENCY),  # an agency cannot sign off its own work
        (Action.REOPEN, Role.AGENCY),
        (Action.RECORD_ANSWER, Role.STANDING_COMMITTEE),
        (Action.MARK_OVERDUE, Role.AGENCY),
        (Action.FORWARD, Role.SYSTEM),
    ],
)
def test_roles_outside_their_remit_are_refused(action: Action, role: Role) -> None:
    status = next(s for (s, a) in TRANSITIONS if a is action)
    with pytest.raises(ActionNotPermitted) as refused:
        transition(status, action, role, T0)
    assert refused.value.code == "followup_action_not_permitted"
    assert refused.value.status == 403
    assert label(role, "vi") in refused.value.message_vi


def test_unknown_names_and_naive_times_are_refused() -> None:
    with pytest.raises(IllegalTransition) as refused:
        transition("archived", "forward", "clerk", T0)
    assert refused.value.code == "followup_unknown_status"
    with pytest.raises(IllegalTransition) as refused:
        transition("received", "approve", "clerk", T0)
    assert refused.value.code == "followup_unknown_action"
    with pytest.raises(ValueError):
        transition(Status.RECEIVED, Action.FORWARD, Role.CLERK, datetime(2026, 1, 1))
    # strings as stored in the database work as well as the enums
    assert transition("received", "forward", "clerk", T0).status is Status.FORWARDED


def test_overdue_is_derived_from_the_deadline_in_vietnam_time() -> None:
    due = date(2026, 12, 31)
    # 23:30 on 31/12 in Hà Nội is still on time; 00:30 on 1/1 is not (UTC still says 31/12)
    assert effective_status(Status.FORWARDED, due, datetime(2026, 12, 31, 23, 30, tzinfo=VN_TZ)) \
        is Status.FORWARDED
    assert effective_status(Status.FORWARDED, due, datetime(2027, 1, 1, 0, 30, tzinfo=VN_TZ)) \
        is Status.OVERDUE
    assert effective_status(Status.ANSWERED, due, datetime(2027, 3, 1, tzinfo=VN_TZ)) \
        is Status.ANSWERED
    assert effective_status(Status.RECEIVED, None, datetime(2030, 1, 1, tzinfo=VN_TZ)) \
        is Status.RECEIVED


def test_marked_overdue_and_work_resumes() -> None:
    item = TrackedItem(ItemKind.RESOLUTION_TASK).apply(Action.FORWARD, Role.CLERK, T0)
    item = item.apply(Action.MARK_OVERDUE, Role.SYSTEM, at(1))
    assert item.status is Status.OVERDUE
    assert allowed_actions(item.status, Role.AGENCY) == [
        Action.RECORD_PROGRESS, Action.RECORD_ANSWER,
    ]
    item = item.apply(Action.RECORD_ANSWER, Role.AGENCY, at(2))
    assert item.status is Status.ANSWERED


def test_allowed_actions_match_the_buttons_each_role_sees() -> None:
    assert allowed_actions(Status.RECEIVED, Role.CLERK) == [Action.FORWARD, Action.MARK_OVERDUE]
    assert allowed_actions(Status.RECEIVED, Role.AGENCY) == []
    assert allowed_actions(Status.ANSWERED, Role.STANDING_COMMITTEE) == [
        Action.VERIFY_DONE, Action.REOPEN,
    ]
    assert allowed_actions(Status.VERIFIED_DONE, Role.CLERK) == [Action.REOPEN]


def test_every_name_has_both_labels() -> None:
    for enum in (Status, Action, Role, ItemKind):
        for member in enum:
            vi, en = label(member, "vi"), label(member, "en")
            assert vi and en and vi != en
    assert label(Status.OVERDUE) == "Quá hạn"
    assert label(ItemKind.VOTER_PETITION, "en") == "Voter petition"


def test_a_resolution_task_reads_as_completed_a_petition_as_answered() -> None:
    """Issue 17: a resolution task is carried out, not answered."""
    from server.followup.labels import action_label, status_label

    task, petition = ItemKind.RESOLUTION_TASK, ItemKind.VOTER_PETITION
    assert status_label(Status.ANSWERED, task).startswith("Đã hoàn thành")
    assert "trả lời" not in status_label(Status.ANSWERED, task)
    assert status_label(Status.ANSWERED, petition) == "Đã trả lời"
    assert action_label(Action.RECORD_ANSWER, task) == "Ghi nhận hoàn thành"
    assert action_label(Action.RECORD_ANSWER, task, "en") == "Record completion"
    assert action_label(Action.RECORD_ANSWER, petition) == "Ghi nhận trả lời"
    assert action_label("created", task) == "created"  # a step that is no action
