"""Bad input gets a clear bilingual problem and loses nothing; good text survives exactly."""

from __future__ import annotations

import pytest

from tests.server.api.conftest import Api

VIETNAMESE = "Kiến nghị của cử tri thôn Ngải Thầu về sạt lở đường — ộ ữ ỹ Đ 🙏🏽"


def test_malformed_json(api: Api) -> None:
    response = api.request("clerk", "POST", "/api/people", content=b'{"full_name": "A"',
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "validation_failed"


def test_wrong_types_name_the_field(api: Api) -> None:
    response = api.request("clerk", "PATCH", "/api/bodies/1", json={"quorum_numerator": "hai"})
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert "quorum_numerator" in fields


def test_unknown_fields_are_refused(api: Api) -> None:
    response = api.request("clerk", "POST", "/api/people",
                           json={"full_name": "Giàng A Páo", "is_admin": True})
    assert response.status_code == 422
    assert any(e["field"] == "is_admin" for e in response.json()["errors"])


def test_huge_body_is_refused(api: Api) -> None:
    response = api.request("clerk", "POST", "/api/people",
                           json={"full_name": "x" * 100_000})
    assert response.status_code == 422


@pytest.mark.parametrize("text", [
    VIETNAMESE,
    "Robert'); DROP TABLE person;--",
    "../../../../etc/shadow",
    "Tổ đại biểu số 3 \u0110\u1ed9c l\u1eadp",
    "Nguyễn Văn A\u0300",  # a combining mark is kept as given
])
def test_text_round_trips_exactly(api: Api, text: str) -> None:
    created = api.request("clerk", "POST", "/api/people",
                          json={"full_name": text, "position": text})
    assert created.status_code == 201, created.text
    person_id = created.json()["id"]
    again = api.request("clerk", "GET", f"/api/people/{person_id}").json()
    assert again["full_name"] == text.strip() and again["position"] == text


def test_ids_that_are_not_numbers(api: Api) -> None:
    response = api.request("clerk", "GET", "/api/sessions/1%20OR%201=1")
    assert response.status_code == 422


def test_unknown_route_is_a_problem(api: Api) -> None:
    response = api.client.get("/api/khong-co")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_end_date_before_start_date(api: Api) -> None:
    response = api.request("clerk", "POST", "/api/sessions",
                           json={"body_id": 1, "title": "Sai ngày", "kind": "regular",
                                 "start_date": "2026-12-10", "end_date": "2026-12-01"})
    assert response.status_code == 422
    assert "Ngày kết thúc" in response.json()["message_vi"]


def test_null_for_a_required_field_is_a_422_not_a_500(api: Api) -> None:
    response = api.request("clerk", "PATCH", "/api/bodies/1", json={"name": None})
    assert response.status_code == 422
    assert api.request("clerk", "GET", "/api/bodies/1").json()["name"]
