"""What the console's scripts call: uploads with progress, agenda moves, readiness.

Cookie-authenticated and CSRF-checked (header ``X-CSRF-Token``); each handler is the
REST route's body over the same services, answering the same JSON and problem+json, so
the page shows the API's own validation messages next to each file or item.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.datastructures import UploadFile

from server.deps import SessionDep, SettingsDep, StoreDep
from server.documents.inspection import Limits
from server.documents.storage import chunks_of
from server.documents.titles import readable_title
from server.errors import ValidationFailed
from server.models import Confidentiality, DocumentKind
from server.models.base import id_of
from server.packs import freshness, readiness
from server.schemas.base import MAX_ID, ONE_LINE, PathId
from server.schemas.document import DocumentRead
from server.schemas.meeting import AgendaItemRead, AgendaMove
from server.services import documents, meetings
from server.web.auth import StaffDep, check_header_csrf

router = APIRouter(prefix="/console/api", include_in_schema=False)


def _field(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _choice(enum: type, value: str, field: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise ValidationFailed("Hãy chọn một giá trị trong danh sách.",
                               "Choose a value from the list.", field=field) from None


def _optional_id(text: str, field: str) -> int | None:
    """An id typed into a form: empty means none; anything but 1…MAX_ID in ASCII digits
    ("²", 23 digits) is refused in words instead of reaching int() or the database."""
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_ID:
        raise ValidationFailed("Mã mục chương trình không hợp lệ.",
                               "The agenda item id is not valid.", field=field)
    return int(text)


def _file(form: Any) -> UploadFile:
    file = form.get("file")
    if not isinstance(file, UploadFile):
        raise ValidationFailed("Chưa chọn tệp PDF.", "No PDF file chosen.", field="file")
    return file


def _title(form: Any, file: UploadFile) -> str:
    """The title typed for this file, or one made readable from its name."""
    title = _field(form, "title") or readable_title(file.filename)
    if len(title) > 500 or not re.fullmatch(ONE_LINE, title):
        raise ValidationFailed("Tên tài liệu phải từ 1 đến 500 ký tự, không có ký tự điều khiển.",
                               "The title must be 1 to 500 characters, with no control "
                               "characters.", field="title")
    return title


def _number(form: Any) -> str:
    number = _field(form, "number")
    if len(number) > 60 or not re.fullmatch(ONE_LINE, number):
        raise ValidationFailed("Số, ký hiệu dài tối đa 60 ký tự, không có ký tự điều khiển.",
                               "The number/symbol is at most 60 characters, with no control "
                               "characters.", field="number")
    return number


async def upload_from_form(form: Any, db: Any, store: Any, settings: Any, user: Any,
                           session_id: int, file: UploadFile) -> documents.Uploaded:
    """One file of the upload form, as the script and the no-script form both send it."""
    kind = _choice(DocumentKind, _field(form, "kind") or "other", "kind")
    level = _choice(Confidentiality, _field(form, "confidentiality") or "internal",
                    "confidentiality")
    agenda_item_id = _optional_id(_field(form, "agenda_item_id"), "agenda_item_id")
    return await documents.upload_new_document(
        db, store, user.account, meetings.get_session(db, session_id), chunks_of(file),
        settings.max_upload_bytes, Limits.of(settings), file.filename, _title(form, file), kind,
        level, agenda_item_id, number=_number(form),
        same_file_window=documents.same_file_window(settings))


@router.post("/sessions/{session_id}/documents", status_code=201)
async def upload_document(session_id: PathId, request: Request, response: Response,
                          user: StaffDep, db: SessionDep, store: StoreDep,
                          settings: SettingsDep) -> DocumentRead:
    check_header_csrf(request, user)
    form = await request.form()
    uploaded = await upload_from_form(form, db, store, settings, user, session_id, _file(form))
    if uploaded.duplicate:  # a second click: the first request's document
        response.status_code = 200
    return documents.describe(db, uploaded.document)


@router.post("/documents/{document_id}/versions", status_code=201)
async def add_version(document_id: PathId, request: Request, user: StaffDep, db: SessionDep,
                      store: StoreDep, settings: SettingsDep) -> DocumentRead:
    check_header_csrf(request, user)
    form = await request.form()
    file = _file(form)
    document = documents.get_document(db, document_id)
    await documents.upload_new_version(db, store, user.account, document, chunks_of(file),
                                       settings.max_upload_bytes, Limits.of(settings),
                                       file.filename,
                                       _field(form, "note")[:1000])
    return documents.describe(db, document)


@router.post("/agenda-items/{item_id}/move")
def move_item(item_id: PathId, data: AgendaMove, request: Request, user: StaffDep,
              db: SessionDep) -> list[AgendaItemRead]:
    check_header_csrf(request, user)
    item = meetings.get_item(db, item_id)
    meetings.move_item(db, user.account, meetings.get_session(db, item.session_id), item, data)
    db.commit()
    return meetings.agenda_tree(db, item.session_id)


@router.delete("/agenda-items/{item_id}", status_code=204)
def delete_item(item_id: PathId, request: Request, user: StaffDep, db: SessionDep) -> None:
    check_header_csrf(request, user)
    item = meetings.get_item(db, item_id)
    meetings.delete_item(db, user.account, meetings.get_session(db, item.session_id), item)
    db.commit()


@router.get("/sessions/{session_id}/readiness")
def session_readiness(session_id: PathId, user: StaffDep, db: SessionDep) -> dict[str, Any]:
    return readiness.readiness(db, meetings.get_session(db, session_id))


@router.get("/sessions/{session_id}/pack")
def session_pack(session_id: PathId, user: StaffDep, db: SessionDep) -> dict[str, Any]:
    """Build progress, the published version and whether it is older than the documents."""
    return freshness.pack_state(db, id_of(meetings.get_session(db, session_id)))
