"""Who may sit on the vote-counting committee (Ban kiểm phiếu), from the rule book's
``counting_committee`` rule (Hướng dẫn 883/HD-UBTVQH14, secondary source)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

MIN_MEMBERS_COMMUNE = 3


def committee_problem(
    committee: Sequence[int], on_the_ballot: Collection[int], council_level: str = "xa"
) -> tuple[str, list[int]] | None:
    """(code, people) of the first rule the committee breaks, or None.

    ``on_the_ballot`` are the person ids of the candidates or the officials being rated:
    none of them may count the votes about themselves.
    """
    clash = sorted(set(committee) & set(on_the_ballot))
    if clash:
        return "committee_member_on_ballot", clash
    if council_level == "xa" and len(set(committee)) < MIN_MEMBERS_COMMUNE:
        return "committee_too_small", list(committee)
    return None
