"""A commune moves into a province's deployment that already holds councils: every one of
its objects answers as it did at home, through every route and page, under new ids; the
councils already there answer as before; the audit chains verify.

The commune is the demo on SQLite (Y Tý and its neighbours, every kind of object) with its
slugs renamed, as the refusal asks; the province is the demo on PostgreSQL, so every table
already holds rows with the same ids and every username is taken.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel, col, select

from server.errors import BackupRefused
from server.models import Council
from server.models.renumbering import CouncilRenumbering
from server.operations import moving
from server.operations.import_beside import Placement
from server.services import councils
from tests.conftest import fresh_pg_database, make_settings
from tests.server.citizens.conftest import csrf_of, web_client
from tests.server.conftest import DEMO_PASSWORD, seed_province_demo
from tests.server.route_ids import council_ids, routes, urls_for

SUFFIX = ".moi"
NOT_ROWS = {"installation"}  # audit targets whose id names no row
USERS = ("admin", "clerk", "delegate01")
# Routes whose answer is about the deployment or the move itself, not the commune's
# objects; each with the reason. The list may only shrink.
DIFFER_BY_DESIGN = {
    "/api/audit": "the newest entries: the import's own entry now heads the chain",
}


@dataclass
class Place:
    client: TestClient
    address: str  # where the commune's portal and console are
    suffix: str  # added to its usernames
    ids: dict[str, list[int]]


def _rename_slugs(settings) -> None:
    """What the refusal asks of the commune before it exports again."""
    from server.db import make_engine

    engine = make_engine(settings)
    with Session(engine) as db:
        for council in db.exec(select(Council).order_by(col(Council.id))).all():
            councils.change(db, str(council.slug), councils.CouncilChange(slug=f"{council.slug}-moi"))
        db.commit()
    engine.dispose()


def _petition(client: TestClient, address: str) -> None:
    """A voter writes in with a name and a phone number (sealed under the secret key)."""
    page = client.get(f"{address}/cong-dan/gui-don")
    sent = client.post(f"{address}/cong-dan/gui-don", follow_redirects=False, data={
        "csrf_token": csrf_of(page.text), "case_type": "petition", "title": "Đường vào thôn Sín Chải",
        "text": "Đường vào thôn bị sạt lở sau mưa, xin sửa trước mùa học.", "area": "Sín Chải",
        "full_name": "Sần Thị Mai", "address": "Thôn Sín Chải", "email": "",
        "phone": "0912345678", "notify_by": "sms"})
    assert sent.status_code in (302, 303), sent.text


def _first_council(settings, slug: str) -> int:
    from server.db import make_engine

    engine = make_engine(settings)
    with Session(engine) as db:
        found = db.exec(select(Council.id).where(Council.slug == slug)).one()
    engine.dispose()
    return found


def _ids(settings, council: int) -> dict[str, list[int]]:
    from server.db import make_engine

    engine = make_engine(settings)
    with Session(engine) as db:
        found = council_ids(db, council, per_table=1)
    engine.dispose()
    return found


def _token(client: TestClient, username: str) -> str:
    answer = client.post("/api/auth/token", data={"username": username, "password": DEMO_PASSWORD})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


_RANDOM = [re.compile(rb'name="csrf_token" value="[^"]*"'), re.compile(rb'csrf-token" content="[^"]*"'),
           re.compile(rb'nonce="[^"]*"'), re.compile(rb'"csrf_token":"[^"]*"'),
           re.compile(rb"code=[a-z0-9]+")]  # the hall's projector code: keyed by the secret


def _seen(content: bytes, suffix: str) -> bytes:
    """What a person reads, less what differs by nature: ids and dates (digits), form
    tokens and codes made with the deployment's secret, and the suffix the move gave to
    usernames."""
    for pattern in _RANDOM:
        content = pattern.sub(b"", content)
    if suffix:
        content = content.replace(suffix.encode(), b"")
    return re.sub(rb"\d+", b"0", content)


def _answers(place: Place) -> dict[str, tuple[int, bytes]]:
    """Every GET route about the commune's objects, as an admin, a clerk and a delegate
    (the API with a token, pages signed in) and as a visitor (pages)."""
    client = place.client
    tokens = {u: _token(client, u + place.suffix) for u in USERS}
    browsers = {u: web_client(client, u + place.suffix) for u in USERS}
    browsers["visitor"] = TestClient(client.app)
    found: dict[str, tuple[int, bytes]] = {}
    for method, path in routes(client.app, with_parameters_only=False):
        if method != "GET" or path.startswith(("/static", "/ws")):
            continue
        urls = urls_for(path, place.ids)
        if urls is None:
            continue
        url = place.address + urls[0]
        for who in (*USERS, "visitor"):
            if path.startswith("/api/"):
                if who == "visitor":
                    continue
                answer = client.get(url, headers={"Authorization": f"Bearer {tokens[who]}"},
                                    follow_redirects=False)
            else:
                answer = browsers[who].get(url, follow_redirects=False)
            found[f"{path} as {who}"] = (answer.status_code, _seen(answer.content, place.suffix))
    return found


@pytest.fixture(scope="module")
def moved(tmp_path_factory) -> Iterator[tuple[dict, dict, dict, dict, object]]:
    from server.app import create_app
    from server.config import Settings

    # the commune's own secret key, generated on its server (the province has another)
    home = Settings(data_dir=tmp_path_factory.mktemp("commune"))
    seed_province_demo(home)
    _rename_slugs(home)
    y_ty = _first_council(home, "y-ty-moi")
    with TestClient(create_app(home)) as client:
        _petition(client, "/hdnd/y-ty-moi")
    file = tmp_path_factory.mktemp("moving") / "y-ty.tar"
    moving.export(home, file)
    with TestClient(create_app(home)) as client:
        at_home = _answers(Place(client, "/hdnd/y-ty-moi", "", _ids(home, y_ty)))
    with fresh_pg_database("moving_beside") as url:
        province = make_settings(tmp_path_factory.mktemp("province"), url)
        seed_province_demo(province)
        theirs = _first_council(province, "y-ty")
        with TestClient(create_app(province)) as client:
            before = _answers(Place(client, "/hdnd/y-ty", "", _ids(province, theirs)))
        result = moving.import_(province, file, placement=Placement(account_suffix=SUFFIX))
        assert result.beside is not None
        new_y_ty = result.beside.councils[y_ty]
        with TestClient(create_app(province)) as client:
            after_move = _answers(Place(client, "/hdnd/y-ty-moi", SUFFIX, _ids(province, new_y_ty)))
            after = _answers(Place(client, "/hdnd/y-ty", "", _ids(province, theirs)))
        yield at_home, after_move, before, after, (province, file, result, y_ty)


def _differences(expected: dict, got: dict) -> list[str]:
    out = []
    for key, (status, body) in expected.items():
        if key.split(" as ")[0] in DIFFER_BY_DESIGN:
            continue
        if key not in got:
            out.append(f"{key}: not asked after the move")
        elif got[key][0] != status:
            out.append(f"{key}: {got[key][0]}, was {status}")
        elif got[key][1] != body:
            at = next(i for i, (a, b) in enumerate(zip(body, got[key][1] + b"\0", strict=False)) if a != b)
            out.append(f"{key}: {status}, other content: {body[at - 60:at + 60]!r} became "
                       f"{got[key][1][at - 60:at + 60]!r}")
    return out


@pytest.mark.postgres
def test_every_route_answers_the_moved_communes_objects_as_at_home(moved) -> None:
    at_home, after_move, _before, _after, _rest = moved
    assert len(at_home) > 500
    assert sum(1 for status, _ in at_home.values() if status == 200) > 300  # real answers
    case = after_move["/console/cong-dan/{case_id} as clerk"]
    assert case[0] == 200 and "Sần Thị Mai".encode() in case[1]  # the sealed contact opens
    differences = _differences(at_home, after_move)
    assert differences == [], "\n".join(differences)


@pytest.mark.postgres
def test_the_councils_already_there_answer_as_before(moved) -> None:
    _home, _moved, before, after, _rest = moved
    differences = _differences(before, after)
    assert differences == [], "\n".join(differences)


@pytest.mark.postgres
def test_the_move_is_recorded_and_every_chain_verifies(moved) -> None:
    from server.db import make_engine
    from server.services import audit

    *_, (province, file, result, y_ty) = moved
    engine = make_engine(province)
    with Session(engine) as db:
        assert audit.verify_chain(db).ok
        new = result.beside.councils[y_ty]
        shifts = {r.table_name: r for r in db.exec(select(CouncilRenumbering).where(
            CouncilRenumbering.council_id == new))}
        assert shifts["person"].id_offset > 0 and shifts["council"].id_offset > 0
    engine.dispose()
    again = pytest.raises(BackupRefused, moving.import_, province, file,
                          placement=Placement(account_suffix=SUFFIX))
    assert "y-ty-moi" in again.value.message_vi and "council set" in again.value.message_en


@pytest.mark.postgres
def test_the_audit_log_names_what_older_entries_were_about_as_it_is_called_today(moved) -> None:
    """Entries are hashed with the ids they were made with; after the move an old
    document id may be another council's document. Each entry made before the move says
    what its target is called today, and it is the commune's own."""
    from server.app import create_app
    from server.services.renumbering import _TARGET_TABLES

    *_, (province, _file, _result, _y_ty) = moved
    with TestClient(create_app(province)) as client:
        admin = {"Authorization": f"Bearer {_token(client, 'admin' + SUFFIX)}"}
        clerk = {"Authorization": f"Bearer {_token(client, 'clerk' + SUFFIX)}"}
        entries = client.get("/api/audit", params={"limit": 1000}, headers=admin).json()
        documents = [e for e in entries if e["target_type"] == "document" and e["target_id_now"]]
        assert documents, "the demo's uploads are in the commune's log"
        for entry in documents:
            assert int(entry["target_id_now"]) > int(entry["target_id"])
            now = client.get(f"/api/documents/{entry['target_id_now']}", headers=clerk)
            assert now.status_code == 200, (entry, now.text)
    assert entries[0]["target_id_now"] is None  # the import's own entry: made today
    named_rows = {e["target_type"] for e in entries if e["target_id"].isdigit()}
    unknown = {kind for kind in named_rows - NOT_ROWS
               if _TARGET_TABLES.get(kind, kind) not in SQLModel.metadata.tables}
    assert not unknown, f"audit target types naming no table: {sorted(unknown)}"
