"""Targets (6) paperless meetings and devices supplied, and (8) regimes ensured: measured
from pack publications, device enrolments and the regimes staff record, never typed in."""

from __future__ import annotations

from sqlmodel import Session, select

from server.models import AuditEntry
from server.models.base import utcnow
from server.models.devices import Device, PackBuild, PackStatus
from shared import clock
from tests.server.delegates.conftest import SEEDED_YEAR


def _indicators(api, year: int) -> dict[str, dict]:
    report = api.request("clerk", "GET", "/api/followup/indicators",
                         params={"year": year}).json()
    return {i["key"]: i for i in report["indicators"]}


def test_paperless_meetings_follow_pack_publication(followup_api):
    before = _indicators(followup_api, SEEDED_YEAR)["paperless_meetings"]
    assert before["plan_target"] == "(6)" and before["item_type"] == "session"
    assert before["denominator"] > 0 and before["missing_ids"], before
    assert before["numerator"] + len(before["missing_ids"]) == before["denominator"]
    missing = before["missing_ids"][0]
    with Session(followup_api.client.app.state.engine) as db:
        build = PackBuild(session_id=missing, version=90, status=PackStatus.building)
        db.add(build)
        db.commit()
        # a pack still being built is not a publication
        assert _indicators(followup_api, SEEDED_YEAR)["paperless_meetings"][
            "numerator"] == before["numerator"]
        build.status, build.published_at = PackStatus.published, utcnow()
        db.add(build)
        db.commit()
        after = _indicators(followup_api, SEEDED_YEAR)["paperless_meetings"]
        assert after["numerator"] == before["numerator"] + 1
        assert missing in after["item_ids"] and missing not in after["missing_ids"]
        db.delete(build)
        db.commit()


def test_devices_supplied_counts_active_enrolments(followup_api):
    before = _indicators(followup_api, SEEDED_YEAR)["devices_supplied"]
    assert before["plan_target"] == "(6)" and before["denominator"] == 28  # 27 + the clerk
    person = before["missing_ids"][0]
    with Session(followup_api.client.app.state.engine) as db:
        device = Device(person_id=person, label="Máy tính bảng thử", x25519_public="x" * 43,
                        ed25519_public="plan-target-test-device")
        db.add(device)
        db.commit()
        assert person in _indicators(followup_api, SEEDED_YEAR)["devices_supplied"]["item_ids"]
        device.revoked_at = utcnow()  # a revoked tablet no longer equips its owner
        db.add(device)
        db.commit()
        again = _indicators(followup_api, SEEDED_YEAR)["devices_supplied"]
        assert person in again["missing_ids"]
        assert again["numerator"] == before["numerator"]


def test_regimes_ensured_from_recorded_entries(followup_api):
    regimes = followup_api.request("delegate01", "GET", "/api/entitlements/regimes").json()
    monthly = next(r for r in regimes if r["key"] == "activity_allowance")
    assert monthly["required"] and monthly["status"] == "unverified"
    assert "1206/2016/NQ-UBTVQH14" in monthly["source"]
    people = sorted(d["person_id"] for d in followup_api.request(
        "clerk", "GET", "/api/delegates").json())
    before = _indicators(followup_api, SEEDED_YEAR)["entitlements_ensured"]
    assert before["plan_target"] == "(8)" and before["denominator"] == 27
    assert before["numerator"] == 0 and before["detail"]["months_due"] == 12
    late = people[-1]
    for month in range(1, 13):
        payload = {"regime": "activity_allowance", "period": f"{SEEDED_YEAR}-{month:02d}-15",
                   "person_ids": people if month != 7 else people[:-1],
                   "voucher": f"PC {month}/{SEEDED_YEAR}"}
        assert followup_api.request("clerk", "POST", "/api/entitlements",
                                    json=payload).status_code == 201
    after = _indicators(followup_api, SEEDED_YEAR)["entitlements_ensured"]
    assert (after["numerator"], after["missing_ids"]) == (26, [late])
    assert after["detail"]["missing_months"] == {str(late): 1}
    # recording a month again does not count twice
    again = followup_api.request("clerk", "POST", "/api/entitlements", json={
        "regime": "activity_allowance", "period": f"{SEEDED_YEAR}-03-01",
        "person_ids": people[:1], "voucher": "PC 3b"})
    assert again.json()[0]["period_start"] == f"{SEEDED_YEAR}-03-01"
    mine = followup_api.request("clerk", "GET", f"/api/delegates/{people[0]}/entitlements",
                                params={"year": SEEDED_YEAR}).json()
    assert len(mine) == 12 and mine[2]["voucher"] == "PC 3b"
    # refusals in words; delegates neither record nor read another's regimes
    future = followup_api.request("clerk", "POST", "/api/entitlements", json={
        "regime": "activity_allowance", "period": f"{clock.today().year + 2}-01-01",
        "person_ids": people[:1]})
    assert future.status_code == 422 and "chưa đến" in future.text
    unknown = followup_api.request("clerk", "POST", "/api/entitlements", json={
        "regime": "lương", "period": f"{SEEDED_YEAR}-01-01", "person_ids": people[:1]})
    assert unknown.status_code == 422 and "Không có chế độ" in unknown.text
    assert followup_api.request("delegate01", "POST", "/api/entitlements", json={
        "regime": "activity_allowance", "period": f"{SEEDED_YEAR}-01-01",
        "person_ids": people[:1]}).status_code == 403
    other = next(p for p in people if followup_api.request(
        "delegate01", "GET", f"/api/delegates/{p}/entitlements").status_code == 403)
    assert other in people
    with Session(followup_api.client.app.state.engine) as db:
        audited = db.exec(select(AuditEntry).where(
            AuditEntry.action == "entitlement.recorded")).all()
        assert len(audited) == 13


def test_annual_review_states_the_new_targets(followup_api):
    import pymupdf

    response = followup_api.request("clerk", "GET",
                                    f"/api/followup/reports/{SEEDED_YEAR}/annual.pdf")
    assert response.status_code == 200
    with pymupdf.open(stream=response.content, filetype="pdf") as pdf:
        text = " ".join(" ".join(page.get_text() for page in pdf).split())
    for label in ("phòng họp không giấy", "được trang bị thiết bị",
                  "Đại biểu được bảo đảm chế độ, chính sách đủ các tháng"):
        assert label in text, label
