"""Benchmark: full-text search over petitions and documents' pages on SQLite and PostgreSQL,
and similar-petition grouping.

Run: ``python -m tests.bench.search [--quick | --full] [--no-sqlite] [--no-postgres]``.

- default: 100,000 texts across 10 councils; ``--quick``: 10,000 (for CI); ``--full``:
  1,000,000 across 100 councils (a province's term; heavy: about an hour and 15 GB of disk
  on a 2-core machine).
- Half the texts are petitions, half are documents' pages, each belonging to a council.
  They are loaded through the real migration's tables (FTS5 on SQLite, GIN on PostgreSQL),
  then 300 queries typed with and without diacritics go through
  ``server.services.search.search`` (candidates, ranking and snippets included), once
  across the province (every council) and once scoped to one council.
- In the same run, on the same data, the ranking query the service used before Python ranked
  (``bm25`` / ``ts_rank`` over every match) is timed as the baseline.
- Both engines are asked the same queries; ``top10_same`` is the share of queries whose
  first ten hits are the same on both.
- 100 of the queries typed with a slip (a letter doubled) find nothing and look for a
  correction among each council's words (``search_word``, filled after loading as
  ``index_entry`` would; ``vocabulary_s``): ``misspelt`` times them and counts the
  corrections, ``suggestion_same`` compares the engines' corrections.

PostgreSQL uses ``HDND_TEST_PG`` (as the tests) and is skipped if unreachable. The last line
is one JSON object: ``search_p50_ms`` / ``search_p99_ms`` per engine (cross-council), the
same for ``scoped``, the baseline, load time, index size, ``group_5000_s``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import insert, text
from sqlmodel import Session

from server.models import Council
from server.models.followup import SearchEntry
from server.services import search
from server.text.search_query import fts5_match, pg_tsquery
from server.text.similarity import propose_groups
from server.text.vietnamese import fold
from shared import clock
from tests.bench.search_grouping import synthetic_petitions

BATCH = 5_000
QUERIES = 300


def _rows(n: int, councils: int) -> Iterator[list[dict]]:
    """Batches of rows in a fixed order (so ids are the same on both engines)."""
    petitions = [p[2] for p in synthetic_petitions(min(n // 2, 50_000), seed=11)]
    rng = random.Random(5)
    batch: list[dict] = []
    for k in range(n):
        if k % 2 == 0:  # a petition (a second sentence once the templates repeat)
            body = petitions[(k // 2) % len(petitions)]
            if k // 2 >= len(petitions):
                body += " " + rng.choice(petitions)
            row = {"source_type": "item", "source_id": k // 2 + 1, "page": 0,
                   "title": body[:80], "body": body}
        else:  # a page of a 20-page report
            number = k // 40 + 1
            row = {"source_type": "document", "source_id": number, "page": (k // 2) % 20 + 1,
                   "title": f"Báo cáo số {number}",
                   "body": " ".join(rng.choice(petitions) for _ in range(12))}
        row["folded"] = fold(f"{row['title']}\n{row['body']}")
        row["public"] = True
        row["council_id"] = 1 + (k * 7919) % councils
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


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


def _load(db: Session, n: int, councils: int) -> float:
    started = time.perf_counter()
    for k in range(councils):
        db.add(Council(id=k + 1, name=f"HĐND xã {k + 1}", level="commune", term_start=2026,
                       term_end=2031))
    db.flush()
    for batch in _rows(n, councils):
        db.execute(insert(SearchEntry), batch)
    if db.get_bind().dialect.name == "sqlite":
        db.exec(text("INSERT INTO search_fts(rowid, folded) SELECT id, folded FROM search_entry"))
        db.commit()
    else:
        db.commit()
        # As autovacuum leaves a table at rest: statistics, visibility map, hint bits.
        with db.get_bind().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE search_entry"))
    return time.perf_counter() - started


def _vocabulary(db: Session) -> float:
    """Each council's words, as ``index_entry`` would have kept them one text at a time
    (``search_words.words_of``: 2 to 40 letters, no bare numbers), in one statement."""
    started = time.perf_counter()
    if db.get_bind().dialect.name == "sqlite":
        db.exec(text("CREATE VIRTUAL TABLE temp.bench_vocab USING fts5vocab(main, search_fts, "
                     "'instance')"))
        db.exec(text("INSERT OR IGNORE INTO search_word (council_id, word) "
                     "SELECT DISTINCT e.council_id, v.term FROM temp.bench_vocab v "
                     "JOIN search_entry e ON e.id = v.doc "
                     "WHERE length(v.term) BETWEEN 2 AND 40 AND v.term GLOB '*[^0-9]*'"))
        db.exec(text("DROP TABLE temp.bench_vocab"))
        db.commit()
    else:
        db.exec(text("INSERT INTO search_word (council_id, word) "
                     "SELECT DISTINCT e.council_id, w FROM search_entry e, "
                     "unnest(tsvector_to_array(e.tsv)) w "
                     "WHERE length(w) BETWEEN 2 AND 40 AND w !~ '^[0-9]+$'"))
        db.commit()
        with db.get_bind().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE search_word"))
    return time.perf_counter() - started


def _misspelt(queries: list[str]) -> list[str]:
    """The queries as typed with a slip: the longest word's last letter doubled."""
    out = []
    for typed in queries[:100]:
        words = fold(typed).split()
        longest = max(range(len(words)), key=lambda k: len(words[k]))
        words[longest] += words[longest][-1]
        out.append(" ".join(words))
    return out


