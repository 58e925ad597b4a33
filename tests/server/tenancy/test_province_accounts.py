"""Accounts in a deployment of several councils, through the API as an admin takes it:
a province admin makes a Standing Committee account that reads the communes and writes
nothing there; a commune admin cannot; a username is unique across every council."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from server.models import AccountRole, Council, CouncilLevel
from server.services import accounts
from tests.server.conftest import DEMO_PASSWORD, Api
from tests.server.tenancy.conftest import app_after


def _seed(db: Session, settings) -> None:
    from server.demo.seed import seed_demo

    seed_demo(db, settings, DEMO_PASSWORD, long_document_pages=2)
    commune = db.exec(select(Council).order_by(col(Council.id))).first()
    assert commune is not None
    tinh = Council(name="HĐND tỉnh Lào Cai", level=CouncilLevel.province, term_start=2026,
                   term_end=2031)
    db.add(tinh)
    db.flush()
    commune.parent_id = tinh.id
    accounts.create_account(db, None, "tinh.admin", DEMO_PASSWORD, AccountRole.admin,
                            council_id=tinh.id)
    db.commit()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def province(request, tmp_path: Path) -> Iterator[Api]:
    yield from app_after(request.param, tmp_path, "tenancy_accounts", _seed)


def test_a_province_reader_reads_the_communes_and_changes_nothing_there(province: Api) -> None:
    made = province.request("tinh.admin", "POST", "/api/accounts", json={
        "username": "tinh.thuongtruc", "password": DEMO_PASSWORD, "role": "admin",
        "reads_councils_below": True})
    assert made.status_code == 201, made.text
    assert made.json()["reads_councils_below"] is True
    # the commune's sessions are readable by the province's Standing Committee...
    commune_sessions = province.request("clerk", "GET", "/api/sessions").json()
    seen = province.request("tinh.thuongtruc", "GET", "/api/sessions").json()
    assert seen and {s["id"] for s in seen} <= {s["id"] for s in commune_sessions}
    session_id = seen[0]["id"]
    assert province.request("tinh.thuongtruc", "GET", f"/api/sessions/{session_id}").status_code == 200
    # reading is all: a change to the commune's session is refused in words
    refused = province.request("tinh.thuongtruc", "PATCH", f"/api/sessions/{session_id}",
                               json={"place": "Hội trường tỉnh"})
    assert (refused.status_code, refused.json()["code"]) == (403, "council_read_only")
    assert "chỉ được xem" in refused.json()["message_vi"]
    unchanged = province.request("clerk", "GET", f"/api/sessions/{session_id}").json()
    assert unchanged["place"] != "Hội trường tỉnh"
    # the province's accounts list stays the province's own
    listed = {a["username"] for a in province.request("tinh.thuongtruc", "GET", "/api/accounts").json()}
    assert "clerk" not in listed
    # ...but the province's own admin, without the flag, does not see the commune at all
    assert province.request("tinh.admin", "GET", f"/api/sessions/{session_id}").status_code == 404


def test_a_commune_cannot_make_a_province_role(province: Api) -> None:
    refused = province.request("admin", "POST", "/api/accounts", json={
        "username": "xa.theodoi", "password": DEMO_PASSWORD, "role": "observer",
        "reads_councils_below": True})
    assert refused.status_code == 422
    assert refused.json()["code"] == "no_councils_below"
    assert "cấp dưới" in refused.json()["message_vi"]
    assert province.request("admin", "GET", "/api/accounts").json()  # nothing half-made
    names = {a["username"] for a in province.request("admin", "GET", "/api/accounts").json()}
    assert "xa.theodoi" not in names


def test_a_username_is_unique_across_councils(province: Api) -> None:
    taken = province.request("tinh.admin", "POST", "/api/accounts", json={
        "username": "clerk", "password": DEMO_PASSWORD, "role": "clerk"})
    assert taken.status_code == 409
    assert taken.json()["code"] == "conflict"
    # and the province's list shows only its own accounts
    names = {a["username"] for a in province.request("tinh.admin", "GET", "/api/accounts").json()}
    assert names == {"tinh.admin"}
