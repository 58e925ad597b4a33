"""The deployment's councils: adding one under a province, finding one by its address.

A province runs one deployment for its own council and the communes under it
(docs/architecture.md, "Councils as tenants"); ``hdnd council add`` comes here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from server.errors import Conflict, Invalid, NotFound
from server.models import Account, AccountRole, Body, BodyKind, Council, CouncilLevel
from server.models.base import id_of
from server.services import accounts, audit
from server.tenancy import scoping
from server.tenancy.scope import Scope

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class BadCouncilSlug(Invalid):
    code = "bad_council_slug"
    message_vi = "Địa chỉ của HĐND chỉ gồm chữ thường không dấu, số và dấu gạch ngang (vd. y-ty)."
    message_en = "A council's address is lower-case letters without marks, digits and hyphens (e.g. y-ty)."


class CouncilSlugTaken(Conflict):
    code = "council_slug_taken"
    message_vi = "Địa chỉ này đã có HĐND khác dùng."
    message_en = "Another council already has this address."


class UnknownCouncil(NotFound):
    code = "unknown_council_ref"
    message_vi = "Không có HĐND này (hãy ghi địa chỉ hoặc số hiệu; xem: hdnd council list)."
    message_en = "No such council (give its address or number; see: hdnd council list)."


class CouncilRequired(Invalid):
    code = "council_required"
    message_vi = "Triển khai này có nhiều HĐND: hãy ghi rõ --council."
    message_en = "This deployment holds several councils: name one with --council."


class NoCouncilToJoin(Invalid):
    code = "no_council_yet"
    message_vi = "Chưa có HĐND nào: hãy chạy hdnd council add trước (hoặc hdnd demo)."
    message_en = "No council yet: run hdnd council add first (or hdnd demo)."


@dataclass(frozen=True)
class NewCouncil:
    name: str
    level: CouncilLevel
    term_start: int
    term_end: int
    slug: str
    parent: str | None = None  # the province's address or number
    portal_host: str | None = None


def find(db: Session, ref: str) -> Council:
    """A council by its address (slug) or its number."""
    council = db.exec(select(Council).where(Council.slug == ref)).first()
    if council is None and ref.isdigit():
        council = db.get(Council, int(ref))
    if council is None:
        raise UnknownCouncil(ref=ref)
    return council


def for_new_account(db: Session, ref: str | None) -> int:
    """The council an account made from the CLI belongs to: the one named, else the only one."""
    if ref:
        return id_of(find(db, ref))
    ids = db.exec(select(Council.id).limit(2)).all()
    if not ids:
        raise NoCouncilToJoin()
    if len(ids) > 1:
        raise CouncilRequired()
    return int(ids[0] or 0)


def add(db: Session, new: NewCouncil, admin_username: str | None = None,
        admin_password: str | None = None) -> Council:
    """The council, its plenary body and (optionally) its first admin, each audited on the
    new council's own chain. The caller commits."""
    if not SLUG.match(new.slug):
        raise BadCouncilSlug(field="slug")
    host = new.portal_host.lower() if new.portal_host else None
    taken = db.exec(select(Council.id).where(Council.slug == new.slug)).first()
    if host and taken is None:
        taken = db.exec(select(Council.id).where(col(Council.portal_host) == host)).first()
    if taken is not None:
        raise CouncilSlugTaken(slug=new.slug)
    parent = find(db, new.parent) if new.parent else None
    council = Council(name=new.name, level=new.level, term_start=new.term_start, term_end=new.term_end,
                      slug=new.slug, portal_host=host, parent_id=parent.id if parent else None)
    db.add(council)
    db.flush()
    scoping.enter(db, Scope.of_council(id_of(council)))  # what follows is the new council's
    audit.record(db, None, "council.added", "council", council.id, name=council.name,
                 slug=council.slug, parent_id=council.parent_id)
    db.add(Body(council_id=id_of(council), name=council.name, kind=BodyKind.plenary))
    if admin_username:
        accounts.create_account(db, None, admin_username, admin_password or "", AccountRole.admin,
                                council_id=id_of(council))
    db.flush()
    return council


class CouncilLoop(Invalid):
    code = "council_loop"
    message_vi = "Không thể đặt một HĐND dưới chính nó hoặc dưới HĐND cấp dưới của nó."
    message_en = "A council cannot be placed under itself or under a council below it."


@dataclass(frozen=True)
class CouncilChange:
    """What ``hdnd council set`` changes; None: unchanged. ``parent=""``: no parent."""

    parent: str | None = None
    slug: str | None = None
    portal_host: str | None = None
    name: str | None = None


def change(db: Session, ref: str, what: CouncilChange) -> Council:
    """Place a council under its province, give it an address or a name: a commune moved
    up from its own server (``hdnd import``) joins the province this way. Audited on the
    council's own chain; the caller commits."""
    council = find(db, ref)
    before = {"parent_id": council.parent_id, "slug": council.slug,
              "portal_host": council.portal_host, "name": council.name}
    if what.slug is not None and what.slug != council.slug:
        if not SLUG.match(what.slug):
            raise BadCouncilSlug(field="slug")
        if db.exec(select(Council.id).where(Council.slug == what.slug)).first() is not None:
            raise CouncilSlugTaken(slug=what.slug)
        council.slug = what.slug
    if what.portal_host is not None:
        host = what.portal_host.lower() or None
        if host and db.exec(select(Council.id).where(col(Council.portal_host) == host,
                                                     Council.id != council.id)).first():
            raise CouncilSlugTaken(slug=host)
        council.portal_host = host
    if what.parent is not None:
        parent = find(db, what.parent) if what.parent else None
        if parent is not None and _is_below_or_same(db, id_of(parent), id_of(council)):
            raise CouncilLoop()
        council.parent_id = parent.id if parent else None
    if what.name:
        council.name = what.name
    db.add(council)
    db.flush()
    after = {"parent_id": council.parent_id, "slug": council.slug,
             "portal_host": council.portal_host, "name": council.name}
    changed = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    if changed:
        scoping.enter(db, Scope.of_council(id_of(council)))
        audit.record(db, None, "council.changed", "council", council.id, **changed)
        scoping.leave(db)
    return council


def _is_below_or_same(db: Session, candidate: int, council: int) -> bool:
    """Whether ``candidate`` is ``council`` or one of the councils under it."""
    seen: set[int] = set()
    current: int | None = candidate
    while current is not None and current not in seen:
        if current == council:
            return True
        seen.add(current)
        current = db.exec(select(Council.parent_id).where(Council.id == current)).first()
    return False


def tree(db: Session) -> list[tuple[int, Council, int]]:
    """Every council as (depth, council, accounts), a province before its communes."""
    every = list(db.exec(select(Council).order_by(col(Council.id))))
    counts: dict[int, int] = {}
    for council_id in db.exec(select(Account.council_id)):
        if council_id is not None:
            counts[council_id] = counts.get(council_id, 0) + 1
    children: dict[int | None, list[Council]] = {}
    for council in every:
        children.setdefault(council.parent_id, []).append(council)
    out: list[tuple[int, Council, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for council in children.get(parent, []):
            out.append((depth, council, counts.get(id_of(council), 0)))
            walk(council.id, depth + 1)

    walk(None, 0)
    return out
