from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from server.models import Confidentiality, DocumentKind
from server.schemas.base import ONE_LINE, DbId, Input, Name, Output, Patch, example

# Số, ký hiệu: "125/TTr-UBND", "12/2026/NQ-HĐND"; one line, empty for none.
DocumentNumber = Annotated[str, StringConstraints(strip_whitespace=True, max_length=60,
                                                  pattern=ONE_LINE)]


class DocumentUpdate(Patch):
    nullable = frozenset({"agenda_item_id"})
    model_config = example({"title": "Tờ trình về dự toán ngân sách xã năm 2027",
                            "number": "125/TTr-UBND", "confidentiality": "public"})

    title: Name | None = None
    number: DocumentNumber | None = None
    kind: DocumentKind | None = None
    confidentiality: Confidentiality | None = None
    agenda_item_id: DbId | None = None


class DocumentWithdraw(Input):
    model_config = example({"reason": "Ủy ban nhân dân xã rút tờ trình để bổ sung số liệu."})

    reason: str = Field(min_length=1, max_length=1000)


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
    number: str = ""
    kind: DocumentKind
    confidentiality: Confidentiality
    current_version: int
    # In a published pack or on the portal: then withdrawn or replaced, never deleted.
    published: bool = False
    withdrawn_at: datetime | None = None
    withdrawn_reason: str = ""
    page_count: int = 0
    size: int = 0
    sha256: str = ""
    versions: list[VersionRead] = []
