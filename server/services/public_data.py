"""What the public may see: published sessions, their agenda, public documents, vote
results as each body's publication settings allow, and adopted resolutions.

One builder for both the portal's pages and its JSON feed (``/api/public/...``), so the
two can never disagree about what is public.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from server.cache import generations
from server.cache.lru import GenerationCache, Stamp
from server.errors import NotFound
from server.live.hub import SittingHub
from server.models import Body, Confidentiality, CouncilSession, Document, SessionStatus
from server.models.base import id_of
from server.models.live import Sitting
from server.services import council, documents, meetings
from server.signatures.service import public_signature, signatures_by_document
from server.tenancy import scoping
from server.tenancy.scope import Scope
from shared.live.redaction import public_state

PUBLIC_STATUSES = (SessionStatus.published, SessionStatus.in_progress, SessionStatus.closed)


def published_sessions(db: Session) -> list[dict[str, Any]]:
    bodies = {b.id: b for b in db.exec(select(Body))}
    rows = db.exec(select(CouncilSession)
                   .where(col(CouncilSession.status).in_([s.value for s in PUBLIC_STATUSES]))
                   .order_by(col(CouncilSession.start_date).desc()))
    return [_session_summary(s, bodies.get(s.body_id)) for s in rows]


def _session_summary(session: CouncilSession, body: Body | None) -> dict[str, Any]:
    return {"id": session.id, "title": session.title, "kind": session.kind,
            "status": session.status, "body": body.name if body else "",
            "start_date": session.start_date.isoformat(),
            "end_date": session.end_date.isoformat(), "place": session.place}


def public_session(db: Session, session_id: int) -> CouncilSession:
    """A session the public may see; drafts answer 404 like anything that does not exist."""
    session = meetings.get_session(db, session_id)
    if session.status not in PUBLIC_STATUSES:
        raise NotFound("Không tìm thấy kỳ họp.", "No such session.")
    return session


def public_document(db: Session, document_id: int) -> Document:
    document = documents.get_document(db, document_id)
    public_session(db, document.session_id)
    if document.confidentiality != Confidentiality.public or document.withdrawn_at is not None:
        raise NotFound("Không tìm thấy tài liệu.", "No such document.")
    return document


def _agenda(items) -> list[dict[str, Any]]:  # AgendaItemRead tree
    return [{"id": i.id, "number": i.number, "title": i.title, "presenter": i.presenter,
             "children": _agenda(i.children)} for i in items]


def _vote(vote_id: str, vote, publish_named_votes: bool) -> dict[str, Any]:  # VoteState
    result = vote.result
    labels = {o.key: (o.label_vi, o.label_en) for o in vote.options}
    # elections and confidence votes count candidates and officials: label them by name
    labels.update({c.candidate_id: (c.full_name, c.full_name)
                   for c in (*vote.candidates, *vote.officials)})
    out: dict[str, Any] = {"vote_id": vote_id, "question": vote.question, "mode": vote.mode,
                           "threshold": vote.threshold, "closed_at": vote.closed_at,
                           # the rule applied, with numbers and legal source (docs/rules.md)
                           "rule_vi": (result.rule_vi if result and result.rule_vi
                                       else vote.rule_vi),
                           "rule_en": (result.rule_en if result and result.rule_en
                                       else vote.rule_en)}
    if vote.ballot_id is not None:  # a verifiable ballot: its board, public once counted
        out["ballot_url"] = f"/bo-phieu-kin/{vote.ballot_id}"
    if result is not None:
        out.update(passed=result.passed, needed=result.needed, ballots=result.ballots,
                   members_total=result.members_total,
                   counts=[{"key": k, "label_vi": labels.get(k, (k, k))[0],
                            "label_en": labels.get(k, (k, k))[1], "count": n}
                           for k, n in result.counts.items()])
        if result.roll is not None and publish_named_votes:
            out["roll"] = {str(p): c for p, c in result.roll.items()}
    return out


def _session_parts(db: Session, session_id: int) -> tuple[dict[str, Any], Body, list[tuple[int, str]]]:
    """Everything of a public session page that the database holds (runs in a worker thread)."""
    session = public_session(db, session_id)
    body = council.get_body(db, session.body_id)
    docs = [d for d in documents.in_session(db, session_id)
            if d.confidentiality == Confidentiality.public and d.current_version > 0
            and d.withdrawn_at is None]
    signed = signatures_by_document(db, [d.id for d in docs if d.id is not None])
    sittings = [(id_of(s), s.title) for s in db.exec(
        select(Sitting).where(Sitting.session_id == session_id).order_by(col(Sitting.id)))] \
        if body.publish_vote_results else []
    detail = {**_session_summary(session, body), "council_name": council.shown_name(db),
              "agenda": _agenda(meetings.agenda_tree(db, session_id)),
              "documents": [{"id": d.id, "title": d.title, "number": d.number, "kind": d.kind,
                             "agenda_item_id": d.agenda_item_id, "version": d.current_version,
                             "url": f"/phien-hop/{session_id}/tai-lieu/{d.id}",
                             "signatures": [public_signature(s) for s in signed.get(id_of(d), [])]}
                            for d in docs],
              "votes_published": body.publish_vote_results, "votes": []}
    return detail, body, sittings


@dataclass(frozen=True)
class _PublicParts:
    """A public session page's database part, kept under the "meeting" generation."""

    detail: dict[str, Any]
    publish_named_votes: bool
    sittings: list[tuple[int, str]]


