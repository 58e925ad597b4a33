"""The chair's conclusion on a question: only after the answer or once the
question went to writing, only by the chair, and every device folds it the same way."""

from __future__ import annotations

from shared.live.state import replay
from tests.shared.live.harness import CHAIR, OFFICIAL_A, SECRETARY, ready_hall


def test_the_chair_concludes_after_the_answer():
    hall = ready_hall()
    qid = hall.do(5, "register_question", addressee_id=OFFICIAL_A,
                  text="Khi nào sửa mái trường?").events[0].question_id
    assert hall.refused(CHAIR, "conclude_question", question_id=qid, text="Sửa ngay.") \
        == "wrong_phase"
    hall.do(CHAIR, "start_question_turn", question_id=qid, phase="question")
    hall.do(CHAIR, "end_turn")
    hall.do(CHAIR, "start_question_turn", question_id=qid, phase="answer")
    assert hall.refused(5, "conclude_question", question_id=qid, text="x") == "not_chair"
    assert hall.refused(SECRETARY, "conclude_question", question_id=qid, text="x") == "not_chair"
    assert hall.refused(CHAIR, "conclude_question", question_id="q404", text="x") \
        == "unknown_question"
    hall.do(CHAIR, "conclude_question", question_id=qid, text="Sửa trước Tết.")
    hall.do(CHAIR, "conclude_question", question_id=qid, text="Sửa trước 31/12.")
    assert hall.state.questions[qid].conclusion == "Sửa trước 31/12."
    assert replay(hall.events).questions[qid].conclusion == "Sửa trước 31/12."


def test_a_question_sent_to_writing_can_be_concluded():
    hall = ready_hall()
    qid = hall.do(6, "register_question", addressee_id=OFFICIAL_A,
                  text="Bao giờ có nước sạch?").events[0].question_id
    hall.do(CHAIR, "close_question", question_id=qid, outcome="in_writing")
    hall.do(CHAIR, "conclude_question", question_id=qid, text="Trả lời bằng văn bản.")
    assert hall.state.questions[qid].conclusion == "Trả lời bằng văn bản."
