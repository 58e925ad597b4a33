"""The page on screen: a texture uploaded from ``reader`` pixels, marks drawn over it.

Converts between the widget's coordinates (origin bottom-left, pixels) and the page's
(origin top-left, PDF points), turns touches into page turns, zoom, pen strokes,
highlights, notes and erasing, and hands finished marks to its controller. The stroke in
progress is only drawn; it reaches the journal when the finger lifts.
"""

from __future__ import annotations

import math
from typing import Any

from kivy.graphics import Color, InstructionGroup, Line, Rectangle
from kivy.graphics.texture import Texture
from kivy.metrics import dp
from kivy.properties import ListProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.widget import Widget

from tablet_app.core.annotations import Highlight, Note, Stroke
from tablet_app.core.page_geometry import (
    MIN_ZOOM,
    clamp_pan,
    clamp_zoom,
    fit_width,
    zoom_about,
)
from tablet_app.core.reader import RenderedPage

SWIPE_MIN_PX = 80
NOTE_MARKER_DP = 32  # what is drawn
NOTE_TARGET_DP = 48  # what a finger may tap (the touch target of every button too)


def texture_from(page: RenderedPage) -> Texture:
    """Upload the rows (top first) into a texture Kivy draws the right way up.

    The texture has the reader's own colour format (``rgb``), so MuPDF's buffer goes to
    the GPU as it is: no RGBA conversion, no copy.
    """
    texture = Texture.create(size=(page.width, page.height), colorfmt=page.colorfmt)
    texture.blit_buffer(page.pixels, colorfmt=page.colorfmt, bufferfmt="ubyte")
    texture.flip_vertical()
    return texture


