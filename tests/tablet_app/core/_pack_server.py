"""A real HĐND server on a loopback port (uvicorn in a thread), seeded with the demo.

The `live` and `live_template` fixtures reach the tests through conftest.py.

Seeding and migrating run once per test run into a template folder; each test gets a
copy of it (SQLite file, documents, keys), so tests can revise, revoke and tamper freely.
Two large documents (several 1 MiB chunks, random pixels that do not compress) are added
to the demo session so that cut and resumed downloads happen inside a file.
"""

from __future__ import annotations

import random
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.conftest import make_settings

DEMO_PASSWORD = "demo-pass"
PIN = "246810"
BIG_TITLES = ("Phụ lục dự toán chi tiết (bản quét)", "Phụ lục bản đồ quy hoạch (bản quét)")


def noisy_pdf(seed: str, megabytes: float) -> bytes:
    """A real PDF whose size is mostly random pixels, so it does not compress away."""
    import pymupdf

    rng = random.Random(seed)
    side = int((megabytes * 1024 * 1024 / 3) ** 0.5)
    document = pymupdf.open()
    page = document.new_page()
    page.insert_text((72, 72), f"Phụ lục — {seed}", fontname="helv")
    pixels = pymupdf.Pixmap(pymupdf.csRGB, side, side, rng.randbytes(side * side * 3), False)
    page.insert_image(page.rect, pixmap=pixels)
    data = document.tobytes()
    document.close()
    return data


@dataclass
class LiveServer:
    data_dir: Path
    port: int
    session_id: int
    _server: object | None = None
    _thread: threading.Thread | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def settings(self):
        return make_settings(self.data_dir)

    def start(self) -> None:
        import uvicorn

        from server.app import create_app

        app = create_app(self.settings)
        self.engine = app.state.engine
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="on")  # the live hub starts in the lifespan
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        self._server, self._thread = server, thread

    def stop(self) -> None:
        """Stop at once, cutting any transfer in progress (as a crash or restart would)."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True  # type: ignore[attr-defined]
        server.force_exit = True  # type: ignore[attr-defined]
        thread.join(timeout=10)
        self.engine.dispose()
        self._server = self._thread = None

    def restart(self) -> None:
        self.stop()
        self.start()

    # --- the clerk's side, over HTTP -------------------------------------------------

    def token(self, username: str) -> str:
        if username not in self.tokens:
            # Argon2 on a machine busy with the rest of the suite: more than httpx's 5 s
            response = httpx.post(f"{self.url}/api/auth/token",
                                  data={"username": username, "password": DEMO_PASSWORD},
                                  timeout=30)
            response.raise_for_status()
            self.tokens[username] = response.json()["access_token"]
        return self.tokens[username]

    def call(self, method: str, path: str, username: str = "clerk", **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token(username)}"}
        return httpx.request(method, f"{self.url}{path}", headers=headers, timeout=30, **kwargs)

    def person_id(self, username: str) -> int:
        from sqlmodel import Session, select

        from server.models import Account

        with Session(self.engine) as db:
            account = db.exec(select(Account).where(Account.username == username)).one()
            return int(account.person_id or 0)

    def issue_code(self, username: str) -> str:
        response = self.call("POST", "/api/devices/enrolment-codes",
                             json={"person_id": self.person_id(username)})
        assert response.status_code == 201, response.text
        return response.json()["code"]

    def publish(self) -> int:
        """Build and publish the next pack version; wait until it is published."""
        response = self.call("POST", f"/api/sessions/{self.session_id}/packs")
        assert response.status_code == 202, response.text
        version = response.json()["version"]
        deadline = time.monotonic() + 30
        while True:
            status = self.call("GET", f"/api/sessions/{self.session_id}/packs/{version}/status")
            body = status.json()
            if body["status"] == "published":
                return version
            assert body["status"] == "building", body
            assert time.monotonic() < deadline, body
            time.sleep(0.02)

    def revise(self, document_id: int, pdf: bytes) -> None:
        response = self.call("POST", f"/api/documents/{document_id}/versions",
                             files={"file": ("revised.pdf", pdf, "application/pdf")},
                             data={"note": "bản sửa"})
        assert response.status_code == 201, response.text

    def plaintext(self, document_id: int) -> bytes:
        """The current version's PDF as the clerk uploaded it."""
        response = self.call("GET", f"/api/documents/{document_id}")
        version = response.json()["current_version"]
        pdf = self.call("GET", f"/api/documents/{document_id}/versions/{version}/file")
        assert pdf.status_code == 200
        return pdf.content

    def documents(self) -> list[dict]:
        return self.call("GET", f"/api/sessions/{self.session_id}/documents").json()

    def big_documents(self) -> list[int]:
        return [d["id"] for d in self.documents() if d["title"] in BIG_TITLES]

    def restricted_document(self) -> int:
        return next(d["id"] for d in self.documents() if d["confidentiality"] == "restricted")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_TEMPLATE: list[tuple[Path, int]] = []  # every importing module shares one template


@pytest.fixture(scope="session")
def live_template(tmp_path_factory) -> tuple[Path, int]:
    if not _TEMPLATE:
        _TEMPLATE.append(_make_template(tmp_path_factory))
    return _TEMPLATE[0]


def _make_template(tmp_path_factory) -> tuple[Path, int]:
    from sqlmodel import Session

    from server.db import make_engine, migrate
    from server.demo.calendar import demo_schedule
    from server.demo.seed import seed_demo

    data_dir = tmp_path_factory.mktemp("live-template")
    settings = make_settings(data_dir)
    migrate(settings)
    engine = make_engine(settings)
    with Session(engine) as db:
        seed_demo(db, settings, DEMO_PASSWORD, long_document_pages=5)
    engine.dispose()
    server = LiveServer(data_dir, _free_port(), 0)
    server.start()
    try:
        sessions = server.call("GET", "/api/sessions").json()
        server.session_id = next(s["id"] for s in sessions if s["title"] == demo_schedule().session_title)
        for number, title in enumerate(BIG_TITLES):
            response = server.call(
                "POST", f"/api/sessions/{server.session_id}/documents",
                files={"file": (f"phu-luc-{number}.pdf", noisy_pdf(title, 2.5),
                                "application/pdf")},
                data={"title": title, "kind": "report", "confidentiality": "internal"})
            assert response.status_code == 201, response.text
    finally:
        server.stop()
    return data_dir, server.session_id


@pytest.fixture
def live(live_template, tmp_path) -> Iterator[LiveServer]:
    template, session_id = live_template
    data_dir = tmp_path / "server"
    shutil.copytree(template, data_dir)
    server = LiveServer(data_dir, _free_port(), session_id)
    server.start()
    try:
        yield server
    finally:
        server.stop()
