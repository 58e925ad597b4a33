"""``GET /api/devices/me/sessions``: the sessions a device may sync, without a number."""

from __future__ import annotations

from sqlmodel import Session, select

from server.demo.calendar import demo_schedule
from server.models import Account, CouncilSession, Membership
from tests.server.api.conftest import Api
from tests.server.packs.test_devices_api import FakeTablet, enrol

SESSION_TITLE = demo_schedule().session_title
COMMITTEE_MEETING_TITLE = demo_schedule().committee_meeting_title

MINE = "/api/devices/me/sessions"


def session_id(api: Api, title: str) -> int:
    with Session(api.client.app.state.engine) as db:
        return int(db.exec(select(CouncilSession).where(CouncilSession.title == title)).one().id)


def delegates_in_and_out_of(api: Api, body_session: int) -> tuple[str, str]:
    """A delegate who belongs to the session's body and one who does not."""
    with Session(api.client.app.state.engine) as db:
        body = db.get(CouncilSession, body_session).body_id
        members = {m.person_id for m in db.exec(select(Membership)
                                                .where(Membership.body_id == body))}
        delegates = db.exec(select(Account).where(Account.username.startswith("delegate"))
                            .order_by(Account.username)).all()
        inside = next(a.username for a in delegates if a.person_id in members)
        outside = next(a.username for a in delegates if a.person_id not in members)
        return inside, outside


def publish(api: Api, sid: int) -> int:
    started = api.request("clerk", "POST", f"/api/sessions/{sid}/packs")
    assert started.status_code == 202, started.text
    status = api.request("clerk", "GET", started.json()["status_url"]).json()
    assert status["status"] == "published", status
    return status["version"]


def listed(api: Api, tablet: FakeTablet) -> dict[str, dict]:
    response = api.client.get(MINE, auth=tablet.auth())
    assert response.status_code == 200, response.text
    return {s["session_id"]: s for s in response.json()}


def test_a_device_lists_its_sessions_and_no_one_elses(api: Api) -> None:
    plenary = session_id(api, SESSION_TITLE)
    committee = session_id(api, COMMITTEE_MEETING_TITLE)
    member, outsider = delegates_in_and_out_of(api, committee)
    inside, outside = enrol(api, member), enrol(api, outsider)
    assert listed(api, inside) == {}  # enrolled after every pack so far: in none of them
    version = publish(api, plenary)
    committee_version = publish(api, committee)

    mine = listed(api, inside)
    assert {str(plenary), str(committee)} <= mine.keys()
    assert mine[str(plenary)]["title"] == SESSION_TITLE
    assert mine[str(plenary)]["pack_version"] == version
    assert mine[str(plenary)]["documents"] > 0 and mine[str(plenary)]["held_version"] is None
    assert mine[str(committee)]["pack_version"] == committee_version
    theirs = listed(api, outside)
    assert str(plenary) in theirs
    assert str(committee) not in theirs  # another body's meeting: not theirs to see
    # The draft session has no pack and is never listed.
    assert all(s["status"] != "draft" for s in [*mine.values(), *theirs.values()])

    # After syncing, the device's own report shows up beside what is available.
    ack = api.client.post(f"/api/sessions/{plenary}/packs/ack", json={"pack_version": version},
                          auth=inside.auth())
    assert ack.status_code == 200
    assert listed(api, inside)[str(plenary)]["held_version"] == version

    # A device enrolled after the last pack is listed once a pack includes it.
    late = enrol(api, member)
    assert str(plenary) not in listed(api, late)
    publish(api, plenary)
    assert listed(api, late)[str(plenary)]["held_version"] is None


def test_a_revoked_device_gets_no_list(api: Api) -> None:
    plenary = session_id(api, SESSION_TITLE)
    tablet = enrol(api, "delegate10")
    publish(api, plenary)
    assert str(plenary) in listed(api, tablet)
    assert api.request("clerk", "POST", f"/api/devices/{tablet.device_id}/revoke").status_code == 200
    refused = api.client.get(MINE, auth=tablet.auth())
    assert refused.status_code == 403 and refused.json()["code"] == "device_revoked"
    assert api.client.get(MINE).status_code == 401  # and nobody unsigned gets one