def _suggestions(db: Session, queries: list[str]) -> tuple[dict, list]:
    """Searches that find nothing and look for a correction (the trigram path)."""
    times, suggested, answers = [], 0, []
    for typed in _misspelt(queries):
        started = time.perf_counter()
        result = search.search(db, typed, limit=20)
        times.append((time.perf_counter() - started) * 1000)
        suggested += result.suggestion is not None
        answers.append(result.suggestion)
    return {**_percentiles(times), "queries": len(times), "suggested": suggested}, answers


def _index_size_mb(db: Session) -> dict:
    if db.get_bind().dialect.name == "sqlite":
        pages = db.exec(text("PRAGMA page_count")).one()[0]
        size = db.exec(text("PRAGMA page_size")).one()[0]
        try:
            fts = db.exec(text("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_fts%'")
                          ).one()[0]
        except Exception:  # dbstat is optional in SQLite builds
            fts = None
        return {"database_mb": round(pages * size / 2**20, 1),
                "fulltext_index_mb": fts and round(fts / 2**20, 1)}
    sizes = db.exec(text(
        "SELECT pg_total_relation_size('search_entry'), pg_relation_size('search_entry'), "
        "pg_relation_size(COALESCE(to_regclass('ix_search_entry_council_tsv'), "
        "to_regclass('ix_search_entry_tsv'))), "
        "pg_relation_size('ix_search_entry_council_id_id')")).one()
    return {"table_with_toast_and_indexes_mb": round(sizes[0] / 2**20, 1),
            "table_pages_mb": round(sizes[1] / 2**20, 1),
            "fulltext_index_mb": round(sizes[2] / 2**20, 1),
            "council_index_mb": round(sizes[3] / 2**20, 1)}


def _percentiles(times: list[float]) -> dict:
    times = sorted(times)
    return {"p50_ms": round(statistics.median(times), 2),
            "p99_ms": round(times[max(0, int(len(times) * 0.99) - 1)], 2)}


def _measure(db: Session, queries: list[str], councils: int) -> tuple[dict, list[list]]:
    for q in queries[:20]:  # warm the caches
        search.search(db, q)
    out: dict = {}
    tops: list[list] = []
    for scope in ("province", "council"):
        times, hits = [], 0
        for k, q in enumerate(queries):
            council = 1 + k % councils if scope == "council" else None
            started = time.perf_counter()
            result = search.search(db, q, limit=20, council_id=council)
            times.append((time.perf_counter() - started) * 1000)
            hits += bool(result.hits)
            tops.append([(h.source_type, h.source_id, h.page) for h in result.hits[:10]])
        out[scope] = {**_percentiles(times), "queries_with_hits": hits}
    return out, tops