# keyed by (council, session): a portal answers only for the council its address names
_PARTS: GenerationCache[tuple[int, int], _PublicParts] = GenerationCache(capacity=512)
# Closed votes of a session's sittings, kept under the "live" generation (every live event
# moves it); keyed with the "meeting" counter, since the list of sittings is part of that.
_VOTES: GenerationCache[tuple[int, Hashable], list[dict[str, Any]]] = GenerationCache(capacity=512)


def _parts(engine: Engine, council_id: int, session_id: int) -> tuple[_PublicParts, generations.Counters]:
    """The database part in its own short session (runs in a worker thread): a request
    holding a connection while it awaits the hub starved the pool at 50 portal readers."""
    with Session(engine) as db:
        scoping.enter(db, Scope.of_council(council_id))  # another council's session: 404
        counters = generations.current(db)
        found = _PARTS.get((council_id, session_id), counters.stamp(generations.MEETING))
        if found is None:
            detail, body, sittings = _session_parts(db, session_id)
            found = _PublicParts(detail, body.publish_named_votes, sittings)
            if generations.may_store(db):
                _PARTS.put((council_id, session_id), counters.stamp(generations.MEETING), found)
        return found, counters


@dataclass(frozen=True)
class PublicSessionView:
    detail: dict[str, Any]
    stamp: Stamp  # what the detail was read at: a page rendered from it is kept under it


async def session_detail(engine: Engine, hub: SittingHub, council_id: int,
                         session_id: int) -> dict[str, Any]:
    return (await session_view(engine, hub, council_id, session_id)).detail


async def session_view(engine: Engine, hub: SittingHub, council_id: int,
                       session_id: int) -> PublicSessionView:
    """A public session's page data, of the council the portal's address names; from
    memory with no thread or query when it can be (the portal page is one of the hot
    reads, docs/operations.md)."""
    fresh = generations.fresh(engine)
    cached = None if fresh is None else _PARTS.get((council_id, session_id),
                                                   fresh.stamp(generations.MEETING))
    if fresh is not None and cached is not None:
        parts, counters = cached, fresh
    else:
        parts, counters = await run_in_threadpool(_parts, engine, council_id, session_id)
    meeting, live = counters.stamp(generations.MEETING), counters.stamp(generations.LIVE)
    votes_key = (session_id, meeting[1])
    votes = _VOTES.get(votes_key, live)
    if votes is None:  # counters read before the hub: a newer vote is never kept as older
        votes = []
        for sitting_id, title in parts.sittings:
            state, _events = await hub.current(sitting_id)
            for vote_id, vote in public_state(state).votes.items():
                if vote.status == "closed":
                    votes.append({**_vote(vote_id, vote, parts.publish_named_votes),
                                  "sitting": title})
        _VOTES.put(votes_key, live, votes)
    detail = {**parts.detail, "votes": list(votes)}  # the cached dict is shared: never changed
    return PublicSessionView(detail, (counters.database, (meeting[1], live[1])))


def resolutions(db: Session) -> list[dict[str, Any]] | None:
    """Adopted resolutions with the follow-up of their tasks; None if that part is absent."""
    try:
        from server.followup.bodies import public_resolutions
    except ImportError:  # the follow-up tracker is not installed on this server
        return None
    return [r.model_dump(mode="json") for r in public_resolutions(db, year=None)]


def signed_file(db: Session, document_id: int | None) -> dict[str, Any] | None:
    """A public, signed document's download link and signatures (a resolution's signed
    text on the portal); None when it is not public or not signed."""
    if document_id is None:
        return None
    try:
        document = public_document(db, document_id)
    except NotFound:
        return None
    signatures = signatures_by_document(db, [document_id]).get(document_id, [])
    if not signatures or document.current_version < 1:
        return None
    return {"url": f"/phien-hop/{document.session_id}/tai-lieu/{document_id}",
            "signatures": [public_signature(s) for s in signatures]}
