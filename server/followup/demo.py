"""A realistic year of follow-up for the Y Tý demo: resolutions and their tasks, the
supervision programme, questioning hearings, voter meetings with ~40 petitions (several
saying the same thing), and citizens' complaints including a denunciation.

The figures are chosen so that the dashboard shows targets both met and missed; the
tests in ``tests/server/followup_api`` count them by hand:

- thematic supervision: Standing Committee and Ban Kinh tế - Xã hội yes, Ban Pháp chế no;
- regular supervision: 1 of 4 digital, with the delegate groups' 2 of 7 (28.6% > 20%);
- questioning hearings at the Standing Committee: 3 (target 4);
- voter meetings: every delegate but the last two attended;
- petitions: 40, forwarded 36, answered 20;
- complaints: 6, forwarded 5, senders notified 4;
- resolution tasks: 7, done on time 4 (one late, two not done);
- delegate profiles, training, group supervision, congress targets and hearing sittings:
  ``server.services.delegate_demo``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from server.demo.calendar import DemoCalendar
from server.followup.deadlines import VN_TZ
from server.followup.items import COMPLAINT_LIMITS
from server.followup.lifecycle import Action, ItemKind, Role, Status, transition
from server.models import (
    Account,
    AgendaItem,
    Body,
    BodyKind,
    Council,
    CouncilSession,
    Person,
    SessionKind,
    SessionStatus,
)
from server.models.base import id_of
from server.models.followup import (
    ComplainantRecord,
    ComplaintType,
    Resolution,
    Supervision,
    SupervisionKind,
    TrackedItem,
    TrackedItemEvent,
    VoterMeeting,
    VoterMeetingDelegate,
)
from server.services import audit, search
from server.services.delegate_demo import seed_delegate_demo
from shared import clock

UBND = "UBND xã Y Tý"


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=VN_TZ)


def _item(db: Session, clerk: Account | None, kind: ItemKind, title: str, received: date,
          steps: Sequence[tuple[Action, date]] = (), *, answer: str = "", **fields) -> TrackedItem:
    """An item taken through the life cycle on the given days, with its history."""
    item = TrackedItem(kind=kind.value, title=title, received_on=received,
                       created_by=clerk.id if clerk else None, **fields)
    db.add(item)
    db.flush()
    events = [TrackedItemEvent(item_id=id_of(item), at=_at(received, 8), action="receive",
                               from_status="", to_status=Status.RECEIVED.value,
                               actor_role=Role.CLERK.value)]
    for action, day in steps:
        now = _at(day)
        role = Role.AGENCY if action in (Action.RECORD_PROGRESS, Action.RECORD_ANSWER) \
            else Role.CLERK
        result = transition(item.status, action, role, now)
        if action is Action.FORWARD and item.forwarded_at is None:
            item.forwarded_at = now
        elif action is Action.RECORD_ANSWER:
            item.answer, item.answered_at = answer, now
        elif action is Action.VERIFY_DONE:
            item.verified_at = now
        events.append(TrackedItemEvent(item_id=id_of(item), at=now, action=action.value,
                                       from_status=item.status, to_status=result.status.value,
                                       actor_role=role.value,
                                       actor_account_id=clerk.id if clerk else None))
        item.status = result.status.value
        item.updated_at = now
    db.add_all(events)
    db.add(item)
    db.flush()
    return item


def _done(start: date, forward: int, answer: int, verify: int | None = None
          ) -> list[tuple[Action, date]]:
    steps = [(Action.FORWARD, start + timedelta(days=forward)),
             (Action.RECORD_ANSWER, start + timedelta(days=answer))]
    if verify is not None:
        steps.append((Action.VERIFY_DONE, start + timedelta(days=verify)))
    return steps


def seed_followup_demo(db: Session, calendar: DemoCalendar | None = None) -> bool:
    """Add the year's follow-up data to the demo council; False when already there.

    *calendar* places the story (default: as seen today, from the project's clock).

    Needs ``server.demo.seed.seed_demo`` first (council, bodies, delegates, clerk).
    """
    cal = calendar or DemoCalendar.for_today(clock.today())
    year = cal.year
    number = f"01/{year}/NQ-HĐND"
    if db.exec(select(Resolution).where(Resolution.number == number)).first() is not None:
        return False
    council = db.exec(select(Council).order_by(col(Council.id))).first()
    if council is None:
        raise RuntimeError("seed the demo council first (hdnd demo)")
    clerk = db.exec(select(Account).where(Account.username == "clerk")).first()
    bodies = {b.name: b for b in db.exec(select(Body).where(Body.council_id == council.id))}
    standing = next(b for b in bodies.values() if b.kind == BodyKind.standing_committee)
    committees = sorted((b for b in bodies.values() if b.kind == BodyKind.committee),
                        key=id_of)
    groups = sorted((b for b in bodies.values() if b.kind == BodyKind.delegate_group),
                    key=id_of)
    delegates = list(db.exec(select(Person).where(Person.council_id == council.id,
                                                  col(Person.is_delegate).is_(True))
                             .order_by(col(Person.id))))

    resolutions = _resolutions(db, clerk, cal, number)
    _supervisions(db, clerk, cal, standing, committees)
    _hearings(db, clerk, council, standing, cal)
    _voter_meetings(db, clerk, cal, groups, delegates)
    _complaints(db, clerk, cal)
    seed_delegate_demo(db, clerk, cal, resolutions)
    db.flush()
    search.reindex_all(db, _NoDocuments())
    audit.record(db, clerk, "followup.demo_seeded", "council", council.id, year=year)
    return True


class _NoDocuments:
    """reindex_all's store when only follow-up data is new: documents are left as they are."""

    def path_for(self, key: str):
        from pathlib import Path

        return Path("/nonexistent") / key


def _resolutions(db: Session, clerk: Account | None, cal: DemoCalendar, first_number: str
                 ) -> list[Resolution]:
    year = cal.year
    specs: list[tuple[str, str, list[tuple[str, int, int, int | None]]]] = [
        (first_number, "Nghị quyết về phát triển kinh tế - xã hội năm " + str(year), [
            ("Hoàn thành kè chống sạt lở đường liên thôn Lao Chải - Ngải Thầu", 5, 31, 28),
            ("Nâng cấp công trình nước sinh hoạt tập trung thôn Phìn Hồ", 6, 30, 20),
            ("Hỗ trợ 35 hộ nghèo làm nhà ở kiên cố trước mùa mưa", 7, 31, None),
        ]),
        (f"02/{year}/NQ-HĐND", "Nghị quyết về dự toán ngân sách xã năm " + str(year), [
            ("Thu ngân sách 6 tháng đầu năm đạt 50% dự toán", 6, 30, 25),
            ("Giải ngân vốn đầu tư công đạt 60% trước 30/9", 9, 30, 40),  # late
        ]),
        (f"03/{year}/NQ-HĐND", "Nghị quyết về phòng, chống thiên tai, ngập lụt và sạt lở đất", [
            ("Di dời 12 hộ dân khỏi vùng có nguy cơ sạt lở, ngập lụt cao", 8, 31, 15),
            ("Lắp đặt biển cảnh báo lũ quét tại các ngầm tràn", 10, 31, None),
        ]),
    ]
    made = []
    for number, title, tasks in specs:
        resolution = Resolution(number=number, title=title, adopted_on=cal.on(1, 15),
                                public=True)
        db.add(resolution)
        db.flush()
        made.append(resolution)
        for task_title, month, day, done_offset in tasks:
            due = cal.on(month, day)
            received = cal.on(1, 20)
            if done_offset is None:
                steps = [(Action.FORWARD, received + timedelta(days=3)),
                         (Action.RECORD_PROGRESS, due - timedelta(days=20))]
            else:
                answered = due - timedelta(days=done_offset) if done_offset < 40 \
                    else due + timedelta(days=12)
                steps = [(Action.FORWARD, received + timedelta(days=3)),
                         (Action.RECORD_ANSWER, answered)]
            _item(db, clerk, ItemKind.RESOLUTION_TASK, task_title, received,
                  [(a, d) for a, d in steps], answer="Đã hoàn thành theo báo cáo của UBND xã."
                  if done_offset is not None else "", due_on=due, responsible_agency=UBND,
                  resolution_id=resolution.id, public=True, field="Kinh tế - xã hội")
    return made


def _supervisions(db: Session, clerk: Account | None, cal: DemoCalendar, standing: Body,
                  committees: list[Body]) -> None:
    year = cal.year
    economy = committees[0] if committees else standing
    thematic = [
        (standing, "Giám sát chuyên đề việc giải quyết kiến nghị cử tri trước và sau kỳ họp",
         "Còn 7 kiến nghị quá hạn trả lời; đề nghị UBND xã trả lời trước 30/11."),
        (economy, "Giám sát chuyên đề công tác phòng, chống sạt lở đất và ngập lụt mùa mưa lũ",
         "Hệ thống thoát nước tại thôn Lao Chải xuống cấp, gây ngập lụt cục bộ; đề nghị khắc "
         "phục trước mùa mưa năm sau."),
    ]
    for body, subject, conclusions in thematic:
        supervision = Supervision(body_id=id_of(body), year=year, kind=SupervisionKind.thematic,
                                  subject=subject, conclusions=conclusions,
                                  started_on=cal.on(5, 4), concluded_on=cal.on(5, 29),
                                  public=True)
        db.add(supervision)
        db.flush()
        for k, recommendation in enumerate(conclusions.split("; ")):
            received = cal.on(6, 1)
            _item(db, clerk, ItemKind.SUPERVISION_RECOMMENDATION, recommendation[:200],
                  received, [(Action.FORWARD, cal.on(6, 3))] if k == 0 else [],
                  due_on=cal.on(9, 30), responsible_agency=UBND,
                  supervision_id=supervision.id, text=recommendation, public=True)
    regular = ["Giám sát việc chi trả chế độ bảo trợ xã hội quý I",
               "Giám sát tiến độ xây dựng nhà văn hóa thôn Mù Khum",
               "Giám sát công tác quản lý đất đai tại thôn Ngải Trồ",
               "Giám sát hoạt động của Trạm Y tế xã"]
    for k, subject in enumerate(regular):
        db.add(Supervision(body_id=id_of(committees[k % len(committees)] if committees
                                         else standing),
                           year=year, kind=SupervisionKind.regular, digital=k == 0,
                           subject=subject, started_on=cal.on(3 + 2 * k, 10)))


def _hearings(db: Session, clerk: Account | None, council: Council, standing: Body,
              cal: DemoCalendar) -> None:
    topics = ["quản lý đất đai và cấp giấy chứng nhận quyền sử dụng đất",
              "nước sạch và vệ sinh môi trường nông thôn",
              "phòng, chống sạt lở đất, ngập lụt"]
    for k, topic in enumerate(topics):
        day = cal.on(3 + 3 * k, 18)
        session = CouncilSession(council_id=id_of(council), body_id=id_of(standing),
                                 title=f"Phiên họp Thường trực HĐND xã tháng {day.month}/{day.year}",
                                 kind=SessionKind.meeting, start_date=day, end_date=day,
                                 status=SessionStatus.closed)
        db.add(session)
        db.flush()
        db.add(AgendaItem(session_id=id_of(session), position=0,
                          title=f"Chất vấn và trả lời chất vấn về {topic}"))
        _item(db, clerk, ItemKind.QUESTIONING_COMMITMENT,
              f"UBND xã cam kết giải quyết dứt điểm vướng mắc về {topic}", day,
              [(Action.FORWARD, day + timedelta(days=2))], due_on=day + timedelta(days=60),
              responsible_agency=UBND, session_id=session.id, public=True)


# (village, field, text): similar requests are worded differently on purpose.
PETITIONS: list[tuple[str, str, str]] = [
    ("Lao Chải", "Giao thông", "Đường liên thôn Lao Chải - Ngải Thầu bị sạt lở nặng, đề nghị sửa chữa"),
    ("Ngải Thầu", "Giao thông", "Đề nghị sửa đường Lao Chải đi Ngải Thầu bị sạt lở sau mưa lũ"),
    ("Lao Chải", "Giao thông", "duong lien thon Lao Chai Ngai Thau sat lo, de nghi sua chua som"),
    ("Ngải Thầu", "Giao thông", "Sạt lở đường liên thôn Ngải Thầu - Lao Chải, xe máy không đi được"),
    ("Phìn Hồ", "Giao thông", "Đường từ trung tâm xã lên Phìn Hồ sạt lở, đề nghị khắc phục"),
    ("Mò Phú Chải", "Giao thông", "Đề nghị khắc phục sạt lở đường lên Phìn Hồ từ trung tâm xã"),
    ("Phìn Hồ", "Nước sạch",
     "Thôn Phìn Hồ thiếu nước sinh hoạt vào mùa khô, đề nghị nâng cấp công trình nước"),
    ("Phìn Hồ", "Nước sạch", "Công trình nước sinh hoạt thôn Phìn Hồ hỏng, mùa khô thiếu nước"),
    ("Mò Phú Chải", "Nước sạch", "Đề nghị đầu tư công trình nước sinh hoạt cho thôn Mò Phú Chải"),
    ("Mò Phú Chải", "Nước sạch", "thon Mo Phu Chai thieu nuoc sinh hoat, de nghi dau tu cong trinh nuoc"),
    ("Hồng Ngài", "Nước sạch", "Bể chứa nước sinh hoạt thôn Hồng Ngài bị nứt, thiếu nước mùa khô"),
    ("Lao Chải", "Điện", "Một số hộ ở cuối thôn Lao Chải chưa có điện lưới quốc gia"),
    ("Lao Chải", "Điện", "Đề nghị kéo điện lưới quốc gia cho các hộ cuối thôn Lao Chải"),
    ("Lao Chải", "Điện", "Cac ho cuoi thon Lao Chai chua co dien luoi, de nghi keo dien"),
    ("Mù Khum", "Điện", "Điện lưới thôn Mù Khum yếu, thường xuyên mất điện"),
    ("Hồng Ngài", "Giáo dục", "Điểm trường thôn Hồng Ngài xuống cấp, đề nghị sửa chữa phòng học"),
    ("Hồng Ngài", "Giáo dục", "Đề nghị sửa chữa phòng học điểm trường Hồng Ngài bị dột"),
    ("Mù Khum", "Giáo dục", "Đề nghị xây nhà bán trú cho học sinh thôn Mù Khum"),
    ("Ngải Trồ", "Thông tin", "Thôn Ngải Trồ chưa có sóng điện thoại di động, đề nghị lắp trạm phát sóng"),
    ("Ngải Trồ", "Thông tin", "Đề nghị lắp trạm phát sóng điện thoại di động cho thôn Ngải Trồ"),
    ("Trung Chải", "Thông tin", "Thôn Trung Chải sóng điện thoại yếu, không truy cập được internet"),
    ("Trung Chải", "Thông tin", "thon Trung Chai song dien thoai yeu, khong vao duoc internet"),
    ("Phìn Hồ", "Y tế", "Trạm Y tế xã thiếu thuốc và bác sĩ, đề nghị bổ sung"),
    ("Lao Chải", "Y tế", "Đề nghị bổ sung bác sĩ và thuốc cho Trạm Y tế xã"),
    ("Ngải Thầu", "Y tế", "Người dân đi khám bệnh ở Trạm Y tế phải chờ lâu vì thiếu bác sĩ"),
    ("Lao Chải", "Nông nghiệp", "Đề nghị hỗ trợ giống lúa và phân bón cho bà con sau ngập lụt"),
    ("Ngải Thầu", "Nông nghiệp", "Ruộng bậc thang bị ngập lụt, vùi lấp, đề nghị hỗ trợ khôi phục sản xuất"),
    ("Mò Phú Chải", "Nông nghiệp", "Đề nghị hướng dẫn kỹ thuật trồng thảo quả dưới tán rừng"),
    ("Hồng Ngài", "Đất đai", "Đề nghị cấp giấy chứng nhận quyền sử dụng đất cho các hộ thôn Hồng Ngài"),
    ("Mù Khum", "Đất đai", "Việc đo đạc đất rừng ở Mù Khum chưa xong, đề nghị đẩy nhanh"),
    ("Ngải Trồ", "Chính sách", "Đề nghị rà soát lại danh sách hộ nghèo thôn Ngải Trồ cho đúng"),
    ("Trung Chải", "Chính sách", "Chế độ cho người có công ở thôn Trung Chải chậm chi trả"),
    ("Phìn Hồ", "Du lịch", "Đề nghị hướng dẫn bà con làm homestay đúng quy định"),
    ("Lao Chải", "Du lịch", "Rác thải ở điểm ngắm ruộng bậc thang chưa được thu gom"),
    ("Ngải Thầu", "Môi trường", "Đề nghị bố trí điểm tập kết rác thải ở thôn Ngải Thầu"),
    ("Mù Khum", "Văn hóa", "Nhà văn hóa thôn Mù Khum chưa có bàn ghế, loa đài"),
    ("Ngải Trồ", "An ninh", "Đề nghị tăng cường tuần tra ban đêm vì có trộm trâu bò"),
    ("Trung Chải", "Giao thông", "Cầu treo qua suối thôn Trung Chải bị hỏng dây cáp"),
    ("Hồng Ngài", "Thủy lợi", "Mương thủy lợi thôn Hồng Ngài bị vỡ sau mưa lũ"),
    ("Phìn Hồ", "Lao động", "Đề nghị mở lớp dạy nghề cho thanh niên thôn Phìn Hồ"),
]


def _voter_meetings(db: Session, clerk: Account | None, cal: DemoCalendar, groups: list[Body],
                    delegates: list[Person]) -> None:
    """Four meetings before the mid-year session; the last two delegates attended none."""
    attending = delegates[:-2] if len(delegates) > 2 else delegates
    villages = ["Lao Chải", "Phìn Hồ", "Hồng Ngài", "Ngải Trồ"]
    meetings: list[VoterMeeting] = []
    for k, village in enumerate(villages):
        meeting = VoterMeeting(body_id=groups[k].id if k < len(groups) else None,
                               held_on=cal.on(6, 8 + k), place=f"Nhà văn hóa thôn {village}",
                               area=village, voters_present=80 + 10 * k)
        db.add(meeting)
        db.flush()
        meetings.append(meeting)
        for person in attending[k::len(villages)]:
            db.add(VoterMeetingDelegate(meeting_id=id_of(meeting), person_id=id_of(person)))
    for n, (village, field, text) in enumerate(PETITIONS):
        meeting = meetings[n % len(meetings)]
        received = meeting.held_on
        if n % 10 >= 9:  # 4 of 40 still waiting to be compiled and forwarded
            steps: list[tuple[Action, date]] = []
        elif n % 2 == 0:  # 20 answered
            steps = _done(received, 10, 45, 60 if n % 4 == 0 else None)
        else:
            steps = [(Action.FORWARD, received + timedelta(days=10))]
        _item(db, clerk, ItemKind.VOTER_PETITION, text[:120], received, steps, text=text,
              answer="UBND xã đã bố trí kinh phí, dự kiến thực hiện trong quý IV." if n % 2 == 0
              else "", area=village, field=field, responsible_agency=UBND,
              voter_meeting_id=meeting.id, public=n % 2 == 0 and bool(steps),
              due_on=cal.on(11, 30))


COMPLAINTS: list[tuple[ComplaintType, str, str, str]] = [
    (ComplaintType.complaint, "Khiếu nại quyết định thu hồi đất làm đường",
     "Hộ gia đình khiếu nại mức bồi thường khi thu hồi đất làm đường liên thôn.", "Lao Chải"),
    (ComplaintType.complaint, "Khiếu nại việc không được xét hộ cận nghèo",
     "Gia đình đủ điều kiện nhưng không có tên trong danh sách hộ cận nghèo.", "Ngải Trồ"),
    (ComplaintType.denunciation, "Tố cáo cán bộ thôn thu tiền trái quy định",
     "Tố cáo trưởng thôn thu tiền của các hộ khi làm hồ sơ hỗ trợ nhà ở.", "Mù Khum"),
    (ComplaintType.petition, "Kiến nghị giải quyết tranh chấp ranh giới đất rừng",
     "Hai hộ tranh chấp ranh giới đất rừng, đề nghị xã hòa giải.", "Phìn Hồ"),
    (ComplaintType.petition, "Kiến nghị hỗ trợ khắc phục nhà bị ngập lụt",
     "Nhà bị ngập lụt do mưa lớn tháng 8, đề nghị được hỗ trợ.", "Hồng Ngài"),
    (ComplaintType.feedback, "Phản ánh xe chở vật liệu làm hỏng đường thôn",
     "Xe tải chở vật liệu xây dựng làm hỏng mặt đường bê tông thôn Trung Chải.", "Trung Chải"),
]
SENDERS = [("Lý A Chỉnh", "Thôn Lao Chải"), ("Thào Thị Mai", "Thôn Ngải Trồ"),
           ("Người tố cáo (bảo mật)", "Thôn Mù Khum"), ("Sùng A Lử", "Thôn Phìn Hồ"),
           ("Chu Thị Dung", "Thôn Hồng Ngài"), ("Pờ Chà Ngái", "Thôn Trung Chải")]


def _complaints(db: Session, clerk: Account | None, cal: DemoCalendar) -> None:
    for n, ((kind, title, text, village), (name, address)) in enumerate(
            zip(COMPLAINTS, SENDERS, strict=True)):
        received = cal.on(3 + n, 10)
        steps = [] if n == 5 else [(Action.FORWARD, received + timedelta(days=4))]
        item = _item(db, clerk, ItemKind.CITIZEN_COMPLAINT, title, received, steps, text=text,
                     area=village, complaint_type=kind.value, responsible_agency=UBND,
                     due_on=COMPLAINT_LIMITS[kind].due(received))
        if n < 4:
            item.sender_notified_at = _at(received + timedelta(days=5))
            db.add(item)
        db.add(ComplainantRecord(item_id=id_of(item), full_name=name, address=address,
                                 phone=f"09120000{n:02d}",
                                 handler_account_id=clerk.id if clerk else None))
