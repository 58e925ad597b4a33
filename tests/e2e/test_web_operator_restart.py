"""The chair's console and a delegate's tablet act on the same sitting at once and agree;
the server is killed mid-sitting and restarted, and the console, the projector and the
tablet come back by themselves to the same state. A button pressed while the server is
down is sent again with the same key after the restart and counts once."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from server.demo.calendar import demo_schedule
from tests.e2e.tablets import TabletsInHall
from tests.e2e.web_conftest import ROOT, SECRET, WebServer, _prepare, free_port, sign_in

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SESSION = demo_schedule().session_title
SITTING = "Phiên họp buổi chiều"


class Restartable:
    """uvicorn on a fixed port over one data directory, which a test may SIGKILL."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Restartable:
        env = {**os.environ, "HDND_DATA_DIR": str(self.data_dir), "HDND_SECRET_KEY": SECRET}
        env.pop("HDND_DATABASE_URL", None)
        env.pop("HDND_REDIS_URL", None)
        log = (self.data_dir / "server.log").open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "server.asgi:app", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/api/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError((self.data_dir / "server.log").read_text())

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)  # a power cut: no shutdown handlers run
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


@pytest.fixture()
def restartable(tmp_path_factory):
    from concurrent.futures import ThreadPoolExecutor

    data_dir = tmp_path_factory.mktemp("web-restart")
    with ThreadPoolExecutor(1) as pool:  # seeding runs asyncio; Playwright holds this loop
        pool.submit(_prepare, data_dir).result()
    server = Restartable(data_dir).start()
    yield server
    server.stop()


def _page(browser, base: str, width: int = 1366, height: int = 768):
    page = browser.new_context(base_url=base, locale="vi-VN",
                               viewport={"width": width, "height": height}).new_page()
    page.set_default_timeout(15_000)
    return page


def test_console_and_tablet_agree_and_recover_from_a_restart(browser, restartable):
    server = restartable
    clerk = _page(browser, server.base)
    sign_in(clerk, "clerk")
    clerk.get_by_role("link", name=SESSION).first.click()
    clerk.get_by_label("Tên phiên họp mới").fill(SITTING)
    clerk.get_by_role("button", name="Tạo phiên họp").click()
    link = clerk.locator("#sittings li", has_text=SITTING).get_by_role(
        "link", name="Màn hình hội trường").get_attribute("href")
    sitting_id = int(re.search(r"/projector/(\d+)", link).group(1))
    hall = _page(browser, server.base, 1600, 900)
    hall.goto(link)

    chair = _page(browser, server.base)
    sign_in(chair, "chair")
    chair.goto(f"/console/phien-hop/{sitting_id}/dieu-hanh")
    expect(chair.locator("#op-seat")).to_contain_text("Chủ tọa")
    chair.get_by_role("button", name="Khai mạc phiên họp").click()
    expect(hall.locator("#pj-state")).to_have_text("Đang họp")

    api = WebServer(server.base, server.data_dir)
    with TabletsInHall(api, sitting_id, ["delegate01", "delegate02"]) as tablets:
        # at once: the tablets check themselves in while the console checks in others
        chair.get_by_role("button", name="Điểm danh tất cả").click()
        tablets.do(0, "check_in")
        tablets.do(1, "check_in")
        expect(chair.locator("#op-quorum")).to_contain_text("đủ điều kiện tiến hành")
        expect(chair.locator("#op-members li.present")).to_have_count(
            chair.locator("#op-members li").count())
        # the delegate asks for the floor on the tablet; the console gives it
        tablets.do(0, "request_to_speak")
        chair.locator("#op-agenda li").nth(0).get_by_role("button", name="Mở").click()
        row = chair.locator("#op-queue li", has_text="Phu Lỳ Chờ")
        row.get_by_role("button", name="Mời phát biểu").click()
        expect(hall.locator("#pj-speaker")).to_have_text("Phu Lỳ Chờ")
        seq = int(chair.locator("#operator").get_attribute("data-seq"))
        tablets.wait_seq(seq)
        tablet = tablets.state()
        assert tablet.seq == seq
        assert tablet.turn is not None and tablet.turn.person_id == tablets.devices[0].person_id
        assert len(tablet.present) == chair.locator("#op-members li.present").count()
        assert tablet.current_item_id is not None
        item_title = chair.locator("#op-agenda li.current .op-item-title").inner_text()
        expect(hall.locator("#operator, #projector")).to_have_attribute("data-seq", str(seq))

        # a power cut mid-sitting
        server.kill()
        expect(chair.locator("#op-link")).to_contain_text("Mất kết nối")
        expect(hall.locator("#pj-link")).to_have_text("Đang kết nối lại…")
        # the chair ends the turn while the server is down: the console keeps trying
        chair.get_by_role("button", name="Kết thúc lượt").click()
        time.sleep(1.5)
        server.start()

        expect(chair.locator("#op-link")).to_contain_text("Đã kết nối", timeout=40_000)
        expect(hall.locator("#pj-link")).to_contain_text("Trực tiếp", timeout=40_000)
        expect(chair.locator("#op-turn-name")).to_have_text("Chưa có ai phát biểu")
        expect(hall.locator("#pj-speaker")).to_have_text("—")
        expect(hall.locator("#pj-state")).to_have_text("Đang họp")
        expect(hall.locator("#pj-item")).to_contain_text(item_title)
        expect(hall.locator("#pj-quorum")).to_contain_text("đủ điều kiện")
        SHOTS.mkdir(parents=True, exist_ok=True)
        hall.screenshot(path=str(SHOTS / "web-projector-after-restart.png"))
        chair.screenshot(path=str(SHOTS / "web-operator-after-restart.png"))
        after = int(chair.locator("#operator").get_attribute("data-seq"))
        assert after == seq + 1  # the turn ended once, not twice
        expect(hall.locator("#projector")).to_have_attribute("data-seq", str(after))

        # the tablet reconnects like a tablet does and agrees
        for device in tablets.devices:
            tablets.run(device.connect())
        tablets.wait_seq(after)
        assert tablets.state().seq == after and tablets.state().turn is None
        assert [e for e in tablets.state().spoken if e.reason == "finished"]


