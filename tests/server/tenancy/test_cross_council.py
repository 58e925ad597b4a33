"""A user of one council asking for another council's objects learns nothing: for every
API route and every page with an id in its path, the answer is the one for an id that
never existed (404 for a read), for an admin, a clerk and a delegate, through the API
with a token and through the console with a signed-in browser. Lists and search hold
nothing of the other council.

The other council is the demo (Y Tý, every kind of object: sessions, documents, sittings,
votes, follow-up, petitions, register, minutes...). The asking council is a second commune
in the same deployment with its own admin, clerk and delegate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from server.models import (
    AccountRole,
    Body,
    BodyKind,
    Council,
    CouncilLevel,
    CouncilSession,
    Membership,
    Person,
)
from server.models.base import id_of
from server.services import accounts
from tests.conftest import fresh_pg_database, make_settings
from tests.server.citizens.conftest import csrf_of
from tests.server.conftest import DEMO_PASSWORD
from tests.server.route_ids import NEVER, council_ids, routes, urls_for

# the asking council's own address: its portal, and its staff's console (server/tenancy/address.py)
B_ADDRESS = "/hdnd/ban-xeo"
ASKERS = ("b.admin", "b.clerk", "b.delegate")

# GET pages that answer the same form for any id before reading anything.
SAME_FOR_ANY_ID = {
    "/projector/{sitting_id}": "asks for the hall's code first; with a code it reads the sitting",
}
# Routes whose path ids are not another council's objects. The list may only shrink.
NOT_COUNCIL_OBJECTS = {
    "/ngon-ngu/{lang}": "the interface language",
}


@dataclass
class Deployment:
    client: TestClient
    demo_ids: dict[str, list[int]]  # table → the demo council's ids
    demo_titles: list[str]


def _b_council(db: Session) -> None:
    council = Council(name="HĐND xã Bản Xèo", level=CouncilLevel.commune, term_start=2026,
                      term_end=2031, slug="ban-xeo")
    db.add(council)
    db.flush()
    body = Body(council_id=id_of(council), name="HĐND xã Bản Xèo", kind=BodyKind.plenary)
    person = Person(council_id=id_of(council), full_name="Lò Văn Sáng", is_delegate=True)
    db.add_all([body, person])
    db.flush()
    db.add(Membership(person_id=id_of(person), body_id=id_of(body), council_id=id_of(council)))
    for username, role, who in (("b.admin", AccountRole.admin, None), ("b.clerk", AccountRole.clerk, None),
                                ("b.delegate", AccountRole.delegate, person)):
        accounts.create_account(db, None, username, DEMO_PASSWORD, role,
                                person_id=id_of(who) if who else None, council_id=id_of(council))
    db.commit()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def deployment(request, tmp_path_factory) -> Iterator[Deployment]:
    from server.app import create_app
    from server.db import make_engine, migrate
    from server.demo.seed import seed_demo

    def build(url: str | None) -> Iterator[Deployment]:
        settings = make_settings(tmp_path_factory.mktemp("cross"), url)
        migrate(settings)
        engine = make_engine(settings)
        with Session(engine) as db:
            seed_demo(db, settings, DEMO_PASSWORD, long_document_pages=2)
            demo = db.exec(select(Council.id).order_by(col(Council.id))).first()
            assert demo is not None
            _b_council(db)
            ids = council_ids(db, demo)
            titles = list(db.exec(select(CouncilSession.title).where(CouncilSession.council_id == demo)))
        engine.dispose()
        with TestClient(create_app(settings)) as client:
            yield Deployment(client, ids, titles)

    if request.param == "postgresql":
        with fresh_pg_database("cross_council") as url:
            yield from build(url)
    else:
        yield from build(None)


def _routes(client: TestClient) -> list[tuple[str, str]]:
    return routes(client.app, skip=set(NOT_COUNCIL_OBJECTS))


def _answer(response) -> tuple[int, str]:
    kind = response.headers.get("content-type", "")
    code = ""
    if "json" in kind:
        body = response.json()
        code = body.get("code", "") if isinstance(body, dict) else ""
    return response.status_code, code


def _digitless(content: bytes) -> bytes:
    """A page that echoes the asked id (a form's action) differs by that id alone."""
    return re.sub(rb"\d+", b"0", content)


def _browser(client: TestClient, username: str) -> TestClient:
    browser = TestClient(client.app)
    page = browser.get("/dang-nhap")
    signed = browser.post("/dang-nhap", data={"username": username, "password": DEMO_PASSWORD,
                                              "csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert signed.status_code in (302, 303), signed.text
    return browser


def _tokens(client: TestClient) -> dict[str, str]:
    tokens = {}
    for username in ASKERS:
        answer = client.post("/api/auth/token", data={"username": username, "password": DEMO_PASSWORD})
        assert answer.status_code == 200, answer.text
        tokens[username] = answer.json()["access_token"]
    return tokens


def test_every_route_answers_another_councils_id_as_one_that_never_existed(deployment: Deployment) -> None:
    client = deployment.client
    tokens = _tokens(client)
    browsers = {username: _browser(client, username) for username in ASKERS}
    leaks: list[str] = []
    asked = 0
    for method, path in _routes(client):
        urls = urls_for(path, deployment.demo_ids)
        if urls is None:
            continue
        theirs, never = B_ADDRESS + urls[0], B_ADDRESS + urls[1]
        for username in ASKERS:
            if path.startswith("/api/"):  # the API with the caller's token
                asker, headers, data = client, {"Authorization": f"Bearer {tokens[username]}"}, None
            else:  # a page in the caller's signed-in browser
                asker, headers = browsers[username], {}
                data = {"csrf_token": "x"} if method != "GET" else None
            answer, reference = (asker.request(method, url, headers=headers, data=data,
                                               follow_redirects=False) for url in (theirs, never))
            got, expected = _answer(answer), _answer(reference)
            asked += 1
            if got != expected:
                leaks.append(f"{method} {path} as {username}: {got} for the demo's id, {expected} for none")
            elif 200 <= got[0] < 300 and _digitless(answer.content) != _digitless(reference.content):
                leaks.append(f"{method} {path} as {username}: {got[0]}, not the answer for none")
            elif method == "GET" and got[0] not in (401, 403, 404, 405, 422) \
                    and path not in SAME_FOR_ANY_ID:
                leaks.append(f"{method} {path} as {username}: {got[0]}")
    assert asked > 300
    assert leaks == [], "\n".join(leaks)


def test_lists_and_search_hold_nothing_of_another_council(deployment: Deployment) -> None:
    client = deployment.client
    tokens = _tokens(client)
    for username in ASKERS:
        headers = {"Authorization": f"Bearer {tokens[username]}"}
        sessions = client.get("/api/sessions", headers=headers).json()
        assert not any(s["title"] in deployment.demo_titles for s in sessions)
        found = client.get("/api/search", params={"q": "Y Tý"}, headers=headers)
        assert found.status_code == 200 and found.json()["hits"] == []
        public = client.get(B_ADDRESS + "/api/public/search", params={"q": "Y Tý"})
        assert public.status_code == 200 and public.json()["hits"] == []
    # the words are there: the demo's own clerk and its portal find them
    demo_clerk = client.post("/api/auth/token", data={"username": "clerk", "password": DEMO_PASSWORD})
    theirs = client.get("/api/search", params={"q": "Y Tý"},
                        headers={"Authorization": f"Bearer {demo_clerk.json()['access_token']}"})
    assert theirs.json()["hits"]
    assert client.get("/api/public/search", params={"q": "Y Tý"}).json()["hits"]
    admin = {"Authorization": f"Bearer {tokens['b.admin']}"}
    audit = client.get("/api/audit", headers=admin)
    if audit.status_code == 200:
        assert "Y Tý" not in audit.text
    names = {a["username"] for a in client.get("/api/accounts", headers=admin).json()}
    assert names == set(ASKERS)
    console = _browser(client, "b.clerk").get("/console")
    assert console.status_code == 200 and "Y Tý" not in console.text


def test_the_live_socket_of_another_councils_sitting_is_one_that_never_existed(
        deployment: Deployment) -> None:
    """A tablet of the asking council joining the demo's sitting hears what it would for
    a sitting that never existed, signed in or on the public socket of its own portal."""
    client = deployment.client
    token = _tokens(client)["b.delegate"]
    heard = []
    for sitting in (deployment.demo_ids["sitting"][0], NEVER):
        with client.websocket_connect(f"/ws/sittings/{sitting}") as ws:
            ws.send_json({"type": "hello", "protocol_version": 1, "last_seq": 0, "token": token})
            answer = ws.receive_json()
            heard.append((answer.get("type"), answer.get("code")))
        with client.websocket_connect(f"{B_ADDRESS}/ws/sittings/{sitting}/public") as ws:
            with pytest.raises(Exception):  # noqa: B017  - closed (4404) before any frame
                ws.receive_json()
    assert heard[0] == heard[1] and heard[0][0] == "error", heard
