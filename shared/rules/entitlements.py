"""The regimes (chế độ, chính sách) and working conditions that target (8) of the plan
checks are ensured for each delegate, as data with their legal source and how far it was
checked. The amounts are not kept here: staff record that a regime was ensured for a
delegate and a period (with the voucher), never a figure typed as the target's result.

The texts were not read: Nghị quyết 1206/2016/NQ-UBTVQH14 (chế độ, chính sách và các điều
kiện bảo đảm hoạt động của đại biểu Hội đồng nhân dân) and the resolution that replaces it
after the 2025 reform could not be found in a copy the project could read, so every regime
below is ``unverified`` (chưa kiểm chứng) until someone checks it against the official text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from shared.rules.sources import Status

Period = Literal["month", "year", "term"]


@dataclass(frozen=True)
class Regime:
    key: str
    name_vi: str
    name_en: str
    period: Period  # how often it is ensured: each month, each year, once a term
    required: bool  # counted by target (8) for every delegate
    source: str
    status: Status


NQ_1206 = ("Nghị quyết 1206/2016/NQ-UBTVQH14 về chế độ, chính sách và các điều kiện bảo đảm "
           "hoạt động của đại biểu Hội đồng nhân dân (và văn bản thay thế sau năm 2025, chưa "
           "xác định)")

REGIMES: tuple[Regime, ...] = (
    Regime("activity_allowance", "Hoạt động phí hằng tháng", "Monthly activity allowance",
           "month", True, NQ_1206, "unverified"),
    Regime("sitting_allowance", "Bồi dưỡng tham dự kỳ họp", "Allowance for attending sessions",
           "year", False, NQ_1206, "unverified"),
    Regime("voter_contact_support", "Hỗ trợ tiếp xúc cử tri, tiếp công dân",
           "Support for voter meetings and receiving citizens", "year", False, NQ_1206,
           "unverified"),
    Regime("documents_equipment", "Tài liệu, thiết bị phục vụ hoạt động đại biểu",
           "Documents and equipment for a delegate's work", "term", False, NQ_1206,
           "unverified"),
    Regime("training_support", "Hỗ trợ bồi dưỡng, nâng cao năng lực",
           "Support for training", "year", False, NQ_1206, "unverified"),
)
BY_KEY = {r.key: r for r in REGIMES}
