"""A device's side of the conversation, without a socket or a thread: what the server
says in, what the device does out. The I/O around it is tested against a real hall in
tests/tablet_app/core/test_live_client.py."""

from __future__ import annotations

from datetime import timedelta

from shared.live.commands import CastVote, CheckIn, RequestToSpeak
from shared.live.errors import LiveError
from shared.live.events import Event
from shared.live.protocol import (
    Ack,
    Authenticate,
    Authenticated,
    CommandMessage,
    ErrorMessage,
    EventBatch,
    EventMessage,
    Hello,
    Ping,
    Pong,
    Resync,
    ServerMessage,
    Snapshot,
    Welcome,
    dump,
)
from shared.live.redaction import redact_for, redact_state
from shared.live.session_client import (
    ClientOutput,
    ClientSession,
    CommandChanged,
    Online,
    Received,
    Reconnect,
    Renew,
    StateChanged,
    Transmit,
)
from shared.live.session_server import CheckCredential, Join, Login, Send, ServerSession, Submit
from tests.shared.live.harness import CHAIR, T0, Hall, ready_hall

DELEGATE = 5


def welcome(hall: Hall) -> Welcome:
    return Welcome(sitting_id=hall.state.sitting_id, server_time=T0,
                   head_seq=hall.state.seq, person_id=DELEGATE)


def snapshot(hall: Hall) -> Snapshot:
    return Snapshot(seq=hall.state.seq,
                    state=redact_state(hall.state, hall.actor(DELEGATE)))


def event(e: Event, hall: Hall) -> EventMessage:
    return EventMessage(event=redact_for(e, hall.actor(DELEGATE)))


def transmitted(outputs: list[ClientOutput]) -> list[object]:
    return [o.message for o in outputs if isinstance(o, Transmit)]


def online(hall: Hall, session: ClientSession | None = None) -> ClientSession:
    """A session welcomed on a new connection and caught up by a snapshot."""
    session = session or ClientSession()
    session.connect("token-1")
    session.handle(welcome(hall), T0)
    session.handle(snapshot(hall), T0)
    return session


def test_hello_carries_the_credential_and_the_last_seq_held() -> None:
    session = ClientSession()
    assert session.connect("token-1") == Transmit(Hello(protocol_version=1, last_seq=0,
                                                        token="token-1"))
    hall = ready_hall()
    session = online(hall)
    hello = session.connect("")
    assert hello == Transmit(Hello(protocol_version=1, last_seq=hall.state.seq, token=None))


def test_welcome_sets_the_clock_offset_and_the_snapshot_the_state() -> None:
    hall = ready_hall()
    session = ClientSession()
    session.connect("token-1")
    local = T0 - timedelta(seconds=90)  # the tablet's clock is 90 s behind
    assert session.handle(welcome(hall), local) == [Online()]
    assert session.clock_offset == timedelta(seconds=90) and session.person_id == DELEGATE
    assert session.connects == 1 and session.welcomed
    assert session.handle(snapshot(hall), local) == [StateChanged(session.state)]
    assert session.state is not None and session.state.seq == hall.state.seq
    session.handle(Pong(server_time=T0 + timedelta(seconds=95)), T0)
    assert session.clock_offset == timedelta(seconds=95)


def test_a_command_waits_for_the_welcome_and_goes_once() -> None:
    hall = ready_hall()
    session = ClientSession()
    pending, new = session.submit(CheckIn(key="check-in-0001"))
    assert new and session.submit(CheckIn(key="check-in-0001")) == (pending, False)
    assert session.flush() == []  # no connection yet
    session.connect("token-1")
    assert session.flush() == []  # not welcomed yet
    out = session.handle(welcome(hall), T0)
    assert transmitted(out) == [CommandMessage(command=pending.command)]
    assert CommandChanged(pending) in out and pending.state == "sent" and pending.sends == 1
    assert session.flush() == []


def test_a_vote_is_recorded_only_when_its_ack_arrives() -> None:
    hall = ready_hall()
    session = online(hall)
    hall.do(CHAIR, "open_vote", item_id=10, question="Thông qua", mode="open")
    vote_id = hall.state.open_vote.vote_id
    session.handle(event(hall.events[-1], hall), T0)
    pending, _ = session.submit(CastVote(key="vote-delegate-5", vote_id=vote_id, choice="yes"))
    session.flush()
    assert pending.state == "sent" and session.my_vote(vote_id) is pending
    hall.do(DELEGATE, "cast_vote", vote_id=vote_id, choice="yes")
    assert session.handle(event(hall.events[-1], hall), T0) == [StateChanged(session.state)]
    assert pending.state == "sent"  # the event alone is not the answer
    out = session.handle(Ack(key="vote-delegate-5", seqs=(hall.state.seq,)), T0)
    assert out == [CommandChanged(pending)] and pending.state == "acked"
    assert pending.seqs == (hall.state.seq,)
    assert session.state.votes[vote_id].choices == {DELEGATE: "yes"}


def test_a_refusal_keeps_its_words() -> None:
    session = online(ready_hall())
    pending, _ = session.submit(CheckIn(key="check-in-0001"))
    session.flush()
    refusal = ErrorMessage.of(LiveError("not_member"), key="check-in-0001")
    assert session.handle(refusal, T0) == [CommandChanged(pending)]
    assert (pending.state, pending.error_code) == ("refused", "not_member")
    assert pending.message_vi == refusal.message_vi and pending.message_en


