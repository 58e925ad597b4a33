"""The live sitting's pure core: events, reducer, command validation, redaction, protocol.

Knows nothing about sockets or databases. The server loads a sitting's events, calls
``decide`` to turn a command into events, appends them, and sends each device
``redact_for(event, viewer)``; tablets run ``apply`` over what they receive.
"""

from shared.live.ballot_box import BallotBox, InMemoryBallotBox
from shared.live.decide import Decision, SecretBallot, decide
from shared.live.errors import CommandRejected, EventOutOfOrder, ProtocolError
from shared.live.redaction import public_state, public_view, redact_for, redact_state
from shared.live.roster import Actor, Roster
from shared.live.state import SittingState, apply, replay
from shared.live.timers import remaining_seconds, warning
from shared.live.voting import Tally, threshold_text

__all__ = [
    "Actor",
    "BallotBox",
    "CommandRejected",
    "Decision",
    "EventOutOfOrder",
    "InMemoryBallotBox",
    "ProtocolError",
    "Roster",
    "SecretBallot",
    "SittingState",
    "Tally",
    "apply",
    "decide",
    "public_state",
    "public_view",
    "redact_for",
    "redact_state",
    "remaining_seconds",
    "replay",
    "threshold_text",
    "warning",
]
