"""Vote results as inline SVG drawn on the server: no script, no library, prints well."""

from __future__ import annotations

from html import escape
from typing import Any

COLOURS = {"yes": "#1d6b2f", "no": "#a4161a", "high": "#1d6b2f", "medium": "#5b6b7f",
           "low": "#a4161a"}


def vote_svg(vote: dict[str, Any], lang: str = "vi", caption: str | None = None) -> str:
    """Horizontal bars, one per choice, with a dashed line at the votes needed to pass
    (``caption`` says what the line means when it is not "votes needed")."""
    counts = vote.get("counts") or []
    needed = vote.get("needed") or 0
    width, left, right, row = 560, 200, 50, 44
    top = 8
    height = top + row * len(counts) + 34
    top_value = max([needed, 1, *(c["count"] for c in counts)])
    scale = (width - left - right) / top_value
    label_key = "label_en" if lang == "en" else "label_vi"
    title = escape(vote.get("question", ""))
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{title}" xmlns="http://www.w3.org/2000/svg">']
    for index, choice in enumerate(counts):
        y = top + index * row
        bar = max(2.0, choice["count"] * scale)
        colour = COLOURS.get(choice["key"], "#5b6b7f")
        parts.append(f'<text x="{left - 10}" y="{y + 25}" text-anchor="end" font-size="20" '
                     f'fill="#1a1a1a">{escape(choice[label_key])}</text>')
        parts.append(f'<rect x="{left}" y="{y + 6}" width="{bar:.1f}" height="{row - 12}" '
                     f'rx="3" fill="{colour}"/>')
        parts.append(f'<text x="{left + bar + 8:.1f}" y="{y + 25}" font-size="20" '
                     f'font-weight="700" fill="#1a1a1a">{choice["count"]}</text>')
    if needed:
        x = left + needed * scale
        bottom = top + row * len(counts)
        caption = caption or (f"needed {needed}" if lang == "en" else f"cần {needed}")
        parts.append(f'<line class="threshold" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" '
                     f'y2="{bottom + 4}" stroke="#a4161a" stroke-width="2" '
                     f'stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 24}" text-anchor="middle" font-size="14" '
                     f'fill="#a4161a">{caption}</text>')
    parts.append("</svg>")
    return "".join(parts)


def ballot_svgs(ballot: dict[str, Any], lang: str = "vi") -> list[tuple[str, str]]:
    """A counted secret ballot as (heading, chart) pairs: one chart of the candidates for
    an election; one per official for a confidence vote, its line at "more than half of
    all delegates" rating low (the rule's first consequence, docs/ballot.md §6)."""
    if ballot.get("candidates"):
        counts = [{"key": c["candidate_id"], "label_vi": c["full_name"],
                   "label_en": c["full_name"], "count": c["votes"]} for c in ballot["candidates"]]
        return [("", vote_svg({"question": ballot.get("title", ""), "counts": counts}, lang))]
    charts = []
    half = int(ballot.get("members_total") or 0) // 2 + 1
    levels = (("high", "Tín nhiệm cao", "High confidence"), ("medium", "Tín nhiệm", "Confidence"),
              ("low", "Tín nhiệm thấp", "Low confidence"))
    for official in (ballot.get("confidence") or {}).get("officials", []):
        tally = official.get("counts") or {}
        counts = [{"key": key, "label_vi": vi, "label_en": en, "count": tally.get(key, 0)}
                  for key, vi, en in levels]
        caption = (f"quá nửa: {half}" if lang == "vi" else f"more than half: {half}")
        charts.append((official.get("full_name", ""), vote_svg(
            {"question": official.get("full_name", ""), "counts": counts, "needed": half},
            lang, caption)))
    return charts
