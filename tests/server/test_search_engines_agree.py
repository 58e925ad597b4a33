"""SQLite and PostgreSQL give the same answers to the same Vietnamese queries, typed with and
without diacritics: each engine only finds candidates, one ranking orders them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from server.services import search
from server.text.vietnamese import fold
from tests.bench.search_grouping import synthetic_petitions
from tests.conftest import PG_ADMIN_URL, _pg_url, make_settings

# Pairs: what a clerk types with accents, and what a voter types on a phone without them.
QUERIES = ["sạt lở", "ngập lụt", "nước sạch", "trạm y tế", "giấy chứng nhận",
           "đường liên thôn", "Lao Chải", "Phìn Hồ", "bác sĩ", "mùa khô", "sổ đỏ",
           "công trình cấp nước", "học sinh", "kéo điện lưới", "Sín Chải ngập"]
COUNCILS = 3


def _texts() -> list[tuple[str, str, int]]:
    petitions = [body for _, _, body in synthetic_petitions(1500, seed=21)]
    hand = [("Kè chống sạt lở suối Ngải Thầu", "Mưa lớn làm sạt lở kè, đề nghị sửa chữa."),
            ("Ngập lụt ở bản Sín Chải", "Nước ngập lụt nhà dân ở Sín Chải sau mưa lớn."),
            ("Duong lien thon Lao Chai", "duong lien thon bi sat lo, xe khong qua duoc")]
    rows = [(title, body, k % COUNCILS + 1) for k, (title, body) in enumerate(hand)]
    rows += [(body[:60], body, k % COUNCILS + 1) for k, body in enumerate(petitions)]
    return rows


def _load(url: str | None, data_dir: Path) -> Session:
    from server.db import make_engine, migrate
    from server.models import Council
    from server.models.followup import TrackedItem

    settings = make_settings(data_dir, url)
    migrate(settings)
    db = Session(make_engine(settings))
    for k in range(COUNCILS):
        db.add(Council(id=k + 1, name=f"HĐND xã {k + 1}", level="commune", term_start=2026,
                       term_end=2031))
    db.flush()
    for k, (title, body, council) in enumerate(_texts()):
        # Real petitions, one in five not published, so the public filter has work to do.
        item = TrackedItem(id=k + 1, kind="voter_petition", title=title, text=body,
                           received_on=date(2026, 3, 1), public=k % 5 != 0)
        db.add(item)
        db.flush()
        search.index_entry(db, "item", k + 1, title, body, public=item.public,
                           council_id=council)
    db.commit()
    return db


@pytest.fixture(scope="module")
def engines(tmp_path_factory) -> Iterator[dict[str, Session]]:
    import psycopg

    name = f"hdnd_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    sessions = {"sqlite": _load(None, tmp_path_factory.mktemp("sqlite")),
                "postgresql": _load(_pg_url(name), tmp_path_factory.mktemp("pg"))}
    try:
        yield sessions
    finally:
        for db in sessions.values():
            db.close()
            db.get_bind().dispose()
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _top(db: Session, typed: str, **scope) -> list[tuple[int, float]]:
    result = search.search(db, typed, limit=10, **scope)
    return [(h.source_id, h.rank) for h in result.hits]


@pytest.mark.postgres
@pytest.mark.parametrize("typed", QUERIES)
def test_both_engines_rank_the_same_with_and_without_diacritics(engines, typed) -> None:
    for scope in ({}, {"public_only": True}, {"council_id": 2}):
        answers = {(engine, spelling): _top(db, spelling, **scope)
                   for engine, db in engines.items() for spelling in (typed, fold(typed))}
        first = answers[("sqlite", typed)]
        assert first, (typed, scope)  # the corpus holds every query: never vacuously equal
        assert all(other == first for other in answers.values()), (typed, scope, answers)


@pytest.mark.postgres
def test_the_hand_written_texts_come_first(engines) -> None:
    for db in engines.values():
        assert _top(db, "ngập lụt Sín Chải")[0][0] == 2
        assert _top(db, "sat lo suoi ngai thau")[0][0] == 1


# Typed with a slip of the finger, with and without diacritics; what each should become.
MISSPELT = {"sạt lơ suôi": None, "ngập lutt": "ngập lut", "nuoc sachh": "nuoc sach",
            "Sín Chảii": "Sín Chai", "tram y tee": "tram y te"}


@pytest.mark.postgres
@pytest.mark.parametrize("typed", sorted(MISSPELT))
def test_both_engines_suggest_the_same_correction(engines, typed) -> None:
    answers = {engine: search.search(db, typed, limit=10) for engine, db in engines.items()}
    sqlite, postgresql = answers["sqlite"], answers["postgresql"]
    assert sqlite.suggestion == postgresql.suggestion, answers
    if sqlite.total:  # a query that finds something is never corrected
        assert sqlite.suggestion is None and MISSPELT[typed] is None
        return
    assert sqlite.suggestion == MISSPELT[typed]
    corrected = {engine: _top(db, sqlite.suggestion) for engine, db in engines.items()}
    assert corrected["sqlite"] and corrected["sqlite"] == corrected["postgresql"]
