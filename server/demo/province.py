"""``hdnd demo`` for a province: HĐND tỉnh Lào Cai over Y Tý and two more communes.

Y Tý stays the first council with its full demo (server/demo/seed.py); the province and
the other communes are small: their admin and clerk, a few delegates and one published
session each, enough to see that each council sees its own and the province's Standing
Committee reads them all. Idempotent, like the rest of the demo.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from server.demo.calendar import demo_schedule
from server.models import (
    AccountRole,
    AgendaItem,
    Body,
    BodyKind,
    Council,
    CouncilLevel,
    CouncilSession,
    Membership,
    MembershipRole,
    Person,
    SessionKind,
    SessionStatus,
)
from server.models.base import id_of, utcnow
from server.services import accounts, audit, councils
from server.tenancy import scoping

PROVINCE = ("Hội đồng nhân dân tỉnh Lào Cai", "lao-cai", "tinh")
Y_TY_SLUG = "y-ty"


@dataclass(frozen=True)
class Commune:
    name: str
    slug: str
    prefix: str  # of its usernames: "banxeo.admin"
    place: str
    delegates: tuple[str, ...]


COMMUNES = (
    Commune("Hội đồng nhân dân xã Bản Xèo", "ban-xeo", "banxeo", "Hội trường UBND xã Bản Xèo",
            ("Lò Văn Sáng", "Vàng Thị Mai", "Tẩn Láo Lở")),
    Commune("Hội đồng nhân dân xã A Mú Sung", "a-mu-sung", "amusung",
            "Hội trường UBND xã A Mú Sung", ("Chảo Láo Tả", "Lý Thị Dung", "Ma Seo Chứ")),
)
AGENDA = ("Báo cáo tình hình kinh tế - xã hội năm 2026", "Tờ trình dự toán ngân sách năm 2027",
          "Chất vấn và trả lời chất vấn")


def seed_province(db: Session, password: str) -> list[str]:
    """The province and its communes around the demo's Y Tý; the accounts made, for the summary."""
    y_ty = db.exec(select(Council).order_by(col(Council.id))).first()
    assert y_ty is not None, "seed the Y Tý demo first"
    province = db.exec(select(Council).where(Council.slug == PROVINCE[1])).first()
    if province is None:
        province = councils.add(db, councils.NewCouncil(
            name=PROVINCE[0], level=CouncilLevel.province, term_start=2026, term_end=2031,
            slug=PROVINCE[1]), f"{PROVINCE[2]}.admin", password)
        accounts.create_account(db, None, f"{PROVINCE[2]}.thuongtruc", password, AccountRole.observer,
                                reads_councils_below=False, council_id=province.id)
        db.commit()
        scoping.leave(db)
    if y_ty.parent_id is None or y_ty.slug is None:
        y_ty.parent_id, y_ty.slug = province.id, y_ty.slug or Y_TY_SLUG
        db.add(y_ty)
        db.commit()
    for commune in COMMUNES:
        if db.exec(select(Council.id).where(Council.slug == commune.slug)).first() is None:
            _commune(db, commune, password)
    reader = accounts.get_by_username(db, f"{PROVINCE[2]}.thuongtruc")
    if not reader.reads_councils_below:  # now that there are councils below to read
        reader.reads_councils_below = True
        db.add(reader)
        audit.record(db, None, "account.reads_councils_below", "account", reader.id)
        db.commit()
    return [f"{PROVINCE[2]}.admin", f"{PROVINCE[2]}.thuongtruc"] + \
        [f"{c.prefix}.{role}" for c in COMMUNES for role in ("admin", "clerk")]


def _commune(db: Session, commune: Commune, password: str) -> None:
    council = councils.add(db, councils.NewCouncil(
        name=commune.name, level=CouncilLevel.commune, term_start=2026, term_end=2031,
        slug=commune.slug, parent=PROVINCE[1]), f"{commune.prefix}.admin", password)
    plenary = db.exec(select(Body).where(Body.council_id == council.id,
                                         Body.kind == BodyKind.plenary)).one()
    office = commune.name.removeprefix("Hội đồng nhân dân ")
    clerk = Person(council_id=id_of(council), full_name=f"Công chức Văn phòng {office}",
                   position="Công chức Văn phòng HĐND và UBND xã")
    db.add(clerk)
    db.flush()
    accounts.create_account(db, None, f"{commune.prefix}.clerk", password, AccountRole.clerk,
                            person_id=id_of(clerk), council_id=council.id)
    for number, name in enumerate(commune.delegates):
        person = Person(council_id=id_of(council), full_name=name, position="Đại biểu HĐND xã",
                        is_delegate=True)
        db.add(person)
        db.flush()
        db.add(Membership(person_id=id_of(person), body_id=id_of(plenary),
                          role=MembershipRole.chair if number == 0 else MembershipRole.member))
    schedule = demo_schedule()
    session = CouncilSession(council_id=id_of(council), body_id=id_of(plenary),
                             title=schedule.session_title, kind=SessionKind.regular,
                             start_date=schedule.session_start, end_date=schedule.session_end,
                             place=commune.place, status=SessionStatus.published,
                             published_at=utcnow())
    db.add(session)
    db.flush()
    audit.record(db, None, "session.created", "session", session.id, title=session.title)
    for position, title in enumerate(AGENDA):
        db.add(AgendaItem(session_id=id_of(session), position=position, title=title))
    db.commit()
    scoping.leave(db)


def province_scope_note() -> str:
    return "/hdnd/lao-cai/, /hdnd/y-ty/, " + ", ".join(f"/hdnd/{c.slug}/" for c in COMMUNES)


