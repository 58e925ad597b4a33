"""The Noto fonts shipped by ``pymupdf-fonts``: they carry every Vietnamese letter.

PyMuPDF's Base-14 fonts (Helvetica, Times) lack letters such as ộ, ữ, ỹ, so nothing in
the reports may fall back to them, and nothing may depend on fonts installed on the host.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import pymupdf

Style = Literal["regular", "bold", "italic", "bold_italic"]

FONT_CODES: dict[Style, str] = {
    "regular": "notos",
    "bold": "notosbo",
    "italic": "notosit",
    "bold_italic": "notosbi",
}
FAMILY = "noto"


@cache
def font(style: Style) -> pymupdf.Font:
    """One shared ``Font`` per style: loading a font file per page would dominate runtime."""
    return pymupdf.Font(FONT_CODES[style])


def story_fonts() -> tuple[str, pymupdf.Archive]:
    """The @font-face CSS and the archive holding the font files, for ``pymupdf.Story``."""
    archive = pymupdf.Archive()
    css = ""
    for code in FONT_CODES.values():
        css = pymupdf.css_for_pymupdf_font(code, CSS=css, archive=archive, name=FAMILY)
    return css, archive
