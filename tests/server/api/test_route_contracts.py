"""Every API route says what it answers, and a permission on the decorator refuses the same
way the check in the route's body did (issue 19, parts 5 and 6)."""

from __future__ import annotations

import types
import typing
from typing import Any

from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel

from tests.server.api.conftest import Api

# JSON answers still shaped as bare dicts, each for a reason; the list may shrink, not grow.
STILL_BARE = {
    # OParl 1.1 JSON-LD: the standard fixes the shape (docs/oparl.md), built in services/oparl.py
    *{("GET", f"/api/oparl/v1/{path}") for path in (
        "system", "body", "body/{body_id}", "legislativeTerm/{term_id}", "organization",
        "organization/{organization_id}", "meeting", "meeting/{meeting_id}",
        "agendaItem/{item_id}", "paper", "paper/{key}", "file/{file_id}", "person",
        "person/{person_id}", "membership/{membership_id}")},
    # the tablet's protocol: answers built (some signed) in server/packs and server/live
    ("POST", "/api/devices/enrol"), ("GET", "/api/devices/me/orders"),
    ("GET", "/api/devices/me/order-check"), ("POST", "/api/devices/me/wipe-ack"),
    ("GET", "/api/devices/me/sessions"),
    ("POST", "/api/devices/me/live-credentials"), ("GET", "/api/devices/me/sittings"),
    ("PUT", "/api/devices/me/annotation-backup"), ("GET", "/api/devices/me/citizen-petitions"),
    ("POST", "/api/sessions/{session_id}/packs"),
    ("GET", "/api/sessions/{session_id}/packs/{version}/status"),
    ("POST", "/api/sessions/{session_id}/packs/ack"), ("GET", "/api/sessions/{session_id}/readiness"),
    # the public portal's JSON (server/web/portal.py), shaped in server/web/public_data.py
    ("GET", "/api/public/sessions"), ("GET", "/api/public/sessions/{session_id}"),
    ("GET", "/api/public/ballots/{ballot_id}"), ("GET", "/api/public/ballots/{ballot_id}/board"),
    ("GET", "/api/public/ballots/{ballot_id}/receipts/{receipt}"),
}


def _api_routes() -> list[tuple[str, APIRoute]]:
    """(path, route) of every route under /api, through included routers."""
    from server.app import create_app

    app = create_app(check_migrations=False)
    try:  # FastAPI >= 0.16x includes routers lazily
        from fastapi.routing import iter_route_contexts
    except ImportError:
        return [(r.path, r) for r in app.routes if isinstance(r, APIRoute)
                and r.path.startswith("/api")]
    return [(c.path, c.original_route) for c in iter_route_contexts(app.routes)
            if isinstance(c.original_route, APIRoute) and c.path.startswith("/api")]


def _typed(shape: Any) -> bool:
    """A pydantic model, a list or union of them, or a plain scalar: not a bare dict or Any."""
    if shape is Any or shape is dict:
        return False
    if isinstance(shape, type):
        return shape is not dict
    origin = typing.get_origin(shape)
    if origin is typing.Annotated:
        return True  # e.g. the live events' discriminated union
    if origin in (list, typing.Union, types.UnionType):
        return all(_typed(a) for a in typing.get_args(shape) if a is not type(None))
    return origin is not dict


def test_every_json_route_declares_a_response_model() -> None:
    bare = []
    for path, route in _api_routes():
        answers = getattr(route.response_class, "value", route.response_class)  # a default
        if route.status_code == 204 or not issubclass(answers, JSONResponse):
            continue  # no body, or a file / PDF / image
        if route.response_model is None and "Response" in str(route.endpoint.__annotations__
                                                                  .get("return", "")):
            continue  # returns a file response of its own
        for method in route.methods:
            if (method, path) in STILL_BARE:
                continue
            if route.response_model is None or not _typed(route.response_model):
                bare.append(f"{method} {path} ({route.endpoint.__module__}: {route.response_model})")
    assert bare == [], "routes answering a bare dict:\n" + "\n".join(sorted(bare))


def test_the_ballot_and_live_routes_answer_models() -> None:
    for path, route in _api_routes():
        if route.endpoint.__module__ in ("server.routes.ballot", "server.routes.live"):
            shape = route.response_model
            inner = typing.get_args(shape)[0] if typing.get_origin(shape) is list else shape
            assert inner is not dict and inner is not None, path
            if isinstance(inner, type):
                assert issubclass(inner, BaseModel), path


FORBIDDEN = {"code": "forbidden", "message_vi": "Bạn không có quyền thực hiện thao tác này.",
             "message_en": "You are not allowed to do this.", "status": 403}


def _refused(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code
    return body


def test_clerk_only_routes_refuse_a_delegate_as_before(api: Api, demo_session_id: int) -> None:
    # the caller is used by the route (StaffPrincipal) ...
    refused = api.request("delegate01", "POST", "/api/people", json={"full_name": "Lý Thị Mai"})
    body = _refused(refused, 403, "forbidden")
    assert {k: body[k] for k in FORBIDDEN} == FORBIDDEN
    # ... or only checked on the decorator (STAFF_ONLY, ADMIN_ONLY)
    for user, url in (("delegate01", "/api/devices"),
                      ("delegate01", f"/api/sessions/{demo_session_id}/readiness"),
                      ("clerk", "/api/audit"), ("clerk", "/api/audit/verify")):
        body = _refused(api.request(user, "GET", url), 403, "forbidden")
        assert {k: body[k] for k in FORBIDDEN} == FORBIDDEN, url
    # the clerk still gets through, the admin to the audit log
    assert api.request("clerk", "GET", "/api/devices").status_code == 200
    assert api.request("admin", "GET", "/api/audit/verify").status_code == 200


def test_no_token_is_still_401_before_the_role(api: Api) -> None:
    for url in ("/api/devices", "/api/audit", "/api/people"):
        body = _refused(api.request(None, "GET", url), 401, "not_authenticated")
        assert body["message_en"] == "You need to sign in."


def test_the_hub_routes_read_the_caller_without_holding_a_connection(api: Api) -> None:
    """``DetachedPrincipal``: the live routes still know who asks (a stranger is 401)."""
    assert _refused(api.request(None, "GET", "/api/sittings/1"), 401, "not_authenticated")
    assert _refused(api.request(None, "GET", "/api/ballots/1"), 401, "not_authenticated")
    missing = api.request("delegate01", "GET", "/api/sittings/2147483647")
    assert missing.status_code == 404, missing.text
