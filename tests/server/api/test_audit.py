"""Every write leaves a hash-chained audit entry; tampering is found."""

from __future__ import annotations

from sqlalchemy import text

from tests.server.api.conftest import Api


def test_writes_are_audited_and_chain_verifies(api: Api) -> None:
    api.request("clerk", "POST", "/api/people", json={"full_name": "Chảo Láo Tả"})
    entries = api.request("admin", "GET", "/api/audit?limit=5").json()
    created = next(e for e in entries if e["action"] == "person.created")
    assert created["actor_username"] == "clerk"
    assert created["detail"]["full_name"] == "Chảo Láo Tả"
    report = api.request("admin", "GET", "/api/audit/verify").json()
    assert report["ok"] is True and report["entries"] > 10


def test_health_reports_schema(api: Api) -> None:
    body = api.client.get("/api/health").json()
    assert body["status"] == "ok" and body["schema_version"]


def test_tampering_is_detected_at_the_right_entry(api: Api) -> None:
    engine = api.client.app.state.engine
    with engine.begin() as conn:
        target, original = conn.execute(
            text("SELECT id, detail FROM auditentry ORDER BY id LIMIT 1 OFFSET 3")).one()
        conn.execute(text("UPDATE auditentry SET detail = :d WHERE id = :i"),
                     {"d": '{"forged":true}', "i": target})
    try:
        report = api.request("admin", "GET", "/api/audit/verify").json()
        assert report["ok"] is False and report["first_broken_id"] == target
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE auditentry SET detail = :d WHERE id = :i"),
                         {"d": original, "i": target})
    assert api.request("admin", "GET", "/api/audit/verify").json()["ok"] is True
