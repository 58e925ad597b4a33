"""The projector follows a vote run through the API; the minutes and the portal show it."""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path

import pymupdf
from playwright.sync_api import expect

from server.demo.calendar import demo_schedule
from tests.e2e.web_conftest import sitting_on_the_projector

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

_keys = itertools.count(1)


def command(server, who: str, sitting_id: int, **body) -> dict:
    body.setdefault("key", f"web-e2e-{next(_keys):06d}")
    answer = server.api(who, "POST", f"/api/sittings/{sitting_id}/commands", json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _session_id(server) -> int:
    sessions = server.api("clerk", "GET", "/api/sessions").json()
    return next(s["id"] for s in sessions
                if s["status"] in ("published", "in_progress")
                and s["title"] == demo_schedule().session_title)


def test_projector_turnout_then_chart_then_minutes_and_portal(page, web_server):
    server = web_server
    session_id = _session_id(server)
    # the clerk finds the projector link on the session page; no sign-in needed to open it
    sitting_id, link, projector = sitting_on_the_projector(page, server, session_id,
                                                           "Phiên họp trực tiếp")
    assert projector.goto(f"/projector/{sitting_id}?code=sai-ma").status == 403
    projector.goto(link)

    roster = server.api("clerk", "GET", f"/api/sittings/{sitting_id}").json()["state"]["roster"]
    members = [m["person_id"] for m in roster["members"]]
    item_id = roster["agenda"][0]["item_id"]
    command(server, "chair", sitting_id, type="open_sitting")
    for person_id in members:
        command(server, "chair", sitting_id, type="check_in", person_id=person_id)
    command(server, "chair", sitting_id, type="open_item", item_id=item_id)
    expect(projector.locator("#pj-item")).to_contain_text(roster["agenda"][0]["title"])
    expect(projector.locator("#pj-quorum")).to_contain_text("đủ điều kiện")

    # a speaker with a countdown
    command(server, "delegate01", sitting_id, type="request_to_speak")
    command(server, "chair", sitting_id, type="grant_floor", limit_s=300)
    expect(projector.locator("#pj-speaker")).to_have_text("Phu Lỳ Chờ")
    expect(projector.locator("#pj-countdown")).to_have_text(re.compile(r"^[45]:\d\d$"))
    command(server, "chair", sitting_id, type="end_turn")

    # an open vote: turnout while it runs, then the chart with the threshold line
    opened = command(server, "chair", sitting_id, type="open_vote", item_id=item_id,
                     question="Thông qua Nghị quyết về kế hoạch đầu tư công năm 2027?")
    vote_id = f"v{opened['seqs'][0]}"
    voters = [f"delegate{n:02d}" for n in range(1, 8)]
    for n, voter in enumerate(voters[:4]):
        command(server, voter, sitting_id, type="cast_vote", vote_id=vote_id,
                choice="no" if n == 3 else "yes")
    expect(projector.locator("#pj-turnout")).to_contain_text("Đã biểu quyết: 4 /")
    for voter in voters[4:]:
        command(server, voter, sitting_id, type="cast_vote", vote_id=vote_id, choice="yes")
    expect(projector.locator("#pj-turnout")).to_contain_text("Đã biểu quyết: 7 /")
    command(server, "chair", sitting_id, type="close_vote", vote_id=vote_id)
    expect(projector.locator("#pj-chart svg rect")).to_have_count(3)
    expect(projector.locator("#pj-chart svg line.threshold")).to_have_count(1)
    expect(projector.locator("#pj-result")).to_have_text(re.compile("THÔNG QUA"))
    # the rule applied, with its numbers and its legal source (docs/rules.md)
    expect(projector.locator("#pj-rule")).to_have_text(re.compile(
        r"^(Biểu quyết công khai · )?Cần quá nửa tổng số đại biểu \(\d+/\d+\) — "
        r"Luật Tổ chức chính quyền địa phương "
        r"2025, Điều 35 khoản 2$"))
    projector.screenshot(path=str(SHOTS / "projector-rule-line.png"))

    # a named vote and a secret ballot, for the minutes
    named = command(server, "chair", sitting_id, type="open_vote", item_id=item_id, mode="named",
                    question="Biểu quyết ghi danh về phương án di dời dân cư vùng sạt lở?")
    named_id = f"v{named['seqs'][0]}"
    for voter in voters[:3]:
        command(server, voter, sitting_id, type="cast_vote", vote_id=named_id, choice="yes")
    command(server, "chair", sitting_id, type="close_vote", vote_id=named_id)
    secret = command(server, "chair", sitting_id, type="open_vote", item_id=item_id,
                     mode="secret", decision="dismissal",
                     question="Bỏ phiếu kín về việc miễn nhiệm Ủy viên UBND xã?")
    secret_id = f"v{secret['seqs'][0]}"
    for voter in voters[:5]:
        command(server, voter, sitting_id, type="cast_vote", vote_id=secret_id, choice="yes")
    command(server, "chair", sitting_id, type="close_vote", vote_id=secret_id)
    expect(projector.locator("#pj-question")).to_contain_text("Bỏ phiếu kín")

    # the minutes, downloaded with the clerk's cookie, read back by MuPDF
    page.goto(f"/console/phien-hop/{sitting_id}/bien-ban")
    # the clerk's checklist: quorum and thresholds from the votes, each with its source
    checks = page.locator("#compliance")
    expect(checks.locator("[data-check=quorum_at_binding_votes]")).to_contain_text(
        "✓ Đủ số đại biểu ở mọi biểu quyết")
    expect(checks.locator("[data-check=legal_thresholds]")).to_contain_text("✓")
    expect(checks.locator("[data-check=documents_in_time]")).to_contain_text("chưa kiểm chứng")
    expect(checks.locator("[data-check=minutes_signed]")).to_contain_text("—")
    checks.screenshot(path=str(SHOTS / "console-compliance.png"))
    with page.expect_download() as download:
        page.locator("#minutes-pdf").click()
    text = pymupdf.open(download.value.path()).get_page_text(0)
    full = "".join(p.get_text() for p in pymupdf.open(download.value.path()))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "BIÊN BẢN" in text
    flat = " ".join(full.split())
    for question in ("Thông qua Nghị quyết về kế hoạch đầu tư công năm 2027?",
                     "Biểu quyết ghi danh về phương án di dời dân cư vùng sạt lở?",
                     "Bỏ phiếu kín về việc miễn nhiệm Ủy viên UBND xã?"):
        assert question in flat, question
    for words in ("Biểu quyết công khai", "Biểu quyết ghi danh", "Bỏ phiếu kín", "THÔNG QUA",
                  "Phu Lỳ Chờ", "Danh sách biểu quyết ghi danh", "Sần Chà Xá",
                  "Loại quyết định: Thông qua nghị quyết", "Loại quyết định: Miễn nhiệm",
                  "Luật Tổ chức chính quyền địa phương 2025, Điều 35 khoản 2",
                  "Điều 37 khoản 3, 4"):
        assert words in flat, words
    with page.expect_download() as download:
        page.locator("#minutes-docx").click()
    import docx

    document = docx.Document(download.value.path())
    body = " ".join([p.text for p in document.paragraphs]
                    + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "Bỏ phiếu kín về việc miễn nhiệm Ủy viên UBND xã?" in body
    sheet = page.request.get(f"/console/phien-hop/{sitting_id}/kiem-phieu/{secret_id}.pdf")
    assert sheet.ok
    sheet_text = "".join(p.get_text() for p in pymupdf.open(stream=io.BytesIO(sheet.body())))
    assert "BIÊN BẢN KIỂM PHIẾU" in sheet_text

    # the public portal and its feed show the results, without any secret choice
    public = projector
    public.goto(f"/phien-hop/{session_id}")
    expect(public.get_by_role("heading", name="Kết quả biểu quyết")).to_be_visible()
    vote = public.locator("article.vote", has_text="đầu tư công")
    expect(vote.locator("svg line")).to_have_count(1)
    expect(vote.locator("p.rule")).to_contain_text("Điều 35 khoản 2")
    feed = server.api(None, "GET", f"/api/public/sessions/{session_id}").json()
    questions = [v["question"] for v in feed["votes"]]
    assert "Thông qua Nghị quyết về kế hoạch đầu tư công năm 2027?" in questions
    assert all("roll" not in v for v in feed["votes"])  # the demo body does not publish names
