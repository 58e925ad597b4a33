"""A real app over a seeded SQLite data directory, a real SMTP server (aiosmtpd) and a real
HTTP server standing in for the SMS brandname gateway, both recording what they received."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from tests.e2e.web_conftest import free_port

PASSWORD = "demo-pass"


@dataclass
class Mailbox:
    messages: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes
        from email.policy import default

        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content,
                                                                    policy=default)))
        return "250 Message accepted for delivery"


@pytest.fixture(scope="module")
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller

    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture(scope="module")
def sms_gateway() -> Iterator[tuple[list[dict], str]]:
    received: list[dict] = []

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            received.append({"path": self.path, "auth": self.headers.get("authorization"),
                             "body": json.loads(self.rfile.read(length))})
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"status": "queued"}')

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield received, f"http://127.0.0.1:{server.server_address[1]}/sms/send"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def citizens_app(request, tmp_path_factory, mailbox, sms_gateway) -> Iterator[TestClient]:
    from sqlmodel import Session

    from server.app import create_app
    from server.config import Settings
    from server.db import make_engine, migrate
    from server.demo.seed import seed_demo
    from server.models import Account, AccountRole
    from server.security.passwords import hash_password

    data_dir = tmp_path_factory.mktemp(f"citizens-{request.param}")
    url = _fresh_pg_database() if request.param == "postgresql" else None
    settings = Settings(data_dir=data_dir, database_url=url, secret_key="test-secret",
                        smtp_host="127.0.0.1",
                        smtp_port=mailbox[1], smtp_starttls=False,
                        smtp_from="hdnd@xa.example", sms_gateway_url=sms_gateway[1],
                        sms_brandname="HDND-XA", sms_token="gateway-token",
                        public_base_url="https://hdnd.xa.example")
    migrate(settings)
    engine = make_engine(settings)
    with Session(engine) as db:
        seed_demo(db, settings, PASSWORD, long_document_pages=4)
        db.add(Account(username="clerk2", password_hash=hash_password(PASSWORD),
                       role=AccountRole.clerk))
        db.commit()
    engine.dispose()
    try:
        with TestClient(create_app(settings)) as client:
            yield client
    finally:
        if url:
            _drop_pg_database(url)


def _fresh_pg_database() -> str:
    """A database of this module's own: the cases it adds must not move other tests' counts."""
    import uuid

    import psycopg

    from tests.conftest import PG_ADMIN_URL, _pg_url

    name = f"hdnd_citizens_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return _pg_url(name)


def _drop_pg_database(url: str) -> None:
    import psycopg

    from tests.conftest import PG_ADMIN_URL

    name = url.rsplit("/", 1)[-1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def web_client(app_client: TestClient, username: str | None) -> TestClient:
    """A browser of its own (cookies), signed in as *username* when given."""
    client = TestClient(app_client.app)
    if username:
        page = client.get("/dang-nhap")
        answer = client.post("/dang-nhap", data={"username": username, "password": PASSWORD,
                                                 "csrf_token": csrf_of(page.text)},
                             follow_redirects=False)
        assert answer.status_code in (302, 303), answer.text
    return client
