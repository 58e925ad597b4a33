"""docs/protocol.md shows every message, command and event, as the code makes them."""

from __future__ import annotations

from pathlib import Path

from shared.live.commands import COMMAND_TYPES
from shared.live.events import EVENT_TYPES
from shared.live.examples import splice
from shared.live.protocol import CLIENT_MESSAGE_TYPES, SERVER_MESSAGE_TYPES

DOC = Path(__file__).parents[3] / "docs" / "protocol.md"


def test_every_type_has_an_example():
    text = DOC.read_text(encoding="utf-8")
    for model in (*CLIENT_MESSAGE_TYPES, *SERVER_MESSAGE_TYPES, *COMMAND_TYPES, *EVENT_TYPES):
        name = model.model_fields["type"].default
        assert f"#### `{name}`" in text and f'"type": "{name}"' in text, name


def test_examples_are_current():
    text = DOC.read_text(encoding="utf-8")
    assert splice(text) == text, "run: python -m shared.live.examples docs/protocol.md"


def test_documented_limits_match_the_code():
    from shared.live import protocol

    text = DOC.read_text(encoding="utf-8")
    assert protocol.MAX_MESSAGE_BYTES == 64 * 1024 and "64 KiB" in text
    assert f"every **{protocol.HEARTBEAT_INTERVAL_S} s**" in text
    assert f"**{protocol.HEARTBEAT_DEAD_AFTER_S} s**" in text
    assert f"**{protocol.RATE_LIMIT_PER_S} commands per second per connection**" in text
