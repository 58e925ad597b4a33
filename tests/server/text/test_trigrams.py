"""Our trigram similarity is PostgreSQL's: SQLite then proposes the same near-spellings."""

from __future__ import annotations

from fractions import Fraction

import psycopg
import pytest

from server.text.trigrams import THRESHOLD, nearest, similarity, trigrams
from tests.conftest import fresh_pg_database

PAIRS = [("sach", "sahc"), ("ngan", "ngna"), ("nuoc", "nuoc"), ("lut", "luot"),
         ("chai", "chaii"), ("aaaa", "aaaaaaaa"), ("thon", "thong"), ("y", "yte"),
         ("nghiep", "ngiep"), ("2026", "2025"), ("xa", "xaa"), ("quyet", "quyte")]


def test_trigrams_are_padded_as_pg_trgm_pads_them() -> None:
    assert trigrams("cat") == {"  c", " ca", "cat", "at "}
    assert similarity("sach", "sach") == 1
    assert similarity("sach", "xyz") == 0


def test_nearest_keeps_the_threshold_and_orders_ties_alphabetically() -> None:
    words = ["sach", "sich", "sacj", "sahc", "nuoc", "sac"]
    found = nearest("sacx", words, limit=10)
    assert found == sorted(found, key=lambda w: (-similarity("sacx", w), w))
    assert all(similarity("sacx", w) >= THRESHOLD for w in found)
    assert "nuoc" not in found and "sacx" not in nearest("sacx", ["sacx"])


@pytest.mark.postgres
def test_the_same_numbers_as_postgresql() -> None:
    with fresh_pg_database("trigrams") as url, psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for a, b in PAIRS:
            theirs = conn.execute("SELECT similarity(%s, %s)", (a, b)).fetchone()[0]
            assert float(similarity(a, b)) == pytest.approx(theirs, abs=1e-6), (a, b)
            assert isinstance(similarity(a, b), Fraction)
