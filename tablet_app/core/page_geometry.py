"""Where the page sits on screen when zoomed: fit the page or its width, zoom about a
point, keep the page from being dragged out of sight.

Kivy-free (the page view calls these), so the arithmetic is unit-tested on its own.
Coordinates are the widget's pixels; ``pan`` is how far the page's centre is moved from
the view's centre. At zoom 1 the whole page fits the view.
"""

from __future__ import annotations

Size = tuple[float, float]
Vec = tuple[float, float]

MIN_ZOOM, MAX_ZOOM = 1.0, 4.0


def fit_scale(view: Size, page: Size) -> float:
    """Pixels per point when the whole page fits the view (zoom 1)."""
    return min(view[0] / page[0], view[1] / page[1])


def clamp_zoom(zoom: float) -> float:
    return max(MIN_ZOOM, min(MAX_ZOOM, zoom))


def clamp_pan(pan: Vec, view: Size, image: Size) -> Vec:
    """A page larger than the view moves only as far as its edges; a smaller one only
    as far as it stays wholly on screen (zooming about a point near an edge moves it)."""
    out = []
    for moved, view_len, image_len in zip(pan, view, image, strict=True):
        reach = abs(image_len - view_len) / 2
        out.append(max(-reach, min(reach, moved)))
    return out[0], out[1]


def zoom_about(point: Vec, centre: Vec, pan: Vec, old_zoom: float, new_zoom: float) -> Vec:
    """The pan after zooming from ``old_zoom`` to ``new_zoom`` so that the page point
    under ``point`` (a finger, the mouse, the middle of a pinch) stays under it."""
    ratio = new_zoom / old_zoom
    return ((point[0] - centre[0]) * (1 - ratio) + pan[0] * ratio,
            (point[1] - centre[1]) * (1 - ratio) + pan[1] * ratio)


def fit_width(view: Size, page: Size) -> tuple[float, Vec]:
    """Zoom and pan that make the page as wide as the view, its top at the view's top
    (how a delegate reads a portrait page on a landscape tablet)."""
    zoom = clamp_zoom((view[0] / page[0]) / fit_scale(view, page))
    scale = fit_scale(view, page) * zoom
    image = (page[0] * scale, page[1] * scale)
    return zoom, clamp_pan((0.0, (view[1] - image[1]) / 2), view, image)
