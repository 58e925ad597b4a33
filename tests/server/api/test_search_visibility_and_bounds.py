"""Search on both engines: anonymous search shows exactly what the portal shows, through
every status change, and no query can make it work for long."""

from __future__ import annotations

import time

from sqlmodel import Session

from tests.server.api.conftest import Api
from tests.server.api.test_documents import _upload, make_pdf
from tests.server.api.test_sessions import _new_session

PHRASE = "Quyết toán cầu treo bản Phìn Ngan Sín"
QUERY = "quyet toan cau treo phin ngan sin"


def _public_hits(api: Api, document_id: int) -> list[dict]:
    response = api.request(None, "GET", "/api/public/search", params={"q": QUERY})
    assert response.status_code == 200, response.text
    return [h for h in response.json()["hits"]
            if h["source_type"] == "document" and h["source_id"] == document_id]


def test_anonymous_search_follows_the_documents_own_rule(api: Api) -> None:
    session_id = _new_session(api)  # a draft
    document_id = _upload(api, session_id, make_pdf(1, PHRASE),
                          confidentiality="public").json()["id"]
    # Draft: the portal says 404, so search finds nothing either.
    assert api.request(None, "GET", f"/api/public/sessions/{session_id}").status_code == 404
    assert _public_hits(api, document_id) == []
    assert api.request("clerk", "POST", f"/api/sessions/{session_id}/publish").status_code == 200
    hits = _public_hits(api, document_id)
    assert len(hits) == 1 and "<mark>" in hits[0]["snippet"]
    # Taken back to draft: gone again, title and snippet included.
    assert api.request("clerk", "POST",
                       f"/api/sessions/{session_id}/unpublish").status_code == 200
    response = api.request(None, "GET", "/api/public/search", params={"q": QUERY})
    assert _public_hits(api, document_id) == [] and "Phìn Ngan" not in response.text
    # Published again, then made internal: the document's confidentiality wins.
    api.request("clerk", "POST", f"/api/sessions/{session_id}/publish")
    assert len(_public_hits(api, document_id)) == 1
    patched = api.request("clerk", "PATCH", f"/api/documents/{document_id}",
                          json={"confidentiality": "internal"})
    assert patched.status_code == 200, patched.text
    assert _public_hits(api, document_id) == []
    # Signed in, the staff still find it.
    staff = api.request("clerk", "GET", "/api/search", params={"q": QUERY}).json()["hits"]
    assert any(h["source_id"] == document_id for h in staff)
    # Back to draft: other tests take the first published session for the demo's.
    assert api.request("clerk", "POST",
                       f"/api/sessions/{session_id}/unpublish").status_code == 200


def test_a_stale_public_flag_cannot_leak(api: Api) -> None:
    """Even if an entry's flag says public, the hit is checked against the document."""
    from sqlalchemy import update

    from server.models.followup import SearchEntry

    session_id = _new_session(api)
    document_id = _upload(api, session_id, make_pdf(1, PHRASE),
                          confidentiality="public").json()["id"]
    with Session(api.client.app.state.engine) as db:
        db.exec(update(SearchEntry).where(SearchEntry.source_type == "document",
                                          SearchEntry.source_id == document_id)
                .values(public=True))
        db.commit()
    assert _public_hits(api, document_id) == []


def test_pathological_queries_are_cut_and_said_so(api: Api) -> None:
    many = " ".join(f"từ{i}" for i in range(60))
    for typed, code in (("a" * 1500, "too_long"), (many, "too_many_terms"),
                        ("a" * 300, "term_too_long")):
        started = time.monotonic()
        response = api.request(None, "GET", "/api/public/search", params={"q": typed})
        assert response.status_code == 200, response.text
        assert time.monotonic() - started < 5
        notices = {n["code"]: n for n in response.json()["notices"]}
        assert code in notices, response.json()
        assert notices[code]["message_vi"] and notices[code]["message_en"]
    # Only stop words: answered (many matches, the newest ranked), not an error.
    response = api.request(None, "GET", "/api/public/search", params={"q": "của và các những"})
    assert response.status_code == 200
    # Past the hard bound: refused with a problem, not a 500.
    refused = api.request(None, "GET", "/api/public/search", params={"q": "a" * 2001})
    assert refused.status_code == 422


