"""Benchmark: the assistant's retrieval on the demo archive — recall@5 and latency.

Run: ``python -m tests.bench.assistant [--quick]``. A fresh data directory is migrated and
seeded with the demo (``hdnd migrate``, ``hdnd demo``, as an installation does); then
each question of ``tests.bench._assistant_questions`` goes through
``server.assistant.service.ask`` as the clerk (who may read everything) and counts as
found when one of its expected sources is among the five cited passages. Latency is per
question with the index built (the first question after a change pays the build; that
cost is reported apart as ``index_build_s``). ``--quick`` runs the ten questions the test
suite uses. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from sqlmodel import Session, select

from tests.bench._assistant_questions import QUESTIONS, QUICK, Question

TOP_K = 5


def source_ids(db: Session, questions: Sequence[Question]) -> dict[tuple[str, str], int]:
    """The database id of every source the questions name (by title or number)."""
    from server.models import Document
    from server.models.followup import SearchEntry

    wanted = {s for q in questions for s in q.sources}
    found: dict[tuple[str, str], int] = {}
    for kind, title in wanted:
        if kind == "document":
            row = db.exec(select(Document.id).where(Document.title == title)).first()
        else:
            row = db.exec(select(SearchEntry.source_id).where(
                SearchEntry.source_type == kind, SearchEntry.title == title)).first()
        if row is None:
            raise LookupError(f"the demo has no {kind} titled {title!r}")
        found[(kind, title)] = int(row)
    return found


def evaluate(db: Session, settings, principal, questions: Sequence[Question]) -> dict:
    """recall@5, latency percentiles and the questions missed, for one reader."""
    from server.assistant import service
    from server.assistant.corpus import archive_index

    ids = source_ids(db, questions)
    started = time.perf_counter()
    archive_index(db)
    build_s = time.perf_counter() - started
    times, missed = [], []
    for question in questions:
        started = time.perf_counter()
        answer = service.ask(db, settings, principal, question.text)
        times.append((time.perf_counter() - started) * 1000)
        cited = {(c.source_type, c.source_id) for c in answer.citations[:TOP_K]}
        expected = {(kind, ids[(kind, title)]) for kind, title in question.sources}
        if not cited & expected:
            missed.append({"question": question.text,
                           "cited": [c.label() for c in answer.citations]})
    times.sort()
    return {"questions": len(questions),
            "recall_at_5": round(1 - len(missed) / len(questions), 3),
            "latency_p50_ms": round(statistics.median(times), 2),
            "latency_p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
            "index_build_s": round(build_s, 3), "missed": missed}


def seeded_data_dir(path: Path) -> dict[str, str]:
    """Migrate and seed the demo into *path* the way an installation does; returns env."""
    env = {**os.environ, "HDND_DATA_DIR": str(path), "HDND_SECRET_KEY": "bench-secret"}
    cli = [sys.executable, "-m", "server.cli"]
    subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([*cli, "demo", "--password", "bench"], env=env, check=True,
                   capture_output=True)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the test suite's ten questions")
    args = parser.parse_args()
    questions = QUICK if args.quick else QUESTIONS
    with tempfile.TemporaryDirectory(prefix="hdnd-bench-assistant-") as tmp:
        env = seeded_data_dir(Path(tmp))
        os.environ.update({k: env[k] for k in ("HDND_DATA_DIR", "HDND_SECRET_KEY")})
        from server.config import Settings
        from server.db import make_engine
        from server.models import Account
        from server.security.principal import load_principal

        settings = Settings()
        engine = make_engine(settings)
        try:
            with Session(engine) as db:
                clerk = db.exec(select(Account).where(Account.username == "clerk")).one()
                out = evaluate(db, settings, load_principal(db, clerk), questions)
        finally:
            engine.dispose()
    for miss in out["missed"]:
        print("missed:", miss, flush=True)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
