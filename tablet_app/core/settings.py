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
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), "utf-8")
        os.replace(temporary, path)

    def last_page(self, doc_id: str, version: int) -> int:
        return self.last_pages.get(f"{doc_id}@{version}", 0)

    def remember_page(self, doc_id: str, version: int, page: int) -> None:
        self.last_pages[f"{doc_id}@{version}"] = page

    def is_new_version(self, doc_id: str, version: int) -> bool:
        """A version newer than the one this delegate already opened."""
        seen = self.seen_versions.get(str(doc_id))
        return seen is not None and seen < version


FOLDER_VARIABLE = "HDND_TABLET_DIR"


def data_folder() -> Path:
    """Where the app and ``hdnd-tablet`` keep this device's keys, packs and notes: the
    same folder for both, so ``hdnd-tablet join`` checks exactly what the app will use.
    ``HDND_TABLET_DIR`` moves it (``HDND_TABLET_HOME``, the app's older name, still works)."""
    chosen = os.environ.get(FOLDER_VARIABLE) or os.environ.get("HDND_TABLET_HOME")
    return Path(chosen) if chosen else Path.home() / ".hdnd-tablet"
