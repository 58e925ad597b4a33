"""The hot reads answer from memory and are never stale where it matters.

Two apps on one database stand for two hosts behind the load balancer (each has its own
engine, so its own counters); the database's triggers are the only way either learns of
the other's writes. Both engines: SQLite and the machine's PostgreSQL.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter
from sqlalchemy import text
from sqlmodel import Session

from server.cache import generations
from server.demo.calendar import demo_schedule
from server.models import AgendaItem
from server.schemas.meeting import AgendaItemRead
from server.services import meetings
from tests.server.conftest import seeded_demo

PASSWORD = "cache-pass"


@dataclass
class Hosts:
    a: TestClient
    b: TestClient
    engine: object
    session_id: int

    def token(self, username: str, client: TestClient | None = None) -> str:
        response = (client or self.a).post("/api/auth/token",
                                           data={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return response.json()["access_token"]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def hosts(request, tmp_path_factory) -> Iterator[Hosts]:
    from server.app import create_app

    with seeded_demo(request.param, tmp_path_factory.mktemp("cache"), PASSWORD,
                     prefix="hdnd_cache") as (settings, engine):
        with TestClient(create_app(settings)) as a, TestClient(create_app(settings)) as b:
            clerk = {"Authorization": f"Bearer {_token(a, 'clerk')}"}
            session_id = next(s["id"] for s in a.get("/api/sessions", headers=clerk).json()
                              if s["title"] == demo_schedule().session_title)
            yield Hosts(a, b, engine, session_id)


def _token(client: TestClient, username: str) -> str:
    return client.post("/api/auth/token",
                       data={"username": username, "password": PASSWORD}).json()["access_token"]


def _after_the_fresh_window() -> None:
    time.sleep(generations.FRESH_S * 3)


def test_every_trigger_exists_at_the_head_revision(hosts: Hosts) -> None:
    with hosts.engine.connect() as conn:  # type: ignore[attr-defined]
        if conn.dialect.name == "postgresql":
            found = {r[0] for r in conn.execute(text(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))}
        else:
            found = {r[0] for r in conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"))}
    missing = {w.trigger for w in generations.WATCHES} - found
    assert not missing, f"a later migration dropped these triggers: {sorted(missing)}"


def test_logout_refuses_the_token_at_once_on_this_host_and_soon_on_the_other(
        hosts: Hosts) -> None:
    token = hosts.token("delegate01")
    agenda = f"/api/sessions/{hosts.session_id}/agenda"
    for client in (hosts.a, hosts.b, hosts.a, hosts.b):  # both hosts have it in memory
        assert client.get(agenda, headers=_bearer(token)).status_code == 200
    assert hosts.a.post("/api/auth/logout", headers=_bearer(token)).status_code == 204
    refused = hosts.a.get(agenda, headers=_bearer(token))
    assert refused.status_code == 401, "the host that signed out must refuse at once"
    assert refused.json()["code"] == "token_invalid"
    _after_the_fresh_window()
    assert hosts.b.get(agenda, headers=_bearer(token)).status_code == 401
    assert hosts.b.get("/api/sessions", headers=_bearer(token)).status_code == 401


def test_an_agenda_item_added_on_one_host_shows_on_both(hosts: Hosts) -> None:
    delegate = _bearer(hosts.token("delegate01"))
    clerk = _bearer(hosts.token("clerk"))
    agenda = f"/api/sessions/{hosts.session_id}/agenda"
    before = hosts.b.get(agenda, headers=delegate).json()
    hosts.a.get(agenda, headers=delegate)
    added = hosts.a.post(agenda, headers=clerk, json={"title": "Mục bổ sung: kiến nghị cử tri"})
    assert added.status_code == 201, added.text
    titles = [item["title"] for item in hosts.a.get(agenda, headers=delegate).json()]
    assert "Mục bổ sung: kiến nghị cử tri" in titles, "stale on the host that wrote"
    _after_the_fresh_window()
    after = hosts.b.get(agenda, headers=delegate).json()
    assert len(after) == len(before) + 1
    assert after[-1]["title"] == "Mục bổ sung: kiến nghị cử tri"


def test_a_renamed_session_shows_on_the_list_and_the_public_page(hosts: Hosts) -> None:
    delegate = _bearer(hosts.token("delegate01"))
    clerk = _bearer(hosts.token("clerk"))
    page = f"/phien-hop/{hosts.session_id}"
    assert hosts.b.get(page).status_code == 200
    hosts.b.get("/api/sessions", headers=delegate)
    # the list and every test here find the demo session by id, so renaming it is safe
    renamed = hosts.a.patch(f"/api/sessions/{hosts.session_id}", headers=clerk,
                            json={"title": "Kỳ họp thứ Mười (đổi tên)"})
    assert renamed.status_code == 200, renamed.text
    assert "Kỳ họp thứ Mười (đổi tên)" in hosts.a.get(page).text
    _after_the_fresh_window()
    assert "Kỳ họp thứ Mười (đổi tên)" in hosts.b.get(page).text
    titles = [s["title"] for s in hosts.b.get("/api/sessions", headers=delegate).json()]
    assert "Kỳ họp thứ Mười (đổi tên)" in titles


def test_a_draft_session_stays_hidden_from_a_delegate_when_answered_from_memory(
        hosts: Hosts) -> None:
    delegate = _bearer(hosts.token("delegate01"))
    clerk = _bearer(hosts.token("clerk"))
    body_id = hosts.a.get(f"/api/sessions/{hosts.session_id}", headers=clerk).json()["body_id"]
    created = hosts.a.post("/api/sessions", headers=clerk, json={
        "body_id": body_id, "title": "Kỳ họp chuyên đề (nháp)", "kind": "thematic",
        "start_date": "2030-01-10"})
    assert created.status_code == 201, created.text
    draft = created.json()
    for _ in range(3):  # the first fills the caches, the others answer from them
        assert hosts.a.get(f"/api/sessions/{draft['id']}/agenda",
                           headers=delegate).status_code == 404
        listed = {s["id"] for s in hosts.a.get("/api/sessions", headers=delegate).json()}
        assert draft["id"] not in listed
    assert hosts.a.get(f"/api/sessions/{draft['id']}/agenda", headers=clerk).status_code == 200
    assert hosts.a.get(f"/phien-hop/{draft['id']}").status_code == 404


def test_an_uncommitted_write_never_reaches_the_cache(hosts: Hosts) -> None:
    engine = hosts.engine
    with Session(engine) as db:
        db.add(AgendaItem(session_id=hosts.session_id, title="Chưa lưu", position=99))
        db.flush()
        assert "Chưa lưu" in [i.title for i in meetings.agenda_tree(db, hosts.session_id)]
        db.rollback()
    with Session(engine) as db:
        assert "Chưa lưu" not in [i.title for i in meetings.agenda_tree(db, hosts.session_id)]
    delegate = _bearer(hosts.token("delegate01"))
    for client in (hosts.a, hosts.b):
        titles = [i["title"] for i in client.get(
            f"/api/sessions/{hosts.session_id}/agenda", headers=delegate).json()]
        assert "Chưa lưu" not in titles


def test_the_answer_from_memory_is_the_response_models_json(hosts: Hosts) -> None:
    delegate = _bearer(hosts.token("delegate01"))
    agenda = f"/api/sessions/{hosts.session_id}/agenda"
    first = hosts.a.get(agenda, headers=delegate)
    second = hosts.a.get(agenda, headers=delegate)  # from memory
    assert first.content == second.content
    assert first.headers["content-type"] == "application/json"
    with Session(hosts.engine) as db:
        tree = meetings._agenda_tree(db, hosts.session_id)
    expected = TypeAdapter(list[AgendaItemRead]).dump_python(tree, mode="json")
    assert json.loads(second.content) == expected
    listed = hosts.a.get("/api/sessions", headers=delegate).json()
    one = hosts.a.get(f"/api/sessions/{hosts.session_id}", headers=delegate).json()
    assert one in listed
