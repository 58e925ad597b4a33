"""What people do at a council's own address (``/hdnd/<slug>/``) in a province's deployment:
a voter of Bản Xèo writes in from Bản Xèo's portal and the letter reaches Bản Xèo (not the
deployment's first council), the page after sending stays at Bản Xèo's address, and the
commune's clerk signs in there."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from server.models import Council
from server.models.citizens import CitizenCase
from tests.conftest import make_settings
from tests.server.citizens.conftest import csrf_of
from tests.server.conftest import DEMO_PASSWORD, seed_province_demo

ADDRESS = "/hdnd/ban-xeo"


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Iterator[TestClient]:
    from server.app import create_app

    settings = make_settings(Path(tmp_path_factory.mktemp("address")), None)
    seed_province_demo(settings)
    with TestClient(create_app(settings)) as client:
        yield client


def test_a_voters_letter_from_a_communes_address_reaches_that_commune(province) -> None:
    voter = TestClient(province.app)
    form = voter.get(f"{ADDRESS}/cong-dan/gui-don")
    assert form.status_code == 200
    assert f'action="{ADDRESS}/cong-dan/gui-don"' in form.text
    sent = voter.post(f"{ADDRESS}/cong-dan/gui-don", follow_redirects=False, data={
        "csrf_token": csrf_of(form.text), "case_type": "petition", "title": "Cầu treo Nậm Chạc",
        "text": "Cầu treo qua suối bị hỏng ván, trẻ em đi học nguy hiểm.", "area": "Nậm Chạc",
        "full_name": "", "address": "", "email": "", "phone": "", "notify_by": ""})
    assert sent.status_code == 303, sent.text
    assert sent.headers["location"].startswith(f"{ADDRESS}/cong-dan/ho-so?ma=")
    case_page = voter.get(sent.headers["location"])
    assert case_page.status_code == 200 and "Cầu treo Nậm Chạc" in case_page.text
    code = re.search(r"ma=([A-Z0-9]+)", sent.headers["location"]).group(1)
    with Session(province.app.state.engine) as db:
        case = db.exec(select(CitizenCase).where(CitizenCase.code == code)).one()
        assert db.get(Council, case.council_id).slug == "ban-xeo"


def test_a_communes_clerk_signs_in_at_its_address(province) -> None:
    browser = TestClient(province.app)
    page = browser.get(f"{ADDRESS}/dang-nhap")
    signed = browser.post(f"{ADDRESS}/dang-nhap", follow_redirects=False, data={
        "username": "banxeo.clerk", "password": DEMO_PASSWORD, "csrf_token": csrf_of(page.text)})
    assert signed.status_code == 303, signed.text
    console = browser.get(f"{ADDRESS}/console", follow_redirects=True)
    assert console.status_code == 200 and "Bản Xèo" in console.text


def test_a_communes_public_pages_link_within_its_address(province) -> None:
    visitor = TestClient(province.app)
    delegates = visitor.get(f"{ADDRESS}/dai-bieu")
    assert delegates.status_code == 200
    links = re.findall(r'href="(/dai-bieu/\d+|/hdnd/[a-z-]+/dai-bieu/\d+)"', delegates.text)
    assert links and all(link.startswith(f"{ADDRESS}/dai-bieu/") for link in links)
    petitions = visitor.get(f"{ADDRESS}/theo-doi/kien-nghi")
    assert f'action="{ADDRESS}/theo-doi/kien-nghi"' in petitions.text
