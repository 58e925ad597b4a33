"""Vote results as inline SVG drawn on the server: no script, no library, prints well."""

from __future__ import annotations

from html import escape
from typing import Any

COLOURS = {"yes": "#1d6b2f", "no": "#a4161a"}


def vote_svg(vote: dict[str, Any], lang: str = "vi") -> str:
    """Horizontal bars, one per choice, with a dashed line at the votes needed to pass."""
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
        caption = f"needed {needed}" if lang == "en" else f"cần {needed}"
        parts.append(f'<line class="threshold" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" '
                     f'y2="{bottom + 4}" stroke="#a4161a" stroke-width="2" '
                     f'stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 24}" text-anchor="middle" font-size="14" '
                     f'fill="#a4161a">{caption}</text>')
    parts.append("</svg>")
    return "".join(parts)
