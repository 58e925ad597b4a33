"""`hdnd ballot verify BOARD.json` checks a published board with no database at all."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.shared.ballot.test_box_and_board import _count, _run_vote


def _verify(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server.cli", "ballot", "verify", str(path)],
                          capture_output=True, text=True, timeout=60)


def test_cli_verifies_an_honest_board_and_finds_an_edit(tmp_path, election, committee,
                                                        voters) -> None:
    box = _run_vote(election, committee, voters)
    _count(box, committee)
    board = tmp_path / "BOARD.json"
    board.write_text(box.board.dumps(), encoding="utf-8")
    ok = _verify(board)
    assert ok.returncode == 0, ok.stderr
    assert "hợp lệ" in ok.stdout and '"ok": true' in ok.stdout

    data = json.loads(board.read_text(encoding="utf-8"))
    entries = data["entries"] if isinstance(data, dict) else data
    entries[3]["body"] = {**entries[3]["body"], "edited": True}
    board.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    bad = _verify(board)
    assert bad.returncode == 1 and "KHÔNG hợp lệ" in bad.stderr
