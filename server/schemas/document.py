from __future__ import annotations

from datetime import datetime

from pydantic import Field

from server.models import Confidentiality, DocumentKind
from server.schemas.base import DbId, Input, Name, Output, Patch, example


class DocumentUpdate(Patch):
    nullable = frozenset({"agenda_item_id"})
    model_config = example({"confidentiality": "restricted", "title": "Báo cáo thẩm tra (mật)"})

    title: Name | None = None
    kind: DocumentKind | None = None
    confidentiality: Confidentiality | None = None
    agenda_item_id: DbId | None = None


class GrantsSet(Input):
    model_config = example({"person_ids": [4, 7, 11]})

    person_ids: list[DbId] = Field(max_length=1000)


class VersionRead(Output):
    version: int
    original_filename: str
    size: int
    page_count: int
    sha256: str
    note: str
    uploaded_at: datetime
    text_status: str = "complete"
    text_note_vi: str = ""  # e.g. "Không trích được nội dung để tìm kiếm."
    text_note_en: str = ""


class DocumentRead(Output):
    id: int
    session_id: int
    agenda_item_id: DbId | None
    title: str
    kind: DocumentKind
    confidentiality: Confidentiality
    current_version: int
    page_count: int = 0
    size: int = 0
    sha256: str = ""
    versions: list[VersionRead] = []
