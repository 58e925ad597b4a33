"""The kinds of document the council numbers, each a series with its own symbol.

The symbol is the abbreviation of the kind of document and of the issuing body, joined by
a hyphen ("BB-HĐND"); the abbreviations of kinds are those of Nghị định 30/2020/NĐ-CP,
Phụ lục III (BB biên bản, NQ nghị quyết, BC báo cáo, TB thông báo, KH kế hoạch, TTr tờ
trình), read in secondary sources that quote the appendix. Điều 15 khoản 1 điểm c leaves
the numbering of administrative documents to the head of the body: this project numbers
each series on its own, as councils commonly do, so "01/BB-HĐND" and "01/NQ-HĐND" are
different documents of the same year.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.errors import ValidationFailed


@dataclass(frozen=True)
class Series:
    symbol: str  # "BB-HĐND": after the number, "01/BB-HĐND"
    label_vi: str
    label_en: str


SERIES: tuple[Series, ...] = (
    Series("BB-HĐND", "Biên bản kỳ họp, phiên họp HĐND", "Minutes of the council"),
    Series("NQ-HĐND", "Nghị quyết của HĐND", "Resolutions of the council"),
    Series("BC-HĐND", "Báo cáo của HĐND", "Reports of the council"),
    Series("BC-TTHĐND", "Báo cáo của Thường trực HĐND", "Reports of the standing committee"),
    Series("TB-TTHĐND", "Thông báo (kết luận) của Thường trực HĐND",
           "Notices and conclusions of the standing committee"),
    Series("KH-HĐND", "Kế hoạch của HĐND", "Plans of the council"),
    Series("TTr-HĐND", "Tờ trình của HĐND", "Submissions of the council"),
)
MINUTES = "BB-HĐND"
RESOLUTION = "NQ-HĐND"
CONCLUSION_NOTICE = "TB-TTHĐND"


class UnknownSeries(ValidationFailed):
    code = "register_unknown_series"
    message_vi = "Loại văn bản không có trong sổ đăng ký."
    message_en = "This kind of document is not in the register."


def series(symbol: str) -> Series:
    for candidate in SERIES:
        if candidate.symbol == symbol:
            return candidate
    raise UnknownSeries(symbol=symbol[:40])
