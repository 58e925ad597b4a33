"""The one place a page gets a vote's rule line and its announced result, in words.

The console and the hall's projector both draw a vote from ``vote_words`` (their scripts
share ``static/js/vote_view.js``), so when the rule line grows (its legal source, its
verification status) it changes here, once, for every screen.
"""

from __future__ import annotations

from typing import Any

from shared.live.state import SittingState
from shared.live.voting import threshold_text, votes_needed

_MODE = {
    "open": ("Biểu quyết công khai", "Open vote"),
    "named": ("Biểu quyết ghi danh", "Named vote"),
    "secret": ("Bỏ phiếu kín", "Secret ballot"),
    "election": ("Bầu cử (bỏ phiếu kín)", "Election (secret ballot)"),
    "confidence": ("Bỏ phiếu tín nhiệm (kín)", "Confidence vote (secret)"),
}


def rule_line(vote: Any, lang: str) -> str:
    """"Được thông qua khi … (cần 13/25)": the rule the chair chose and what it needs now.
    When the vote carries its own rule line (with its legal source), that one is shown."""
    result = getattr(vote, "result", None)
    own = getattr(result, f"rule_{lang}", None) or getattr(vote, f"rule_{lang}", None)
    if own:
        return own
    vi, en = (text.rstrip(".") for text in threshold_text(vote.threshold))
    result = getattr(vote, "result", None)
    needed = result.needed if result is not None else votes_needed(
        vote.threshold, vote.members_total, vote.present_at_open)
    if lang == "en":
        return f"{en} (needed {needed} of {vote.members_total})"
    return f"{vi} (cần {needed}/{vote.members_total})"


def mode_name(mode: str, lang: str) -> str:
    vi, en = _MODE.get(mode, (mode, mode))
    return en if lang == "en" else vi


def vote_words(state: SittingState, lang: str) -> dict[str, dict[str, str]]:
    """Per vote id: its mode's name and its rule line, for the scripts to show as given."""
    return {vote_id: {"mode": mode_name(vote.mode, lang), "rule": rule_line(vote, lang)}
            for vote_id, vote in state.votes.items()}
