""""Có phải bạn muốn tìm …?" proposes a correction only from what the caller could find:
never a word of another council's text or of an unpublished one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from server.models import Council
from server.models.followup import TrackedItem
from server.services import search
from server.tenancy import scoping
from server.tenancy.scope import Scope
from tests.server.tenancy.conftest import settings_for

TEXTS = [  # council, published, text
    (1, True, "Đề nghị sửa chữa đường liên thôn Lao Chải bị sạt lở"),
    (1, False, "Báo cáo mật về khoáng sản quặng đồng chưa công bố"),
    (2, True, "Kiến nghị xây dựng nhà văn hoá thôn Phìn Hồ"),
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path: Path) -> Iterator[Session]:
    from server.db import make_engine, migrate

    for settings in settings_for(request.param, tmp_path, "search_suggest"):
        migrate(settings)
        engine = make_engine(settings)
        with Session(engine) as session:
            for k in (1, 2):
                session.add(Council(id=k, name=f"HĐND xã {k}", level="commune",
                                    term_start=2026, term_end=2031))
            session.flush()
            for k, (council, public, body) in enumerate(TEXTS, start=1):
                session.add(TrackedItem(id=k, council_id=council, kind="voter_petition",
                                        title=body[:40], text=body, public=public,
                                        received_on=date(2026, 3, 1)))
                session.flush()
                search.index_entry(session, "item", k, body[:40], body, public=public,
                                   council_id=council)
            session.commit()
        with Session(engine) as session:
            yield session
        engine.dispose()


def _scoped(db: Session, council: int) -> Session:
    scoping.enter(db, Scope.of_council(council))
    return db


def test_a_slip_is_corrected_and_the_correction_finds(db: Session) -> None:
    result = search.search(_scoped(db, 1), "đường liên thônn")
    assert result.total == 0
    assert result.suggestion == "đường liên thon"
    assert search.search(db, result.suggestion).total == 1


def test_no_word_of_another_council(db: Session) -> None:
    result = search.search(_scoped(db, 1), "Phìn Hồô")  # only council 2 writes of Phìn Hồ
    assert result.total == 0 and result.suggestion is None
    assert search.search(_scoped(db, 2), "Phìn Hồô").suggestion == "Phìn Ho"


def test_no_word_of_an_unpublished_text_on_the_portal(db: Session) -> None:
    portal = search.search(_scoped(db, 1), "quặngg đồng", public_only=True)
    assert portal.total == 0 and portal.suggestion is None
    staff = search.search(db, "quặngg đồng")  # the council's own staff may find it
    assert staff.suggestion == "quang đồng"


def test_nothing_near_no_suggestion(db: Session) -> None:
    result = search.search(_scoped(db, 1), "xyzzy qwfp")
    assert result.total == 0 and result.suggestion is None


def test_the_trigram_prefilter_drops_no_near_word(db: Session) -> None:
    """Without pg_trgm the database keeps the words sharing enough trigrams; ranking every
    word of the list in Python must give the same nearest words."""
    import random

    from server.services import search_words
    from server.text import trigrams

    rng = random.Random(7)
    words = sorted({"".join(rng.choice("acdghilnotuy") for _ in range(rng.randint(2, 8)))
                    for _ in range(3000)})
    there = search_words.known(db, [1], words)
    db.connection().execute(
        search_words.SearchWord.__table__.insert(),  # type: ignore[attr-defined]
        [{"council_id": 1, "word": w} for w in words if w not in there])
    every = list(db.exec(select(search_words.SearchWord.word)
                         .where(search_words.SearchWord.council_id == 1)).all())
    assert len(every) > len(words) // 2
    for typed in ("duongg", "thonn", "ngheo", "aaaa", "lao", "chaii", "yty"):
        kept = search_words._sharing_enough_trigrams(db, [1], typed)
        assert trigrams.nearest(typed, kept, limit=50) == trigrams.nearest(typed, every, limit=50)
