"""Which pack builds are really running: an OS file lock per build, held by its process.

A ``pack_build`` row says "building" from the moment the clerk asks for a pack until it
is published or fails. If the process running the build dies (power cut, out of memory,
``kill -9``, a restart), nothing would ever change that row, and the next build of the
session would be refused. The lock tells the truth instead: the kernel drops the
``flock`` of a dead process at once. So:

* ``reserve`` takes the new build's lock before its row is committed, and the process
  holds it (in ``_held``) until ``run_build`` ends, published or failed;
* a "building" row whose lock anyone can take has no living builder: it is marked
  failed ("interrupted") and its unfinished files are removed, by ``start_build`` when
  the next build of that session is asked for, and for every session when the server
  starts (``recovery.recover_interrupted_builds``).

Every worker of one server shares ``var/`` and so the locks; nothing here assumes the
rows and the files are on the same machine as anything else. A build that hangs (but
lives) keeps its lock: restart the server to recover it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from server.config import Settings


def building_dir(settings: Settings) -> Path:
    """``<id>.lock`` and the ``<id>/`` folder of unfinished files, per build."""
    return settings.data_dir / "packs" / "building"


def work_dir(settings: Settings, build_id: int) -> Path:
    """Where a build writes files before they are complete; renamed into the blobs."""
    return building_dir(settings) / str(build_id)


@dataclass
class BuildLock:
    path: Path
    fd: int

    @classmethod
    def try_acquire(cls, folder: Path, build_id: int) -> BuildLock | None:
        """The build's lock, or None if a living process holds it."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{build_id}.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        return cls(path, fd)

    def release(self) -> None:
        # Unlink first, then unlock: whoever opens the name afterwards gets a fresh file,
        # and the rows' status (updated before this) says the build is over anyway.
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        os.close(self.fd)


_held: dict[tuple[str, int], BuildLock] = {}
_guard = threading.Lock()


def _key(folder: Path, build_id: int) -> tuple[str, int]:
    return (str(folder.resolve()), build_id)


def reserve(folder: Path, build_id: int) -> None:
    """Take a new build's lock for this process (``take`` hands it to the builder)."""
    with _guard:
        # Still held here only if the transaction that reserved this id was rolled back
        # (the database may hand the id out again): that reservation is void.
        stale = _held.pop(_key(folder, build_id), None)
    if stale is not None:
        stale.release()
    lock = BuildLock.try_acquire(folder, build_id)
    if lock is None:  # a build id is new: only a leftover of another database could hold it
        raise RuntimeError(f"pack build {build_id} is locked by another process")
    with _guard:
        _held[_key(folder, build_id)] = lock


def take(folder: Path, build_id: int) -> BuildLock | None:
    """The lock to run a build under: the one ``reserve`` took in this process, or a
    fresh one; None if another living process holds it (then it is running there)."""
    with _guard:
        lock = _held.pop(_key(folder, build_id), None)
    return lock or BuildLock.try_acquire(folder, build_id)


def is_running(folder: Path, build_id: int) -> bool:
    """True while a living process (this one included) holds the build's lock."""
    with _guard:
        if _key(folder, build_id) in _held:
            return True
    lock = BuildLock.try_acquire(folder, build_id)
    if lock is None:
        return True
    lock.release()
    return False


def remove_leftovers(folder: Path, build_id: int) -> None:
    """The unfinished files of a build that is over (finished, failed or dead)."""
    shutil.rmtree(folder / str(build_id), ignore_errors=True)


def leftover_ids(folder: Path) -> set[int]:
    """Build ids with a lock file or a work folder under ``folder``."""
    if not folder.is_dir():
        return set()
    ids = set()
    for entry in folder.iterdir():
        stem = entry.name.removesuffix(".lock")
        if stem.isdigit():
            ids.add(int(stem))
    return ids
