"""A read-only API of the public data modelled on OParl 1.1 (https://oparl.org/spezifikation/),
so that other council-information systems, newsrooms and the province can read ours.

Mapping: the council is the OParl ``Body``; its bodies (Standing Committee, committees,
delegate groups) are ``Organization``; published sessions are ``Meeting`` with their
``AgendaItem``; public documents of published sessions and published resolutions are
``Paper``; a public document's current PDF is a ``File``; delegates are ``Person`` (name
and position only: never e-mail, phone or account). Everything is built from the same
rules as the portal (``server.services.public_data``): drafts, restricted documents, internal
follow-up and complaints never appear. Objects carry OParl ``id`` URLs and ``type`` URIs;
lists are paged with ``pagination`` and ``links``.
"""

from __future__ import annotations

from collections.abc import Callable
from math import ceil
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from server.errors import NotFound
from server.models import (
    AgendaItem,
    Body,
    Confidentiality,
    Council,
    CouncilSession,
    Document,
    DocumentKind,
    DocumentVersion,
    Membership,
    Person,
    SessionStatus,
)
from server.models.base import id_of, saved_ids
from server.models.followup import Resolution
from server.services import meetings
from server.signatures.service import public_signature, signatures_by_document

SCHEMA = "https://schema.oparl.org/1.1/"
PAGE_SIZE = 50
PUBLIC_STATUSES = (SessionStatus.published, SessionStatus.in_progress, SessionStatus.closed)

MEETING_STATE = {SessionStatus.published: "scheduled", SessionStatus.in_progress: "running",
                 SessionStatus.closed: "finished"}
PAPER_TYPE = {DocumentKind.submission: "Tờ trình", DocumentKind.report: "Báo cáo",
              DocumentKind.review_report: "Báo cáo thẩm tra",
              DocumentKind.draft_resolution: "Dự thảo nghị quyết",
              DocumentKind.other: "Tài liệu"}
ORGANIZATION_TYPE = {"plenary": "Hội đồng nhân dân", "standing_committee": "Thường trực HĐND",
                     "committee": "Ban của HĐND", "delegate_group": "Tổ đại biểu"}


def _type(name: str) -> str:
    return f"{SCHEMA}{name}"


def _missing() -> NotFound:
    return NotFound("Không tìm thấy đối tượng công khai này.", "No such public object.")


