"""The sitting checklist computed from the live state and the pack's publication date."""

from __future__ import annotations

from datetime import UTC, date, datetime

from shared.live import events as ev
from shared.live.state import apply
from shared.rules.compliance import documents_check, lawful, vote_checks
from tests.shared.live.harness import CHAIR, ready_hall


def test_documents_are_in_time_five_days_before_the_opening():
    opening = date(2026, 7, 14)
    assert documents_check(datetime(2026, 7, 9, 10, 0, tzinfo=UTC), opening).ok is True
    late = documents_check(datetime(2026, 7, 10, 1, 0, tzinfo=UTC), opening)
    assert late.ok is False and "hạn chậm nhất 09/07/2026" in late.detail_vi
    assert documents_check(None, opening).ok is False
    assert "chưa kiểm chứng" in late.source


def test_binding_votes_with_quorum_and_legal_thresholds_pass_the_checklist():
    hall = ready_hall(present=25)
    vote_id = hall.do(CHAIR, "open_vote", item_id=10, question="Thông qua?",
                      decision="resolution").events[0].vote_id
    hall.do(CHAIR, "close_vote", vote_id=vote_id)
    checks = vote_checks(hall.state)
    assert [c.ok for c in checks] == [True, True] and lawful(checks)


def test_a_vote_recorded_before_the_rules_with_a_wrong_threshold_fails_the_checklist():
    # an event written by an older server: a resolution decided by "more than half of
    # those present", with 16 of 25 present (below the quorum of 17)
    hall = ready_hall(present=16)
    old = ev.VoteOpened(seq=hall.state.seq + 1, sitting_id=hall.state.sitting_id,
                        at=hall.now, actor_id=CHAIR, vote_id="v99", item_id=10,
                        question="Nghị quyết cũ", mode="open", decision="resolution",
                        threshold="majority_of_present", members_total=25, present_at_open=16)
    state = apply(hall.state, old)
    quorum, threshold = vote_checks(state)
    assert quorum.ok is False and "Nghị quyết cũ" in quorum.detail_vi
    assert threshold.ok is False and not lawful([quorum, threshold])


def test_a_sitting_without_binding_votes_has_no_data_for_the_vote_lines():
    hall = ready_hall()
    (check,) = vote_checks(hall.state)
    assert check.ok is None and lawful([check])
