from __future__ import annotations

import uuid

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


def test_five_failures_lock_with_growing_delay(api: Api) -> None:
    username = _new_account(api)
    codes = [_login(api, username, "sai").status_code for _ in range(4)]
    assert codes == [401] * 4
    fifth = _login(api, username, "sai")
    assert fifth.status_code == 423
    first_delay = int(fifth.headers["Retry-After"])
    assert "khóa" in fifth.json()["message_vi"]
    # Even the right password is refused while locked, and says so.
    locked = _login(api, username, "mat-khau-1")
    assert locked.status_code == 423 and locked.json()["code"] == "account_locked"
    assert first_delay >= 29


def test_lock_delay_grows() -> None:
    from server.config import Settings
    from server.services.auth import lock_delay

    settings = Settings(secret_key="x")
    delays = [lock_delay(n, settings).total_seconds() for n in (5, 6, 7, 8)]
    assert delays == sorted(delays) and delays[1] == 2 * delays[0]


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
