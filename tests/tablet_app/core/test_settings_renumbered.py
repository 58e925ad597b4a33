"""The app's settings after the commune moved beside other councils: the sessions chosen
to sync, the last page read and the versions opened name the new numbers, once per move,
and a screen holding the settings from before cannot write the old numbers back."""

from __future__ import annotations

from pathlib import Path

from tablet_app.core.settings import AppSettings

OFFSETS = {"council_session": 100, "document": 1000}
STAMP = "2026-12-07T02:00:00+00:00"


def _before(folder: Path) -> AppSettings:
    settings = AppSettings(sessions=["3", "4"], seen_versions={"17": 2})
    settings.remember_page("17", 2, 5)
    settings.carried["17@2"] = 1
    settings.save(folder)
    return settings


def test_the_ids_are_renamed_once_per_move(tmp_path: Path) -> None:
    settings = _before(tmp_path)
    settings.renumber(OFFSETS, STAMP)
    settings.renumber(OFFSETS, STAMP)  # told twice (the acknowledgement was lost)
    assert settings.sessions == ["103", "104"]
    assert settings.last_page("1017", 2) == 5 and settings.last_page("17", 2) == 0
    assert settings.seen_versions == {"1017": 2} and settings.carried == {"1017@2": 1}
    settings.renumber({"council_session": 7, "document": 7}, "")  # no move named: nothing
    assert settings.sessions == ["103", "104"]


def test_a_screen_holding_the_old_numbers_cannot_write_them_back(tmp_path: Path) -> None:
    held_by_the_screens = _before(tmp_path)
    on_disk = AppSettings.load(tmp_path)  # what tablet_app/core/renumbering.py does
    on_disk.renumber(OFFSETS, STAMP)
    on_disk.save(tmp_path)
    held_by_the_screens.remember_page("17", 2, 9)
    held_by_the_screens.save(tmp_path)  # the move on disk wins; the screens take it
    assert held_by_the_screens.sessions == ["103", "104"]
    assert AppSettings.load(tmp_path).last_page("1017", 2) == 5
    held_by_the_screens.remember_page("1017", 2, 9)
    held_by_the_screens.save(tmp_path)
    assert AppSettings.load(tmp_path).last_page("1017", 2) == 9
