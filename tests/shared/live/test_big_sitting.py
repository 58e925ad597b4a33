"""Issue 16 finding 2: one delegate could fill the sitting until no tablet could join.

What a delegate may add is bounded (question length, count per person whatever the
connection, count per sitting), and the largest sitting those bounds allow still fits in
one snapshot frame that a tablet accepts.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.live.commands import MAX_COMMITMENT_CHARS, MAX_QUESTION_CHARS, RegisterQuestion
from shared.live.decide import (
    MAX_COMMITMENTS_PER_QUESTION,
    MAX_QUESTIONS_PER_PERSON,
    MAX_QUESTIONS_PER_SITTING,
)
from shared.live.protocol import (
    MAX_SERVER_MESSAGE_BYTES,
    Snapshot,
    dump,
    parse_server_message,
)
from shared.live.redaction import redact_state
from tests.shared.live.harness import CHAIR, OFFICIAL_A, Hall, make_roster

# The worst a delegate can type per character: 4 bytes of UTF-8 (an emoji), or a
# quote that JSON escapes (2 bytes); Vietnamese letters are 2-3 bytes.
WORST_TEXT = ("Ủy ban 🙂 \"trả lời\" " * 200)[:MAX_QUESTION_CHARS]


def test_one_delegate_may_register_a_bounded_number_of_questions() -> None:
    hall = Hall(make_roster(members=30))
    hall.do(CHAIR, "open_sitting")
    for _ in range(MAX_QUESTIONS_PER_PERSON):
        hall.do(5, "register_question", addressee_id=OFFICIAL_A, text="Câu hỏi?")
    assert hall.refused(5, "register_question", addressee_id=OFFICIAL_A,
                        text="Thêm một câu?") == "too_many_questions"
    # Another delegate is not affected.
    hall.do(6, "register_question", addressee_id=OFFICIAL_A, text="Câu hỏi của tôi?")
    with pytest.raises(ValidationError):
        RegisterQuestion(key="k", addressee_id=OFFICIAL_A, text="x" * (MAX_QUESTION_CHARS + 1))


def test_the_largest_sitting_the_bounds_allow_fits_in_one_snapshot() -> None:
    members = MAX_QUESTIONS_PER_SITTING // MAX_QUESTIONS_PER_PERSON + 1
    hall = Hall(make_roster(members=members))
    hall.do(CHAIR, "open_sitting")
    for person in range(1, members + 1):
        for _ in range(MAX_QUESTIONS_PER_PERSON):
            if len(hall.state.questions) < MAX_QUESTIONS_PER_SITTING:
                hall.do(person, "register_question", addressee_id=OFFICIAL_A, text=WORST_TEXT,
                        advance=0)
    assert len(hall.state.questions) == MAX_QUESTIONS_PER_SITTING
    assert hall.refused(members, "register_question", addressee_id=OFFICIAL_A,
                        text="?") == "sitting_questions_full"
    # The chair records the most commitments allowed on the first question.
    first = next(iter(hall.state.questions))
    for phase in ("question", "answer"):
        hall.do(CHAIR, "start_question_turn", question_id=first, phase=phase)
        hall.do(CHAIR, "end_turn")
    for _ in range(MAX_COMMITMENTS_PER_QUESTION):
        hall.do(CHAIR, "record_commitment", question_id=first,
                text=WORST_TEXT[:MAX_COMMITMENT_CHARS])
    frame = dump(Snapshot(seq=hall.events[-1].seq, state=redact_state(hall.state, None)))
    size = len(frame.encode("utf-8"))
    assert size > 1_500_000  # the bounds are really filled: over 20× the old 64 KiB
    assert size < MAX_SERVER_MESSAGE_BYTES // 2, size
    assert parse_server_message(frame).state.questions[first].text == WORST_TEXT


def test_the_probe_s_ordinary_sitting_fits_too() -> None:
    """105 questions of 418 characters: what locked every tablet out at 64 KiB."""
    hall = Hall(make_roster(members=30))
    hall.do(CHAIR, "open_sitting")
    text = ("Đề nghị Chủ tịch UBND xã cho biết tiến độ sửa chữa kè suối Ngải Thầu. " * 6)[:418]
    for number in range(105):
        hall.do(number % 11 + 1, "register_question", addressee_id=OFFICIAL_A, text=text)
    frame = dump(Snapshot(seq=hall.events[-1].seq, state=redact_state(hall.state, None)))
    assert len(frame.encode("utf-8")) > 64 * 1024
    assert len(parse_server_message(frame).state.questions) == 105
