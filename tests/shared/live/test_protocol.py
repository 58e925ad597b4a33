"""Reading frames from devices: every error code, and round trips of every message."""

from __future__ import annotations

import json

import pytest

from shared.live.errors import CommandRejected, ProtocolError
from shared.live.examples import command_examples, event_examples, message_examples
from shared.live.protocol import (
    MAX_MESSAGE_BYTES,
    PROTOCOL_VERSION,
    CommandMessage,
    ErrorMessage,
    EventMessage,
    Hello,
    check_hello,
    dump,
    parse_client_message,
    parse_server_message,
)

VOTE = {"type": "cast_vote", "key": "abcdefgh-1", "vote_id": "v3", "choice": "yes"}


def _code(raw) -> ProtocolError:
    with pytest.raises(ProtocolError) as caught:
        parse_client_message(raw)
    assert caught.value.message_vi and caught.value.message_en
    return caught.value


def test_reads_a_command_from_text_or_bytes():
    raw = json.dumps({"type": "command", "command": VOTE})
    for frame in (raw, raw.encode()):
        message = parse_client_message(frame)
        assert isinstance(message, CommandMessage) and message.command.choice == "yes"


@pytest.mark.parametrize("raw", ["{", "not json", b"\xff\xfe{}", '{"type": "hello",}'])
def test_malformed_json(raw):
    assert _code(raw).code == "malformed_json"


@pytest.mark.parametrize(
    "data", [{"type": "vote"}, {"no_type": 1}, {"type": 5}, {"type": "welcome"}]
)
def test_unknown_message_type(data):
    assert _code(json.dumps(data)).code == "unknown_type"


def test_unknown_command_type_keeps_the_key():
    error = _code(json.dumps({"type": "command", "command": {**VOTE, "type": "stuff_ballot"}}))
    assert (error.code, error.key) == ("unknown_command", "abcdefgh-1")


@pytest.mark.parametrize(
    "data",
    [
        [1, 2],
        {"type": "hello"},
        {"type": "hello", "protocol_version": 1, "last_seq": -1},
        {"type": "command", "command": {**VOTE, "key": "short"}},
        {"type": "command", "command": {**VOTE, "vote_id": None}},
        {"type": "command", "command": {**VOTE, "voter_id": 9}},
        {"type": "ping", "extra": True},
    ],
)
def test_invalid_message(data):
    assert _code(json.dumps(data)).code == "invalid_message"


def test_too_large_is_refused_before_parsing():
    padding = "x" * MAX_MESSAGE_BYTES
    assert _code(json.dumps({"type": "ping", "nonce": padding})).code == "too_large"
    assert _code("ệ" * (MAX_MESSAGE_BYTES // 3 + 1)).code == "too_large"  # bytes, not chars
    just_fits = json.dumps({"type": "ping", "nonce": "n"}).ljust(MAX_MESSAGE_BYTES)
    assert parse_client_message(just_fits).type == "ping"


def test_version_check():
    check_hello(Hello(protocol_version=PROTOCOL_VERSION))
    with pytest.raises(ProtocolError) as caught:
        check_hello(Hello(protocol_version=PROTOCOL_VERSION + 1))
    assert caught.value.code == "unsupported_version"


def test_error_message_from_a_refusal():
    error = ErrorMessage.of(CommandRejected("vote_closed"), key="abcdefgh-1")
    assert error.message_vi == "Cuộc biểu quyết đã kết thúc." and error.key == "abcdefgh-1"


def test_every_example_round_trips():
    client, server = message_examples()
    for message in client:
        assert parse_client_message(dump(message)) == message
    for message in server:
        assert parse_server_message(dump(message)) == message
    for command in command_examples():
        framed = dump(CommandMessage(command=command))
        assert parse_client_message(framed).command == command
    for event in event_examples():
        assert parse_server_message(dump(EventMessage(event=event))).event == event
