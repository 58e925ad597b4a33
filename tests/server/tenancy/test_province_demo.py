"""``hdnd demo`` as an installer runs it: the province, Y Tý and two more communes; each
commune's clerk sees its own session only, the province's Standing Committee reads every
commune, and each portal address shows its own council."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import make_settings


def test_the_demo_seeds_a_province_and_its_communes(tmp_path: Path) -> None:
    env = {**os.environ, "HDND_DATA_DIR": str(tmp_path), "HDND_SECRET_KEY": "test-secret"}
    for args in (["migrate"], ["demo", "--password", "demo"], ["demo", "--password", "demo"]):
        done = subprocess.run([sys.executable, "-m", "server.cli", *args], env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr  # twice: the demo is idempotent
    assert "tinh.thuongtruc" in done.stdout and "/hdnd/ban-xeo/" in done.stdout
    listed = subprocess.run([sys.executable, "-m", "server.cli", "council", "list"], env=env,
                            capture_output=True, text=True, timeout=120).stdout
    assert "Hội đồng nhân dân tỉnh Lào Cai" in listed.splitlines()[0]  # the tree's top
    assert sum("Hội đồng nhân dân xã" in line for line in listed.splitlines()) == 3

    from server.app import create_app

    with TestClient(create_app(make_settings(tmp_path))) as client:
        def sessions(username: str) -> set[str]:
            token = client.post("/api/auth/token", data={"username": username, "password": "demo"})
            assert token.status_code == 200, token.text
            answer = client.get("/api/sessions", headers={
                "Authorization": f"Bearer {token.json()['access_token']}"})
            return {s["place"] for s in answer.json()}

        assert sessions("banxeo.clerk") == {"Hội trường UBND xã Bản Xèo"}
        assert sessions("amusung.clerk") == {"Hội trường UBND xã A Mú Sung"}
        assert "Hội trường UBND xã Bản Xèo" not in sessions("clerk")
        province = sessions("tinh.thuongtruc")
        assert {"Hội trường UBND xã Bản Xèo", "Hội trường UBND xã A Mú Sung"} <= province
        assert any("Y Tý" in place for place in province)
        for slug, name in (("ban-xeo", "Bản Xèo"), ("a-mu-sung", "A Mú Sung"), ("y-ty", "Y Tý")):
            portal = client.get(f"/hdnd/{slug}/")
            assert portal.status_code == 200 and name in portal.text
            others = {"Bản Xèo", "A Mú Sung"} - {name}
            assert not any(f"xã {other}" in portal.text for other in others)
        unknown = client.get("/hdnd/khong-co/")
        assert unknown.status_code == 404 and "Không có Hội đồng nhân dân nào" in unknown.text
        # a host name of its own: the commune's portal at the root of that name
        with sqlite3.connect(tmp_path / "hdnd.sqlite3") as db:
            db.execute("UPDATE council SET portal_host = 'banxeo.laocai.gov.vn' WHERE slug = 'ban-xeo'")
        by_host = client.get("/", headers={"host": "banxeo.laocai.gov.vn"})
        assert "Bản Xèo" in by_host.text and "xã Y Tý" not in by_host.text
        assert "xã Y Tý" in client.get("/").text  # any other name: the first council