def test_a_huge_entry_does_not_make_search_slow(api: Api) -> None:
    """A crafted page of 8 MB of "aaaa…" (the probe's bomb PDF) is cut when indexed, and a
    search that finds it reads only a bounded part of it."""
    from server.services import search

    session_id = api.request("clerk", "GET", "/api/sessions").json()[0]["id"]
    with Session(api.client.app.state.engine) as db:
        entry = search.index_entry(db, "document", 10_000_000 + session_id, "Tệp lạ",
                                   ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa " * 200_000),
                                   public=True, page=1)
        db.commit()
        assert len(entry.body) <= search.MAX_INDEXED_CHARS
    started = time.monotonic()
    response = api.request("clerk", "GET", "/api/search",
                           params={"q": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    assert response.status_code == 200, response.text
    assert time.monotonic() - started < 3


def test_the_time_limit_cancels_a_statement_on_the_database(api: Api) -> None:
    from sqlalchemy import text

    from server.errors import SearchTooSlow
    from server.services import search

    with Session(api.client.app.state.engine) as db:
        slow = ("SELECT pg_sleep(5)" if db.get_bind().dialect.name == "postgresql" else
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                "WHERE x < 1000000000) SELECT count(*) FROM c")
        started = time.monotonic()
        try:
            with search._time_limit(db, 200):
                db.exec(text(slow))
        except SearchTooSlow:
            pass
        else:
            raise AssertionError("the slow statement was not cancelled")
        assert time.monotonic() - started < 3
        # The session is still usable and no longer limited.
        assert db.exec(text("SELECT 1")).one()[0] == 1


def test_a_search_past_its_time_limit_is_refused_in_both_languages(api: Api,
                                                                 monkeypatch) -> None:
    from server.errors import SearchTooSlow
    from server.services import search

    def too_slow(*args, **kwargs):
        raise SearchTooSlow()

    monkeypatch.setattr(search, "_candidate_ids", too_slow)
    response = api.request(None, "GET", "/api/public/search", params={"q": "ngập lụt"})
    assert response.status_code == 503, response.text
    body = response.json()
    assert body["code"] == "search_too_slow"
    assert "quá nhiều thời gian" in body["message_vi"] and "too long" in body["message_en"]


def test_a_query_past_the_hard_bound_is_refused_in_both_languages(api: Api) -> None:
    from server.text.search_query import MAX_TYPED_CHARS

    for path, user in (("/api/public/search", None), ("/api/search", "clerk")):
        refused = api.request(user, "GET", path, params={"q": "ngập lụt " * 300})
        assert refused.status_code == 422, refused.text
        body = refused.json()
        assert body["code"] == "search_query_too_long"
        assert "quá dài" in body["message_vi"] and "too long" in body["message_en"]
    # At the bound exactly: cut, searched, and said so.
    response = api.request(None, "GET", "/api/public/search",
                           params={"q": ("ngập lụt " * 300)[:MAX_TYPED_CHARS]})
    assert response.status_code == 200
    assert "too_long" in {n["code"] for n in response.json()["notices"]}


def test_pathological_queries_stay_bounded_in_time(api: Api) -> None:
    """One letter repeated (one word, or many), many words, stop words only: each is
    answered quickly on both engines, with a notice saying what was cut."""
    cases = {
        "a" * 1999: {"too_long", "term_too_long"},
        ("a " * 999).strip(): {"too_long", "common_words_only"},
        " ".join(f"xã{i} thôn{i}" for i in range(200))[:1999]: {"too_long", "too_many_terms"},
        "của và các những là được cho với trong này": {"common_words_only"},
    }
    for typed, codes in cases.items():
        for path, user in (("/api/public/search", None), ("/api/search", "clerk")):
            started = time.monotonic()
            response = api.request(user, "GET", path, params={"q": typed})
            assert response.status_code == 200, response.text
            assert time.monotonic() - started < 5, typed[:40]
            notices = {n["code"]: n for n in response.json()["notices"]}
            assert codes <= set(notices), (typed[:40], notices)
            assert all(n["message_vi"] and n["message_en"] for n in notices.values())


def test_an_entry_without_a_council_belongs_to_the_installations(api: Api) -> None:
    from server.services import search
    from server.services.council import the_council

    with Session(api.client.app.state.engine) as db:
        entry = search.index_entry(db, "resolution", 9_000_000, "Nghị quyết không phiên",
                                   "", public=False)
        assert entry.council_id == the_council(db).id
        db.rollback()


def _console(api: Api):
    """A browser signed in to the web console as the clerk."""
    import re

    from fastapi.testclient import TestClient

    from tests.server.conftest import DEMO_PASSWORD

    client = TestClient(api.client.app)
    page = client.get("/dang-nhap")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    signed = client.post("/dang-nhap", data={"username": "clerk", "password": DEMO_PASSWORD,
                                             "csrf_token": token}, follow_redirects=False)
    assert signed.status_code in (302, 303), signed.text
    return client


def test_the_web_search_says_what_was_cut_or_refused(api: Api, monkeypatch) -> None:
    from server.errors import SearchTooSlow
    from server.services import search

    client = _console(api)
    refused = client.get("/console/theo-doi/viec", params={"q": "ngập lụt " * 300})
    assert refused.status_code == 422
    assert "Câu tìm kiếm quá dài" in refused.text and 'role="alert"' in refused.text
    cut = client.get("/console/theo-doi/viec", params={"q": "a" * 600})
    assert cut.status_code == 200
    assert "Chỉ tìm theo 500 ký tự đầu" in cut.text
    common = client.get("/console/theo-doi/viec", params={"q": "của và các"})
    assert "chỉ có từ thông dụng" in common.text

    def too_slow(*args, **kwargs):
        raise SearchTooSlow()

    monkeypatch.setattr(search, "_candidate_ids", too_slow)
    slow = client.get("/console/theo-doi/viec", params={"q": "ngập lụt"})
    assert slow.status_code == 503
    assert "quá nhiều thời gian" in slow.text
