"""The province's view of its communes: every council's plan indicators side by side, a
council's figures and the items behind them, and the province's half-year and annual
reviews built from the councils' own data.

For the province's Standing Committee (an account with ``reads_councils_below``). Each
council is measured in a session scoped to it alone (server/tenancy), with the same
``indicators`` its own dashboard uses, so a commune's figure reads the same on both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from server.errors import Forbidden
from server.followup.indicators import indicators
from server.followup.reports import CUTOFF, TITLES, ReviewPeriod, as_of_moment, cutoff, indicator_result
from server.followup.schemas import Indicator
from server.models import Council
from server.models.base import id_of, utcnow
from server.models.followup import TrackedItem
from server.security.principal import Principal
from server.tenancy import scoping
from server.tenancy.scope import Scope
from shared.reports.document import (
    BarChart,
    OfficialDocument,
    Paragraph,
    Section,
    Signature,
    Table,
    place_date_line,
)
from shared.rules.book import RULES


class NotProvinceReader(Forbidden):
    code = "not_province_reader"
    message_vi = "Trang này dành cho Thường trực HĐND tỉnh (tài khoản theo dõi các HĐND cấp dưới)."
    message_en = ("This page is for the province's Standing Committee "
                  "(accounts that follow the councils below).")


@dataclass(frozen=True)
class CouncilFigure:
    council_id: int
    council_name: str
    indicator: Indicator


@dataclass(frozen=True)
class ProvinceIndicator:
    """One target across the councils, those below it first (then the lowest first)."""

    key: str
    label_vi: str
    label_en: str
    target: float
    unit: str
    figures: list[CouncilFigure]

    @property
    def below(self) -> int:
        return sum(1 for f in self.figures if f.indicator.measured and not f.indicator.met)


@dataclass(frozen=True)
class NextReview:
    period: ReviewPeriod
    due: date  # the day before which it is due
    days_left: int


def require_reader(principal: Principal) -> frozenset[int]:
    """The councils under the caller's; refused in words for anyone else."""
    if not principal.councils_below:
        raise NotProvinceReader()
    return principal.councils_below


def council_names(db: Session, ids: frozenset[int]) -> dict[int, str]:
    with Session(db.get_bind()) as every:
        return {id_of(c): c.name for c in every.exec(select(Council).where(col(Council.id).in_(ids)))}


def council_indicators(db: Session, council_id: int, year: int, now: datetime) -> list[Indicator]:
    """One council's indicators, measured in a session that sees that council only."""
    with Session(db.get_bind()) as own:
        scoping.enter(own, Scope(frozenset({council_id}), None))
        return indicators(own, year, now).indicators


def side_by_side(db: Session, principal: Principal, year: int,
                 now: datetime | None = None) -> list[ProvinceIndicator]:
    """Every target with each council's figure, councils below the target first."""
    moment = now or utcnow()
    names = council_names(db, require_reader(principal))
    per_key: dict[str, list[CouncilFigure]] = {}
    labels: dict[str, Indicator] = {}
    for council_id, name in sorted(names.items(), key=lambda kv: kv[1]):
        for indicator in council_indicators(db, council_id, year, moment):
            per_key.setdefault(indicator.key, []).append(CouncilFigure(council_id, name, indicator))
            labels.setdefault(indicator.key, indicator)
    out = []
    for key, figures in per_key.items():
        first = labels[key]
        figures.sort(key=lambda f: (not f.indicator.measured, f.indicator.met, f.indicator.value,
                                    f.council_name))
        out.append(ProvinceIndicator(key, first.label_vi, first.label_en, first.target, first.unit,
                                     figures))
    return out


def items_behind(db: Session, principal: Principal, council_id: int,
                 indicator: Indicator) -> list[TrackedItem]:
    """The tracked items a council's figure counts (the drill-down's last step)."""
    require_reader(principal)
    if indicator.item_type != "tracked_item" or not indicator.item_ids:
        return []
    with Session(db.get_bind()) as own:
        scoping.enter(own, Scope(frozenset({council_id}), None))
        return list(own.exec(select(TrackedItem).where(col(TrackedItem.id).in_(indicator.item_ids))
                             .order_by(col(TrackedItem.id))))