def _baseline(db: Session, queries: list[str]) -> dict:
    """The old ranking query: every match ranked by the engine itself."""
    sqlite = db.get_bind().dialect.name == "sqlite"
    sql = ("SELECT e.id, -bm25(search_fts) AS rank FROM search_fts "
           "JOIN search_entry e ON e.id = search_fts.rowid "
           "WHERE search_fts MATCH :q AND e.public ORDER BY rank DESC, e.id LIMIT 200"
           if sqlite else
           "SELECT e.id, ts_rank(e.tsv, q) AS rank "
           "FROM search_entry e, to_tsquery('simple', :q) q "
           "WHERE e.tsv @@ q AND e.public ORDER BY rank DESC, e.id LIMIT 200")
    times = []
    for typed in queries[:100]:
        q = fts5_match(typed) if sqlite else pg_tsquery(typed)
        started = time.perf_counter()
        db.exec(text(sql).bindparams(q=q)).all()
        times.append((time.perf_counter() - started) * 1000)
    return {"ranking_query_only": True, "queries": len(times), **_percentiles(times)}


def _run_backend(url: str | None, data_dir: Path, n: int, councils: int,
                 queries: list[str]) -> tuple[dict, list[list]]:
    from server.db import make_engine, migrate
    from tests.conftest import make_settings

    settings = make_settings(data_dir, url)
    migrate(settings)
    engine = make_engine(settings)
    try:
        with Session(engine) as db:
            load_s = _load(db, n, councils)
            vocabulary_s = _vocabulary(db)
            measured, tops = _measure(db, queries, councils)
            suggestions, corrected = _suggestions(db, queries)
            baseline = _baseline(db, queries)
            sizes = _index_size_mb(db)
        return {"load_s": round(load_s, 1), "vocabulary_s": round(vocabulary_s, 1), **measured,
                "misspelt": suggestions, "baseline_before_issue_22": baseline,
                "size": sizes}, [*tops, *([c] for c in corrected)]
    finally:
        engine.dispose()


def _postgres(n: int, councils: int, queries: list[str], data_dir: Path
              ) -> tuple[dict, list[list]] | None:
    import psycopg

    from tests.conftest import PG_ADMIN_URL, _pg_url

    # HDND_BENCH_DB_PREFIX: a shared server's helpers keep their databases apart.
    prefix = os.environ.get("HDND_BENCH_DB_PREFIX", "hdnd_bench")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        return None
    try:
        return _run_backend(_pg_url(name), data_dir, n, councils, queries)
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="10,000 texts (CI)")
    size.add_argument("--full", action="store_true", help="1,000,000 texts, 100 councils")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    n, councils = (10_000, 10) if args.quick else (1_000_000, 100) if args.full else \
        (100_000, 10)
    queries = _queries(QUERIES)
    out: dict = {"texts": n, "councils": councils, "queries": len(queries),
                 "date": clock.today().isoformat(),
                 # a shared machine's load makes every figure larger: say what it was
                 "load_average_1m": round(os.getloadavg()[0], 1), "cpus": os.cpu_count()}
    tops: dict[str, list[list]] = {}
    with tempfile.TemporaryDirectory(prefix="hdnd-bench-search-") as tmp:
        for engine in ("sqlite", "postgresql"):
            if args.no_sqlite if engine == "sqlite" else args.no_postgres:
                out[engine] = None
                continue
            found = (_run_backend(None, Path(tmp) / engine, n, councils, queries)
                     if engine == "sqlite" else
                     _postgres(n, councils, queries, Path(tmp) / engine))
            out[engine] = found and found[0]
            if found:
                tops[engine] = found[1]
            print(engine, out[engine], flush=True)
    for key, scope in (("", "province"), ("scoped_", "council")):
        for stat in ("p50", "p99"):
            out[f"{key}search_{stat}_ms"] = {e: out[e] and out[e][scope][f"{stat}_ms"]
                                            for e in ("sqlite", "postgresql")}
    if len(tops) == 2:
        pairs = list(zip(tops["sqlite"], tops["postgresql"], strict=True))
        searched, corrected = pairs[:-100], pairs[-100:]
        out["top10_same"] = round(sum(a == b for a, b in searched) / len(searched), 3)
        out["suggestion_same"] = round(sum(a == b for a, b in corrected) / len(corrected), 3)
    petitions = [(pid, body) for pid, _, body in synthetic_petitions(5000, seed=3)]
    started = time.perf_counter()
    groups = propose_groups(petitions)
    out["group_5000_s"] = round(time.perf_counter() - started, 3)
    out["groups_5000"] = len(groups)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
