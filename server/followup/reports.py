"""Half-year and annual reviews of the follow-up (sơ kết 6 tháng, tổng kết năm) as official
documents: the plan's indicators with charts against their targets, tables per body and per
kind of item, and the list of overdue items.

The Standing Committee reports before 15 June (half-year) and before 15 November (annual);
the figures are taken as they stand on the period's cut-off day, or today if earlier, so a
report generated after the review still says what it said on the day. Indicators count the
whole calendar year's items (see ``followup_indicators``); the tables count items received
up to the cut-off.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from sqlmodel import Session, col, select

from server.errors import ValidationFailed
from server.followup.deadlines import VN_TZ, local_date
from server.followup.indicators import SUPERVISING_BODIES, indicators
from server.followup.labels import label, status_label
from server.followup.lifecycle import ItemKind, Status, effective_status
from server.followup.schemas import Indicator
from server.models import Body, Person
from server.models.base import id_of, utcnow
from server.models.followup import ComplaintType, Supervision, SupervisionKind, TrackedItem
from server.services import council
from shared.reports.document import (
    BarChart,
    BulletList,
    OfficialDocument,
    Paragraph,
    Section,
    Signature,
    Table,
    format_vn_number,
    place_date_line,
    printable,
)


class ReviewPeriod(StrEnum):
    HALF = "half"  # sơ kết 6 tháng đầu năm
    ANNUAL = "annual"  # tổng kết năm


CUTOFF = {ReviewPeriod.HALF: (6, 14), ReviewPeriod.ANNUAL: (11, 14)}
"""The last day counted: the review is due before 15 June / 15 November (rule
``review_deadlines``, shared/rules/book.py: the Đề án 06 plan, section V.1)."""

TITLES = {
    ReviewPeriod.HALF: ("Sơ kết 6 tháng đầu năm {year}", "half-year review {year}"),
    ReviewPeriod.ANNUAL: ("Tổng kết năm {year}", "annual review {year}"),
}

COMPLAINT_TYPE_VI = {
    ComplaintType.complaint: "khiếu nại",
    ComplaintType.denunciation: "tố cáo",
    ComplaintType.petition: "kiến nghị",
    ComplaintType.feedback: "phản ánh",
}


@dataclass(frozen=True)
class ReviewFigures:
    """What the report says, kept apart from the layout so tests and pages can read it."""

    year: int
    period: ReviewPeriod
    as_of: date
    indicators: list[Indicator]
    per_kind: list[list[str]]
    per_body: list[list[str]]
    overdue: list[TrackedItem]


def cutoff(year: int, period: ReviewPeriod) -> date:
    month, day = CUTOFF[period]
    return date(year, month, day)


def as_of_moment(year: int, period: ReviewPeriod, now: datetime) -> datetime:
    """The end of the cut-off day in Vietnam, or *now* if that is earlier."""
    end = datetime.combine(cutoff(year, period), time(23, 59, 59), tzinfo=VN_TZ)
    return min(end, now)


def parse_period(value: str) -> ReviewPeriod:
    try:
        return ReviewPeriod(value)
    except ValueError:
        raise ValidationFailed("Kỳ báo cáo phải là 'half' (6 tháng) hoặc 'annual' (năm).",
                               "The period must be 'half' or 'annual'.", field="period") from None


def percent(value: float) -> str:
    return format_vn_number(value * 100, 0 if (value * 100).is_integer() else 1) + "%"


def indicator_result(indicator: Indicator) -> str:
    """"36/40 (90%)" for a share, "3" for a count."""
    if not indicator.measured:
        return "Chưa đo được: " + indicator.reason_vi
    if indicator.unit == "count":
        return format_vn_number(indicator.value)
    return f"{indicator.numerator}/{indicator.denominator} ({percent(indicator.value)})"


def verdict(indicator: Indicator) -> str:
    if not indicator.measured:
        return "Chưa đo được"
    return "Đạt" if indicator.met else "Chưa đạt"


def indicator_target(indicator: Indicator) -> str:
    shown = (format_vn_number(indicator.target) if indicator.unit == "count"
             else percent(indicator.target))
    return ("trên " if indicator.comparison == ">" else "≥ ") + shown


def _items_until(db: Session, year: int, last_day: date) -> list[TrackedItem]:
    return list(db.exec(select(TrackedItem).where(
        col(TrackedItem.received_on) >= date(year, 1, 1),
        col(TrackedItem.received_on) <= last_day).order_by(col(TrackedItem.id))))


def _before(moment: datetime | None, limit: datetime) -> bool:
    return moment is not None and moment <= limit


def _per_kind(items: list[TrackedItem], moment: datetime) -> list[list[str]]:
    rows: list[list[str]] = []
    totals: Counter[str] = Counter()
    for kind in ItemKind:
        of_kind = [i for i in items if i.kind == kind.value]
        counts = Counter(
            received=len(of_kind),
            forwarded=sum(_before(i.forwarded_at, moment) for i in of_kind),
            answered=sum(_before(i.answered_at, moment) for i in of_kind),
            done=sum(i.status == Status.VERIFIED_DONE and _before(i.verified_at, moment)
                     for i in of_kind),
            overdue=sum(effective_status(i.status, i.due_on, moment) is Status.OVERDUE
                        for i in of_kind),
        )
        totals.update(counts)
        rows.append([label(kind, "vi"), *(str(counts[k]) for k in
                                          ("received", "forwarded", "answered", "done",
                                           "overdue"))])
    rows.append(["Tổng cộng", *(str(totals[k]) for k in
                                ("received", "forwarded", "answered", "done", "overdue"))])
    return rows


def _per_body(db: Session, year: int, items: list[TrackedItem],
              moment: datetime) -> list[list[str]]:
    bodies = db.exec(select(Body).where(col(Body.kind).in_([k.value for k in SUPERVISING_BODIES]))
                     .order_by(col(Body.id))).all()
    supervisions = db.exec(select(Supervision).where(Supervision.year == year)).all()
    rows = []
    for body in bodies:
        own = [s for s in supervisions if s.body_id == body.id]
        own_ids = {s.id for s in own}
        recommendations = [i for i in items if i.supervision_id in own_ids]
        regular = [s for s in own if s.kind == SupervisionKind.regular]
        rows.append([
            printable(body.name),
            str(sum(s.kind == SupervisionKind.thematic for s in own)),
            str(len(regular)),
            str(sum(s.digital for s in regular)),
            str(len(recommendations)),
            str(sum(effective_status(i.status, i.due_on, moment) is Status.OVERDUE
                    for i in recommendations)),
        ])
    return rows


def review_figures(db: Session, year: int, period: ReviewPeriod,
                   now: datetime | None = None) -> ReviewFigures:
    moment = as_of_moment(year, period, now or utcnow())
    items = _items_until(db, year, local_date(moment))
    overdue = [i for i in items
               if effective_status(i.status, i.due_on, moment) is Status.OVERDUE]
    overdue.sort(key=lambda i: (i.due_on or date.max, id_of(i)))
    return ReviewFigures(year=year, period=period, as_of=local_date(moment),
                         indicators=indicators(db, year, moment).indicators,
                         per_kind=_per_kind(items, moment),
                         per_body=_per_body(db, year, items, moment), overdue=overdue)


def overdue_title(item: TrackedItem) -> str:
    """A citizen's complaint is named by its number only: its title may point at the sender."""
    if item.kind == ItemKind.CITIZEN_COMPLAINT:
        kind = COMPLAINT_TYPE_VI.get(ComplaintType(item.complaint_type or "complaint"), "đơn")
        return f"Đơn {kind} số {item.id}"
    return printable(item.title)


