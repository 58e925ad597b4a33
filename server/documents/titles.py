"""A readable title from a file name: what the clerk is offered at upload.

"to_trinh_ngan_sach_2027.pdf" becomes "To trinh ngan sach 2027" and
"Tờ_trình_ngân_sách.pdf" becomes "Tờ trình ngân sách": the portal and the delegates'
packs never show a file name as a document's title.
"""

from __future__ import annotations

import re
import unicodedata

FALLBACK = "Tài liệu"
MAX_TITLE = 500


def readable_title(filename: str | None) -> str:
    """The file name without folder and extension, its separators turned into spaces,
    the first letter capitalised; Vietnamese letters kept (in NFC)."""
    name = unicodedata.normalize("NFC", (filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r"\.(pdf|PDF|Pdf)$", "", name)
    name = "".join(ch for ch in name if ch.isprintable())
    name = name.replace("_", " ")
    if " " not in name.strip():
        # a slug ("bao-cao-tham-tra-2"): its hyphens were spaces too, but not a date's
        name = re.sub(r"(?<!\d)-|-(?!\d)", " ", name)
    name = re.sub(r"\s+", " ", name).strip(" .-")
    if not name:
        return FALLBACK
    return (name[0].upper() + name[1:])[:MAX_TITLE]