def test_the_console_route_never_casts_a_vote_and_a_watcher_sends_nothing(browser, restartable):
    server = restartable
    clerk = _page(browser, server.base)
    sign_in(clerk, "clerk")
    clerk.get_by_role("link", name=SESSION).first.click()
    clerk.get_by_label("Tên phiên họp mới").fill("Phiên họp kiểm tra quyền")
    clerk.get_by_role("button", name="Tạo phiên họp").click()
    clerk.locator("#sittings li", has_text="Phiên họp kiểm tra quyền").get_by_role(
        "link", name="Điều hành").click()
    # a clerk the chair has not delegated to watches: buttons off, the route refuses
    expect(clerk.locator("#op-seat")).to_contain_text("Bạn chỉ xem")
    expect(clerk.get_by_role("button", name="Khai mạc phiên họp")).to_be_disabled()
    sitting_id = int(re.search(r"/phien-hop/(\d+)/", clerk.url).group(1))
    url = f"/console/api/sittings/{sitting_id}/commands"
    token = clerk.locator('meta[name="csrf-token"]').get_attribute("content")
    refused = clerk.request.post(url, data={"type": "open_sitting", "key": "web-k-00000001"},
                                 headers={"X-CSRF-Token": token})
    assert refused.status == 403 and refused.json()["code"] == "not_operator"

    chair = _page(browser, server.base)
    sign_in(chair, "chair")
    chair.goto(f"/console/phien-hop/{sitting_id}/dieu-hanh")
    token = chair.locator('meta[name="csrf-token"]').get_attribute("content")
    no_csrf = chair.request.post(url, data={"type": "open_sitting", "key": "web-k-00000002"})
    assert no_csrf.status == 403 and no_csrf.json()["code"] == "csrf_refused"
    vote = chair.request.post(url, data={"type": "cast_vote", "key": "web-k-00000003",
                                         "vote_id": "v9", "choice": "yes"},
                              headers={"X-CSRF-Token": token})
    assert vote.status == 403 and vote.json()["code"] == "no_vote_from_console"
