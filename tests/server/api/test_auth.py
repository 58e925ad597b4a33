from __future__ import annotations

import uuid

import pytest

from tests.server.api.conftest import Api


def _new_account(api: Api, password: str = "mat-khau-1") -> str:
    username = f"u{uuid.uuid4().hex[:10]}"
    response = api.request("admin", "POST", "/api/accounts",
                           json={"username": username, "password": password, "role": "observer"})
    assert response.status_code == 201, response.text
    return username


def _login(api: Api, username: str, password: str):
    return api.client.post("/api/auth/token", data={"username": username, "password": password})


def test_sign_in_and_me(api: Api) -> None:
    response = _login(api, "delegate03", "demo-pass")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0
    me = api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["username"] == "delegate03"
    assert me.json()["person"]["full_name"]


def test_wrong_password_is_a_bilingual_problem(api: Api) -> None:
    response = _login(api, _new_account(api), "sai-mat-khau")
    assert response.status_code == 401
    problem = response.json()
    assert problem["code"] == "invalid_credentials"
    assert "mật khẩu" in problem["message_vi"] and "password" in problem["message_en"]


def test_unknown_user_looks_like_wrong_password(api: Api) -> None:
    response = _login(api, "khong-ton-tai", "x")
    assert response.status_code == 401 and response.json()["code"] == "invalid_credentials"


@pytest.fixture
def frozen_throttle(api: Api):
    """A fresh throttle with its clock stopped, for this test only: delays do not run
    out mid-test, and none is left behind for the tests that share the server."""
    from server.security.throttle import SignInThrottle

    state = api.client.app.state
    running = state.signin_throttle
    settings = state.settings
    state.signin_throttle = SignInThrottle(settings.signin_free_failures,
                                           settings.signin_max_delay_seconds,
                                           clock=lambda: 10_000.0)
    yield state.signin_throttle
    state.signin_throttle = running


def _login_from(api: Api, source: str, username: str, password: str):
    """Sign in from another machine of the hall network (another client address)."""
    from fastapi.testclient import TestClient

    other = TestClient(api.client.app, client=(source, 50000))
    return other.post("/api/auth/token", data={"username": username, "password": password})


def test_failures_slow_down_that_source_and_never_lock_the_account(api: Api,
                                                                 frozen_throttle) -> None:
    """Issue 16 finding 8: six anonymous requests locked the chair out."""
    username = _new_account(api)
    codes = [_login_from(api, "10.0.0.66", username, "sai").status_code for _ in range(5)]
    assert codes == [401] * 5
    slowed = _login_from(api, "10.0.0.66", username, "sai")
    assert slowed.status_code == 429 and slowed.json()["code"] == "sign_in_throttled"
    assert int(slowed.headers["Retry-After"]) >= 1
    assert "Thử lại sau" in slowed.json()["message_vi"]
    # The attacker's machine waits even with the right password ...
    assert _login_from(api, "10.0.0.66", username, "mat-khau-1").status_code == 429
    # ... while the person, at their own machine, signs in at once.
    assert _login_from(api, "10.0.0.7", username, "mat-khau-1").status_code == 200


def test_unknown_and_known_accounts_answer_alike(api: Api, frozen_throttle) -> None:
    """Issue 16 finding 7: unknown accounts answered in 4 ms (no Argon2) and never 423."""
    import time

    known = _new_account(api)
    timings: dict[str, list[float]] = {known: [], "khong-co-ai-ten-nay": []}
    answers: dict[str, list[tuple[int, str]]] = {name: [] for name in timings}
    for attempt in range(7):
        for name in timings:
            started = time.perf_counter()
            response = _login_from(api, "10.0.0.99", name, f"sai-{attempt}")
            timings[name].append(time.perf_counter() - started)
            answers[name].append((response.status_code, response.json()["code"]))
    assert answers[known] == answers["khong-co-ai-ten-nay"]
    assert answers[known][0] == (401, "invalid_credentials")
    assert answers[known][-1] == (429, "sign_in_throttled")
    # Both pay one Argon2 verification (about 50–150 ms); the first five attempts count.
    fast_known = sorted(timings[known][:5])[2]
    fast_unknown = sorted(timings["khong-co-ai-ten-nay"][:5])[2]
    assert fast_unknown > 0.5 * fast_known, (fast_known, fast_unknown)


def test_sign_in_delays_grow_and_are_capped() -> None:
    from server.security.throttle import SignInThrottle

    now = [0.0]
    throttle = SignInThrottle(free_failures=5, max_delay=300, clock=lambda: now[0])
    waits = []
    for _ in range(15):
        throttle.failed("chair", "10.0.0.5")
        waits.append(throttle.wait_seconds("chair", "10.0.0.5"))
    assert waits[:4] == [0] * 4
    assert waits[4:8] == [1, 2, 4, 8]
    assert max(waits) == 300
    assert throttle.wait_seconds("chair", "10.0.0.6") == 0  # another machine
    assert throttle.wait_seconds("CHAIR ", "10.0.0.5") == 300  # same name, other spelling
    now[0] += 400
    assert throttle.wait_seconds("chair", "10.0.0.5") == 0
    throttle.failed("chair", "10.0.0.5")  # still counted: the next try waits the most
    assert throttle.wait_seconds("chair", "10.0.0.5") == 300
    now[0] += 1000  # a quiet quarter of an hour: counting starts again
    throttle.failed("chair", "10.0.0.5")
    assert throttle.wait_seconds("chair", "10.0.0.5") == 0
    # One source spraying many usernames slows down too.
    for number in range(40):
        throttle.failed(f"user{number}", "10.0.0.8")
    assert throttle.wait_seconds("someone-else", "10.0.0.8") > 0


def test_an_enrolled_device_is_not_affected_by_password_attacks(api: Api,
                                                               frozen_throttle) -> None:
    from tests.server.packs.test_devices_api import enrol

    tablet = enrol(api, "delegate05")
    for _ in range(8):
        _login(api, "delegate05", "doan-mo")
    assert _login(api, "delegate05", "doan-mo").status_code == 429
    signed = api.client.get("/api/devices/me", auth=tablet.auth())
    assert signed.status_code == 200, signed.text


def test_refresh_rotates_and_replay_revokes_family(api: Api) -> None:
    username = _new_account(api)
    first = _login(api, username, "mat-khau-1").json()
    second = api.client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    new = second.json()
    assert new["access_token"] != first["access_token"]
    # Replaying the old refresh token (stolen?) kills the whole sign-in.
    replay = api.client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    me = api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {new['access_token']}"})
    assert me.status_code == 401


def test_logout_revokes(api: Api) -> None:
    username = _new_account(api)
    tokens = _login(api, username, "mat-khau-1").json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert api.client.post("/api/auth/logout", headers=headers).status_code == 204
    assert api.client.get("/api/auth/me", headers=headers).status_code == 401
    again = api.client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert again.status_code == 401


def test_locked_account_by_admin_cannot_use_old_token(api: Api) -> None:
    username = _new_account(api)
    tokens = _login(api, username, "mat-khau-1").json()
    accounts = api.request("admin", "GET", "/api/accounts").json()
    account_id = next(a["id"] for a in accounts if a["username"] == username)
    response = api.request("admin", "PUT", f"/api/accounts/{account_id}/active",
                           json={"is_active": False})
    assert response.status_code == 200
    me = api.client.get("/api/auth/me",
                        headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 401


def test_garbage_token(api: Api) -> None:
    response = api.client.get("/api/auth/me", headers={"Authorization": "Bearer ' OR 1=1 --"})
    assert response.status_code == 401 and response.json()["code"] == "token_invalid"
