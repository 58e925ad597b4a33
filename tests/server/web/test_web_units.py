"""The web layer's pieces that need no browser: cookie sealing, codes, import, charts."""

from __future__ import annotations

from server.web import cookie_session as cs
from server.web.projector_code import code_ok, projector_code
from server.web.svg_chart import vote_svg


def test_a_sealed_cookie_opens_only_with_the_same_secret_and_expires_when_idle():
    cookie = cs.SessionCookie("refresh-token-value", "family", 1000.0, 1000.0)
    sealed = cs.seal("secret-a", cookie)
    assert "refresh-token-value" not in sealed
    assert cs.unseal("secret-a", sealed) == cookie
    assert cs.unseal("secret-b", sealed) is None
    assert cs.unseal("secret-a", sealed[:-2] + "AA") is None
    assert not cookie.expired(1000.0 + cs.IDLE_TIMEOUT_S - 1)
    assert cookie.expired(1000.0 + cs.IDLE_TIMEOUT_S + 1)


def test_csrf_token_is_bound_to_the_sign_in():
    token = cs.csrf_token("s", "session:fam1")
    assert cs.csrf_ok("s", "session:fam1", token)
    assert not cs.csrf_ok("s", "session:fam2", token)
    assert not cs.csrf_ok("s", "session:fam1", None)


def test_projector_code_is_per_sitting_and_per_secret():
    code = projector_code("k", 7)
    assert len(code) == 16 and code_ok("k", 7, code.upper())
    assert not code_ok("k", 8, code) and not code_ok("other", 7, code)


def test_vote_chart_draws_a_bar_per_choice_and_the_threshold():
    svg = vote_svg({"question": "Thông qua?", "needed": 14, "counts": [
        {"key": "yes", "label_vi": "Tán thành", "label_en": "In favour", "count": 20},
        {"key": "no", "label_vi": "Không tán thành", "label_en": "Against", "count": 3}]})
    assert svg.count("<rect") == 2 and 'class="threshold"' in svg and "cần 14" in svg
    assert "<script" not in svg and "style=" not in svg


def test_a_confidence_ballot_draws_one_chart_per_official_with_the_half_line():
    from server.web.svg_chart import ballot_svgs

    ballot = {"title": "Lấy phiếu tín nhiệm", "members_total": 27, "confidence": {"officials": [
        {"full_name": "Sùng A Chớ", "counts": {"high": 20, "medium": 5, "low": 2}},
        {"full_name": "Lò Thị Xuân", "counts": {"high": 3, "medium": 9, "low": 15}}]}}
    charts = ballot_svgs(ballot, "vi")
    assert [heading for heading, _ in charts] == ["Sùng A Chớ", "Lò Thị Xuân"]
    for _, svg in charts:
        assert svg.count("<rect") == 3 and "Tín nhiệm thấp" in svg
        assert "quá nửa: 14" in svg and 'class="threshold"' in svg
    assert ">15<" in charts[1][1]  # the count is written beside its bar
