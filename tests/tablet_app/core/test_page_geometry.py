"""Fit width and zoom to the pointer: the page point under the finger stays there."""

from __future__ import annotations

import pytest

from tablet_app.core.page_geometry import clamp_pan, fit_scale, fit_width, zoom_about

VIEW = (1280.0, 600.0)
A4 = (595.0, 842.0)


def _left_top(pan: tuple[float, float], zoom: float) -> tuple[float, float]:
    """Where the page's top-left corner is drawn (y upwards, as Kivy)."""
    scale = fit_scale(VIEW, A4) * zoom
    w, h = A4[0] * scale, A4[1] * scale
    return VIEW[0] / 2 - w / 2 + pan[0], VIEW[1] / 2 + h / 2 + pan[1]


def _page_point(pixel: tuple[float, float], pan: tuple[float, float], zoom: float):
    scale = fit_scale(VIEW, A4) * zoom
    left, top = _left_top(pan, zoom)
    return (pixel[0] - left) / scale, (top - pixel[1]) / scale


@pytest.mark.parametrize("pointer", [(640.0, 300.0), (500.0, 120.0), (800.0, 550.0)])
def test_zooming_keeps_the_point_under_the_pointer(pointer) -> None:
    pan, zoom = (15.0, -40.0), 1.5
    before = _page_point(pointer, pan, zoom)
    new_pan = zoom_about(pointer, (VIEW[0] / 2, VIEW[1] / 2), pan, zoom, 2.4)
    after = _page_point(pointer, new_pan, 2.4)
    assert after == pytest.approx(before)


def test_fit_width_fills_the_width_and_starts_at_the_top() -> None:
    zoom, pan = fit_width(VIEW, A4)
    scale = fit_scale(VIEW, A4) * zoom
    assert A4[0] * scale == pytest.approx(VIEW[0])
    assert _left_top(pan, zoom)[1] == pytest.approx(VIEW[1])  # the page's top at the top


def test_the_page_cannot_be_dragged_out_of_sight() -> None:
    image = (2000.0, 900.0)
    assert clamp_pan((5000.0, -5000.0), VIEW, image) == (360.0, -150.0)
    assert clamp_pan((40.0, 40.0), VIEW, (800.0, 500.0)) == (40.0, 40.0)
    assert clamp_pan((500.0, -500.0), VIEW, (800.0, 500.0)) == (240.0, -50.0)  # on screen
