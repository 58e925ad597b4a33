from __future__ import annotations

from pydantic import EmailStr, Field

from server.models import AccountRole, BodyKind, CouncilLevel, MembershipRole
from server.schemas.base import ONE_LINE, DbId, Input, Name, Output, Patch, example


class CouncilRead(Output):
    id: int
    name: str
    level: CouncilLevel
    term_start: int
    term_end: int


class BodyCreate(Input):
    model_config = example(
        {
            "name": "Ban Dân tộc",
            "kind": "committee",
            "quorum_numerator": 2,
            "quorum_denominator": 3,
        }
    )

    name: Name
    kind: BodyKind
    quorum_numerator: int = Field(default=2, ge=1, le=100)
    quorum_denominator: int = Field(default=3, ge=1, le=100)
    publish_named_votes: bool = False
    publish_vote_results: bool = True


class BodyUpdate(Patch):
    model_config = example({"publish_named_votes": True})

    name: Name | None = None
    quorum_numerator: int | None = Field(default=None, ge=1, le=100)
    quorum_denominator: int | None = Field(default=None, ge=1, le=100)
    publish_named_votes: bool | None = None
    publish_vote_results: bool | None = None


class BodyRead(Output):
    id: int
    council_id: int
    name: str
    kind: BodyKind
    quorum_numerator: int
    quorum_denominator: int
    publish_named_votes: bool
    publish_vote_results: bool
    member_count: int = 0


class PersonCreate(Input):
    model_config = example(
        {
            "full_name": "Giàng Thị Dợ",
            "position": "Phó Trưởng Ban Pháp chế",
            "is_delegate": True,
        }
    )

    full_name: Name
    position: str = Field(default="", max_length=300, pattern=ONE_LINE)
    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=40, pattern=r"^[0-9 +().-]*$")
    is_delegate: bool = False


class PersonUpdate(Patch):
    nullable = frozenset({"email", "phone"})
    model_config = example({"position": "Trưởng Ban Pháp chế HĐND xã"})

    full_name: Name | None = None
    position: str | None = Field(default=None, max_length=300, pattern=ONE_LINE)
    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=40, pattern=r"^[0-9 +().-]*$")
    is_delegate: bool | None = None


class PersonRead(Output):
    id: int
    full_name: str
    position: str
    is_delegate: bool


class PersonDetail(PersonRead):
    email: str | None
    phone: str | None


class MembershipSet(Input):
    model_config = example({"person_id": 12, "role": "member"})

    person_id: DbId
    role: MembershipRole = MembershipRole.member


class MemberRead(Output):
    person_id: DbId
    full_name: str
    position: str
    role: MembershipRole


class AccountCreate(Input):
    model_config = example(
        {
            "username": "thuky2",
            "password": "doi-mat-khau-ngay",
            "role": "clerk",
            "person_id": 30,
        }
    )

    username: str = Field(min_length=2, max_length=64, pattern=r"^[a-z0-9_.-]+$")
    password: str = Field(min_length=4, max_length=200)
    role: AccountRole
    person_id: DbId | None = None
    # a province role: also reads (never writes) every council under the caller's own
    reads_councils_below: bool = False


class AccountRead(Output):
    id: int
    username: str
    role: AccountRole
    person_id: DbId | None
    is_active: bool
    reads_councils_below: bool = False


class PasswordChange(Input):
    model_config = example({"password": "mat-khau-moi-2026"})

    password: str = Field(min_length=4, max_length=200)


class MeRead(Output):
    id: int
    username: str
    role: AccountRole
    person: PersonRead | None
    member_of: list[int]
