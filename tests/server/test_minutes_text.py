"""The minutes' own words, from a sitting run through the live recorder as the hall runs
it: who sat in the hall and cast nothing is told apart from who was away, the option
"Không biểu quyết" is a vote cast, sentences end with one full stop, and the number comes
from the register, never from a database id."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlmodel import Session

from server.live.recorder import Caller, record_command
from server.live.store import get_sitting, initial_state
from server.models import Account
from server.register.service import give_number
from server.services.minutes import minutes_document, minutes_subject
from shared import clock
from shared.live import commands as cmd
from shared.live.state import SittingState
from shared.reports.document import Paragraph, Table
from tests.server.conftest import Api
from tests.server.live.conftest import new_sitting_row


def _text(document) -> str:
    lines = []
    for section in document.sections:
        for block in section.body:
            if isinstance(block, Table):
                lines += [" | ".join(row) for row in block.rows]
            elif isinstance(block, Paragraph):
                lines.append(block.text)
            else:
                lines.append(str(getattr(block, "items", block)))
    return "\n".join(lines)


def _run(engine, sitting_id: int, person_id: int, command) -> SittingState:
    outcome = record_command(engine, sitting_id, command, Caller(person_id), None)
    assert outcome.answer.type == "ack", outcome.answer
    return outcome.state


def _key() -> str:
    return uuid.uuid4().hex


def test_minutes_keep_non_voters_in_the_hall_apart_from_absentees(api: Api) -> None:
    engine = api.client.app.state.engine
    sitting_id, chair = new_sitting_row(engine, "Phiên họp biểu quyết")
    with Session(engine) as db:
        roster = initial_state(get_sitting(db, sitting_id)).roster
    members = [m for m in roster.members]
    names = {m.person_id: m.full_name for m in members}
    present = [m.person_id for m in members[: roster.quorum.needed(len(members)) + 1]]
    assert len(present) < len(members), "the demo council must leave someone away"
    absent = [m.person_id for m in members if m.person_id not in present]
    voters, silent = present[:-1], present[-1]
    _run(engine, sitting_id, chair, cmd.OpenSitting(key=_key()))
    for person in present:
        if person != chair:
            _run(engine, sitting_id, chair, cmd.CheckIn(key=_key(), person_id=person))
    if chair in present:
        _run(engine, sitting_id, chair, cmd.CheckIn(key=_key()))
    item = roster.agenda[0].item_id
    _run(engine, sitting_id, chair, cmd.OpenItem(key=_key(), item_id=item))
    state = _run(engine, sitting_id, chair, cmd.OpenVote(
        key=_key(), item_id=item, question="Thông qua dự toán ngân sách xã năm 2027"))
    vote_id = next(iter(state.votes))
    for n, person in enumerate(voters):
        _run(engine, sitting_id, person, cmd.CastVote(
            key=_key(), vote_id=vote_id, choice="abstain" if n == 0 else "yes"))
    _run(engine, sitting_id, chair, cmd.CloseVote(key=_key(), vote_id=vote_id))

    with Session(engine) as db:
        document = minutes_document(db, sitting_id)
        text = _text(document)
        import pymupdf

        with pymupdf.open(stream=document.render_pdf(), filetype="pdf") as pdf:
            printed = " ".join(" ".join(page.get_text().split()) for page in pdf)
    assert ".." not in printed and "Không tham gia biểu quyết (1)" in printed
    assert "Không biểu quyết:" not in printed
    assert "Không biểu quyết | 1" in text  # the option, one vote cast
    assert f"Không tham gia biểu quyết (1): {names[silent]}." in text.splitlines()
    away = [line for line in text.splitlines() if line.startswith("Vắng mặt khi biểu quyết")]
    assert away == [f"Vắng mặt khi biểu quyết ({len(absent)}): "
                    + ", ".join(names[p] for p in absent) + "."]
    assert "Không biểu quyết:" not in text
    assert ".." not in text
    # the rule line, with its legal source, ends with one full stop (docs/rules.md)
    assert ("Điều kiện thông qua: Cần quá nửa tổng số đại biểu" in text
            and "Luật Tổ chức chính quyền địa phương 2025, Điều 35 khoản 2." in text)


def test_minutes_number_comes_from_the_register_of_the_year(api: Api) -> None:
    engine = api.client.app.state.engine
    sitting_id, _chair = new_sitting_row(engine, "Phiên họp cần số")
    with Session(engine) as db:
        unnumbered = minutes_document(db, sitting_id)
        assert unnumbered.number.endswith("/BB-HĐND")
        assert not any(c.isdigit() for c in unnumbered.number)  # never the sitting's id
        assert "chưa khai mạc" in _text(unnumbered) and "lúc ." not in _text(unnumbered)
        clerk = db.exec(Account.__table__.select().where(Account.username == "clerk")).first()
        with clock.using(clock.FrozenClock(datetime(2031, 3, 2, 2, 0, tzinfo=UTC))):
            entry = give_number(db, db.get(Account, clerk.id), "BB-HĐND",
                                "Biên bản phiên họp cần số", subject=minutes_subject(sitting_id))
        db.commit()
        numbered = minutes_document(db, sitting_id)
    assert entry.year == 2031
    assert numbered.number == f"{entry.number:02d}/BB-HĐND"
    assert numbered.recipients and numbered.recipients[-1].startswith("Lưu: VT")
