"""The `hdnd` command as an operator uses it: migrate, serve refuses an old schema, audit."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

HDND = [sys.executable, "-m", "server.cli"]


def run(args: list[str], data_dir: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "HDND_DATA_DIR": str(data_dir), "HDND_SECRET_KEY": ""}
    env.pop("HDND_DATABASE_URL", None)
    return subprocess.run(HDND + args, capture_output=True, text=True, env=env, timeout=120,
                          **kwargs)


def test_serve_refuses_unmigrated_database(tmp_path: Path) -> None:
    result = run(["serve", "--port", "0"], tmp_path)
    assert result.returncode == 2
    assert "hdnd migrate" in result.stderr and "Hãy chạy" in result.stderr


@pytest.mark.slow
def test_migrate_demo_idempotent_and_audit_verify(tmp_path: Path) -> None:
    assert run(["migrate"], tmp_path).returncode == 0
    first = run(["demo", "--password", "mat-khau"], tmp_path)
    assert first.returncode == 0, first.stderr
    assert "delegate01" in first.stdout
    db = sqlite3.connect(tmp_path / "hdnd.sqlite3")
    counts = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("person", "account", "document", "council_session")]
    assert run(["demo", "--password", "mat-khau"], tmp_path).returncode == 0
    assert counts == [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("person", "account", "document", "council_session")]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    verify = run(["audit", "verify"], tmp_path)
    assert verify.returncode == 0 and "nguyên vẹn" in verify.stdout
    target = db.execute("SELECT id FROM auditentry ORDER BY id LIMIT 1 OFFSET 2").fetchone()[0]
    db.execute("UPDATE auditentry SET action = 'forged' WHERE id = ?", (target,))
    db.commit()
    broken = run(["audit", "verify"], tmp_path)
    assert broken.returncode == 1 and f"#{target}" in broken.stderr
    secret = tmp_path / "keys" / "secret_key"
    assert secret.exists() and secret.stat().st_mode & 0o777 == 0o600


def test_user_add_lock_and_passwd(tmp_path: Path) -> None:
    assert run(["migrate"], tmp_path).returncode == 0
    first = run(["user", "add", "thuky2", "clerk", "--password", "abcd1234"], tmp_path)
    assert first.returncode == 1 and "hdnd council add" in first.stderr  # no council yet
    assert run(["council", "add", "Hội đồng nhân dân xã Y Tý", "--slug", "y-ty"],
               tmp_path).returncode == 0
    added = run(["user", "add", "thuky2", "clerk", "--password", "abcd1234"], tmp_path)
    assert added.returncode == 0, added.stderr
    again = run(["user", "add", "thuky2", "clerk", "--password", "abcd1234"], tmp_path)
    assert again.returncode == 1 and "đã có" in again.stderr
    assert run(["user", "lock", "thuky2"], tmp_path).returncode == 0
    assert run(["user", "passwd", "thuky2", "--password", "newpass99"], tmp_path).returncode == 0
    missing = run(["user", "lock", "khongco"], tmp_path)
    assert missing.returncode == 1 and "No account" in missing.stderr


def test_a_province_and_its_communes_from_the_command_line(tmp_path: Path) -> None:
    """``hdnd council add`` builds the tree; each council has its admin, audit chain and
    portal address; an account must name its council once there are several."""
    assert run(["migrate"], tmp_path).returncode == 0
    tinh = run(["council", "add", "Hội đồng nhân dân tỉnh Lào Cai", "--slug", "lao-cai", "--level", "tinh",
                "--admin", "tinh.admin", "--password", "mat-khau-tinh"], tmp_path)
    assert tinh.returncode == 0, tinh.stderr
    for name, slug in (("Hội đồng nhân dân xã Y Tý", "y-ty"), ("Hội đồng nhân dân xã Bản Xèo", "ban-xeo")):
        made = run(["council", "add", name, "--slug", slug, "--parent", "lao-cai",
                    "--admin", f"{slug}.admin", "--password", "mat-khau-xa"], tmp_path)
        assert made.returncode == 0, made.stderr
        assert f"/hdnd/{slug}/" in made.stdout
    taken = run(["council", "add", "Trùng", "--slug", "y-ty"], tmp_path)
    assert taken.returncode == 1 and "đã có HĐND khác" in taken.stderr
    unknown = run(["council", "add", "Mồ côi", "--slug", "mo-coi", "--parent", "ha-giang"], tmp_path)
    assert unknown.returncode == 1 and "No such council" in unknown.stderr
    listed = run(["council", "list"], tmp_path).stdout.splitlines()
    assert listed[0].startswith("#1 Hội đồng nhân dân tỉnh Lào Cai")
    assert listed[1].startswith("  #2 Hội đồng nhân dân xã Y Tý") and "(1 tài khoản" in listed[1]
    vague = run(["user", "add", "thuky", "clerk", "--password", "abcd1234"], tmp_path)
    assert vague.returncode == 1 and "--council" in vague.stderr
    assert run(["user", "add", "thuky", "clerk", "--password", "abcd1234", "--council", "y-ty"],
               tmp_path).returncode == 0
    verify = run(["audit", "verify"], tmp_path)
    assert verify.returncode == 0, verify.stderr
    db = sqlite3.connect(tmp_path / "hdnd.sqlite3")
    chains = dict(db.execute("SELECT council_id, count(*) FROM auditentry GROUP BY council_id").fetchall())
    assert chains == {1: 2, 2: 3, 3: 2}  # the council and its admin on each chain; Y Tý: its clerk
    owner = db.execute("SELECT council_id FROM account WHERE username = 'thuky'").fetchone()[0]
    assert owner == 2


def test_a_commune_that_started_alone_is_placed_under_its_province(tmp_path: Path) -> None:
    """Y Tý ran its own server; on the province's deployment (after ``hdnd import``) the
    province's council is added and the commune placed under it with ``hdnd council set``."""
    assert run(["migrate"], tmp_path).returncode == 0
    assert run(["council", "add", "Hội đồng nhân dân xã Y Tý", "--slug", "xa-y-ty"],
               tmp_path).returncode == 0
    assert run(["council", "add", "Hội đồng nhân dân tỉnh Lào Cai", "--slug", "lao-cai",
                "--level", "tinh"], tmp_path).returncode == 0
    placed = run(["council", "set", "xa-y-ty", "--parent", "lao-cai", "--slug", "y-ty"], tmp_path)
    assert placed.returncode == 0, placed.stderr
    assert "/hdnd/y-ty/" in placed.stdout and "tỉnh Lào Cai" in placed.stdout
    listed = run(["council", "list"], tmp_path).stdout.splitlines()
    assert listed[0].startswith("#2 Hội đồng nhân dân tỉnh Lào Cai")
    assert listed[1].startswith("  #1 Hội đồng nhân dân xã Y Tý") and "/hdnd/y-ty/" in listed[1]
    loop = run(["council", "set", "lao-cai", "--parent", "y-ty"], tmp_path)
    assert loop.returncode == 1 and "dưới chính nó" in loop.stderr
    bad = run(["council", "set", "y-ty", "--slug", "Y Tý"], tmp_path)
    assert bad.returncode == 1 and "chữ thường" in bad.stderr
    verify = run(["audit", "verify"], tmp_path)
    assert verify.returncode == 0, verify.stderr
    db = sqlite3.connect(tmp_path / "hdnd.sqlite3")
    changed = db.execute("SELECT council_id, detail FROM auditentry "
                         "WHERE action = 'council.changed'").fetchall()
    assert len(changed) == 1 and changed[0][0] == 1 and "xa-y-ty" in changed[0][1]