def _charts(figures: ReviewFigures) -> list[BarChart]:
    measured = [i for i in figures.indicators if i.measured]
    shares = [i for i in measured if i.unit != "count" and i.target >= 1.0]
    charts = [BarChart("Các chỉ tiêu 100% (%)", [i.label_vi.split(":")[0] for i in shares],
                       [round(i.value * 100, 1) for i in shares], threshold=100.0,
                       threshold_label="Chỉ tiêu 100%", unit="%")]
    for i in measured:
        if i.unit == "count":
            charts.append(BarChart(i.label_vi.split(":")[0], ["Số phiên đã tổ chức"], [i.value],
                                   threshold=i.target,
                                   threshold_label=f"Chỉ tiêu {format_vn_number(i.target)}"))
        elif i.target < 1.0:
            charts.append(BarChart(i.label_vi.split(":")[0] + " (%)", ["Tỷ lệ đạt được"],
                                   [round(i.value * 100, 1)], threshold=i.target * 100,
                                   threshold_label=f"Chỉ tiêu trên {percent(i.target)}",
                                   unit="%"))
    return charts


def place_of_council(council_name: str) -> str:
    """"Hội đồng nhân dân xã Y Tý" → "Y Tý", the place on the date line."""
    rest = council_name.replace("Hội đồng nhân dân", "").strip()
    for level in ("thành phố", "xã", "phường", "thị trấn", "tỉnh", "huyện", "thị xã"):
        if rest.lower().startswith(level + " "):
            return rest[len(level) + 1:]
    return rest


