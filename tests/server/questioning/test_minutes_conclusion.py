"""The minutes list the chair's conclusion under its question."""

from __future__ import annotations

from sqlmodel import Session

from server.live.store import get_sitting, initial_state
from server.services.minutes import minutes_document
from shared.live import commands as cmd
from tests.server.live.conftest import new_sitting_row
from tests.server.test_minutes_text import _key, _run, _text


def test_the_minutes_carry_the_conclusion(api) -> None:
    engine = api.client.app.state.engine
    sitting_id, chair = new_sitting_row(engine, "Phiên chất vấn (biên bản)")
    with Session(engine) as db:
        roster = initial_state(get_sitting(db, sitting_id)).roster
    asker = next(m.person_id for m in roster.members if m.person_id != chair)
    official = roster.officials[0].person_id
    _run(engine, sitting_id, chair, cmd.OpenSitting(key=_key()))
    state = _run(engine, sitting_id, chair, cmd.RegisterQuestion(
        key=_key(), addressee_id=official, text="Khi nào sửa mái trường?", person_id=asker))
    qid = next(iter(state.questions))
    for phase in ("question", "answer"):
        _run(engine, sitting_id, chair, cmd.StartQuestionTurn(key=_key(), question_id=qid,
                                                              phase=phase))
        _run(engine, sitting_id, chair, cmd.EndTurn(key=_key()))
    _run(engine, sitting_id, chair, cmd.CloseQuestion(key=_key(), question_id=qid,
                                                      outcome="answered"))
    _run(engine, sitting_id, chair, cmd.ConcludeQuestion(key=_key(), question_id=qid,
                                                         text="Sửa mái trường trước Tết."))
    with Session(engine) as db:
        text = _text(minutes_document(db, sitting_id))
    lines = text.splitlines()
    assert "Đã trả lời tại phiên họp." in lines
    assert "Kết luận của chủ tọa: Sửa mái trường trước Tết." in lines
    assert lines.index("Kết luận của chủ tọa: Sửa mái trường trước Tết.") \
        > lines.index("Khi nào sửa mái trường?")
