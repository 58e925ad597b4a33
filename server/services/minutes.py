"""The minutes of a sitting (biên bản kỳ họp) and the vote-count sheets of its secret
ballots (biên bản kiểm phiếu), built from the sitting's stored events.

The state comes from ``shared.live.state.replay`` over the event log, the same reducer
every tablet runs, so the minutes say exactly what the hall saw. The layout is the
official one of ``server.reports`` (national header, numbered sections, signatures), as
a PDF and as a DOCX the secretary can still edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from server.errors import NotFound
from server.live.store import events_after, get_sitting, initial_state
from server.models import Body, CouncilSession, Person, SessionOfficerRole
from server.models.base import id_of
from server.models.register import RegisterEntry
from server.register import series as register_series
from server.register.service import entry_for, symbol
from server.services import council, meetings
from server.text.sentences import sentence, sentences
from shared.live.state import SittingState, VoteState, apply, replay
from shared.live.voting import SECRET_MODES
from shared.reports.document import (
    BulletList,
    OfficialDocument,
    Paragraph,
    Section,
    Signature,
    Table,
    place_date_line,
)
from shared.rules.decisions import DECISION_VI

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
MODE_VI = {"open": "Biểu quyết công khai", "named": "Biểu quyết ghi danh",
           "secret": "Bỏ phiếu kín", "confidence": "Lấy phiếu tín nhiệm (bỏ phiếu kín)",
           "election": "Bầu cử (bỏ phiếu kín)",
           "confidence_vote": "Bỏ phiếu tín nhiệm (bỏ phiếu kín)"}
KIND_VI = {"speech": "Phát biểu", "debate": "Tranh luận", "question": "Chất vấn",
           "answer": "Trả lời chất vấn", "follow_up": "Chất vấn bổ sung"}
MINUTES_RECIPIENTS = ("Thường trực HĐND;", "Đại biểu HĐND;", "Lưu: VT, hồ sơ kỳ họp.")
RATING_VI = {"high": "Tín nhiệm cao", "medium": "Tín nhiệm", "low": "Tín nhiệm thấp",
             "trust": "Tín nhiệm", "distrust": "Không tín nhiệm"}


class VoteNotFound(NotFound):
    code = "vote_not_found"
    message_vi = "Không tìm thấy cuộc biểu quyết này trong phiên họp."
    message_en = "No such vote in this sitting."


class NotASecretBallot(NotFound):
    code = "not_a_secret_ballot"
    message_vi = "Biên bản kiểm phiếu chỉ lập cho cuộc bỏ phiếu kín."
    message_en = "A vote-count sheet is made for secret ballots only."


def _clock(at: datetime | None) -> str:
    return at.astimezone(LOCAL).strftime("%H:%M") if at else ""


UNNUMBERED = "\u00a0" * 8  # "Số:         /BB-HĐND" until the register gives a number


def sitting_state(db: Session, sitting_id: int) -> SittingState:
    """The sitting as its stored events make it (the server's full view, for the minutes)."""
    sitting = get_sitting(db, sitting_id)
    events = events_after(db, sitting_id, 0)
    start = initial_state(sitting)
    return replay(events, start) if events else start


def _walk(db: Session, sitting_id: int) -> tuple[SittingState, dict[str, frozenset[int]]]:
    """The final state, and who was present when each vote opened: the minutes name the
    members who were there and did not vote apart from those who were away."""
    state = initial_state(get_sitting(db, sitting_id))
    present_at_open: dict[str, frozenset[int]] = {}
    for event in events_after(db, sitting_id, 0):
        state = apply(state, event)
        if event.type == "vote_opened":
            present_at_open[event.vote_id] = state.present
    return state, present_at_open


def minutes_subject(sitting_id: int) -> str:
    """The register's key for a sitting's minutes: one number per sitting, ever."""
    return f"sitting:{sitting_id}:minutes"


def minutes_entry(db: Session, sitting_id: int) -> RegisterEntry | None:
    return entry_for(db, register_series.MINUTES, minutes_subject(sitting_id))


def minutes_number(db: Session, sitting_id: int) -> str:
    """"01/BB-HĐND" from the register, or a blank number before the clerk gives one."""
    entry = minutes_entry(db, sitting_id)
    return symbol(entry) if entry else f"{UNNUMBERED}/{register_series.MINUTES}"


class _Context:
    def __init__(self, db: Session, sitting_id: int) -> None:
        self.db = db
        self.sitting = get_sitting(db, sitting_id)
        self.session: CouncilSession = meetings.get_session(db, self.sitting.session_id)
        self.body: Body = council.get_body(db, self.session.body_id)
        self.council_name = council.council_of(db, self.session).name
        self.state, self.present_at_open = _walk(db, sitting_id)
        roster = self.state.roster
        self.names = ({m.person_id: m.full_name for m in roster.members}
                      | {o.person_id: o.full_name for o in roster.officials}) if roster else {}
        self.place = self.council_name.rsplit(" xã ", 1)[-1] if " xã " in self.council_name \
            else self.session.place
        opened = self.state.opened_at
        self.day: date = opened.astimezone(LOCAL).date() if opened else self.session.start_date

    def name(self, person_id: int) -> str:
        if person_id not in self.names:  # a secretary or teller need not be a member
            person = self.db.get(Person, person_id)
            self.names[person_id] = person.full_name if person else f"#{person_id}"
        return self.names[person_id]

    def issuer(self) -> tuple[str, str]:
        upper = self.council_name.upper()
        return ("HỘI ĐỒNG NHÂN DÂN", upper.replace("HỘI ĐỒNG NHÂN DÂN ", "", 1))

    def officer(self, role: SessionOfficerRole) -> int | None:
        """From the sitting's roster; else from the session's officers as they are now
        (the roster is frozen when the sitting is created, maybe before they were named)."""
        roster = self.state.roster
        ids = (roster.chair_ids if role == SessionOfficerRole.chair else roster.secretary_ids) \
            if roster else frozenset()
        if not ids:
            ids = frozenset(o.person_id for o, _p in meetings.officers(db=self.db,
                            session_id=id_of(self.session)) if o.role == role)
        return min(ids) if ids else None

    def signatures(self) -> list[Signature]:
        chair = self.officer(SessionOfficerRole.chair)
        secretary = self.officer(SessionOfficerRole.secretary)
        return [Signature("THƯ KÝ KỲ HỌP", self.name(secretary) if secretary else ""),
                Signature("CHỦ TỌA", self.name(chair) if chair else "")]


def _subject_name(ctx: _Context, vote: VoteState, candidate_id: str) -> str:
    """A candidate's or an official's name. Ids are the chair's strings ("12", "k1",
    "cand-a"), not person ids: look them up on the vote, then by person if linked."""
    subject = next((c for c in (*vote.candidates, *vote.officials)
                    if c.candidate_id == candidate_id), None)
    if subject is None:
        return candidate_id
    return subject.full_name or (ctx.name(subject.person_id) if subject.person_id else candidate_id)


def _vote_lines(ctx: _Context, vote: VoteState) -> list:  # report blocks
    # the rule as it was applied (frozen in the result), or as the vote stands
    rule_vi = vote.result.rule_vi if vote.result and vote.result.rule_vi else vote.rule_vi
    lines: list = [Paragraph(vote.question, bold=True),
                   sentences(f"Loại quyết định: {DECISION_VI.get(vote.kind, vote.kind)}",
                             f"Hình thức: {MODE_VI.get(vote.mode, vote.mode)}",
                             f"Mở lúc {_clock(vote.opened_at)}, "
                             f"kết thúc lúc {_clock(vote.closed_at)}"),
                   sentence(f"Điều kiện thông qua: {rule_vi}")]
    if vote.quorum_override_reason:
        lines.append(Paragraph(sentence(
            f"Biểu quyết thủ tục tiến hành khi chưa đủ số đại biểu có mặt theo quy định "
            f"({vote.present_at_open}/{vote.members_total}); lý do chủ tọa nêu: "
            f"{vote.quorum_override_reason}"), italic=True))
    result = vote.result
    if result is None and vote.status == "counting":
        waiting = ", ".join(ctx.name(p) for p in vote.waiting_for)
        lines.append("Đã kết thúc bỏ phiếu; Ban kiểm phiếu chưa giải mã xong"
                     + (f" (đang chờ {waiting})." if waiting else "."))
        return lines
    if result is None:
        lines.append("Cuộc biểu quyết chưa kết thúc.")
        return lines
    labels = {o.key: o.label_vi for o in vote.options}
    rows = [[labels.get(key, key), str(count),
             f"{count * 100 / result.members_total:.2f}%".replace(".", ",")
             if result.members_total else ""] for key, count in result.counts.items()]
    if rows:
        lines.append(Table(["Lựa chọn", "Số đại biểu", "Tỷ lệ trên tổng số"], rows,
                           numeric_columns=(1, 2)))
    for official, ratings in result.ratings.items():
        lines.append(f"{_subject_name(ctx, vote, official)}: " + ", ".join(
            f"{RATING_VI.get(k, k)} {v}" for k, v in ratings.items()))
    if result.elected:
        lines.append("Trúng cử: " + ", ".join(_subject_name(ctx, vote, c)
                                               for c in result.elected) + ".")
    if result.tied:
        lines.append(Paragraph("Bằng phiếu nhau ở vị trí cuối: " + ", ".join(
            _subject_name(ctx, vote, c) for c in result.tied)
            + ". Hội đồng bầu lại giữa những người này.", bold=True))
    if vote.mode == "confidence":
        lines.append(_confidence_line(ctx, vote, "low_confidence", "tổng số đại biểu"))
        lines.append(_confidence_line(ctx, vote, "low_confidence_of_ballots", "tổng số phiếu"))
    if vote.mode == "confidence_vote":
        distrusted = ", ".join(_subject_name(ctx, vote, c) for c in result.no_confidence)
        lines.append(("Có quá nửa tổng số đại biểu bỏ phiếu không tín nhiệm: " + distrusted + ".")
                     if distrusted else
                     "Không có người nào bị quá nửa tổng số đại biểu bỏ phiếu không tín nhiệm.")
    lines.append(f"Số phiếu/lượt biểu quyết: {result.ballots} trên tổng số "
                 f"{result.members_total} đại biểu; có mặt khi mở biểu quyết: "
                 f"{result.present_at_open}; số cần đạt: {result.needed}.")
    lines.append(Paragraph("Kết quả: THÔNG QUA." if result.passed
                           else "Kết quả: KHÔNG THÔNG QUA.", bold=True))
    if result.roll:
        roll_rows = [[ctx.name(int(p)), labels.get(str(c), str(c))]
                     for p, c in sorted(result.roll.items(), key=lambda x: ctx.name(int(x[0])))]
        lines.append(Table(["Đại biểu", "Biểu quyết"], roll_rows,
                           caption="Danh sách biểu quyết ghi danh"))
    if result.did_not_vote and vote.mode not in SECRET_MODES:
        lines.extend(_non_voters(ctx, vote, result.did_not_vote))
    return lines


def _non_voters(ctx: _Context, vote: VoteState, did_not_vote: tuple[int, ...]) -> list[str]:
    """Members who were in the hall and cast nothing ("Không tham gia biểu quyết"), apart
    from members away when the vote opened ("Vắng mặt"). Neither is the ballot's option
    "Không biểu quyết", which is a vote cast."""
    present = ctx.present_at_open.get(vote.vote_id, frozenset())
    in_hall = [ctx.name(p) for p in did_not_vote if p in present]
    away = [ctx.name(p) for p in did_not_vote if p not in present]
    lines = []
    if in_hall:
        lines.append(sentence(f"Không tham gia biểu quyết ({len(in_hall)}): "
                              + ", ".join(in_hall)))
    if away:
        lines.append(sentence(f"Vắng mặt khi biểu quyết ({len(away)}): " + ", ".join(away)))
    return lines


def _confidence_line(ctx: _Context, vote: VoteState, field: str, base: str) -> str:
    """Who more than half rated low, on one base; both are printed until NQ 96's base is
    verified (docs/rules.md, survey_consequence)."""
    assert vote.result is not None
    people = ", ".join(_subject_name(ctx, vote, c) for c in getattr(vote.result, field))
    return (f"Quá nửa {base} đánh giá tín nhiệm thấp: {people or 'không có'} "
            f"(tính trên {base}; căn cứ chưa đối chiếu nguyên văn).")


SECTION_KEYS = ("opening", "attendance", "agenda", "speeches", "questions", "votes",
                "closing")


def generated_sections(db: Session, sitting_id: int) -> list[tuple[str, Section]]:
    """The minutes' sections as the event log makes them, each with a stable key (the
    draft's sections and its edit history refer to these keys)."""
    ctx = _Context(db, sitting_id)
    state, roster = ctx.state, ctx.state.roster
    members = roster.members if roster else ()
    present_ever = set(state.present)
    # who checked in at any time: the state keeps only those present now
    from server.live.store import checked_in_people

    present_ever |= checked_in_people(db, sitting_id)
    attendance = [f"Tổng số đại biểu: {len(members)}; có mặt: "
                  f"{sum(1 for m in members if m.person_id in present_ever)}; "
                  f"số cần để đủ điều kiện họp: {state.quorum_needed}."]
    absent = [m.full_name for m in members if m.person_id not in present_ever]
    if absent:
        attendance.append(sentence("Vắng mặt: " + ", ".join(absent)))
    agenda_rows = [[a.number, a.title, "Đã xem xét" if a.item_id in state.items_done
                    else ("Đang xem xét" if a.item_id == state.current_item_id else "")]
                   for a in (roster.agenda if roster else ())]
    speaker_rows = [[_clock(t.started_at), ctx.name(t.person_id), KIND_VI.get(t.kind, t.kind),
                     f"{t.seconds // 60}:{t.seconds % 60:02d}"] for t in state.spoken]
    question_blocks: list = []
    for question in state.questions.values():
        question_blocks.append(Paragraph(
            f"{ctx.name(question.person_id)} chất vấn {ctx.name(question.addressee_id)} "
            f"lúc {_clock(question.registered_at)}:", bold=True))
        question_blocks.append(sentence(question.text))
        status = {"answered": "Đã trả lời tại phiên họp.", "in_writing": "Trả lời bằng văn bản.",
                  "in_progress": "Đang trả lời.", "registered": "Chưa trả lời."}
        question_blocks.append(status.get(question.status, question.status))
        if question.conclusion:  # the chair's conclusion on the question
            question_blocks.append(f"Kết luận của chủ tọa: {question.conclusion}")
        if question.commitments:
            question_blocks.append(BulletList([
                f"Cam kết: {c.text}" + (f" (hạn {c.due.strftime('%d/%m/%Y')})" if c.due else "")
                for c in question.commitments]))
    vote_blocks: list = []
    for vote in sorted(state.votes.values(), key=lambda v: v.opened_at):
        vote_blocks.extend(_vote_lines(ctx, vote))
    sections = [
        Section("", [f"Phiên họp «{ctx.sitting.title}» thuộc {ctx.session.title}, "
                     + (f"khai mạc lúc {_clock(state.opened_at)}" if state.opened_at
                        else "chưa khai mạc")
                     + (f", bế mạc lúc {_clock(state.closed_at)}" if state.closed_at else "")
                     + (f", tại {ctx.session.place}." if ctx.session.place else ".")],
                numbered=False),
        Section("Thành phần tham dự", attendance),
        Section("Chương trình", [Table(["Mục", "Nội dung", "Tình trạng"], agenda_rows,
                                       column_widths=(1, 6, 2))] if agenda_rows
                else ["Không có mục chương trình."]),
        Section("Phát biểu và tranh luận",
                [Table(["Lúc", "Đại biểu", "Hình thức", "Thời lượng"], speaker_rows,
                       column_widths=(1, 4, 2, 1.2))] if speaker_rows
                else ["Không có lượt phát biểu."]),
        Section("Chất vấn và trả lời chất vấn", question_blocks or ["Không có chất vấn."]),
        Section("Biểu quyết", vote_blocks or ["Không có cuộc biểu quyết nào."]),
        Section("", ["Biên bản được lập từ nhật ký điện tử của phiên họp."], numbered=False),
    ]
    return list(zip(SECTION_KEYS, sections, strict=True))


def minutes_document(db: Session, sitting_id: int,
                     sections: Sequence[Section] | None = None) -> OfficialDocument:
    """The minutes in the official layout: from the event log, or from ``sections`` (the
    secretary's draft) with the same header, number and signatures."""
    ctx = _Context(db, sitting_id)
    if sections is None:
        sections = [section for _key, section in generated_sections(db, sitting_id)]
    return OfficialDocument(
        issuer_lines=ctx.issuer(), number=minutes_number(db, sitting_id),
        place_date=place_date_line(ctx.place or "", ctx.day), title="BIÊN BẢN",
        subtitle=f"{ctx.session.title} — {ctx.sitting.title}", sections=sections,
        signature_blocks=ctx.signatures(), recipients=MINUTES_RECIPIENTS,
        author=ctx.council_name,
        subject="Biên bản kỳ họp", issued_on=ctx.day)


def vote_count_sheet(db: Session, sitting_id: int, vote_id: str) -> OfficialDocument:
    """Biên bản kiểm phiếu of one secret ballot: counts only, never a voter's choice."""
    ctx = _Context(db, sitting_id)
    vote = ctx.state.votes.get(vote_id)
    if vote is None:
        raise VoteNotFound(vote_id=vote_id)
    if vote.mode not in SECRET_MODES:
        raise NotASecretBallot(vote_id=vote_id)
    result = vote.result
    blocks: list = _vote_lines(ctx, vote)
    if result is not None:
        blocks.insert(0, f"Số phiếu phát ra: {result.present_at_open}; số phiếu thu vào: "
                         f"{result.ballots}; số phiếu hợp lệ: {result.ballots}.")
    from server.ballot.minutes import verifiable_blocks  # the committee's sheet

    blocks.extend(verifiable_blocks(db, sitting_id, vote_id))
    return OfficialDocument(
        issuer_lines=ctx.issuer(), number=f"{sitting_id}-{vote_id}/BB-KP",
        place_date=place_date_line(ctx.place or "", ctx.day), title="BIÊN BẢN KIỂM PHIẾU",
        subtitle=vote.question, sections=[Section("Kết quả kiểm phiếu", blocks)],
        signature_blocks=[Signature("TRƯỞNG BAN KIỂM PHIẾU", next(iter(
            count_committee(db, sitting_id, vote_id)), "")), *ctx.signatures()[1:]],
        author=ctx.council_name, subject="Biên bản kiểm phiếu", issued_on=ctx.day)


def secret_votes(db: Session, sitting_id: int) -> list[tuple[str, str]]:
    return [(vote_id, vote.question) for vote_id, vote in sitting_state(db, sitting_id)
            .votes.items() if vote.mode in SECRET_MODES]


def signers(db: Session, sitting_id: int) -> list[Signature]:
    """Who signs the minutes (secretary, chair), as the minutes' signature block shows them."""
    return _Context(db, sitting_id).signatures()


def count_committee(db: Session, sitting_id: int, vote_id: str) -> list[str]:
    """The vote-counting committee (Ban kiểm phiếu) of a verifiable secret ballot, in the
    order the chair named them; empty for a secret vote counted without one."""
    from sqlmodel import col, select

    from server.models.ballot import Ballot, BallotCommitteeMember

    rows = db.exec(select(Person.full_name)
                   .join(BallotCommitteeMember, col(BallotCommitteeMember.person_id) == Person.id)
                   .join(Ballot, col(Ballot.id) == BallotCommitteeMember.ballot_id)
                   .where(Ballot.sitting_id == sitting_id, Ballot.live_vote_id == vote_id)
                   .order_by(col(BallotCommitteeMember.id)))
    return list(rows)