def _delegates_section(db: Session, year: int) -> Section:
    """The annual review's table of each delegate's record (phiếu theo dõi), from the log."""
    from server.services.delegate_record import delegate_record

    people = db.exec(select(Person).where(col(Person.is_delegate).is_(True))
                     .order_by(col(Person.id))).all()
    rows = []
    for n, person in enumerate(people, start=1):
        r = delegate_record(db, id_of(person), year)
        asked = sum(s.kind == "question" for s in r.speeches)
        rows.append([str(n), printable(person.full_name), str(len(r.sessions)), str(r.votes),
                     str(len(r.speeches) - asked), str(asked), str(len(r.voter_meetings)),
                     str(len(r.supervisions)), str(len(r.training))])
    return Section("Hoạt động của đại biểu Hội đồng nhân dân", [
        f"Số liệu trong năm {year}, tổng hợp từ nhật ký phiên họp và dữ liệu theo dõi.",
        Table(["STT", "Đại biểu", "Kỳ họp, phiên họp dự", "Biểu quyết", "Phát biểu",
               "Chất vấn", "Tiếp xúc cử tri", "Giám sát", "Bồi dưỡng"], rows,
              column_widths=(0.6, 3.2, 1.3, 1.1, 1.1, 1.1, 1.2, 1.1, 1.1),
              numeric_columns=(0, 2, 3, 4, 5, 6, 7, 8)),
    ])


