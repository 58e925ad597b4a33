"""Delegate import: per-row errors before anything is saved; CSV and XLSX alike."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlmodel import Session, select

from server.db import make_engine, migrate
from server.demo.seed import seed_demo
from server.errors import ValidationFailed
from server.models import Account, Person
from server.services import delegate_import
from tests.conftest import make_settings


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("import"))
    migrate(settings)
    engine = make_engine(settings)
    with Session(engine) as session:
        seed_demo(session, settings, "pw", long_document_pages=1)
        yield session
    engine.dispose()


def test_csv_rows_are_checked_one_by_one(db):
    csv = ("họ tên,email,cơ quan,vai trò\nThào A Lử,,Hội đồng nhân dân xã Y Tý,phó\n"
           ",x@y.vn,,\nLò Thị Sen,không-email,Ban Ma,\n").encode()
    rows = delegate_import.parse(db, "ds.csv", csv)
    assert [r.line for r in rows] == [2, 3, 4]
    assert rows[0].errors == []
    assert any("full_name" in e for e in rows[1].errors)
    assert any("email" in e for e in rows[2].errors) and any("Ban Ma" in e for e in rows[2].errors)
    clerk = db.exec(select(Account).where(Account.username == "clerk")).one()
    with pytest.raises(ValidationFailed):
        delegate_import.apply(db, clerk, rows)


def test_xlsx_is_read_and_saved(db):
    book = openpyxl.Workbook()
    book.active.append(["ho_ten", "chuc_vu", "co_quan"])
    book.active.append(["Sùng Thị Mai", "Trưởng thôn", "Hội đồng nhân dân xã Y Tý"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = delegate_import.parse(db, "ds.xlsx", buffer.getvalue())
    clerk = db.exec(select(Account).where(Account.username == "clerk")).one()
    assert delegate_import.apply(db, clerk, rows) == 1
    db.commit()
    assert db.exec(select(Person).where(Person.full_name == "Sùng Thị Mai")).one().is_delegate


def test_a_file_without_a_name_column_is_refused(db):
    with pytest.raises(ValidationFailed):
        delegate_import.parse(db, "ds.csv", b"email\nx@y.vn\n")
