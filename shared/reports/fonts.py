"""The font of official documents: a Times-metric face that has every Vietnamese letter.

Nghị định 30/2020/NĐ-CP, Phụ lục I asks for Times New Roman. Its licence forbids shipping
it, so PDFs embed TeX Gyre Termes (Debian's ``fonts-texgyre``: the same widths as Times,
and the full Vietnamese alphabet, ộ ữ ỹ ẫ Ừ included). PyMuPDF's Base-14 "Times" lacks
those letters, so nothing may fall back to it. When neither face is installed the documents use Noto Sans from
``pymupdf-fonts`` (always installed with the server) and a warning says so in the log
once: the text is still complete, only the face is not the decree's.
"""

from __future__ import annotations

import io
import logging
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import pymupdf
from fontTools import subset
from fontTools.ttLib import TTFont

Style = Literal["regular", "bold", "italic", "bold_italic"]
STYLES: tuple[Style, ...] = ("regular", "bold", "italic", "bold_italic")
FAMILY = "official"
log = logging.getLogger("hdnd.reports.fonts")

FONT_DIR_ENV = "HDND_FONT_DIR"
"""A folder holding one of the faces below, for a machine where Debian's paths differ."""


@dataclass(frozen=True)
class Face:
    name: str
    package: str  # the Debian package that installs it
    folders: tuple[str, ...]
    files: dict[Style, str]


FACES: tuple[Face, ...] = (
    Face("TeX Gyre Termes", "fonts-texgyre",
         ("/usr/share/texmf/fonts/opentype/public/tex-gyre",
          "/usr/share/fonts/opentype/texgyre", "/usr/share/fonts/texgyre"),
         {"regular": "texgyretermes-regular.otf", "bold": "texgyretermes-bold.otf",
          "italic": "texgyretermes-italic.otf", "bold_italic": "texgyretermes-bolditalic.otf"}),
)
"""Tinos (``fonts-croscore``) was tried and left out: it draws space and no-break space,
hyphen and soft hyphen with one glyph each, and MuPDF's text layer then maps every space
of the document to U+00A0 and "-" to U+00AD, so a PDF reader's search for "Chu Sa Hừ"
finds nothing (checked with PyMuPDF 1.28, with and without subsetting)."""
NOTO_CODES: dict[Style, str] = {"regular": "notos", "bold": "notosbo", "italic": "notosit",
                                "bold_italic": "notosbi"}


@dataclass(frozen=True)
class OfficialFont:
    """The face found on this machine: files by style, or ``None`` for the Noto fallback."""

    name: str
    files: dict[Style, Path] | None

    @property
    def times_metric(self) -> bool:
        return self.files is not None

    @property
    def cff(self) -> bool:
        """OpenType with CFF outlines (.otf): MuPDF cannot subset these, fontTools can."""
        return self.files is not None and self.files["regular"].suffix == ".otf"


def _folders(face: Face) -> list[Path]:
    extra = os.environ.get(FONT_DIR_ENV)
    return ([Path(extra)] if extra else []) + [Path(f) for f in face.folders]


@cache
def official_font() -> OfficialFont:
    """The first Times-metric face whose four styles are all installed."""
    for face in FACES:
        for folder in _folders(face):
            files = {style: folder / name for style, name in face.files.items()}
            if all(path.is_file() for path in files.values()):
                return OfficialFont(face.name, files)
    log.warning(
        "Không tìm thấy phông Times (TeX Gyre Termes): văn bản PDF dùng tạm Noto Sans, "
        "chưa đúng Nghị định 30/2020/NĐ-CP. Cài gói Debian fonts-texgyre (make system-deps). / "
        "No Times-metric font (TeX Gyre Termes) found: official PDFs fall back to Noto "
        "Sans, which is not the decree's face. Install Debian's fonts-texgyre.")
    return OfficialFont("Noto Sans", None)


@cache
def _face_bytes(style: Style) -> bytes:
    """The face's file without its layout tables (GSUB, GPOS, kern), cut to ``KEPT_RANGES``.

    A PDF places every glyph itself, so the tables serve only the shaper: without them
    fontTools subsets each style of each document several times faster (the demo's
    documents render about twice as fast) and the embedded subsets are smaller. What is
    lost is kerning and the fi/fl ligatures; Vietnamese letters are single precomposed
    glyphs in Termes, and ``official_pdf`` writes text in NFC so marks never need GPOS.
    """
    chosen = official_font()
    assert chosen.files is not None
    face = TTFont(str(chosen.files[style]))
    for tag in ("GSUB", "GPOS", "kern"):
        if tag in face:
            del face[tag]
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=[c for first, last in KEPT_RANGES for c in range(first, last + 1)])
    cutter.subset(face)
    out = io.BytesIO()
    face.save(out)
    return out.getvalue()


KEPT_RANGES = ((0x20, 0x24F), (0x300, 0x36F), (0x1E00, 0x1EFF), (0x2000, 0x206F),
               (0x20A0, 0x20CF), (0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF),
               (0x25A0, 0x25FF))
"""Latin (Vietnamese with it), combining marks, punctuation, currency (₫), letter-like
symbols (№), arrows, mathematical operators and geometric shapes: what council documents
use. The face's Greek, Cyrillic and the rest are dropped once at start, so each
document's fontTools subset has a third of the glyphs to look at."""


@cache
def font(style: Style) -> pymupdf.Font:
    """One shared ``Font`` per style: loading a font file per page would dominate runtime."""
    chosen = official_font()
    if chosen.files is None:
        return pymupdf.Font(NOTO_CODES[style])
    return pymupdf.Font(fontbuffer=_face_bytes(style))


def story_fonts() -> tuple[str, pymupdf.Archive]:
    """The @font-face CSS and the archive holding the font files, for ``pymupdf.Story``."""
    chosen = official_font()
    archive = pymupdf.Archive()
    css = ""
    if chosen.files is None:
        for code in NOTO_CODES.values():
            css = pymupdf.css_for_pymupdf_font(code, CSS=css, archive=archive, name=FAMILY)
        return css, archive
    for style, path in chosen.files.items():
        archive.add(_face_bytes(style), path.name)
        weight = "bold" if style.startswith("bold") else "normal"
        slant = "italic" if style.endswith("italic") else "normal"
        css += (f"@font-face {{font-family: {FAMILY}; src: url({path.name}); "
                f"font-weight: {weight}; font-style: {slant};}}\n")
    return css, archive