def review_document(db: Session, year: int, period: ReviewPeriod | str,
                    now: datetime | None = None) -> OfficialDocument:
    """The review as an official report (BÁO CÁO) of the Standing Committee."""
    period = ReviewPeriod(period)
    figures = review_figures(db, year, period, now)
    council_name = council.the_council(db).name
    title_vi = TITLES[period][0].format(year=year)
    indicator_rows = [[i.label_vi, indicator_result(i), indicator_target(i),
                       verdict(i)] for i in figures.indicators]
    met = sum(i.met for i in figures.indicators)
    measured = [i for i in figures.indicators if i.measured]
    overdue_rows = [[str(n), label(ItemKind(i.kind), "vi"), overdue_title(i),
                     status_label(Status(i.status), i.kind, "vi"), printable(i.responsible_agency),
                     i.due_on.strftime("%d/%m/%Y") if i.due_on else "",
                     str((figures.as_of - i.due_on).days) if i.due_on else ""]
                    for n, i in enumerate(figures.overdue, start=1)]
    sections = [
        Section("", [f"Thường trực Hội đồng nhân dân báo cáo kết quả theo dõi việc thực hiện "
                     f"nghị quyết, kết luận, kiến nghị giám sát, cam kết khi trả lời chất vấn, "
                     f"kiến nghị của cử tri và đơn của công dân, số liệu tính đến ngày "
                     f"{figures.as_of.strftime('%d/%m/%Y')}, như sau:"], numbered=False),
        Section("Kết quả thực hiện các chỉ tiêu của Đề án", [
            f"Đạt {met}/{len(measured)} chỉ tiêu đo được"
            + (f"; {len(figures.indicators) - len(measured)} chỉ tiêu chưa đo được."
               if len(measured) < len(figures.indicators) else "."),
            Table(["Chỉ tiêu", "Kết quả", "Mục tiêu", "Đánh giá"], indicator_rows,
                  column_widths=(6, 2.2, 1.4, 1.4), numeric_columns=(1,)),
            *_charts(figures),
        ]),
        Section("Kết quả theo dõi theo loại việc", [
            Table(["Loại việc", "Tiếp nhận", "Đã chuyển", "Đã trả lời", "Hoàn thành",
                   "Quá hạn"], figures.per_kind, column_widths=(5, 1.3, 1.3, 1.3, 1.3, 1.2),
                  numeric_columns=(1, 2, 3, 4, 5), bold_last_row=True),
        ]),
        Section("Hoạt động giám sát theo cơ quan", [
            Table(["Cơ quan", "Chuyên đề", "Thường xuyên", "Qua môi trường số", "Kiến nghị",
                   "Kiến nghị quá hạn"], figures.per_body,
                  column_widths=(4, 1.3, 1.5, 1.5, 1.3, 1.4), numeric_columns=(1, 2, 3, 4, 5))
            if figures.per_body else "Chưa có cơ quan thực hiện giám sát.",
        ]),
        Section("Các việc quá hạn", [
            Paragraph(f"Có {len(overdue_rows)} việc quá hạn cần đôn đốc.", bold=True),
            Table(["STT", "Loại", "Nội dung", "Trạng thái", "Cơ quan được giao", "Hạn",
                   "Số ngày quá hạn"],
                  overdue_rows, column_widths=(0.6, 1.8, 4.2, 1.8, 2, 1.3, 1.2),
                  numeric_columns=(0, 6)),
        ] if overdue_rows else ["Không có việc quá hạn."]),
        *([_delegates_section(db, year)] if period is ReviewPeriod.ANNUAL else []),
        Section("Kiến nghị", [BulletList([
            "Đề nghị các cơ quan được giao khẩn trương giải quyết các việc quá hạn nêu tại "
            "mục IV và báo cáo kết quả về Thường trực Hội đồng nhân dân.",
            "Các chỉ tiêu chưa đạt được đưa vào chương trình giám sát và tái giám sát.",
        ])]),
    ]
    issuer_name = council_name.upper().replace("HỘI ĐỒNG NHÂN DÂN ", "", 1)
    return OfficialDocument(
        issuer_lines=("HỘI ĐỒNG NHÂN DÂN", issuer_name, "THƯỜNG TRỰC"),
        number=f"{'01' if period is ReviewPeriod.HALF else '02'}/BC-TTHĐND",
        place_date=place_date_line(place_of_council(council_name), figures.as_of),
        title="BÁO CÁO",
        subtitle=f"{title_vi} việc theo dõi thực hiện nghị quyết, giám sát, chất vấn, "
                 f"kiến nghị cử tri và đơn thư",
        sections=sections,
        signature_blocks=[Signature("CHỦ TỊCH", "", authority="TM. THƯỜNG TRỰC HĐND")],
        recipients=("Thường trực Huyện ủy/Đảng ủy;", "Đại biểu HĐND;", "UBND;",
                    "Lưu: VT."),
        author=council_name, subject=title_vi, keywords=("sơ kết", "tổng kết", "theo dõi"),
        issued_on=figures.as_of)
