"""The province's Standing Committee in a real browser: from the console menu to the
communes' targets side by side (those below target first in every chart), down to one
commune and the items behind a figure, and the half-year review as a PDF; a commune's
clerk has no such menu and is refused the page in words."""

from __future__ import annotations

import subprocess
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.web_conftest import sign_in

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_the_province_follows_its_communes(page, web_server, tmp_path) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "tinh.thuongtruc")
    page.locator("#nav-province").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chỉ tiêu Đề án 06")
    expect(page.locator("#province-summary")).to_contain_text("3 Hội đồng nhân dân cấp xã")
    expect(page.locator("#next-review")).to_contain_text("còn")
    charts = page.locator("svg.chart.province")
    assert charts.count() >= 5
    below_anywhere = False
    for n in range(charts.count()):
        kinds = charts.nth(n).locator("rect.bar").evaluate_all(
            "bars => bars.map(b => b.classList.contains('below') ? 'below' : 'met')")
        assert len(kinds) == 3, kinds  # one bar per commune
        assert kinds == sorted(kinds), kinds  # 'below' sorts before 'met': below target first
        below_anywhere |= "below" in kinds
    assert below_anywhere, "the demo's Y Tý misses some targets"
    # a commune with nothing to count (no petition received) is not shown a 100% it did
    # nothing for: its bar says that nothing arose
    petitions = page.locator("svg.chart.province[data-key='petitions_answered']")
    expect(petitions).to_contain_text("không phát sinh")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "province-dashboard.png"), full_page=True)

    with page.expect_download() as download:
        page.locator("#report-half").click()
    pdf = tmp_path / "review.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "BÁO CÁO" in text and "Bản Xèo" in text and "A Mú Sung" in text

    first = charts.first.locator("a").first
    name = first.text_content() or ""
    first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name.strip())
    expect(page.locator(".meta").first).to_contain_text("Chỉ xem")
    behind = page.locator("details summary")
    if behind.count():
        behind.first.click()
        expect(page.locator("ul.items-behind li").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "province-commune.png"), full_page=True)


def test_a_commune_clerk_has_no_province_page(page, web_server) -> None:
    sign_in(page, "banxeo.clerk")
    expect(page.locator("#nav-province")).to_have_count(0)
    answer = page.goto("/console/tinh")
    assert answer is not None and answer.status == 403
    expect(page.locator("body")).to_contain_text("Thường trực HĐND tỉnh")
