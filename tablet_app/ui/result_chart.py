"""A closed vote's result as horizontal bars, one per option or candidate.

People read a result at a glance from bars, not from a column of numbers: each bar's
length is its share of all members, and a thin mark shows how many votes were needed, so
"did it pass?" is visible before the verdict is read. The counts come from
``tablet_app.core.vote_text.result_rows``; this module only draws.
"""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.graphics import Color, Line, Rectangle
from kivy.metrics import dp
from kivy.properties import ListProperty, NumericProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from tablet_app.ui.app import app_if_running

ROW_HEIGHT = 54


class ResultBar(Widget):
    """One bar: ``share`` of the width filled, a mark at ``needed_share`` (0 hides it)."""

    share = NumericProperty(0.0)
    needed_share = NumericProperty(0.0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(pos=self._draw, size=self._draw, share=self._draw, needed_share=self._draw)

    def _draw(self, *_: Any) -> None:
        app = app_if_running()  # drawn in a test without an app: the light colours
        accent = app.c("accent") if app is not None else (0.66, 0.1, 0.12, 1)
        muted = app.c("muted") if app is not None else (0.4, 0.42, 0.45, 1)
        inset = dp(6)
        y, height = self.y + inset, max(0.0, self.height - 2 * inset)
        self.canvas.clear()
        with self.canvas:
            Color(*muted[:3], 0.18)
            Rectangle(pos=(self.x, y), size=(self.width, height))
            Color(*accent)
            Rectangle(pos=(self.x, y), size=(self.width * min(1.0, self.share), height))
            if self.needed_share > 0:
                Color(*muted[:3], 1)
                mark = self.x + self.width * min(1.0, self.needed_share)
                Line(points=[mark, self.y + dp(2), mark, self.top - dp(2)], width=dp(1.2),
                     dash_length=4, dash_offset=3)


class ResultChart(BoxLayout):
    """Rows of label, bar and count. ``rows`` is [(label, count)]; ``members`` the body's
    members (the bars' full length); ``needed`` the votes needed (the mark)."""

    rows = ListProperty([])
    members = NumericProperty(0)
    needed = NumericProperty(0)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("orientation", "vertical")
        kwargs.setdefault("size_hint_y", None)
        super().__init__(**kwargs)
        self.bind(rows=self._rebuild, members=self._rebuild, needed=self._rebuild)
        self._rebuild()

    @property
    def bars(self) -> list[ResultBar]:
        return [w for w in self.walk(restrict=True) if isinstance(w, ResultBar)]

    def _rebuild(self, *_: Any) -> None:
        self.clear_widgets()
        whole = max(self.members, max((count for _, count in self.rows), default=0), 1)
        for label, count in self.rows:
            # the label above its bar: candidates' full names never get cut to fit
            row = BoxLayout(orientation="vertical", size_hint_y=None, height=dp(ROW_HEIGHT))
            row.add_widget(Factory.TLabel(text=label, size_hint_y=None, height=dp(22)))
            line = BoxLayout(spacing=dp(8))
            line.add_widget(ResultBar(share=count / whole, needed_share=self.needed / whole))
            line.add_widget(Factory.TLabel(text=str(count), size_hint=(None, 1), width=dp(40),
                                           halign="right", bold=True))
            row.add_widget(line)
            self.add_widget(row)
        self.height = dp(ROW_HEIGHT) * len(self.rows)
