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
    added = run(["user", "add", "thuky2", "clerk", "--password", "abcd1234"], tmp_path)
    assert added.returncode == 0, added.stderr
    again = run(["user", "add", "thuky2", "clerk", "--password", "abcd1234"], tmp_path)
    assert again.returncode == 1 and "đã có" in again.stderr
    assert run(["user", "lock", "thuky2"], tmp_path).returncode == 0
    assert run(["user", "passwd", "thuky2", "--password", "newpass99"], tmp_path).returncode == 0
    missing = run(["user", "lock", "khongco"], tmp_path)
    assert missing.returncode == 1 and "No account" in missing.stderr