class PageView(Widget):
    texture = ObjectProperty(None, allownone=True)
    page_size = ListProperty([595.0, 842.0])  # points
    zoom = NumericProperty(1.0)
    pan = ListProperty([0.0, 0.0])  # pixels, when zoomed in
    tool = StringProperty("read")  # read, pen, highlighter, note, eraser
    pen_color = ListProperty([0.05, 0.3, 0.8])
    pen_width = NumericProperty(2.0)
    controller = ObjectProperty(None, allownone=True)
    marks = ListProperty([])
    search_rects = ListProperty([])
    page_tint = ListProperty([1.0, 1.0, 1.0])  # below 1: a dimmed page (dark mode)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        with self.canvas:
            self._paper = Color(1, 1, 1, 1)
            self._image = Rectangle()
        self._overlay = InstructionGroup()
        self.canvas.add(self._overlay)
        self._live_line: Line | None = None
        self._live_points: list[tuple[float, float]] = []
        self._touches: dict[int, tuple[float, float]] = {}
        self._pinch_start: tuple[float, float] | None = None
        self._down: tuple[float, float] | None = None
        self.bind(pos=self.redraw, size=self.redraw, texture=self.redraw, zoom=self.redraw,
                  pan=self.redraw, marks=self.redraw, search_rects=self.redraw,
                  page_tint=self.redraw)

    # --- geometry ---------------------------------------------------------------------------

    @property
    def scale(self) -> float:
        """Pixels per point as displayed."""
        w, h = self.page_size
        return min(self.width / w, self.height / h) * self.zoom

    def image_box(self) -> tuple[float, float, float, float]:
        w, h = self.page_size[0] * self.scale, self.page_size[1] * self.scale
        x = self.x + (self.width - w) / 2 + self.pan[0]
        y = self.y + (self.height - h) / 2 + self.pan[1]
        return x, y, w, h

    def to_page(self, wx: float, wy: float) -> tuple[float, float]:
        x, y, _w, h = self.image_box()
        return (wx - x) / self.scale, (y + h - wy) / self.scale

    def to_widget(self, px: float, py: float) -> tuple[float, float]:
        x, y, _w, h = self.image_box()
        return x + px * self.scale, y + h - py * self.scale

    # --- drawing -----------------------------------------------------------------------------

    def redraw(self, *_: Any) -> None:
        x, y, w, h = self.image_box()
        self._image.texture = self.texture
        self._image.pos, self._image.size = (x, y), (w, h)
        self._paper.rgba = (*self.page_tint, 1) if self.texture is not None else (1, 1, 1, 0)
        group = self._overlay
        group.clear()
        for rect in self.search_rects:
            self._rect(group, rect, (1.0, 0.5, 0.0, 0.35))
        for mark in self.marks:
            if isinstance(mark, Highlight):
                for rect in mark.rects:
                    self._rect(group, rect, (*mark.color, 0.38))
            elif isinstance(mark, Stroke):
                group.add(Color(*mark.color, 1))
                points = [c for p in mark.points for c in self.to_widget(*p)]
                group.add(Line(points=points, width=max(1.0, mark.width * self.scale / 2)))
            elif isinstance(mark, Note):
                nx, ny = self.to_widget(*mark.point)
                half = dp(NOTE_MARKER_DP) / 2
                group.add(Color(1.0, 0.8, 0.1, 1))
                group.add(Rectangle(pos=(nx - half, ny - half), size=(2 * half, 2 * half)))
                group.add(Color(0.45, 0.3, 0.0, 1))
                group.add(Line(rectangle=(nx - half, ny - half, 2 * half, 2 * half),
                               width=1.5))
                for step in (0.35, 0.0, -0.35):  # lines of writing: "this is a note"
                    group.add(Line(points=[nx - half * 0.55, ny + half * step,
                                           nx + half * 0.55, ny + half * step], width=1.2))
        if self._live_line is not None:
            group.add(Color(*self.pen_color, 1))
            group.add(self._live_line)

    def _rect(self, group: InstructionGroup, rect: Any, rgba: tuple) -> None:
        x0, y0 = self.to_widget(rect[0], rect[3])
        x1, y1 = self.to_widget(rect[2], rect[1])
        group.add(Color(*rgba))
        group.add(Rectangle(pos=(x0, y0), size=(x1 - x0, y1 - y0)))

    # --- touches -----------------------------------------------------------------------------

    def on_touch_down(self, touch: Any) -> bool:
        if not self.collide_point(*touch.pos):
            return False
        button = getattr(touch, "button", "left")
        if button in ("scrollup", "scrolldown"):
            # Kivy's scrolldown is the wheel turned towards the user: zoom in, about the
            # mouse: what is under the pointer stays under it
            self.set_zoom(self.zoom * (1.15 if button == "scrolldown" else 1 / 1.15),
                          about=touch.pos)
            return True
        touch.grab(self)
        self._touches[touch.uid] = touch.pos
        if len(self._touches) == 2:
            self._pinch_start = (self._spread(), self.zoom)
            self._live_line, self._live_points = None, []
            return True
        self._down = touch.pos
        if self.tool == "pen":
            self._live_points = [self.to_page(*touch.pos)]
            self._live_line = Line(points=list(touch.pos), width=max(1.0, self.pen_width
                                                                   * self.scale / 2))
            self.redraw()
        elif self.tool == "eraser" and self.controller:
            self.controller.erase_at(self.to_page(*touch.pos), 8 / self.scale)
        return True

    def _spread(self) -> float:
        (ax, ay), (bx, by) = list(self._touches.values())[:2]
        return math.hypot(ax - bx, ay - by) or 1.0

    def on_touch_move(self, touch: Any) -> bool:
        if touch.grab_current is not self:
            return False
        self._touches[touch.uid] = touch.pos
        if self._pinch_start is not None and len(self._touches) >= 2:
            spread, zoom = self._pinch_start
            (ax, ay), (bx, by) = list(self._touches.values())[:2]
            self.set_zoom(zoom * self._spread() / spread, about=((ax + bx) / 2, (ay + by) / 2))
            return True
        if self.tool == "pen" and self._live_line is not None:
            self._live_points.append(self.to_page(*touch.pos))
            self._live_line.points = self._live_line.points + list(touch.pos)
        elif self.tool == "eraser" and self.controller:
            self.controller.erase_at(self.to_page(*touch.pos), 8 / self.scale)
        elif self.tool == "read" and self.zoom > 1.0:
            self._set_pan((self.pan[0] + touch.dx, self.pan[1] + touch.dy))
        return True

    def on_touch_up(self, touch: Any) -> bool:
        if touch.grab_current is not self:
            return False
        touch.ungrab(self)
        self._touches.pop(touch.uid, None)
        if self._pinch_start is not None:
            if not self._touches:
                self._pinch_start = None
                if self.controller:
                    self.controller.zoom_settled()
            return True
        start = self._down or touch.pos
        controller = self.controller
        if controller is None:
            return True
        if self.tool == "pen" and self._live_line is not None:
            points = tuple(self._live_points)
            self._live_line, self._live_points = None, []
            controller.stroke_finished(points)
        elif self.tool == "highlighter":
            controller.highlight(self.to_page(*start), self.to_page(*touch.pos))
        elif self.tool == "note":
            controller.note_at(self.to_page(*touch.pos))
        elif self.tool == "read":
            dx, dy = touch.pos[0] - start[0], touch.pos[1] - start[1]
            if self.zoom <= 1.0 and abs(dx) > SWIPE_MIN_PX and abs(dx) > 2 * abs(dy):
                controller.turn(1 if dx < 0 else -1)  # swipe left: next page
            elif abs(dx) < 10 and abs(dy) < 10:
                controller.tapped(self.to_page(*touch.pos))
        return True

    def note_reach(self) -> float:
        """Half the note marker's touch target, in page points."""
        return dp(NOTE_TARGET_DP) / 2 / self.scale

    def _set_pan(self, pan: tuple[float, float]) -> None:
        _x, _y, w, h = self.image_box()
        self.pan = list(clamp_pan(pan, (self.width, self.height), (w, h)))

    def set_zoom(self, zoom: float, about: tuple[float, float] | None = None) -> None:
        """Zoom to ``zoom``; ``about`` (a pointer or the middle of a pinch) stays put."""
        zoom = clamp_zoom(zoom)
        if zoom == MIN_ZOOM:
            pan = (0.0, 0.0)
        elif about is not None:
            pan = zoom_about(about, self.center, tuple(self.pan), self.zoom, zoom)
        else:
            pan = tuple(self.pan)
        self.zoom = zoom
        self._set_pan(pan)
        if self.controller and self._pinch_start is None:
            self.controller.zoom_settled()

    def fit_to_width(self) -> None:
        """The page as wide as the screen, from its top (a portrait page on a landscape
        tablet reads in one column)."""
        zoom, pan = fit_width((self.width, self.height), tuple(self.page_size))
        self.zoom = zoom
        self.pan = list(pan)
        if self.controller:
            self.controller.zoom_settled()

    def fit_to_page(self) -> None:
        self.set_zoom(MIN_ZOOM)
