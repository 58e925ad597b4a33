"""Countdowns for the turn on the floor, computed from the turn and a clock reading.

The reducer never reads the clock; a turn only says when it started and how long it may
last. Clients call these with their own ``now`` (corrected by the offset to the server's
clock they learn from ``welcome.server_time``) to draw the countdown.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from shared.live.state import Turn

# Seconds before the end when the countdown turns to a warning, per kind of turn.
WARNING_WINDOW_S: dict[str, int] = {
    "speech": 60,
    "debate": 30,
    "question": 30,
    "answer": 60,
    "follow_up": 15,
}

TimerState = Literal["running", "warning", "overtime"]


def allowed_seconds(turn: Turn) -> int:
    """The limit of the turn including every extension the chair gave."""
    return turn.limit_s + turn.extended_s


def remaining_seconds(turn: Turn, now: datetime) -> float:
    """Seconds left in the turn; negative once it runs over."""
    return allowed_seconds(turn) - (now - turn.started_at).total_seconds()


def warning(turn: Turn, now: datetime) -> TimerState:
    """``warning`` in the last minute of a speech (30 s of a debate...), then ``overtime``."""
    left = remaining_seconds(turn, now)
    if left <= 0:
        return "overtime"
    if left <= WARNING_WINDOW_S[turn.kind]:
        return "warning"
    return "running"
