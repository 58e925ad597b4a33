"""Screenshots of every web page into docs/screenshots/web-*.png (``make screenshots``).

Starts a real server on a seeded temporary data directory (the e2e fixtures), runs a
short vote so the projector and the portal have something to show, and photographs each
page in headless Chromium.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e import web_conftest as w  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def _run_vote(server: w.WebServer, session_id: int) -> int:
    sitting_id = server.api("clerk", "POST", f"/api/sessions/{session_id}/sittings",
                            json={"title": "Phiên họp buổi sáng"}).json()["id"]
    state = server.api("clerk", "GET", f"/api/sittings/{sitting_id}").json()["state"]
    keys = iter(range(1, 10_000))

    def do(who: str, **body) -> dict:  # noqa: ANN003
        body["key"] = f"shot-{next(keys):06d}"
        return server.api(who, "POST", f"/api/sittings/{sitting_id}/commands", json=body).json()

    do("chair", type="open_sitting")
    for member in state["roster"]["members"]:
        do("chair", type="check_in", person_id=member["person_id"])
    item = state["roster"]["agenda"][0]["item_id"]
    do("chair", type="open_item", item_id=item)
    vote = do("chair", type="open_vote", item_id=item,
              question="Thông qua Nghị quyết về kế hoạch đầu tư công năm 2027?")
    vote_id = f"v{vote['seqs'][0]}"
    for n in range(1, 10):
        do(f"delegate{n:02d}", type="cast_vote", vote_id=vote_id, choice="no" if n == 9 else "yes")
    do("chair", type="close_vote", vote_id=vote_id)
    do("delegate02", type="request_to_speak")
    do("chair", type="grant_floor", limit_s=420)
    return sitting_id


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="hdnd-shots-"))
    factory = type("F", (), {"mktemp": staticmethod(lambda name: data_dir / name)})
    (data_dir / "web-e2e").mkdir()
    gen = w._start_server(factory)
    server = next(gen)
    try:
        sessions = server.api("clerk", "GET", "/api/sessions").json()
        published = next(s for s in sessions if s["status"] == "published")
        sitting_id = _run_vote(server, published["id"])
        from server.web.projector_code import projector_code

        code = projector_code(w.SECRET, sitting_id)
        plenary = next(b for b in server.api("clerk", "GET", "/api/bodies").json()
                       if b["kind"] == "plenary")
        person = next(p for p in server.api("clerk", "GET", "/api/people").json()
                      if p["full_name"] == "Chu Sa Hừ")
        item = server.api("clerk", "GET", f"/api/sessions/{published['id']}/agenda").json()[0]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=w.CHROMIUM, args=w.CHROMIUM_ARGS)
            shots = [
                ("portal", None, "/", (1280, 900)),
                ("portal-session", None, f"/phien-hop/{published['id']}", (1280, 1400)),
                ("portal-phone", None, f"/phien-hop/{published['id']}", (390, 844)),
                ("sign-in", None, "/dang-nhap", (1280, 700)),
                ("console", "clerk", "/console", (1280, 900)),
                ("session-builder", "clerk", f"/console/ky-hop/{published['id']}", (1280, 1600)),
                ("readiness", "clerk", f"/console/ky-hop/{published['id']}/san-sang", (1280, 900)),
                ("council", "clerk", "/console/hoi-dong", (1280, 1100)),
                ("import", "clerk", "/console/nhap-dai-bieu", (1280, 700)),
                ("devices", "clerk", "/console/thiet-bi", (1280, 800)),
                ("minutes", "clerk", f"/console/phien-hop/{sitting_id}/bien-ban", (1280, 700)),
                ("projector", None, f"/projector/{sitting_id}?code={code}", (1920, 1080)),
                ("forbidden", "delegate01", "/console", (1280, 600)),
                ("portal-phone-home", None, "/", (390, 844)),
                ("council-body", "clerk", f"/console/hoi-dong/co-quan/{plenary['id']}",
                 (1280, 1000)),
                ("council-person", "clerk", f"/console/hoi-dong/nguoi/{person['id']}",
                 (1280, 700)),
                ("confirm-delete", "clerk", f"/console/chuong-trinh/{item['id']}/xoa",
                 (1280, 500)),
                ("accounts", "admin", "/console/tai-khoan", (1280, 1000)),
            ]
            for name, who, path, (width, height) in shots:
                context = browser.new_context(base_url=server.base,
                                              viewport={"width": width, "height": height})
                page = context.new_page()
                if who:
                    w.sign_in(page, who)
                page.goto(path)
                page.wait_for_timeout(1200 if name in ("projector", "readiness") else 200)
                page.screenshot(path=str(OUT / f"web-{name}.png"), full_page=name != "projector")
                context.close()
                print(f"docs/screenshots/web-{name}.png")
            browser.close()
    finally:
        next(gen, None)


if __name__ == "__main__":
    main()
