"""Real servers for the live sitting: uvicorn in a subprocess on a free loopback port,
on a copy of a seeded SQLite file (or a fresh PostgreSQL database), real websockets."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.demo.calendar import demo_schedule
from tests.conftest import make_settings

DEMO_PASSWORD = "demo-pass"
ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def migrate_all(settings) -> None:
    from alembic import command

    from server.db import alembic_config

    settings.ensure_dirs()
    command.upgrade(alembic_config(settings), "heads")


def seed(settings) -> None:
    from sqlmodel import Session

    from server.db import make_engine
    from server.demo.seed import seed_demo

    migrate_all(settings)
    engine = make_engine(settings)
    with Session(engine) as db:
        seed_demo(db, settings, DEMO_PASSWORD, long_document_pages=2)
    engine.dispose()


class Server:
    """One ``uvicorn`` process serving the app; ``kill()`` is a power cut."""

    def __init__(self, data_dir: Path, database_url: str | None = None,
                 redis_url: str | None = None, extra_env: dict[str, str] | None = None):
        self.data_dir = data_dir
        self.database_url = database_url
        self.redis_url = redis_url
        self.extra_env = extra_env or {}
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log_path = data_dir / f"server-{self.port}.log"
        self._tokens: dict[str, str] = {}

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws(self, sitting_id: int, public: bool = False) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/sittings/{sitting_id}" + ("/public" if public else "")

    def start(self) -> Server:
        env = {**os.environ, "HDND_DATA_DIR": str(self.data_dir),
               "HDND_SECRET_KEY": "test-secret", **self.extra_env}
        env.pop("HDND_DATABASE_URL", None)
        env.pop("HDND_REDIS_URL", None)
        if self.database_url:
            env["HDND_DATABASE_URL"] = self.database_url
        if self.redis_url:
            env["HDND_REDIS_URL"] = self.redis_url
        log = open(self.log_path, "ab")  # closed with the process
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.server.live.serve",
                                      str(self.port)], cwd=ROOT, env=env, stdout=log,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60  # a busy machine imports the app slowly
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(self.log_path.read_text())
            try:
                if httpx.get(self.http + "/api/health", timeout=0.5).status_code < 500:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server did not start:\n" + self.log_path.read_text())

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.kill()

    def token(self, username: str) -> str:
        if username not in self._tokens:
            response = httpx.post(self.http + "/api/auth/token",
                                  data={"username": username, "password": DEMO_PASSWORD})
            assert response.status_code == 200, response.text
            self._tokens[username] = response.json()["access_token"]
        return self._tokens[username]

    def api(self, username: str | None, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token(username)}"} if username else {}
        return httpx.request(method, self.http + path, headers=headers, timeout=30, **kwargs)

    def api_with_token(self, token: str, method: str, path: str, **kwargs) -> httpx.Response:
        return httpx.request(method, self.http + path, timeout=30,
                             headers={"Authorization": f"Bearer {token}"}, **kwargs)

    def session_id(self) -> int:
        sessions = self.api("clerk", "GET", "/api/sessions").json()
        return next(s["id"] for s in sessions
                    if s["status"] in ("published", "in_progress")
                      and s["title"] == demo_schedule().session_title)

    def new_sitting(self, title: str = "Phiên họp thứ nhất") -> int:
        response = self.api("clerk", "POST", f"/api/sessions/{self.session_id()}/sittings",
                            json={"title": title})
        assert response.status_code == 201, response.text
        return response.json()["id"]


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """A seeded SQLite data dir, made once and copied for each server."""
    data_dir = tmp_path_factory.mktemp("live-template")
    seed(make_settings(data_dir))
    return data_dir


def copy_template(template: Path, target: Path) -> Path:
    shutil.copytree(template, target, dirs_exist_ok=True)
    return target


@pytest.fixture(scope="session")
def server(seeded_template: Path, tmp_path_factory) -> Iterator[Server]:
    data_dir = copy_template(seeded_template, tmp_path_factory.mktemp("live"))
    srv = Server(data_dir).start()
    try:
        yield srv
    finally:
        srv.stop()


def _delegate_with_token(db, settings, plenary, full_name: str, username: str) -> str:
    """A delegate of ``plenary`` with an account (no password) and its access token."""
    from server.models import Account, AccountRole, Membership, MembershipRole, Person
    from server.security.tokens import issue_tokens

    person = Person(council_id=plenary.council_id, full_name=full_name, is_delegate=True)
    db.add(person)
    db.flush()
    db.add(Membership(person_id=person.id, body_id=plenary.id, role=MembershipRole.member))
    account = Account(username=f"{username}-{person.id}", password_hash="-",
                      role=AccountRole.delegate, person_id=person.id)
    db.add(account)
    db.flush()
    return issue_tokens(db, account, settings).access_token


def add_delegates(data_dir: Path, count: int, database_url: str | None = None) -> list[str]:
    """``count`` more delegates of the plenary, each with an access token (no password)."""
    from sqlmodel import Session, select

    from server.db import make_engine
    from server.models import Body, BodyKind

    settings = make_settings(data_dir, database_url)
    settings = settings.model_copy(update={"access_token_minutes": 120})
    engine = make_engine(settings)
    tokens = []
    with Session(engine) as db:
        plenary = db.exec(select(Body).where(Body.kind == BodyKind.plenary)).first()
        assert plenary is not None
        for n in range(count):
            tokens.append(_delegate_with_token(db, settings, plenary, f"Đại biểu thêm {n:02d}",
                                               f"extra{n:02d}"))
        db.commit()
    engine.dispose()
    return tokens


@pytest.fixture(scope="session")
def pg_seeded(pg_database: str, tmp_path_factory) -> tuple[Path, str]:
    """The session's PostgreSQL database, migrated and seeded once for every live test."""
    data_dir = tmp_path_factory.mktemp("live-pg")
    seed(make_settings(data_dir, pg_database))
    return data_dir, pg_database