class OParl:
    """Builds OParl objects for one request's base URL (``http://host/api/oparl/v1``)."""

    def __init__(self, db: Session, site: str) -> None:
        self.db = db
        self.site = site.rstrip("/")
        self.base = f"{self.site}/api/oparl/v1"

    def url(self, *parts: object) -> str:
        return "/".join([self.base, *(str(p) for p in parts)])

    # --- lists --------------------------------------------------------------------------

    def page(self, path: str, query, page: int,  # a select()
             build: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
        total = int(self.db.exec(select(func.count()).select_from(query.subquery())).one())
        rows = self.db.exec(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
        return self.envelope(path, [build(r) for r in rows], total, page)

    def envelope(self, path: str, data: list[dict[str, Any]], total: int,
                 page: int) -> dict[str, Any]:
        """An OParl list: the page's objects, ``pagination`` and ``links``."""
        pages = max(1, ceil(total / PAGE_SIZE))
        link = f"{self.url(path)}?page="
        links = {"first": f"{link}1", "last": f"{link}{pages}", "self": f"{link}{page}"}
        if page > 1:
            links["prev"] = f"{link}{min(page - 1, pages)}"
        if page < pages:
            links["next"] = f"{link}{page + 1}"
        return {"data": data,
                "pagination": {"totalElements": total, "elementsPerPage": PAGE_SIZE,
                               "currentPage": page, "totalPages": pages},
                "links": links}

    # --- system and body ----------------------------------------------------------------

    def system(self) -> dict[str, Any]:
        council = self.db.exec(select(Council).order_by(col(Council.id))).first()
        return {"id": self.url("system"), "type": _type("System"), "oparlVersion": SCHEMA,
                "body": self.url("body"), "name": council.name if council else "HĐND điện tử",
                "website": f"{self.site}/", "product": "HĐND điện tử (hdnd)",
                "vendor": "https://github.com/", "contactName": "Văn phòng HĐND-UBND",
                "license": "https://creativecommons.org/licenses/by/4.0/"}

    def bodies(self, page: int) -> dict[str, Any]:
        return self.page("body", select(Council).order_by(col(Council.id)), page, self.body)

    def body_by_id(self, body_id: int) -> dict[str, Any]:
        council = self.db.get(Council, body_id)
        if council is None:
            raise _missing()
        return self.body(council)

    def body(self, council: Council) -> dict[str, Any]:
        short = council.name.replace("Hội đồng nhân dân", "HĐND")
        return {"id": self.url("body", council.id), "type": _type("Body"),
                "system": self.url("system"), "name": council.name, "shortName": short,
                "website": f"{self.site}/",
                "organization": self.url("organization"), "person": self.url("person"),
                "meeting": self.url("meeting"), "paper": self.url("paper"),
                "legislativeTerm": [self.term(council)],
                "created": council.created_at.isoformat(),
                "modified": council.created_at.isoformat()}

    def term(self, council: Council) -> dict[str, Any]:
        return {"id": self.url("legislativeTerm", council.id), "type": _type("LegislativeTerm"),
                "body": self.url("body", council.id),
                "name": f"Nhiệm kỳ {council.term_start}–{council.term_end}",
                "startDate": f"{council.term_start}-01-01",
                "endDate": f"{council.term_end}-12-31"}

    def term_by_id(self, council_id: int) -> dict[str, Any]:
        council = self.db.get(Council, council_id)
        if council is None:
            raise _missing()
        return self.term(council)

    # --- organizations and people -------------------------------------------------------

    def organizations(self, page: int) -> dict[str, Any]:
        return self.page("organization", select(Body).order_by(col(Body.id)), page,
                         self.organization)

    def organization_by_id(self, body_id: int) -> dict[str, Any]:
        body = self.db.get(Body, body_id)
        if body is None:
            raise _missing()
        return self.organization(body)

    def organization(self, body: Body) -> dict[str, Any]:
        return {"id": self.url("organization", body.id), "type": _type("Organization"),
                "body": self.url("body", body.council_id), "name": body.name,
                "organizationType": ORGANIZATION_TYPE.get(body.kind, body.kind),
                "classification": str(body.kind)}

    def _delegates(self):  # a select()
        return select(Person).where(col(Person.is_delegate).is_(True)).order_by(col(Person.id))

    def people(self, page: int) -> dict[str, Any]:
        return self.page("person", self._delegates(), page, self.person)

    def person_by_id(self, person_id: int) -> dict[str, Any]:
        person = self.db.get(Person, person_id)
        if person is None or not person.is_delegate:
            raise _missing()  # only delegates are public persons
        return self.person(person)

    def person(self, person: Person) -> dict[str, Any]:
        # Name and position only: a delegate's e-mail and phone are not published here.
        memberships = self.db.exec(select(Membership).where(Membership.person_id == person.id)
                                   .order_by(col(Membership.id))).all()
        return {"id": self.url("person", person.id), "type": _type("Person"),
                "body": self.url("body", person.council_id), "name": person.full_name,
                "title": [person.position] if person.position else [],
                "membership": [self.membership(m) for m in memberships]}

    def membership_by_id(self, membership_id: int) -> dict[str, Any]:
        membership = self.db.get(Membership, membership_id)
        person = self.db.get(Person, membership.person_id) if membership else None
        if membership is None or person is None or not person.is_delegate:
            raise _missing()  # a membership is public only as part of a public person
        return self.membership(membership)

    def membership(self, membership: Membership) -> dict[str, Any]:
        return {"id": self.url("membership", membership.id), "type": _type("Membership"),
                "person": self.url("person", membership.person_id),
                "organization": self.url("organization", membership.body_id),
                "role": str(membership.role)}

    # --- meetings and agenda ------------------------------------------------------------

    def _public_sessions(self):  # a select()
        return (select(CouncilSession)
                .where(col(CouncilSession.status).in_([s.value for s in PUBLIC_STATUSES]))
                .order_by(col(CouncilSession.start_date).desc(), col(CouncilSession.id)))

    def _public_session(self, session_id: int) -> CouncilSession:
        session = self.db.get(CouncilSession, session_id)
        if session is None or session.status not in PUBLIC_STATUSES:
            raise _missing()
        return session

    def meetings(self, page: int) -> dict[str, Any]:
        return self.page("meeting", self._public_sessions(), page, self.meeting)

    def meeting_by_id(self, session_id: int) -> dict[str, Any]:
        return self.meeting(self._public_session(session_id))

    def meeting(self, session: CouncilSession) -> dict[str, Any]:
        tree = meetings.agenda_tree(self.db, id_of(session))
        return {"id": self.url("meeting", session.id), "type": _type("Meeting"),
                "name": session.title, "meetingState": MEETING_STATE[session.status],
                "cancelled": False, "start": session.start_date.isoformat(),
                "end": session.end_date.isoformat(),
                "location": {"description": session.place} if session.place else None,
                "organization": [self.url("organization", session.body_id)],
                "agendaItem": [self.agenda_item(session, i) for i in _flatten(tree)],
                "auxiliaryFile": [self.file(d, v) for d, v in self._files(id_of(session))],
                "web": f"{self.site}/phien-hop/{session.id}",
                "created": session.created_at.isoformat()}

    def agenda_item(self, session: CouncilSession, item) -> dict[str, Any]:
        return {"id": self.url("agendaItem", item.id), "type": _type("AgendaItem"),
                "meeting": self.url("meeting", session.id), "number": item.number,
                "order": item.position, "name": item.title, "public": True,
                "auxiliaryFile": [self.url("file", d) for d in item.document_ids
                                  if self._public_document(d) is not None]}

    def agenda_item_by_id(self, item_id: int) -> dict[str, Any]:
        row = self.db.get(AgendaItem, item_id)
        if row is None:
            raise _missing()
        session = self._public_session(row.session_id)
        found = next((i for i in _flatten(meetings.agenda_tree(self.db, id_of(session)))
                      if i.id == item_id), None)
        if found is None:
            raise _missing()
        return self.agenda_item(session, found)

    # --- papers and files ---------------------------------------------------------------

    def _public_document(self, document_id: int) -> tuple[Document, DocumentVersion] | None:
        document = self.db.get(Document, document_id)
        if (document is None or document.confidentiality != Confidentiality.public
                or document.current_version < 1 or document.withdrawn_at is not None):
            return None
        session = self.db.get(CouncilSession, document.session_id)
        if session is None or session.status not in PUBLIC_STATUSES:
            return None
        version = self.db.exec(select(DocumentVersion).where(
            DocumentVersion.document_id == document_id,
            DocumentVersion.version == document.current_version)).first()
        return (document, version) if version is not None else None

    def _files(self, session_id: int) -> list[tuple[Document, DocumentVersion]]:
        ids = saved_ids(self.db.exec(select(Document.id).where(Document.session_id == session_id)
                                     .order_by(col(Document.id))).all())
        return [found for d in ids if (found := self._public_document(d)) is not None]

    def file_by_id(self, document_id: int) -> dict[str, Any]:
        found = self._public_document(document_id)
        if found is None:
            raise _missing()
        return self.file(*found)

    def file(self, document: Document, version: DocumentVersion) -> dict[str, Any]:
        download = f"{self.site}/phien-hop/{document.session_id}/tai-lieu/{document.id}"
        signatures = signatures_by_document(self.db, [id_of(document)]).get(id_of(document), [])
        extra = ({"hdnd:signatures": [public_signature(s) for s in signatures]}
                 if signatures else {})
        return {**extra, "id": self.url("file", document.id), "type": _type("File"),
                "name": document.title, "fileName": f"tai-lieu-{document.id}.pdf",
                "mimeType": "application/pdf", "size": version.size,
                "sha256Checksum": version.sha256, "accessUrl": download,
                "downloadUrl": download, "date": version.uploaded_at.date().isoformat(),
                "meeting": [self.url("meeting", document.session_id)]}

    def papers(self, page: int) -> dict[str, Any]:
        """Public documents of published sessions, then published resolutions."""
        documents = [found for d in saved_ids(self.db.exec(select(Document.id)
                                                             .order_by(col(Document.id))).all())
                     if (found := self._public_document(d)) is not None]
        resolutions = self.db.exec(select(Resolution).where(col(Resolution.public).is_(True))
                                   .order_by(col(Resolution.id))).all()
        everything = ([self.document_paper(*d) for d in documents]
                      + [self.resolution_paper(r) for r in resolutions])
        start = (page - 1) * PAGE_SIZE
        return self.envelope("paper", everything[start:start + PAGE_SIZE], len(everything),
                             page)

    def paper_by_key(self, key: str) -> dict[str, Any]:
        kind, _, raw = key.partition("-")
        if not raw.isdigit() or len(raw) > 12:
            raise _missing()
        if kind == "document":
            found = self._public_document(int(raw))
            if found is not None:
                return self.document_paper(*found)
        elif kind == "resolution":
            resolution = self.db.get(Resolution, int(raw))
            if resolution is not None and resolution.public:
                return self.resolution_paper(resolution)
        raise _missing()

    def document_paper(self, document: Document, version: DocumentVersion) -> dict[str, Any]:
        return {"id": self.url("paper", f"document-{document.id}"), "type": _type("Paper"),
                "body": self.url("body", self._council_id()), "name": document.title,
                **({"reference": document.number} if document.number else {}),
                "paperType": PAPER_TYPE.get(document.kind, "Tài liệu"),
                "date": version.uploaded_at.date().isoformat(),
                "mainFile": self.file(document, version)}

    def resolution_paper(self, resolution: Resolution) -> dict[str, Any]:
        # the signed resolution itself, when its document is public: the Paper's main File
        found = (self._public_document(resolution.document_id)
                 if resolution.document_id is not None else None)
        main = {"mainFile": self.file(*found)} if found is not None else {}
        return {**main, "id": self.url("paper", f"resolution-{resolution.id}"),
                "type": _type("Paper"),
                "body": self.url("body", self._council_id()), "name": resolution.title,
                "reference": resolution.number, "paperType": "Nghị quyết",
                "date": resolution.adopted_on.isoformat(),
                "web": f"{self.site}/theo-doi/nghi-quyet#nq-{resolution.id}"}

    def _council_id(self) -> int:
        council_id = self.db.exec(select(Council.id).order_by(col(Council.id))).first()
        return int(council_id or 0)


def _flatten(items) -> list:  # AgendaItemRead tree
    out = []
    for item in items:
        out.append(item)
        out.extend(_flatten(item.children))
    return out
