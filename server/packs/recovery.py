"""Builds whose process died: found by their free lock, failed, their leftovers removed.

``recover_interrupted_builds`` runs when the server starts (``server/app.py``);
``publish.start_build`` does the same for one session when the next build is asked
for. See ``build_lock`` for why a free lock means a dead builder.
"""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from server.config import Settings
from server.models.base import id_of
from server.models.devices import PackBuild, PackStatus
from server.packs import build_lock
from server.services import audit

log = logging.getLogger(__name__)

INTERRUPTED = ("pack_build_interrupted: Máy chủ đã dừng khi đang tạo gói tài liệu này; "
               "hãy tạo lại. / The server stopped while building this pack; build it again.")


def mark_interrupted(db: Session, build_id: int) -> bool:
    """Fail a build whose process died; only if it still says "building" (a builder that
    finished in the meantime wins)."""
    changed = db.execute(update(PackBuild).where(
        col(PackBuild.id) == build_id, col(PackBuild.status) == PackStatus.building)
        .values(status=PackStatus.failed, error=INTERRUPTED))
    if not changed.rowcount:  # type: ignore[attr-defined]
        return False
    build = db.get(PackBuild, build_id)
    if build is not None:
        db.refresh(build)
        audit.record(db, None, "pack.build_interrupted", "session", build.session_id,
                     version=build.version)
    return True


def recover_interrupted_builds(engine: Engine, settings: Settings) -> list[int]:
    """At server start: fail every build left "building" by a dead process and remove the
    unfinished files of every build that is not running. Returns the failed build ids.

    Published packs, their files and the documents a dead build had finished (already
    recorded, complete and synced) are untouched: the next build reuses them. A failure
    here is logged, never raised: the server must start for the sitting regardless, and
    ``start_build`` recovers the same builds when the next one is asked for.
    """
    try:
        return _recover(engine, settings)
    except (SQLAlchemyError, OSError):
        log.exception("could not recover interrupted pack builds")
        return []


def _recover(engine: Engine, settings: Settings) -> list[int]:
    folder = build_lock.building_dir(settings)
    interrupted = []
    with Session(engine) as db:
        for build in list(db.exec(select(PackBuild).where(
                PackBuild.status == PackStatus.building))):
            if not build_lock.is_running(folder, id_of(build)) and mark_interrupted(
                    db, id_of(build)):
                interrupted.append(id_of(build))
        db.commit()
    for build_id in build_lock.leftover_ids(folder):
        if not build_lock.is_running(folder, build_id):
            build_lock.remove_leftovers(folder, build_id)
    if interrupted:
        log.warning("pack builds %s were interrupted by a stop and are marked failed",
                    interrupted)
    return interrupted