def new_sitting_row(engine, title: str = "Phiên họp") -> tuple[int, int]:
    """A sitting of the seeded published session, made directly; (sitting id, chair id)."""
    from sqlmodel import Session, select

    from server.live.service import build_roster
    from server.models import CouncilSession, SessionStatus
    from server.models.live import Sitting

    with Session(engine) as db:
        session = next(s for s in db.exec(select(CouncilSession)).all()
                       if s.status in (SessionStatus.published, SessionStatus.in_progress)
                       and s.title == demo_schedule().session_title)
        roster = build_roster(db, session)
        sitting = Sitting(session_id=session.id, title=title, roster=roster.model_dump_json())
        db.add(sitting)
        db.commit()
        return sitting.id, min(roster.chair_ids)


def add_load_council(data_dir: Path, index: int, delegates: int,
                     database_url: str | None = None) -> tuple[str, str, list[str]]:
    """One more commune of the deployment, shaped like the demo's for a live sitting: a
    published session with the demo's title and two agenda items, a chair and a clerk who
    sign in with ``DEMO_PASSWORD``, and ``delegates`` delegates with access tokens.

    Returns (clerk's username, chair's username, the delegates' tokens)."""
    from sqlmodel import Session, select

    from server.db import make_engine
    from server.models import (
        Account,
        AccountRole,
        AgendaItem,
        Body,
        CouncilLevel,
        CouncilSession,
        Membership,
        MembershipRole,
        Person,
        SessionKind,
        SessionOfficer,
        SessionOfficerRole,
        SessionStatus,
    )
    from server.models.base import id_of, utcnow
    from server.security.passwords import hash_password
    from server.services import councils

    settings = make_settings(data_dir, database_url)
    settings = settings.model_copy(update={"access_token_minutes": 120})
    engine = make_engine(settings)
    slug = f"do-tai-{index}"
    password = hash_password(DEMO_PASSWORD)
    tokens = []
    with Session(engine) as db:
        council = councils.add(db, councils.NewCouncil(
            name=f"Hội đồng nhân dân xã Đo Tải {index}", level=CouncilLevel.commune,
            term_start=2026, term_end=2031, slug=slug))  # the session is scoped to it now
        plenary = db.exec(select(Body)).one()
        chair = Person(full_name=f"Chủ tọa xã {index}", is_delegate=True)
        db.add(chair)
        db.flush()
        db.add(Membership(person_id=id_of(chair), body_id=id_of(plenary), role=MembershipRole.chair))
        db.add(Account(username=f"chair-{slug}", password_hash=password, role=AccountRole.delegate,
                       person_id=id_of(chair)))
        db.add(Account(username=f"clerk-{slug}", password_hash=password, role=AccountRole.clerk))
        schedule = demo_schedule()
        session = CouncilSession(
            council_id=id_of(council), body_id=id_of(plenary), title=schedule.session_title,
            kind=SessionKind.regular, start_date=schedule.session_start,
            end_date=schedule.session_end, status=SessionStatus.published,
            published_at=utcnow())
        db.add(session)
        db.flush()
        db.add(SessionOfficer(session_id=id_of(session), person_id=id_of(chair),
                              role=SessionOfficerRole.chair))
        for position, title in enumerate(("Báo cáo kinh tế - xã hội", "Dự toán ngân sách")):
            db.add(AgendaItem(session_id=id_of(session), position=position, title=title))
        for n in range(delegates):
            tokens.append(_delegate_with_token(db, settings, plenary,
                                               f"Đại biểu xã {index} số {n:02d}", f"d{index}-{n:03d}"))
        db.commit()
    engine.dispose()
    return f"clerk-{slug}", f"chair-{slug}", tokens
