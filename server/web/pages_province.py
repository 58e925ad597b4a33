"""The province's dashboard (console → "Tỉnh"): every commune's plan indicators side by
side, a chart per target with the councils below it first, a commune's figures and the
items behind them, and the province's half-year and annual reviews.

Only for the province's Standing Committee (accounts that follow the councils below);
the figures come from server/followup/province.py, this module only draws them.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from server.deps import SessionDep
from server.errors import NotFound
from server.followup import province
from server.followup import reports as followup_reports
from server.followup.deadlines import local_date
from server.models.base import utcnow
from server.reports.download import document_response
from server.schemas.base import PathId
from server.web.auth import WebUserDep
from server.web.i18n import language_of
from server.web.render import render

router = APIRouter(prefix="/console/tinh", include_in_schema=False)
YEAR = Query(None, ge=2000, le=2200)
ROW, LABEL, BAR = 30, 230, 300  # one council per row: its name, then its bar


def _year(year: int | None) -> int:
    return year or local_date(utcnow()).year


def _shown(value: float, unit: str) -> str:
    return f"{value:g}" if unit == "count" else followup_reports.percent(value)


def province_svg(row: province.ProvinceIndicator, year: int, lang: str = "vi") -> str:
    """One bar per council against a dashed line at the target; councils below it first,
    in amber; each name links to that council's figures."""
    count = row.unit == "count"
    top = max([row.target, *(f.indicator.value for f in row.figures)]) if count else 1.0
    scale = (top * 1.25 or 1.0) if count else 1.0
    height = ROW * len(row.figures) + 34
    width = LABEL + BAR + 70
    target_x = LABEL + BAR * row.target / scale
    name = escape(row.label_en if lang == "en" else row.label_vi)
    parts = [f'<svg class="chart province" data-key="{row.key}" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{name}" xmlns="http://www.w3.org/2000/svg">']
    for n, figure in enumerate(row.figures):
        y = 6 + n * ROW
        value = figure.indicator.value
        bar = max(2.0, BAR * min(value, scale) / scale)
        colour = "#1d6b2f" if figure.indicator.met else "#b45309"
        shown = _shown(value, row.unit)
        if not count and figure.indicator.denominator == 0:
            # nothing to count (no petition received, no task due): met, but say so rather
            # than show a 100% the commune did nothing for
            colour, shown = "#7a8794", ("none arose" if lang == "en" else "không phát sinh")
        label = escape(figure.council_name.removeprefix("Hội đồng nhân dân "))
        parts += [
            f'<a href="/console/tinh/xa/{figure.council_id}?year={year}" data-council="{figure.council_id}">'
            f'<text x="{LABEL - 8}" y="{y + 17}" text-anchor="end" font-size="14" fill="#0b3d91" '
            f'text-decoration="underline">{label}</text></a>',
            f'<rect x="{LABEL}" y="{y}" width="{BAR}" height="22" fill="#eef1f5"/>',
            f'<rect class="bar {"met" if figure.indicator.met else "below"}" x="{LABEL}" y="{y}" '
            f'width="{bar:.1f}" height="22" rx="3" fill="{colour}"/>',
            f'<text x="{LABEL + bar + 6:.1f}" y="{y + 16}" font-size="14" font-weight="700" '
            f'fill="#1a1a1a">{shown}</text>',
        ]
    caption = ("target " if lang == "en" else "mục tiêu ") + _shown(row.target, row.unit)
    bottom = 6 + ROW * len(row.figures)
    parts += [f'<line class="target" x1="{target_x:.1f}" x2="{target_x:.1f}" y1="2" y2="{bottom}" '
              f'stroke="#a4161a" stroke-width="2" stroke-dasharray="6 4"/>',
              f'<text x="{target_x:.1f}" y="{bottom + 18}" text-anchor="middle" font-size="13" '
              f'fill="#a4161a">{caption}</text>', "</svg>"]
    return "".join(parts)


@router.get("")
def dashboard(request: Request, user: WebUserDep, db: SessionDep, year: int | None = YEAR) -> Response:
    year = _year(year)
    rows = province.side_by_side(db, user.principal, year)
    lang = language_of(request)
    return render(request, "console/province.html", {
        "user": user, "year": year, "rows": [(r, province_svg(r, year, lang)) for r in rows],
        "next": province.next_review(local_date(utcnow())),
        "councils": len({f.council_id for r in rows for f in r.figures})})


@router.get("/xa/{council_id}")
def council_page(council_id: PathId, request: Request, user: WebUserDep, db: SessionDep,
                 year: int | None = YEAR) -> Response:
    year = _year(year)
    below = province.require_reader(user.principal)
    if council_id not in below:
        raise NotFound()
    figures = province.council_indicators(db, council_id, year, utcnow())
    items = {i.key: province.items_behind(db, user.principal, council_id, i) for i in figures}
    return render(request, "console/province_council.html", {
        "user": user, "year": year, "name": province.council_names(db, below)[council_id],
        "figures": figures, "items": items})


@router.get("/bao-cao/{year}/{period}.{fmt}")
def review(year: int, period: str, fmt: str, user: WebUserDep, db: SessionDep) -> Response:
    if fmt not in ("pdf", "docx") or not 2000 <= year <= 2200:
        raise NotFound()
    document = province.review_document(db, user.principal, year, followup_reports.parse_period(period))
    return document_response(document, fmt, f"bao-cao-tinh-{period}-{year}")
