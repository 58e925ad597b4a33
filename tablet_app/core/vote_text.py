"""A closed vote's counts in words, shared by the live panel and the chair's console."""

from __future__ import annotations

from shared.live.state import VoteState


def result_rows(vote: VoteState, lang: str) -> list[tuple[str, int]]:
    """(label, count) in ballot order; an election counts candidates, not options."""
    counts = vote.result.counts if vote.result is not None else {}
    if vote.mode == "election":
        return [(c.full_name, counts.get(c.candidate_id, 0)) for c in vote.candidates]
    return [(o.label_vi if lang == "vi" else o.label_en, counts.get(o.key, 0))
            for o in vote.options]
