"""Fuzz every route of /openapi.json with a bounded number of examples: no 500 anywhere."""

from __future__ import annotations

import pytest

from tests.server.api.conftest import Api

SIGN_OUT_PATHS = {"/api/auth/logout", "/api/auth/password"}


EXAMPLES_PER_OPERATION = 5
"""Per operation and per caller: about 150 operations × 2 callers × 5 ≈ 1,500 cases."""


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    """A database of its own: the fuzzer unpublishes, moves and renames as it goes."""
    from fastapi.testclient import TestClient
    from sqlmodel import Session

    from server.app import create_app
    from server.db import make_engine, migrate
    from server.demo.seed import seed_demo
    from tests.conftest import make_settings
    from tests.server.api.conftest import DEMO_PASSWORD

    app_settings = make_settings(tmp_path_factory.mktemp("fuzz"))
    migrate(app_settings)
    with Session(make_engine(app_settings)) as db:
        seed_demo(db, app_settings, DEMO_PASSWORD, long_document_pages=5)
    app = create_app(app_settings)
    api = Api(TestClient(app))
    # A clerk account of its own: the fuzzer changes passwords and data as it goes.
    created = api.request("admin", "POST", "/api/accounts",
                          json={"username": "fuzz-clerk", "password": "fuzz-pass", "role": "clerk"})
    assert created.status_code in (201, 409)
    tokens = {"clerk": api.token("fuzz-clerk", "fuzz-pass"), "delegate": api.token("delegate01")}
    return app, tokens


@pytest.mark.slow
@pytest.mark.parametrize("caller", ["clerk", "delegate"])
def test_openapi_has_examples_and_no_500(fuzz_app, caller: str) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, seed, settings
    from schemathesis.checks import not_a_server_error

    app, tokens = fuzz_app
    spec = app.openapi()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert operation.get("summary") or operation.get("description"), (method, path)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    token = tokens[caller]
    failures: list[str] = []
    calls: list[int] = []
    for operation in schema.get_all_operations():
        op = operation.ok()
        if op.path in SIGN_OUT_PATHS:
            continue  # they would end the fuzzer's own sign-in; tested in test_auth.py

        @seed(16)  # the same cases on every run: a failure here is reproducible
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
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
    assert len(calls) > 300, "the fuzz run must actually call the API"
    assert not failures, "\n".join(failures[:10])


@pytest.mark.slow
@pytest.mark.parametrize("caller", ["clerk", "delegate"])
def test_stateful_sequences_find_no_500(fuzz_app, caller: str) -> None:
    """Chains of calls that feed ids from one answer into the next (schemathesis infers
    the links from the schema): create a session, then edit, upload to, publish it..."""
    import schemathesis
    from hypothesis import HealthCheck, settings
    from schemathesis.checks import not_a_server_error

    app, tokens = fuzz_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema = schema.exclude(path=list(SIGN_OUT_PATHS))
    token = tokens[caller]
    steps: list[int] = []

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case) -> dict:
            return {"headers": {"Authorization": f"Bearer {token}"}}

        def validate_response(self, response, case, additional_checks=None,
                              **kwargs) -> None:
            steps.append(response.status_code)
            case.validate_response(response, checks=[not_a_server_error])

    Workflow.run(settings=settings(max_examples=40, stateful_step_count=8, deadline=None,
                                   database=None, derandomize=True,
                                   suppress_health_check=list(HealthCheck)))
    assert len(steps) > 80, "the state machine must actually call the API"
    assert 500 not in steps


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
