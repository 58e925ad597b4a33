"""The API suite runs twice: on a SQLite file and on the machine's PostgreSQL."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient

from tests.conftest import fresh_pg_database, make_settings

DEMO_PASSWORD = "demo-pass"


def seed_province_demo(settings) -> None:
    """What `hdnd demo` seeds, in process: Y Tý, the province and two more communes."""
    from sqlmodel import Session

    from server.db import make_engine, migrate
    from server.demo.province import seed_province
    from server.demo.seed import seed_demo

    migrate(settings)
    engine = make_engine(settings)
    with Session(engine) as db:
        seed_demo(db, settings, DEMO_PASSWORD, long_document_pages=2)
        seed_province(db, DEMO_PASSWORD)
    engine.dispose()


@contextlib.contextmanager
def seeded_demo(backend: str, data_dir, password: str = DEMO_PASSWORD,
                prefix: str = "hdnd_test", **seed: int) -> Iterator[tuple[object, object]]:
    """A demo of its own, migrated and seeded, on a SQLite file or a new PostgreSQL
    database (dropped on leaving): ``(settings, engine)``."""
    from sqlmodel import Session

    from server.db import make_engine, migrate
    from server.demo.seed import seed_demo

    with (fresh_pg_database(prefix) if backend == "postgresql"
          else contextlib.nullcontext()) as url:
        settings = make_settings(data_dir, url)
        migrate(settings)
        engine = make_engine(settings)
        with Session(engine) as db:
            seed_demo(db, settings, password, **seed)
        try:
            yield settings, engine
        finally:
            engine.dispose()


@dataclass
class Api:
    """A signed-in view of the API: ``api.as_("clerk").get(...)``."""

    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, username: str, password: str = DEMO_PASSWORD) -> str:
        if username not in self.tokens:
            response = self.client.post("/api/auth/token",
                                        data={"username": username, "password": password})
            assert response.status_code == 200, response.text
            self.tokens[username] = response.json()["access_token"]
        return self.tokens[username]

    def headers(self, username: str | None) -> dict[str, str]:
        return {} if username is None else {"Authorization": f"Bearer {self.token(username)}"}

    def request(self, username: str | None, method: str, url: str, **kwargs):
        headers = {**self.headers(username), **kwargs.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kwargs)


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def api(backend: str, tmp_path_factory) -> Iterator[Api]:
    from server.app import create_app

    # a database of its own each time: pytest may set this fixture up twice in one run
    # (parametrized session fixtures are torn down when the order of tests interleaves
    # their params), and a second demo in the first's database would name files kept in
    # the first's data folder
    with seeded_demo(backend, tmp_path_factory.mktemp(f"data-{backend}"), prefix="hdnd_api",
                     long_document_pages=20) as (settings, _engine):
        with TestClient(create_app(settings)) as client:
            yield Api(client)


@pytest.fixture(scope="session")
def demo_session_id(api: Api) -> int:
    from server.demo.calendar import demo_schedule

    # by title: other tests publish sessions of their own, some with no agenda
    sessions = api.request("clerk", "GET", "/api/sessions").json()
    return next(s["id"] for s in sessions if s["status"] in ("published", "in_progress")
                and s["title"] == demo_schedule().session_title)
