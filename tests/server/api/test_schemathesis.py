"""Fuzz every route of /openapi.json with a bounded number of examples: no 500 anywhere."""

from __future__ import annotations

import pytest

from tests.server.api.conftest import Api

SIGN_OUT_PATHS = {"/api/auth/logout", "/api/auth/password"}


@pytest.mark.slow
def test_openapi_has_examples_and_no_500(tmp_path) -> None:
    import schemathesis

    # A database of its own: the fuzzer unpublishes, moves and renames as it goes.
    from fastapi.testclient import TestClient
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from sqlmodel import Session

    from server.app import create_app
    from server.db import make_engine, migrate
    from server.demo.seed import seed_demo
    from tests.conftest import make_settings
    from tests.server.api.conftest import DEMO_PASSWORD

    app_settings = make_settings(tmp_path)
    migrate(app_settings)
    with Session(make_engine(app_settings)) as db:
        seed_demo(db, app_settings, DEMO_PASSWORD, long_document_pages=5)
    app = create_app(app_settings)
    api = Api(TestClient(app))
    spec = app.openapi()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert operation.get("summary") or operation.get("description"), (method, path)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    # A clerk account of its own: the fuzzer changes passwords and data as it goes.
    created = api.request("admin", "POST", "/api/accounts",
                          json={"username": "fuzz-clerk", "password": "fuzz-pass", "role": "clerk"})
    assert created.status_code in (201, 409)
    token = api.token("fuzz-clerk", "fuzz-pass")
    failures: list[str] = []
    calls: list[int] = []
    for operation in schema.get_all_operations():
        op = operation.ok()
        if op.path in SIGN_OUT_PATHS:
            continue  # they would end the fuzzer's own sign-in; tested in test_auth.py
        @settings(max_examples=8, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def run(case) -> None:
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            calls.append(response.status_code)
            try:
                case.validate_response(response, checks=[not_a_server_error])
            except Exception as exc:  # collect all, report together
                failures.append(f"{case.method} {case.path}: {exc}")

        run()
    assert len(calls) > 100, "the fuzz run must actually call the API"
    assert not failures, "\n".join(failures[:10])


def test_every_json_body_has_an_example(api: Api) -> None:
    spec = api.client.app.openapi()
    schemas = spec["components"]["schemas"]
    missing = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if not body:
                continue
            # An optional body is ``anyOf: [{$ref}, {type: null}]``: look through it.
            options = body["schema"].get("anyOf", [body["schema"]])
            ref = next((o["$ref"] for o in options if "$ref" in o), "")
            schema = schemas.get(ref.rsplit("/", 1)[-1], body["schema"])
            if not schema.get("examples"):
                missing.append(f"{method.upper()} {path}")
    assert not missing, missing
