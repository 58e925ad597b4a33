"""Bar charts drawn as vector graphics onto a PDF page.

Shared by the PDF renderer (drawn in place) and the DOCX renderer (drawn on a scratch
page, then turned into a picture), so a chart looks the same in both.
"""

from __future__ import annotations

import math

import pymupdf

from shared.reports.document import BarChart, format_vn_number
from shared.reports.fonts import font

TITLE_SIZE = 10.5
LABEL_SIZE = 8.5
ROW_HEIGHT = 17.0
TITLE_HEIGHT = 22.0
AXIS_HEIGHT = 16.0
LEGEND_HEIGHT = 14.0
BAR_COLOR = (0.16, 0.38, 0.64)
THRESHOLD_COLOR = (0.80, 0.12, 0.12)
GRID_COLOR = (0.75, 0.75, 0.75)


def chart_height(chart: BarChart) -> float:
    """The vertical space the chart needs at full row height."""
    legend = LEGEND_HEIGHT if chart.threshold is not None else 0.0
    return TITLE_HEIGHT + ROW_HEIGHT * max(1, len(chart.labels)) + AXIS_HEIGHT + legend


def _value_text(chart: BarChart, value: float) -> str:
    decimals = 0 if float(value).is_integer() else 1
    text = format_vn_number(value, decimals)
    if chart.unit == "%":  # Vietnamese writes "95,8%", other units after a space
        return f"{text}%"
    return f"{text} {chart.unit}".rstrip()


def _nice_ceiling(value: float) -> float:
    """The next round number (1, 2, 2.5, 5 or 10 times a power of ten) at or above ``value``,
    so the four ticks of the scale read as whole numbers."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 4, 5, 8, 10):
        if step * power >= value * 0.999:
            return float(step * power)
    return float(10 * power)


def _fit(text: str, width: float, size: float) -> str:
    """Shorten a label with an ellipsis rather than let it run into the bars."""
    regular = font("regular")
    if regular.text_length(text, fontsize=size) <= width:
        return text
    while text and regular.text_length(text + "…", fontsize=size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def draw_bar_chart(page: pymupdf.Page, rect: pymupdf.Rect, chart: BarChart) -> None:
    """Draw ``chart`` inside ``rect`` on ``page``: title, labelled bars, optional target line."""
    regular, bold = font("regular"), font("bold")
    writer = pymupdf.TextWriter(page.rect)
    title_width = bold.text_length(chart.title, fontsize=TITLE_SIZE)
    writer.append(
        (rect.x0 + (rect.width - title_width) / 2, rect.y0 + TITLE_SIZE + 2),
        chart.title, font=bold, fontsize=TITLE_SIZE,
    )

    rows = max(1, len(chart.labels))
    legend = LEGEND_HEIGHT if chart.threshold is not None else 0.0
    row_height = min(ROW_HEIGHT, (rect.height - TITLE_HEIGHT - AXIS_HEIGHT - legend) / rows)
    label_width = rect.width * 0.40
    value_room = 62.0
    x0 = rect.x0 + label_width + 6
    bar_room = rect.x1 - value_room - x0
    top = rect.y0 + TITLE_HEIGHT
    bottom = top + row_height * rows
    scale_max = _nice_ceiling(max([*chart.values, chart.threshold or 0.0, 0.0]))

    shape = page.new_shape()
    for step in range(1, 5):  # light vertical grid at quarters of the scale
        gx = x0 + bar_room * step / 4
        shape.draw_line((gx, top), (gx, bottom))
    shape.finish(color=GRID_COLOR, width=0.4, dashes="[2 2] 0", closePath=False)
    shape.draw_line((x0, top), (x0, bottom))
    shape.draw_line((x0, bottom), (x0 + bar_room, bottom))
    shape.finish(color=(0, 0, 0), width=0.7, closePath=False)

    for index, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        y = top + row_height * index
        bar_height = row_height * 0.64
        bar_top = y + (row_height - bar_height) / 2
        bar_width = bar_room * value / scale_max
        if bar_width > 0:
            shape.draw_rect(pymupdf.Rect(x0, bar_top, x0 + bar_width, bar_top + bar_height))
            shape.finish(fill=BAR_COLOR, color=None, width=0)
        baseline = bar_top + bar_height / 2 + LABEL_SIZE * 0.35
        shown = _fit(label, label_width - 4, LABEL_SIZE)
        label_x = x0 - 6 - regular.text_length(shown, fontsize=LABEL_SIZE)
        writer.append((label_x, baseline), shown, font=regular, fontsize=LABEL_SIZE)
        writer.append((x0 + bar_width + 3, baseline), _value_text(chart, value),
                      font=regular, fontsize=LABEL_SIZE)

    for step in range(0, 5):  # scale under the axis
        tick = scale_max * step / 4
        text = _value_text(chart, tick) if step else "0"
        tx = x0 + bar_room * step / 4 - regular.text_length(text, fontsize=7) / 2
        writer.append((tx, bottom + 9), text, font=regular, fontsize=7)

    shape.commit()
    writer.write_text(page)
    if chart.threshold is not None:
        _draw_threshold(page, chart, x0 + bar_room * chart.threshold / scale_max, top, bottom,
                        rect)


def _draw_threshold(page: pymupdf.Page, chart: BarChart, x: float, top: float, bottom: float,
                    rect: pymupdf.Rect) -> None:
    """The target as a dashed red line across the bars, explained in a legend below."""
    shape = page.new_shape()
    shape.draw_line((x, top - 2), (x, bottom + 2))
    legend_y = bottom + AXIS_HEIGHT + LEGEND_HEIGHT / 2
    regular = font("regular")
    label = chart.threshold_label or _value_text(chart, chart.threshold or 0.0)
    width = 22 + regular.text_length(label, fontsize=7.5)
    start = rect.x0 + (rect.width - width) / 2
    shape.draw_line((start, legend_y - 2.5), (start + 18, legend_y - 2.5))
    shape.finish(color=THRESHOLD_COLOR, width=1.2, dashes="[4 2] 0", closePath=False)
    shape.commit()
    writer = pymupdf.TextWriter(page.rect)
    writer.append((start + 22, legend_y), label, font=regular, fontsize=7.5)
    writer.write_text(page)
