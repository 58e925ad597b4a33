"""The websocket endpoints of a live sitting: thin I/O around the hub.

``/ws/sittings/{id}`` for signed-in devices (delegates, chair, secretary, officials) and
``/ws/sittings/{id}/public`` for the hall's projector and the public, read-only and
without login. The conversation is in ``docs/protocol.md``.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from anyio import to_thread
from fastapi import APIRouter, WebSocket
from sqlalchemy.engine import Engine
from sqlmodel import Session

from server.errors import DomainError, NotFound, TokenInvalid
from server.live.connection import Connection, RateLimit
from server.live.hub import SittingHub
from server.live.recorder import Caller
from server.live.service import viewable_sitting
from server.live.watch import CLOSE_UNAUTHORIZED
from server.models import TokenKind
from server.models.base import utcnow
from server.security import tokens
from server.security.principal import load_principal
from server.services import auth
from shared import clock
from shared.live.errors import LiveError, ProtocolError
from shared.live.protocol import (
    HEARTBEAT_DEAD_AFTER_S,
    RATE_LIMIT_PER_S,
    Authenticate,
    Authenticated,
    CommandMessage,
    ErrorMessage,
    EventBatch,
    Hello,
    Ping,
    Pong,
    Resync,
    Snapshot,
    Welcome,
    check_hello,
    dump,
    parse_client_message,
)
from shared.live.redaction import public_state, public_view, redact_for, redact_state
from shared.live.roster import Actor

log = logging.getLogger(__name__)
router = APIRouter()

CLOSE_NOT_FOUND = 4404
CLOSE_BAD_VERSION = 4400
CLOSE_IDLE = 4408
SNAPSHOT_AFTER_GAP = 200  # a longer gap gets a snapshot instead of every missed event


def _header_token(websocket: WebSocket) -> str | None:
    """A bearer token in the upgrade request's headers (never the URL: URLs are logged)."""
    header = websocket.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


@dataclass(frozen=True)
class _Login:
    caller: Caller
    token_digest: str
    expires_at: datetime  # naive UTC, as stored


def _authenticate(engine: Engine, token: str | None, sitting_id: int) -> _Login:
    with Session(engine) as db:
        if not token:
            raise TokenInvalid()
        account, _family = auth.authenticate(db, token)
        record = tokens.find_live_token(db, token, TokenKind.access)
        principal = load_principal(db, account)
        viewable_sitting(db, principal, sitting_id)
        return _Login(Caller(person_id=account.person_id, account_id=account.id),
                      record.token_hash, record.expires_at)


def _sitting_is_public(engine: Engine, sitting_id: int) -> None:
    from server.live.service import public_sitting

    with Session(engine) as db:
        public_sitting(db, sitting_id)


@router.websocket("/ws/sittings/{sitting_id}")
async def sitting_socket(websocket: WebSocket, sitting_id: int) -> None:
    """Signed in by the first message (``hello`` with ``token``), see docs/protocol.md."""
    hub: SittingHub = websocket.app.state.hub
    await websocket.accept()  # accept first: a close code can only be sent on an open socket
    await _converse(websocket, hub, sitting_id, signed_in=True)


@router.websocket("/ws/sittings/{sitting_id}/public")
async def public_socket(websocket: WebSocket, sitting_id: int) -> None:
    hub: SittingHub = websocket.app.state.hub
    await websocket.accept()
    try:
        await to_thread.run_sync(_sitting_is_public, hub.engine, sitting_id)
    except NotFound:
        await websocket.close(code=CLOSE_NOT_FOUND)
        return
    await _converse(websocket, hub, sitting_id, signed_in=False)


async def _refuse(connection: Connection, code: str, close: int, key: str | None = None) -> None:
    """Say why in words, then close (the device shows the words, not the number)."""
    connection.send(_error(code, key))
    await asyncio.sleep(0.05)  # let the sender flush the words before the close frame
    await connection.close(close)


async def _login(hub: SittingHub, connection: Connection, sitting_id: int,
                 token: str | None) -> _Login | None:
    """Check a credential; on refusal the device is told why and the socket closed."""
    try:
        login = await to_thread.run_sync(_authenticate, hub.engine, token, sitting_id)
    except NotFound:
        await _refuse(connection, "not_found", CLOSE_NOT_FOUND)
        return None
    except DomainError:
        await _refuse(connection, "credentials_invalid", CLOSE_UNAUTHORIZED)
        return None
    if login.token_digest in hub.revocations:
        await _refuse(connection, "credentials_revoked", CLOSE_UNAUTHORIZED)
        return None
    return login


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _error(code: str, key: str | None = None, vi: str | None = None, en: str | None = None) -> str:
    return dump(ErrorMessage.of(LiveError(code, vi, en), key=key))


