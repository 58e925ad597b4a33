"""The annotation backup is readable only with the phrase, and restores onto a new device."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tablet_app.core.annotation_backup import (
    WeakPhrase,
    WrongPhraseOrDamaged,
    restore_backup,
    seal_backup,
)
from tablet_app.core.annotation_store import AnnotationStore
from tablet_app.core.annotations import Note, Stroke

PHRASE = "mùa lúa chín 2026"


def test_backup_restores_onto_a_replacement_device_and_hides_the_text(tmp_path: Path) -> None:
    old = AnnotationStore(tmp_path / "old", os.urandom(32))
    with old.open("17", 2) as journal:
        journal.layer.add(Stroke(page=1, points=((10, 10), (50, 60))),
                          Note(page=3, point=(100, 200), text="Hỏi lại về vốn đối ứng"))
    blob = seal_backup(old, PHRASE)
    assert "vốn đối ứng".encode() not in blob and b"Stroke" not in blob

    new = AnnotationStore(tmp_path / "new", os.urandom(32))  # another key: a new tablet
    assert restore_backup(new, blob, PHRASE) == 2
    assert restore_backup(new, blob, PHRASE) == 0  # twice is harmless
    with new.open("17", 2) as journal:
        notes = [m for m in journal.layer.marks() if m.kind == "note"]
        assert [n.text for n in notes] == ["Hỏi lại về vốn đối ứng"]
        assert len(journal.layer.marks()) == 2


def test_a_wrong_phrase_a_short_phrase_or_a_changed_byte_is_refused(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path, os.urandom(32))
    with store.open("5", 1) as journal:
        journal.layer.add(Stroke(page=0, points=((1, 1), (2, 2))))
    with pytest.raises(WeakPhrase):
        seal_backup(store, "1234")
    blob = seal_backup(store, PHRASE)
    with pytest.raises(WrongPhraseOrDamaged):
        restore_backup(store, blob, "mùa lúa chín 2025")
    damaged = bytearray(blob)
    damaged[-5] ^= 1
    with pytest.raises(WrongPhraseOrDamaged):
        restore_backup(store, bytes(damaged), PHRASE)
