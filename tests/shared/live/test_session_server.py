"""The server's side of a connection, without a socket: frames in, what to do out."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from shared.live.commands import CheckIn
from shared.live.protocol import (
    PROTOCOL_VERSION,
    Authenticated,
    ErrorMessage,
    EventBatch,
    Pong,
    Resync,
    Snapshot,
    Welcome,
)
from shared.live.session_server import (
    CLOSE_BAD_VERSION,
    CLOSE_NOT_FOUND,
    CLOSE_UNAUTHORIZED,
    SNAPSHOT_AFTER_GAP,
    CheckCredential,
    Close,
    Join,
    Login,
    Send,
    ServerOutput,
    ServerSession,
    Submit,
)
from tests.shared.live.harness import CHAIR, T0, ready_hall

DELEGATE = 5
LOGIN = Login(person_id=DELEGATE, account_id=50, token_digest="digest-1",
              expires_at=T0 + timedelta(minutes=10))


def hello(last_seq: int = 0, token: str | None = "token-1", version: int = PROTOCOL_VERSION) -> str:
    data: dict[str, object] = {"type": "hello", "protocol_version": version, "last_seq": last_seq}
    if token:
        data["token"] = token
    return json.dumps(data)


def command(key: str = "check-in-0001", type_: str = "check_in") -> str:
    return json.dumps({"type": "command", "command": {"key": key, "type": type_}})


def sent(outputs: list[ServerOutput]) -> list[object]:
    return [o.message for o in outputs if isinstance(o, Send)]


def errors(outputs: list[ServerOutput]) -> list[tuple[str, str | None]]:
    return [(m.code, m.key) for m in sent(outputs) if isinstance(m, ErrorMessage)]


def signed_in(last_seq: int = 0, revoked: set[str] | None = None,
              login: Login = LOGIN) -> tuple[ServerSession, list[ServerOutput]]:
    """A session past hello and credential, and what it sent on joining."""
    hall = ready_hall()
    session = ServerSession(hall.state.sitting_id, public=False,
                            revoked=revoked if revoked is not None else set())
    assert session.receive(hello(last_seq), T0, 0.0) == [CheckCredential("token-1", False)]
    assert session.credential_accepted(login) == [Join(last_seq)]
    return session, session.joined(hall.state, hall.events, T0)


def test_hello_credential_then_welcome_and_a_snapshot_as_this_delegate_sees_it() -> None:
    session, out = signed_in()
    welcome, snapshot = sent(out)
    assert isinstance(welcome, Welcome) and welcome.person_id == DELEGATE
    assert welcome.server_time == T0 and welcome.expires_at == LOGIN.expires_at
    assert isinstance(snapshot, Snapshot) and snapshot.seq == welcome.head_seq > 0
    assert session.viewer is not None and session.viewer.person_id == DELEGATE
    assert not session.viewer.is_chair


def test_the_upgrade_header_token_serves_when_hello_has_none() -> None:
    session = ServerSession(7, public=False, header_token="from-header")
    assert session.receive(hello(token=None), T0, 0.0) == [CheckCredential("from-header", False)]


def test_anything_before_hello_is_refused_and_hello_still_works() -> None:
    session = ServerSession(7, public=False)
    assert errors(session.receive(command(), T0, 0.0)) == [("hello_required", None)]
    assert errors(session.receive(json.dumps({"type": "ping"}), T0, 0.0)) == [
        ("hello_required", None)]
    assert session.receive(hello(), T0, 0.0) == [CheckCredential("token-1", False)]


def test_another_protocol_version_is_told_and_closed_then_nothing_more() -> None:
    session = ServerSession(7, public=False)
    out = session.receive(hello(version=PROTOCOL_VERSION + 1), T0, 0.0)
    assert errors(out) == [("unsupported_version", None)] and out[-1] == Close(CLOSE_BAD_VERSION)
    assert session.receive(hello(), T0, 0.0) == []


@pytest.mark.parametrize(("raw", "code"), [
    ("{not json", "malformed_json"),
    (json.dumps({"type": "dance"}), "unknown_type"),
    (json.dumps([1, 2]), "invalid_message"),
    (json.dumps({"type": "ping", "nonce": "x" * (70 * 1024)}), "too_large"),
])
def test_bad_frames_get_an_error_and_the_conversation_goes_on(raw: str, code: str) -> None:
    session, _ = signed_in()
    assert errors(session.receive(raw, T0, 0.0)) == [(code, None)]
    [pong] = sent(session.receive(json.dumps({"type": "ping", "nonce": "42"}), T0, 1.0))
    assert pong == Pong(nonce="42", server_time=T0)


def test_a_second_hello_is_invalid() -> None:
    session, _ = signed_in()
    assert errors(session.receive(hello(), T0, 0.0)) == [("invalid_message", None)]


def test_a_small_gap_gets_the_missed_events_a_large_one_a_snapshot_ahead_a_resync() -> None:
    head = ready_hall().state.seq
    _, out = signed_in(last_seq=head - 3)
    batch = sent(out)[1]
    assert isinstance(batch, EventBatch)
    assert [e.seq for e in batch.events] == [head - 2, head - 1, head]
    _, out = signed_in(last_seq=head)
    assert len(sent(out)) == 1  # nothing missed: welcome only
    _, out = signed_in(last_seq=head + 1)
    assert sent(out)[1] == Resync(reason="ahead_of_server")
    assert head - 1 <= SNAPSHOT_AFTER_GAP  # the hall is small: a gap of 1..head is a batch


def test_the_public_feed_needs_no_credential_and_is_read_only() -> None:
    hall = ready_hall()
    session = ServerSession(hall.state.sitting_id, public=True)
    assert session.receive(hello(token=None), T0, 0.0) == [Join(0)]
    welcome, snapshot = sent(session.joined(hall.state, hall.events, T0))
    assert isinstance(welcome, Welcome) and welcome.person_id is None
    assert isinstance(snapshot, Snapshot) and session.viewer is None
    [refusal] = sent(session.receive(command(), T0, 0.0))
    assert isinstance(refusal, ErrorMessage)
    assert (refusal.code, refusal.key) == ("read_only", "check-in-0001")
    assert refusal.message_en == "The public feed is read-only."
    auth = json.dumps({"type": "auth", "token": "token-2"})
    assert errors(session.receive(auth, T0, 0.0)) == [("read_only", None)]


@pytest.mark.parametrize(("code", "close"), [("not_found", CLOSE_NOT_FOUND),
                                             ("credentials_invalid", CLOSE_UNAUTHORIZED)])
def test_a_refused_credential_is_said_in_words_then_closed(code: str, close: int) -> None:
    session = ServerSession(7, public=False)
    session.receive(hello(), T0, 0.0)
    out = session.credential_refused(code)
    [said] = sent(out)
    assert isinstance(said, ErrorMessage) and said.code == code and said.message_vi
    assert out[-1] == Close(close)
    assert session.receive(command(), T0, 0.0) == []


def test_a_revoked_credential_is_refused_at_hello() -> None:
    session = ServerSession(7, public=False, revoked={"digest-1"})
    session.receive(hello(), T0, 0.0)
    out = session.credential_accepted(LOGIN)
    assert errors(out) == [("credentials_revoked", None)] and out[-1] == Close(CLOSE_UNAUTHORIZED)


def test_a_command_after_a_revocation_is_refused_and_the_connection_closed() -> None:
    revoked: set[str] = set()
    session, _ = signed_in(revoked=revoked)
    assert session.receive(command("before-the-logout"), T0, 0.0) == [
        Submit(CheckIn(key="before-the-logout"), LOGIN)]
    revoked.add("digest-1")  # the hub learnt of a logout
    out = session.receive(command("after-the-logout"), T0, 0.1)
    assert errors(out) == [("credentials_revoked", "after-the-logout")]
    assert out[-1] == Close(CLOSE_UNAUTHORIZED)


def test_an_expired_credential_is_renewed_on_the_open_connection() -> None:
    session, _ = signed_in()
    later = LOGIN.expires_at + timedelta(seconds=1)
    assert errors(session.receive(command(), later, 0.0)) == [
        ("credentials_expired", "check-in-0001")]  # not decided, not closed
    auth = json.dumps({"type": "auth", "token": "token-2"})
    assert session.receive(auth, later, 0.0) == [CheckCredential("token-2", True)]
    renewed = Login(DELEGATE, 50, "digest-2", later + timedelta(minutes=10))
    assert sent(session.credential_accepted(renewed)) == [
        Authenticated(expires_at=renewed.expires_at)]
    assert session.receive(command(), later, 0.0) == [Submit(CheckIn(key="check-in-0001"), renewed)]


def test_a_renewal_with_another_account_is_refused() -> None:
    session, _ = signed_in()
    session.receive(json.dumps({"type": "auth", "token": "someone-else"}), T0, 0.0)
    out = session.credential_accepted(Login(CHAIR, 10, "digest-9", LOGIN.expires_at))
    assert errors(out) == [("credentials_invalid", None)] and out[-1] == Close(CLOSE_UNAUTHORIZED)


def test_twenty_commands_a_second_then_rate_limited_until_the_bucket_refills() -> None:
    session, _ = signed_in()
    answers = [session.receive(command(f"flood-{n:04d}"), T0, 100.0) for n in range(25)]
    assert [isinstance(a[0], Submit) for a in answers] == [True] * 20 + [False] * 5
    assert errors(answers[-1]) == [("rate_limited", "flood-0024")]
    half_a_second_later = [session.receive(command(f"later-{n:04d}"), T0, 100.5)
                           for n in range(12)]
    assert sum(isinstance(a[0], Submit) for a in half_a_second_later) == 10
