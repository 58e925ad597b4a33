"""The websocket endpoints of a live sitting: thin I/O around the hub.

``/ws/sittings/{id}`` for signed-in devices (delegates, chair, secretary, officials) and
``/ws/sittings/{id}/public`` for the hall's projector and the public, read-only and
without login. The conversation is in ``docs/protocol.md``; what to answer to each frame
is decided by ``shared.live.session_server.ServerSession`` (no I/O there), and this module
reads frames, sends, closes, checks credentials in the database and hands commands to
the hub, as the session asks.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from typing import assert_never

from anyio import to_thread
from fastapi import APIRouter, WebSocket
from sqlalchemy.engine import Engine
from sqlmodel import Session

from server.errors import DomainError, NotFound, TokenInvalid
from server.live.connection import Connection
from server.live.hub import SittingHub
from server.live.recorder import Caller
from server.live.service import viewable_sitting
from server.models import TokenKind
from server.security import tokens
from server.security.principal import load_principal
from server.services import auth
from server.tenancy import address, scoping
from server.tenancy.scope import Scope
from shared import clock
from shared.live.protocol import HEARTBEAT_DEAD_AFTER_S, dump
from shared.live.session_server import (
    CLOSE_IDLE,
    CLOSE_NOT_FOUND,
    CheckCredential,
    Close,
    Join,
    Login,
    Send,
    ServerOutput,
    ServerSession,
    Submit,
)

log = logging.getLogger(__name__)
router = APIRouter()


def _header_token(websocket: WebSocket) -> str | None:
    """A bearer token in the upgrade request's headers (never the URL: URLs are logged)."""
    header = websocket.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def _authenticate(engine: Engine, token: str | None, sitting_id: int) -> Login:
    with Session(engine) as db:
        if not token:
            raise TokenInvalid()
        account, _family = auth.authenticate(db, token)
        record = tokens.find_live_token(db, token, TokenKind.access)
        principal = load_principal(db, account)
        scoping.enter(db, principal.scope)  # another council's sitting: not found
        viewable_sitting(db, principal, sitting_id)
        return Login(person_id=account.person_id, account_id=account.id,
                     token_digest=record.token_hash, expires_at=_aware(record.expires_at))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _sitting_is_public(engine: Engine, council_id: int, sitting_id: int) -> None:
    from server.live.service import public_sitting

    with Session(engine) as db:
        scoping.enter(db, Scope.of_council(council_id))  # the council the address names
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
        council_id = await to_thread.run_sync(address.council_of_request, websocket)
        await to_thread.run_sync(_sitting_is_public, hub.engine, council_id, sitting_id)
    except NotFound:
        await websocket.close(code=CLOSE_NOT_FOUND)
        return
    await _converse(websocket, hub, sitting_id, signed_in=False)


async def _check(hub: SittingHub, sitting_id: int, session: ServerSession,
                 token: str | None) -> list[ServerOutput]:
    """Check a credential in the database (off the loop) and tell the session."""
    try:
        login = await to_thread.run_sync(_authenticate, hub.engine, token, sitting_id)
    except NotFound:
        return session.credential_refused("not_found")
    except DomainError:
        return session.credential_refused("credentials_invalid")
    return session.credential_accepted(login)


async def _converse(websocket: WebSocket, hub: SittingHub, sitting_id: int, *,
                    signed_in: bool) -> None:
    """Read frames and carry out what the session (``shared.live.session``) answers,
    until the device goes away or is sent away."""
    connection = Connection(websocket, None, public=not signed_in,
                            queue_size=hub.send_queue)
    connection.start()
    session = ServerSession(sitting_id, public=not signed_in,
                            header_token=_header_token(websocket) if signed_in else None,
                            revoked=hub.revocations)
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
            outputs = session.receive(raw, clock.now(), time.monotonic())
            if not await _carry_out(hub, sitting_id, connection, session, outputs):
                return
    except Exception:  # a broken socket ends this device only
        log.debug("sitting %s: connection ended", sitting_id, exc_info=True)
    finally:
        hub.unsubscribe(sitting_id, connection)
        await connection.stop()


async def _carry_out(hub: SittingHub, sitting_id: int, connection: Connection,
                     session: ServerSession, outputs: list[ServerOutput]) -> bool:
    """Do what the session asks, in order; False once the connection is closed."""
    todo = list(outputs)
    while todo:
        output = todo.pop(0)
        match output:
            case Send(message=message):
                connection.send(dump(message))
            case Close(code=code):
                await asyncio.sleep(0.05)  # let the sender flush the words before the close
                await connection.close(code)
                return False
            case CheckCredential(token=token):
                todo[:0] = await _check(hub, sitting_id, session, token)
            case Join():
                todo[:0] = await _join(hub, sitting_id, connection, session)
            case Submit(command=command, login=login):
                caller = Caller(person_id=login.person_id, account_id=login.account_id)
                connection.send(dump(await hub.submit(sitting_id, command, caller)))
            case _:
                assert_never(output)
        if session.login is not None:  # what the watchman and the revocations check
            connection.token_digest = session.login.token_digest
            connection.expires_at = session.login.expires_at
    return True


async def _join(hub: SittingHub, sitting_id: int, connection: Connection,
                session: ServerSession) -> list[ServerOutput]:
    """Subscribe first, then send what the device missed; live events wait meanwhile."""
    hub.subscribe(sitting_id, connection)
    state, events = await hub.current(sitting_id)
    catch_up = session.joined(state, events, clock.now())
    connection.viewer = session.viewer
    for output in catch_up:
        assert isinstance(output, Send)
        connection.send(dump(output.message))
    connection.go_live(state.seq)
    return []
