"""A citizen on a phone (390×844) opens two communes' portals at their own addresses
(/hdnd/<slug>/) and sees each commune's name and sessions, never the other's."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.web_conftest import ROOT

PHONE = {"width": 390, "height": 844}
SHOTS = ROOT / "docs" / "screenshots"


def test_two_communes_each_at_its_own_address_on_a_phone(browser, web_server) -> None:
    phone = browser.new_context(base_url=web_server.base, viewport=PHONE, device_scale_factor=2,
                                is_mobile=True, has_touch=True, locale="vi-VN")
    page = phone.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for slug, name, other in (("ban-xeo", "Bản Xèo", "A Mú Sung"),
                              ("a-mu-sung", "A Mú Sung", "Bản Xèo")):
        answer = page.goto(f"/hdnd/{slug}/")
        assert answer is not None and answer.status == 200
        expect(page.get_by_text(name).first).to_be_visible()
        assert f"xã {other}" not in page.content()
        assert "xã Y Tý" not in page.content()
        page.screenshot(path=str(SHOTS / f"portal-{slug}-phone.png"), full_page=True)
        # the portal's own links keep the commune's address
        hrefs = page.eval_on_selector_all("main a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
        assert all(h.startswith(f"/hdnd/{slug}/") for h in hrefs), hrefs
    phone.close()
