"""The sitting compliance check: a checklist computed from the data of one sitting, each
line tied to a rule of the book (docs/rules.md), so the clerk sees what was and was not
done by the law, and the plan's target (2), "100% of sittings held according to law",
is measured from it.

A check is ``True`` (met), ``False`` (not met) or ``None`` (no data to decide: shown,
never counted as met or missed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from shared.live.state import SittingState
from shared.rules.book import RULES
from shared.rules.decisions import DECISION_VI, LEGAL_THRESHOLD, is_binding
from shared.rules.sources import STATUS_VI

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
DOCUMENTS_DAYS = 5  # docs/rules.md, documents_deadline (unverified)


@dataclass(frozen=True)
class Check:
    key: str
    ok: bool | None
    label_vi: str
    label_en: str
    detail_vi: str
    rule: str

    @property
    def source(self) -> str:
        rule = RULES[self.rule]
        status = "" if rule.status == "official_text" else f" ({STATUS_VI[rule.status]})"
        return rule.citation + status


def documents_check(published_at: datetime | None, opening: date,
                    days: int = DOCUMENTS_DAYS) -> Check:
    """The pack was published at least ``days`` days before the opening day (local dates)."""
    deadline = opening - timedelta(days=days)
    if published_at is None:
        ok, detail = False, "Bộ tài liệu kỳ họp chưa được công bố."
    else:
        sent = published_at.astimezone(LOCAL).date()
        ok = sent <= deadline
        detail = (f"Công bố ngày {sent:%d/%m/%Y}; hạn chậm nhất {deadline:%d/%m/%Y} "
                  f"({days} ngày trước ngày khai mạc {opening:%d/%m/%Y}).")
    return Check("documents_in_time", ok, "Tài liệu gửi đại biểu đúng hạn",
                 "Documents sent to delegates in time", detail, "documents_deadline")


def vote_checks(state: SittingState) -> list[Check]:
    """Quorum at every binding vote; every binding vote decided by its legal threshold."""
    binding = [v for v in state.votes.values() if is_binding(v.kind)]
    quorum = state.roster.quorum if state.roster else None
    no_quorum = [v for v in binding
                 if quorum is not None and v.present_at_open < quorum.needed(v.members_total)]
    wrong = [v for v in binding if v.threshold != LEGAL_THRESHOLD[v.kind]]
    if not binding:
        return [Check("quorum_at_binding_votes", None, "Đủ số đại biểu ở mọi biểu quyết",
                      "Quorum at every binding vote", "Không có biểu quyết nào ràng buộc.",
                      "quorum")]
    return [
        Check("quorum_at_binding_votes", not no_quorum, "Đủ số đại biểu ở mọi biểu quyết",
              "Quorum at every binding vote",
              "Thiếu số đại biểu khi mở: " + "; ".join(v.question for v in no_quorum)
              if no_quorum else f"{len(binding)} biểu quyết, đều đủ số đại biểu có mặt.",
              "quorum"),
        Check("legal_thresholds", not wrong, "Mỗi quyết định theo đúng ngưỡng luật định",
              "Every decision by its legal threshold",
              "Sai ngưỡng: " + "; ".join(f"{v.question} ({DECISION_VI[v.kind]})" for v in wrong)
              if wrong else f"{len(binding)} biểu quyết, đều theo ngưỡng luật định.",
              "resolution"),
    ]


def minutes_check(signed: bool | None) -> Check:
    """Minutes numbered and signed: ``None`` until the document register records it."""
    detail = {None: "Chưa có dữ liệu về số và chữ ký biên bản.",
              True: "Biên bản đã có số và chữ ký.", False: "Biên bản chưa có số hoặc chữ ký."}
    return Check("minutes_signed", signed, "Biên bản có số, có chữ ký",
                 "Minutes numbered and signed", detail[signed], "minutes_record")


def lawful(checks: list[Check]) -> bool:
    """No check failed (a check without data does not fail the sitting)."""
    return all(c.ok is not False for c in checks)
