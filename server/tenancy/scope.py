"""Which councils a caller may read and the one it may write."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from server.models import Council


@dataclass(frozen=True)
class Scope:
    """``reads``: the councils whose rows the caller may see; ``writes``: the one council
    whose rows it may add or change (None: it may write nothing, as a province reader
    looking at a commune)."""

    reads: frozenset[int]
    writes: int | None

    @classmethod
    def of_council(cls, council_id: int) -> Scope:
        return cls(frozenset({council_id}), council_id)

    @property
    def home(self) -> int:
        """The council the caller belongs to (or the portal serves)."""
        if self.writes is not None:
            return self.writes
        return min(self.reads)


def councils_below(db: Session, council_id: int) -> frozenset[int]:
    """Every council under ``council_id``, at any depth (a province's communes).

    Read in a session of its own: the caller's session may be scoped, and a scope does
    not see the councils it is about to be given."""
    found: set[int] = set()
    frontier = {council_id}
    with Session(db.get_bind()) as tree:
        while frontier:
            children = set(tree.exec(select(Council.id)
                                     .where(col(Council.parent_id).in_(frontier))).all())
            frontier = {c for c in children if c is not None} - found - {council_id}
            found |= frontier
    return frozenset(found)


def default_council_id(db: Session) -> int | None:
    """The installation's first council: the one a single-council installation has, and
    the one a deployment answers for when an address names no council."""
    return db.exec(select(Council.id).order_by(col(Council.id))).first()
