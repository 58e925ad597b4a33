"""Is the delegates' pack as new as the session's documents? What the console shows under
"Gói tài liệu": the build under way with its progress, the version published, and whether
documents were uploaded, retitled, withdrawn or deleted, or the session's title, date or
place changed, after that version was built (then one button rebuilds)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from server.models import CouncilSession, Document, DocumentVersion
from server.models.devices import PackBuild, PackStatus
from server.packs.publish import describe_build


def pack_state(db: Session, session_id: int) -> dict[str, Any]:
    """{"building": build or None, "published": build or None, "stale": bool, "newest_upload"}."""
    builds = list(db.exec(select(PackBuild).where(PackBuild.session_id == session_id)
                          .order_by(col(PackBuild.version).desc())))
    building = next((b for b in builds if b.status == PackStatus.building), None)
    published = next((b for b in builds if b.status == PackStatus.published), None)
    failed = builds[0] if builds and builds[0].status == PackStatus.failed else None
    newest = db.exec(select(func.max(DocumentVersion.uploaded_at))
                     .join(Document, col(Document.id) == DocumentVersion.document_id)
                     .where(Document.session_id == session_id)).one()
    # a version uploaded after the build started may have missed it: say so
    stale = published is not None and (
        (newest is not None and newest > published.created_at)
        or _differs(db, session_id, published))
    return {"building": describe_build(building) if building else None,
            "published": describe_build(published) if published else None,
            "failed": describe_build(failed) if failed else None,
            "stale": stale, "newest_upload": newest}


def _differs(db: Session, session_id: int, published: PackBuild) -> bool:
    """The published manifest no longer says what the session and its documents say."""
    if not published.manifest:
        return False
    manifest = json.loads(published.manifest).get("manifest", {})
    session = db.get(CouncilSession, session_id)
    info = manifest.get("session", {})
    if session is None or (info.get("title"), info.get("date"), info.get("place")) != (
            session.title, session.start_date.isoformat(), session.place):
        return True
    listed = {(d["id"], d["version"], d["title"]) for d in manifest.get("documents", [])}
    current = {(str(d.id), d.current_version, d.title) for d in db.exec(select(Document).where(
        Document.session_id == session_id, col(Document.current_version) >= 1,
        col(Document.withdrawn_at).is_(None)))}
    return listed != current
