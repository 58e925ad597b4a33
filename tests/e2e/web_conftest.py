"""Fixtures for the web pages' end-to-end tests: a real uvicorn server on a loopback port
over a migrated, seeded data directory, and Debian's headless Chromium through Playwright.

Imported by ``tests/e2e/test_web_*.py`` (``tests/e2e/conftest.py`` belongs to the tablet's
window tests).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo-pass"
SECRET = "web-e2e-secret"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class WebServer:
    base: str
    data_dir: Path
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, username: str) -> str:
        if username not in self.tokens:
            answer = httpx.post(f"{self.base}/api/auth/token",
                                data={"username": username, "password": PASSWORD})
            answer.raise_for_status()
            self.tokens[username] = answer.json()["access_token"]
        return self.tokens[username]

    def api(self, username: str | None, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token(username)}"} if username else {}
        return httpx.request(method, self.base + path, headers=headers, timeout=30, **kwargs)


def _prepare(data_dir: Path) -> None:
    from alembic import command
    from sqlmodel import Session

    from server.config import Settings
    from server.db import alembic_config, make_engine
    from server.demo.province import seed_province
    from server.demo.seed import seed_demo

    settings = Settings(data_dir=data_dir, secret_key=SECRET)
    settings.ensure_dirs()
    command.upgrade(alembic_config(settings), "heads")
    engine = make_engine(settings)
    with Session(engine) as db:
        seed_demo(db, settings, PASSWORD, long_document_pages=20)
        seed_province(db, PASSWORD)  # as `hdnd demo`: the province and two more communes
    engine.dispose()


# Package scope (registered in tests/e2e/conftest.py): one server and one browser for the
# browser tests, closed when they are done. Playwright's sync API keeps an event loop
# running in the main thread while open, which later asyncio tests could not share.
@pytest.fixture(scope="package")
def web_server(tmp_path_factory) -> Iterator[WebServer]:
    yield from _start_server(tmp_path_factory)


def _start_server(tmp_path_factory,
                  extra_env: dict[str, str] | None = None) -> Iterator[WebServer]:
    """A server of its own; *extra_env* adds settings (e.g. ``HDND_SMTP_HOST``)."""
    from concurrent.futures import ThreadPoolExecutor

    data_dir = tmp_path_factory.mktemp("web-e2e")
    # In a thread of its own: Playwright's sync API may already run an event loop in this
    # one, and seeding inspects PDFs with asyncio.run (inspection.inspect_now).
    with ThreadPoolExecutor(1) as pool:
        pool.submit(_prepare, data_dir).result()
    port = free_port()
    env = {**os.environ, "HDND_DATA_DIR": str(data_dir), "HDND_SECRET_KEY": SECRET,
           **(extra_env or {})}
    env.pop("HDND_DATABASE_URL", None)
    env.pop("HDND_REDIS_URL", None)
    log = (data_dir / "server.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "server.asgi:app", "--host",
                             "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError((data_dir / "server.log").read_text())
    try:
        yield WebServer(base, data_dir)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="package")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, web_server):
    context = browser.new_context(base_url=web_server.base, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def vietnamese_pdf(path: Path, title: str, pages: int = 2) -> Path:
    """A real PDF with Vietnamese text, rendered by MuPDF with a Noto font."""
    import pymupdf

    document = pymupdf.open()
    for number in range(pages):
        sheet = document.new_page()
        sheet.insert_font(fontname="notos", fontbuffer=pymupdf.Font("notos").buffer)
        sheet.insert_text((72, 100), f"{title} — trang {number + 1}", fontname="notos",
                          fontsize=14)
    document.save(path)
    return path


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def sitting_on_the_projector(page, server: WebServer, session_id: int, title: str):
    """Create a sitting, then do what the clerk does: find its projector link on the
    session page and open it in a browser of its own (no sign-in). Returns (sitting id,
    projector link, projector page)."""
    from playwright.sync_api import expect

    made = server.api("clerk", "POST", f"/api/sessions/{session_id}/sittings",
                      json={"title": title})
    assert made.status_code == 201, made.text
    sign_in(page, "clerk")
    page.goto(f"/console/ky-hop/{session_id}")
    link = page.locator("#sittings li", has_text=title).get_by_role(
        "link", name="Màn hình hội trường").get_attribute("href")
    projector = page.context.browser.new_context(base_url=server.base).new_page()
    projector.goto(link)
    expect(projector.locator("#pj-link")).to_contain_text("Trực tiếp")
    return made.json()["id"], link, projector
