"""Benchmark: full-text search over petitions and documents' pages on SQLite and PostgreSQL,
and similar-petition grouping.

Run: ``python -m tests.bench.search [--quick] [--no-postgres]``. 100,000 texts (half
petitions, half document pages; 10,000 with --quick) are indexed through the real
migration's tables (FTS5 on SQLite, GIN on PostgreSQL), then 300 queries typed with and
without diacritics go through ``server.services.search.search`` (ranking and snippet
included). PostgreSQL uses ``HDND_TEST_PG`` (as the tests) and is skipped if unreachable.
The last line is one JSON object: ``search_p50_ms`` / ``search_p99_ms`` per backend and
``group_5000_s`` (5,000 petitions, ``server.text.similarity.propose_groups``).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import insert, text
from sqlmodel import Session

from server.models.followup import SearchEntry
from server.services import search
from server.text.similarity import propose_groups
from server.text.vietnamese import fold
from tests.bench.search_grouping import synthetic_petitions


def _texts(n: int) -> list[dict]:
    petitions = synthetic_petitions(n // 2, seed=11)
    rng = random.Random(5)
    rows: list[dict] = []
    for k, (_, _, body) in enumerate(petitions):
        rows.append({"source_type": "item", "source_id": k + 1, "page": 0,
                     "title": body[:80], "body": body})
    sentences = [p[2] for p in petitions]
    for k in range(n - len(rows)):
        page = " ".join(rng.choice(sentences) for _ in range(12))
        rows.append({"source_type": "document", "source_id": k // 20 + 1, "page": k % 20 + 1,
                     "title": f"Báo cáo số {k // 20 + 1}", "body": page})
    for row in rows:
        row["folded"] = fold(f"{row['title']}\n{row['body']}")
        row["public"] = True
    return rows


def _queries(count: int) -> list[str]:
    rng = random.Random(9)
    pool = ["sạt lở", "ngập lụt", "nước sạch", "điện lưới", "phòng học", "trạm y tế",
            "giấy chứng nhận", "đường liên thôn", "Lao Chải", "Phìn Hồ", "bác sĩ", "mùa khô",
            "kéo điện", "sổ đỏ", "xây mới", "Hồng Ngài", "học sinh", "công trình cấp nước"]
    out = []
    for _ in range(count):
        typed = " ".join(rng.sample(pool, rng.choice((1, 1, 2))))
        out.append(fold(typed) if rng.random() < 0.5 else typed)
    return out


def _load(db: Session, rows: list[dict]) -> float:
    started = time.perf_counter()
    for start in range(0, len(rows), 5000):
        db.execute(insert(SearchEntry), rows[start:start + 5000])
    if db.get_bind().dialect.name == "sqlite":
        db.exec(text("INSERT INTO search_fts(rowid, folded) SELECT id, folded FROM search_entry"))
    else:
        db.exec(text("ANALYZE search_entry"))
    db.commit()
    return time.perf_counter() - started


def _measure(db: Session, queries: list[str]) -> dict:
    for q in queries[:20]:  # warm the caches
        search.search(db, q)
    times, hits = [], 0
    for q in queries:
        started = time.perf_counter()
        result = search.search(db, q, limit=20)
        times.append((time.perf_counter() - started) * 1000)
        hits += bool(result.hits)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2),
            "p99_ms": round(times[int(len(times) * 0.99) - 1], 2),
            "queries_with_hits": hits, "queries": len(queries)}


def _run_backend(url: str | None, data_dir: Path, rows: list[dict], queries: list[str]) -> dict:
    from server.db import make_engine, migrate
    from tests.conftest import make_settings

    settings = make_settings(data_dir, url)
    migrate(settings)
    engine = make_engine(settings)
    try:
        with Session(engine) as db:
            load_s = _load(db, rows)
            result = _measure(db, queries)
        return {"load_s": round(load_s, 2), **result}
    finally:
        engine.dispose()


def _postgres(rows: list[dict], queries: list[str], data_dir: Path) -> dict | None:
    import psycopg

    from tests.conftest import PG_ADMIN_URL, _pg_url

    name = f"hdnd_bench_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        return None
    try:
        return _run_backend(_pg_url(name), data_dir, rows, queries)
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 texts instead of 100,000")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    n = 10_000 if args.quick else 100_000
    rows, queries = _texts(n), _queries(300)
    out: dict = {"texts": n, "queries": len(queries)}
    with tempfile.TemporaryDirectory(prefix="hdnd-bench-search-") as tmp:
        sqlite = _run_backend(None, Path(tmp) / "sqlite", rows, queries)
        print("sqlite", sqlite, flush=True)
        out["sqlite"] = sqlite
        pg = None if args.no_postgres else _postgres(rows, queries, Path(tmp) / "pg")
        print("postgresql", pg, flush=True)
        out["postgresql"] = pg
    out["search_p50_ms"] = {"sqlite": sqlite["p50_ms"], "postgresql": pg and pg["p50_ms"]}
    out["search_p99_ms"] = {"sqlite": sqlite["p99_ms"], "postgresql": pg and pg["p99_ms"]}
    petitions = [(pid, body) for pid, _, body in synthetic_petitions(5000, seed=3)]
    started = time.perf_counter()
    groups = propose_groups(petitions)
    out["group_5000_s"] = round(time.perf_counter() - started, 3)
    out["groups_5000"] = len(groups)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
