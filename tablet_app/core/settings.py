"""The app's own preferences and reading places, in one small JSON file.

Nothing secret lives here (keys and documents are in the key store and the packs): the
language, text size, dark mode, the server address, which sessions to sync, the last
page read per document and the document versions already opened (for the "new version"
mark). Written atomically so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Literal

Language = Literal["vi", "en"]
SETTINGS_FILE = "settings.json"


@dataclass
class AppSettings:
    language: Language = "vi"
    text_scale: float = 1.0  # 0.8 .. 1.6
    dark_mode: bool = False
    dark_page: str = "dim"  # the document's page in dark mode: "paper", "dim" or "invert"
    server_url: str = ""
    sessions: list[str] = field(default_factory=list)
    last_pages: dict[str, int] = field(default_factory=dict)  # "doc@version" -> 0-based page
    seen_versions: dict[str, int] = field(default_factory=dict)  # doc id -> version opened
    carried: dict[str, int] = field(default_factory=dict)  # "doc@version" -> carried from
    # the commune's move beside other councils these ids were last renamed for (its ISO
    # time as the server gave it: a later move sorts after)
    renumbered_at: str = ""

    @classmethod
    def load(cls, folder: str | os.PathLike[str]) -> AppSettings:
        path = Path(folder) / SETTINGS_FILE
        try:
            data = json.loads(path.read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def save(self, folder: str | os.PathLike[str]) -> None:
        path = Path(folder) / SETTINGS_FILE
        if path.exists() and AppSettings.load(folder).renumbered_at > self.renumbered_at:
            self.reload(folder)  # renamed on disk for a later move meanwhile: its ids win
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), "utf-8")
        os.replace(temporary, path)

    def reload(self, folder: str | os.PathLike[str]) -> None:
        """Read the file again into this object, which the screens share."""
        for name, value in vars(AppSettings.load(folder)).items():
            setattr(self, name, value)

    def renumber(self, offsets: dict[str, int], stamp: str) -> None:
        """The sessions and documents named here, as numbered after the commune moved
        (tablet_app/core/renumbering.py); once per move, whatever happens in between."""
        if not stamp or self.renumbered_at == stamp:
            return
        session, document = offsets.get("council_session", 0), offsets.get("document", 0)
        self.sessions = [_shifted(sid, session) for sid in self.sessions]
        self.last_pages = {_shifted_at(key, document): page
                           for key, page in self.last_pages.items()}
        self.seen_versions = {_shifted(doc, document): version
                              for doc, version in self.seen_versions.items()}
        self.carried = {_shifted_at(key, document): version
                        for key, version in self.carried.items()}
        self.renumbered_at = stamp

    def last_page(self, doc_id: str, version: int) -> int:
        return self.last_pages.get(f"{doc_id}@{version}", 0)

    def remember_page(self, doc_id: str, version: int, page: int) -> None:
        self.last_pages[f"{doc_id}@{version}"] = page

    def is_new_version(self, doc_id: str, version: int) -> bool:
        """A version newer than the one this delegate already opened."""
        seen = self.seen_versions.get(str(doc_id))
        return seen is not None and seen < version


def _shifted(number: str, offset: int) -> str:
    return str(int(number) + offset) if number.isdigit() else number


def _shifted_at(key: str, offset: int) -> str:
    """``"doc@version"`` with the document's new number."""
    doc, at, version = key.partition("@")
    return _shifted(doc, offset) + at + version


FOLDER_VARIABLE = "HDND_TABLET_DIR"


def data_folder() -> Path:
    """Where the app and ``hdnd-tablet`` keep this device's keys, packs and notes: the
    same folder for both, so ``hdnd-tablet join`` checks exactly what the app will use.
    ``HDND_TABLET_DIR`` moves it (``HDND_TABLET_HOME``, the app's older name, still works)."""
    chosen = os.environ.get(FOLDER_VARIABLE) or os.environ.get("HDND_TABLET_HOME")
    return Path(chosen) if chosen else Path.home() / ".hdnd-tablet"