def next_review(today: date) -> NextReview:
    """The review due next and the days left (rule ``review_deadlines``)."""
    candidates = []
    for year in (today.year, today.year + 1):
        for period in (ReviewPeriod.HALF, ReviewPeriod.ANNUAL):
            month, day = CUTOFF[period]
            due = date(year, month, day + 1)
            if due > today:
                candidates.append(NextReview(period, due, (due - today).days))
    return min(candidates, key=lambda r: r.due)


def review_document(db: Session, principal: Principal, year: int, period: ReviewPeriod | str,
                    now: datetime | None = None) -> OfficialDocument:
    """The province's half-year or annual review from every commune's figures."""
    period = ReviewPeriod(period)
    moment = as_of_moment(year, period, now or utcnow())
    as_of = min(cutoff(year, period), moment.date())
    rows = side_by_side(db, principal, year, moment)
    province = db.get(Council, principal.council_id)
    province_name = province.name if province else "Hội đồng nhân dân tỉnh"
    title_vi = TITLES[period][0].format(year=year)
    sections: list[Section] = [Section("", [
        f"Thường trực Hội đồng nhân dân tỉnh tổng hợp kết quả thực hiện các chỉ tiêu của Đề án 06 "
        f"tại {len({f.council_id for r in rows for f in r.figures})} Hội đồng nhân dân cấp xã, "
        f"số liệu tính đến ngày {as_of.strftime('%d/%m/%Y')}, như sau:"], numbered=False)]
    for row in rows:
        table = [[f.council_name,
                  indicator_result(f.indicator) if f.indicator.measured else "chưa đo",
                  "Đạt" if f.indicator.met else "Chưa đạt"] for f in row.figures]
        chart = BarChart(title=row.label_vi, labels=[f.council_name for f in row.figures],
                         values=[f.indicator.value * (1 if row.unit == "count" else 100)
                                 for f in row.figures],
                         threshold=row.target * (1 if row.unit == "count" else 100),
                         threshold_label="mục tiêu", unit="" if row.unit == "count" else "%")
        sections.append(Section(row.label_vi, [
            Paragraph(f"{row.below}/{len(row.figures)} Hội đồng nhân dân chưa đạt chỉ tiêu.",
                      bold=True),
            Table(["Hội đồng nhân dân", "Kết quả", "Đánh giá"], table, column_widths=(6, 2.5, 1.8),
                  numeric_columns=(1,)),
            chart]))
    rule = RULES["review_deadlines"]
    sections.append(Section("Căn cứ thời hạn báo cáo", [f"{rule.citation}: {rule.quote}"]))
    issuer = province_name.upper().replace("HỘI ĐỒNG NHÂN DÂN ", "", 1)
    return OfficialDocument(
        issuer_lines=("HỘI ĐỒNG NHÂN DÂN", issuer, "THƯỜNG TRỰC"),
        number=f"{'01' if period is ReviewPeriod.HALF else '02'}/BC-TTHĐND",
        place_date=place_date_line(province_name.removeprefix("Hội đồng nhân dân tỉnh ").strip(),
                                   as_of),
        title="BÁO CÁO", subtitle=f"{title_vi} thực hiện Đề án 06 tại các Hội đồng nhân dân cấp xã",
        sections=sections,
        signature_blocks=[Signature("CHỦ TỊCH", "", authority="TM. THƯỜNG TRỰC HĐND")],
        recipients=("Thường trực Tỉnh ủy;", "Thường trực HĐND các xã;", "Lưu: VT."),
        author=province_name, subject=title_vi, keywords=("sơ kết", "tổng kết", "Đề án 06"),
        issued_on=as_of)
