"""Walking every route of the app with real ids: which table a path parameter names, how
to write a URL for a council's objects, and the routes themselves. Used by the
cross-council test (another council's ids answer as none) and the moving-beside test (a
moved commune's ids answer as before)."""

from __future__ import annotations

import re

from fastapi.routing import APIWebSocketRoute
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, SQLModel, select

from server.models.base import Tenanted

NEVER = 987654321

# A path parameter names the table its id is read from; where a name serves several
# tables the route's path says which (first match wins).
PARAM_TABLES: dict[str, str] = {
    "session_id": "council_session", "document_id": "document", "body_id": "body",
    "person_id": "person", "account_id": "account", "sitting_id": "sitting",
    "device_id": "device", "ballot_id": "ballot", "resolution_id": "resolution",
    "supervision_id": "supervision", "meeting_id": "voter_meeting", "case_id": "citizen_case",
    "entry_id": "register_entry", "draft_id": "minutes_draft", "question_id": "prepared_question",
    "course_id": "training_course", "target_id": "congress_target", "signature_id": "document_signature",
    "attachment_id": "followup_attachment", "notice_id": "citizen_notice", "build_id": "pack_build",
    "delegation_id": "sitting_delegation", "reminder_id": "followup_reminder",
    "prepared_id": "prepared_resolution", "event_id": "tracked_item_event",
    "code_id": "enrolment_code", "doc_id": "document", "file_id": "document",
    "organization_id": "body", "membership_id": "membership", "term_id": "council",
    "key": "document", "council_id": "council",
}
# how an id is written in a parameter, where it is not the bare number
ID_FORMATS = {"key": "document-{}"}
ITEM_TABLES = (("/theo-doi", "tracked_item"), ("/followup", "tracked_item"), ("/cong-dan", "tracked_item"),
               ("/citizens", "tracked_item"), ("/agenda", "agendaitem"), ("", "agendaitem"))
# parameters that are not ids: a plausible value (the same for both askings)
OTHER_VALUES = {"version": "1", "page": "1", "number": "1", "kind": "minutes", "lang": "vi",
                "role": "chair", "action": "thu-hoi", "step": "chuyen", "target": "published",
                "period": "h1", "receipt": "x",
                "code": "000000", "token": "x", "filename": "a.pdf", "year": "2026",
                "series": "NQ-HĐND", "state": "khoa", "status": "open", "vote_id": "v1",
                "path": "a", "name": "a", "slug": "khong-co", "fmt": "pdf", "format": "pdf"}
# where one parameter name means another table on some routes (OParl's body is the council,
# its meeting a session)
PATH_PARAM_TABLES: dict[tuple[str, str], str] = {
    ("/oparl/", "body_id"): "council", ("/oparl/", "meeting_id"): "council_session",
}


def table_for(param: str, path: str) -> str | None:
    for (part, name), table in PATH_PARAM_TABLES.items():
        if name == param and part in path:
            return table
    if param == "item_id":
        return next(table for prefix, table in ITEM_TABLES if prefix in path)
    return PARAM_TABLES.get(param)


def council_ids(db: Session, council: int, per_table: int = 3) -> dict[str, list[int]]:
    """The first ids of ``council``'s rows in every table that has them."""
    found: dict[str, list[int]] = {}
    for mapper in SQLModel._sa_registry.mappers:
        model = mapper.class_
        if not issubclass(model, Tenanted) or "id" not in mapper.columns:
            continue
        ids = db.exec(select(model.id).where(model.council_id == council)  # type: ignore[attr-defined]
                      .order_by(model.id).limit(per_table)).all()  # type: ignore[attr-defined]
        found[str(sa_inspect(model).local_table.name)] = list(ids)
    return {**found, "council": [council]}


def urls_for(route_path: str, ids: dict[str, list[int]]) -> tuple[str, str] | None:
    """(url with the demo council's ids, url with ids that never existed), or None when a
    parameter names no council object."""
    theirs, never = route_path, route_path
    for param in re.findall(r"{(\w+)(?::\w+)?}", route_path):
        pattern = re.compile(r"{" + param + r"(?::\w+)?}")
        table = table_for(param, route_path)
        if table is not None:
            existing = ids.get(table) or []
            if not existing:
                return None  # the demo holds none: nothing to ask for
            written = ID_FORMATS.get(param, "{}")
            theirs = pattern.sub(written.format(existing[0]), theirs)
            never = pattern.sub(written.format(NEVER), never)
        elif (param.endswith("_id") or param == "id") and param not in OTHER_VALUES:
            raise AssertionError(f"{route_path}: which table is {{{param}}}? add it to PARAM_TABLES")
        else:
            value = OTHER_VALUES.get(param)
            assert value is not None, f"{route_path}: a value for {{{param}}}? add it to OTHER_VALUES"
            theirs, never = pattern.sub(value, theirs), pattern.sub(value, never)
    return theirs, never


def routes(app, with_parameters_only: bool = True,
           skip: frozenset[str] | set[str] = frozenset()) -> list[tuple[str, str]]:
    """(method, path) of every HTTP route, through included routers."""
    from fastapi.routing import iter_route_contexts

    found = []
    for context in iter_route_contexts(app.routes):
        route, path = context.original_route, context.path
        if isinstance(route, APIWebSocketRoute) or not path:
            continue
        if (with_parameters_only and "{" not in path) or path in skip:
            continue
        for method in sorted(getattr(route, "methods", None) or {"GET"}):
            if method != "HEAD":
                found.append((method, path))
    return found