def test_rate_limited_goes_again_later_and_expired_asks_for_a_renewal_first() -> None:
    session = online(ready_hall())
    slow, _ = session.submit(CheckIn(key="check-in-0001"))
    late, _ = session.submit(RequestToSpeak(key="speak-0001"))
    session.flush()
    assert session.handle(ErrorMessage.of(LiveError("rate_limited"), key=slow.key), T0) == []
    assert slow.state == "queued"
    expired = ErrorMessage.of(LiveError("credentials_expired"), key=late.key)
    assert session.handle(expired, T0) == [Renew()] and late.state == "queued"
    assert session.renewed("token-2") == Transmit(Authenticate(token="token-2"))
    out = session.handle(Authenticated(expires_at=T0 + timedelta(minutes=10)), T0)
    assert transmitted(out) == [CommandMessage(command=slow.command),
                                CommandMessage(command=late.command)]
    assert (slow.sends, late.sends) == (2, 2)


def test_an_answer_lost_in_a_cut_is_sent_again_with_the_same_key() -> None:
    hall = ready_hall()
    session = online(hall)
    pending, _ = session.submit(RequestToSpeak(key="speak-req-0003"))
    [frame] = transmitted(session.flush())
    session.disconnected()  # the cut: no answer came
    assert pending.state == "queued"
    session.connect("token-1")
    [again] = transmitted(session.handle(welcome(hall), T0))
    assert again == frame and pending.sends == 2


def test_events_apply_in_order_duplicates_are_ignored_and_a_gap_reconnects() -> None:
    hall = ready_hall()
    session = online(hall)
    for person in (18, 19, 20):
        hall.do(person, "check_in")
    first, second, third = (event(e, hall) for e in hall.last(3))
    assert session.handle(first, T0) == [StateChanged(session.state)]
    assert session.handle(first, T0) == []  # a duplicate
    assert list(session.log)[-1] == first.event
    out = session.handle(third, T0)  # the second went missing
    assert out == [Reconnect(f"missed events before {third.event.seq}", False)]
    assert session.state is not None  # keeps what it has: reconnects with its last seq
    assert session.handle(second, T0) == []  # nothing more from this connection
    session.connect("token-1")
    batch = EventBatch(events=(second.event, third.event))
    assert session.handle(batch, T0) == [StateChanged(session.state)]
    assert session.state.seq == hall.state.seq
    assert {18, 19, 20} <= set(session.state.present)


def test_an_event_before_any_snapshot_starts_from_scratch_or_reconnects() -> None:
    hall = Hall()
    hall.do(CHAIR, "open_sitting")
    session = ClientSession()
    session.connect("token-1")
    session.handle(welcome(hall), T0)
    assert session.handle(event(hall.events[0], hall), T0) == [StateChanged(session.state)]
    assert session.state is not None and session.state.status == "open"
    late = ClientSession()
    late.connect("token-1")
    hall.do(CHAIR, "check_in")
    out = late.handle(event(hall.events[-1], hall), T0)
    assert out == [Reconnect("event before snapshot", True)] and late.state is None


def test_resync_or_an_unreadable_frame_forgets_the_state() -> None:
    hall = ready_hall()
    session = online(hall)
    assert session.handle(Resync(reason="slow_consumer"), T0) == [
        Reconnect("slow_consumer", True)]
    assert session.state is None
    assert session.connect("token-1").message == Hello(protocol_version=1, last_seq=0,
                                                       token="token-1")
    frame = '{"type": "event", "event": {"type": "a_new_kind_of_event", "seq": 1}}'
    [reconnect] = session.receive(frame, T0)
    assert isinstance(reconnect, Reconnect) and reconnect.forget_state


def test_the_words_before_a_close_are_kept() -> None:
    session = online(ready_hall())
    said = ErrorMessage.of(LiveError("credentials_revoked"))
    assert session.receive(dump(said), T0) == [Received(said)]
    assert session.last_words == said
    session.connect("token-2")
    assert session.last_words is None  # a new connection, new words
    with_key = ErrorMessage.of(LiveError("credentials_revoked"), key="check-in-0001")
    session.handle(with_key, T0)
    assert session.last_words == with_key


def test_a_heartbeat_is_a_ping() -> None:
    assert ClientSession().ping() == Transmit(Ping())


def test_a_device_and_the_server_talk_through_both_sessions() -> None:
    """Both sides of the protocol, frame by frame, with nothing between them but text."""
    hall = ready_hall()
    login = Login(person_id=DELEGATE, account_id=50, token_digest="d",
                  expires_at=T0 + timedelta(minutes=10))
    server = ServerSession(hall.state.sitting_id, public=False)
    device = ClientSession()
    to_device: list[ServerMessage] = []

    def deliver(outputs: list[ClientOutput], now: float) -> None:
        for message in transmitted(outputs):
            for answer in server.receive(dump(message), T0, now):  # type: ignore[arg-type]
                if isinstance(answer, Send):
                    to_device.append(answer.message)
                elif isinstance(answer, Submit):
                    decision = hall.do(answer.login.person_id, answer.command.type,
                                       **answer.command.model_dump(exclude={"key", "type"}))
                    to_device.extend(EventMessage(event=e) for e in decision.events)
                    to_device.append(Ack(key=answer.command.key,
                                         seqs=tuple(e.seq for e in decision.events)))
                elif isinstance(answer, CheckCredential):  # the database says yes
                    assert server.credential_accepted(login) == [Join(0)]
                    joined = server.joined(hall.state, hall.events, T0)
                    to_device.extend(m.message for m in joined if isinstance(m, Send))

    deliver([device.connect("token-1")], 0.0)
    pending, _ = device.submit(RequestToSpeak(key="speak-0000001"))
    while to_device:
        deliver(device.receive(dump(to_device.pop(0)), T0), 1.0)
    assert pending.state == "acked" and device.state == redact_state(
        hall.state, hall.actor(DELEGATE))
    assert [r.person_id for r in device.state.queue] == [DELEGATE]
