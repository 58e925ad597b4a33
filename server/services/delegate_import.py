"""Importing delegates from a CSV or XLSX file: a preview with per-row errors first,
then, only when the clerk confirms and no row has an error, the people and memberships.

Columns (Vietnamese or English header, any order): ``ho_ten``/``full_name`` (required),
``chuc_vu``/``position``, ``email``, ``dien_thoai``/``phone``, ``co_quan``/``bodies``
(body names separated by ``;``), ``vai_tro``/``role`` (``member``, ``chair``,
``vice_chair``; Vietnamese ``thành viên``, ``trưởng``, ``phó``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlmodel import Session, select

from server.errors import ValidationFailed
from server.models import Account, Body, MembershipRole
from server.schemas.council import PersonCreate
from server.services import council

MAX_ROWS = 2000
HEADERS = {"ho_ten": "full_name", "họ tên": "full_name", "full_name": "full_name",
           "chuc_vu": "position", "chức vụ": "position", "position": "position",
           "email": "email", "dien_thoai": "phone", "điện thoại": "phone", "phone": "phone",
           "co_quan": "bodies", "cơ quan": "bodies", "bodies": "bodies",
           "vai_tro": "role", "vai trò": "role", "role": "role"}
ROLES = {"": MembershipRole.member, "member": MembershipRole.member,
         "thành viên": MembershipRole.member, "chair": MembershipRole.chair,
         "trưởng": MembershipRole.chair, "vice_chair": MembershipRole.vice_chair,
         "phó": MembershipRole.vice_chair}


class UnreadableFile(ValidationFailed):
    code = "import_unreadable"
    message_vi = "Không đọc được tệp: hãy dùng CSV (UTF-8) hoặc XLSX có dòng tiêu đề."
    message_en = "The file cannot be read: use CSV (UTF-8) or XLSX with a header row."


@dataclass
class ImportRow:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)


def _rows_of(filename: str, content: bytes) -> list[list[str]]:
    if filename.lower().endswith(".xlsx"):
        import openpyxl

        try:
            sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True,
                                           data_only=True).active
        except Exception as exc:  # any damaged workbook is the same answer
            raise UnreadableFile(field="file") from exc
        return [["" if v is None else str(v).strip() for v in row]
                for row in sheet.iter_rows(values_only=True)]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(field="file") from exc
    dialect = csv.excel_tab if text.count("\t") > text.count(",") else csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def parse(db: Session, filename: str, content: bytes) -> list[ImportRow]:
    """Every data row with what is wrong with it; nothing is saved."""
    table = [r for r in _rows_of(filename, content) if any(r)]
    if not table:
        raise UnreadableFile(field="file")
    columns = [HEADERS.get(h.strip().lower()) for h in table[0]]
    if "full_name" not in columns:
        raise ValidationFailed("Thiếu cột «ho_ten» (họ tên).", "The 'full_name' column is missing.",
                               field="file")
    if len(table) - 1 > MAX_ROWS:
        raise ValidationFailed(f"Tối đa {MAX_ROWS} dòng.", f"At most {MAX_ROWS} rows.",
                               field="file")
    return [check(db, number, {c: v for c, v in zip(columns, raw, strict=False) if c})
            for number, raw in enumerate(table[1:], start=2)]


def check(db: Session, line: int, values: dict[str, str]) -> ImportRow:
    row = ImportRow(line, {k: values.get(k, "") for k in
                           ("full_name", "position", "email", "phone", "bodies", "role")})
    try:
        _person(row.values)
    except ValidationError as exc:
        for error in exc.errors():
            field_name = ".".join(str(p) for p in error["loc"])
            row.errors.append(f"{field_name}: {error['msg']}")
    bodies = {b.name.lower(): b for b in db.exec(select(Body))}
    for name in _body_names(row.values):
        if name.lower() not in bodies:
            row.errors.append(f"Không có cơ quan «{name}» / no body named '{name}'")
    if row.values["role"].strip().lower() not in ROLES:
        row.errors.append(f"Vai trò không hợp lệ «{row.values['role']}» / unknown role")
    return row


def _person(values: dict[str, str]) -> PersonCreate:
    return PersonCreate(full_name=values["full_name"], position=values["position"],
                        email=values["email"] or None, phone=values["phone"] or None,
                        is_delegate=True)


def _body_names(values: dict[str, str]) -> list[str]:
    return [n.strip() for n in values.get("bodies", "").split(";") if n.strip()]


def apply(db: Session, actor: Account, rows: list[ImportRow]) -> int:
    """Save the rows (all or none); the caller commits. Refuses if any row has an error."""
    if not rows or any(r.errors for r in rows):
        raise ValidationFailed("Còn dòng có lỗi; hãy sửa tệp rồi nhập lại.",
                               "Some rows have errors; fix the file and import again.",
                               field="file")
    bodies = {b.name.lower(): b for b in db.exec(select(Body))}
    for row in rows:
        person = council.create_person(db, actor, _person(row.values))
        role = ROLES[row.values["role"].strip().lower()]
        for name in _body_names(row.values):
            council.set_membership(db, actor, bodies[name.lower()], person, role)
    return len(rows)
