"""The yearly document register (sổ đăng ký văn bản đi): one row per number given.

Nghị định 30/2020/NĐ-CP, Điều 15 khoản 1: numbers run in the order of issue within a year,
from 01 on 1 January to 31 December, and a number with its symbol is unique in the year.
The unique key (year, series, number) is what keeps two clerks from giving the same
number; (series, subject) keeps one document from taking two numbers.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.base import Tenanted, UTCDateTime, utcnow


class RegisterEntry(Tenanted, SQLModel, table=True):
    __tablename__ = "register_entry"
    # numbers run per council (each council has its own register: migration 0026)
    __table_args__ = (UniqueConstraint("council_id", "year", "series", "number",
                                       name="uq_register_entry_council_number"),
                      UniqueConstraint("council_id", "series", "subject",
                                       name="uq_register_entry_council_subject"))

    id: int | None = Field(default=None, primary_key=True)
    council_id: int | None = Field(default=None, foreign_key="council.id", index=True)
    year: int = Field(index=True)  # Vietnam's calendar year when the number was given
    series: str = Field(max_length=40)  # the symbol after the number: "BB-HĐND"
    number: int
    # What the number was given to, as the clerk reads it ("Biên bản phiên họp ...").
    given_to: str = Field(max_length=500)
    # The document in the system that owns it ("sitting:12:minutes"); None for a number
    # the clerk reserved by hand for a paper document.
    subject: str | None = Field(default=None, max_length=120)
    issued_on: date
    reserved_by_account_id: int | None = Field(default=None, foreign_key="account.id")
    reserved_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