async def _converse(websocket: WebSocket, hub: SittingHub, sitting_id: int, *,
                    signed_in: bool) -> None:
    """Hello (with the credential), catch-up, then commands, renewals and pings until
    the device goes away."""
    connection = Connection(websocket, None, public=not signed_in,
                            queue_size=hub.send_queue)
    connection.start()
    limit = RateLimit(RATE_LIMIT_PER_S)
    caller: Caller | None = None
    greeted = False
    try:
        while not connection.dropped.is_set():
            try:
                message = await asyncio.wait_for(websocket.receive(), HEARTBEAT_DEAD_AFTER_S)
            except TimeoutError:
                await connection.close(CLOSE_IDLE)  # cut, if not even the close gets through
                return
            if message["type"] == "websocket.disconnect":
                return
            raw = message.get("text")
            if raw is None:
                raw = message.get("bytes") or b""
            try:
                parsed = parse_client_message(raw)
            except ProtocolError as error:
                connection.send(dump(ErrorMessage.of(error)))
                continue
            if not greeted:
                if not isinstance(parsed, Hello):
                    connection.send(_error("hello_required"))
                    continue
                try:
                    check_hello(parsed)
                except ProtocolError as error:
                    connection.send(dump(ErrorMessage.of(error)))
                    await asyncio.sleep(0.05)  # let the sender flush the error
                    await websocket.close(code=CLOSE_BAD_VERSION)
                    return
                if signed_in:
                    login = await _login(hub, connection, sitting_id,
                                         parsed.token or _header_token(websocket))
                    if login is None:
                        return
                    caller = login.caller
                    connection.token_digest = login.token_digest
                    connection.expires_at = login.expires_at
                await _welcome(hub, sitting_id, connection, caller, parsed.last_seq)
                greeted = True
            elif isinstance(parsed, Ping):
                connection.send(dump(Pong(nonce=parsed.nonce, server_time=clock.now())))
            elif isinstance(parsed, Hello):
                connection.send(_error("invalid_message"))
            elif isinstance(parsed, Authenticate):
                if caller is None:
                    connection.send(_error("read_only"))
                    continue
                login = await _login(hub, connection, sitting_id, parsed.token)
                if login is None:
                    return
                if login.caller.account_id != caller.account_id:  # renew, never switch
                    await _refuse(connection, "credentials_invalid", CLOSE_UNAUTHORIZED)
                    return
                connection.token_digest = login.token_digest
                connection.expires_at = login.expires_at
                connection.send(dump(Authenticated(expires_at=_aware(login.expires_at))))
            elif isinstance(parsed, CommandMessage):
                key = parsed.command.key
                if caller is None:
                    connection.send(_error("read_only", key, "Kênh công khai chỉ để theo dõi.",
                                           "The public feed is read-only."))
                elif connection.token_digest in hub.revocations:
                    # logged out, account locked or device revoked since: cut off now
                    await _refuse(connection, "credentials_revoked", CLOSE_UNAUTHORIZED, key)
                    return
                elif connection.expires_at is not None and connection.expires_at <= utcnow():
                    # not decided: the device renews (``auth``) and sends it again
                    connection.send(_error("credentials_expired", key))
                elif not limit.allow():
                    connection.send(_error("rate_limited", key))
                else:
                    answer = await hub.submit(sitting_id, parsed.command, caller)
                    connection.send(dump(answer))
    except Exception:  # a broken socket ends this device only
        log.debug("sitting %s: connection ended", sitting_id, exc_info=True)
    finally:
        hub.unsubscribe(sitting_id, connection)
        await connection.stop()


async def _welcome(hub: SittingHub, sitting_id: int, connection: Connection,
                   caller: Caller | None, last_seq: int) -> None:
    """Subscribe first, then send what the device missed; live events wait meanwhile."""
    hub.subscribe(sitting_id, connection)
    state, events = await hub.current(sitting_id)
    assert state.roster is not None
    viewer = None
    if caller is not None:
        viewer = Actor.of(state.roster, caller.person_id if caller.person_id else -1)
    connection.viewer = viewer
    expires = connection.expires_at
    connection.send(dump(Welcome(sitting_id=sitting_id, server_time=clock.now(),
                                 head_seq=state.seq,
                                 person_id=caller.person_id if caller else None,
                                 expires_at=_aware(expires) if expires else None)))
    if last_seq > state.seq:
        connection.send(dump(Resync(reason="ahead_of_server")))
    elif last_seq == 0 or state.seq - last_seq > SNAPSHOT_AFTER_GAP:
        shown = public_state(state) if caller is None else redact_state(state, viewer)
        connection.send(dump(Snapshot(seq=state.seq, state=shown)))
    elif last_seq < state.seq:
        missed = events[last_seq:state.seq]
        shown_events = tuple(public_view(e) if caller is None else redact_for(e, viewer)
                             for e in missed)
        connection.send(dump(EventBatch(events=shown_events)))
    connection.go_live(state.seq)
