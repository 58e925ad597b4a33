from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from server.deps import CurrentPrincipal, SessionDep, SettingsDep, SourceDep, ThrottleDep
from server.routes.common import problems
from server.schemas.base import Input, example
from server.schemas.council import MeRead, PasswordChange, PersonRead
from server.services import accounts, auth
from server.services.council import get_person

router = APIRouter(prefix="/auth", tags=["auth"])


class TokenPair(BaseModel):
    access_token: str = Field(examples=["q8V…"])
    refresh_token: str = Field(examples=["Zt1…"])
    token_type: str = Field(default="bearer", examples=["bearer"])
    expires_in: int = Field(examples=[900])


class RefreshRequest(Input):
    model_config = example({"refresh_token": "Zt1Xq…"})

    refresh_token: str = Field(min_length=10, max_length=200)


@router.post("/token", response_model=TokenPair, responses=problems(401, 429),
             summary="Sign in with username and password (OAuth2 password form)")
def sign_in(form: Annotated[OAuth2PasswordRequestForm, Depends()], db: SessionDep,
            settings: SettingsDep, throttle: ThrottleDep, source: SourceDep) -> TokenPair:
    issued = auth.sign_in(db, form.username, form.password, settings, throttle, source)
    return TokenPair(access_token=issued.access_token, refresh_token=issued.refresh_token,
                     expires_in=issued.expires_in)


@router.post("/refresh", response_model=TokenPair, responses=problems(401),
             summary="Exchange a refresh token for new tokens (rotates the refresh token)")
def refresh(body: RefreshRequest, db: SessionDep, settings: SettingsDep) -> TokenPair:
    issued = auth.refresh(db, body.refresh_token, settings)
    return TokenPair(access_token=issued.access_token, refresh_token=issued.refresh_token,
                     expires_in=issued.expires_in)


@router.post("/logout", status_code=204, responses=problems(401),
             summary="Sign out: revokes this sign-in's access and refresh tokens")
def logout(principal: CurrentPrincipal, db: SessionDep, request: Request) -> None:
    auth.sign_out(db, principal.account, request.state.token_family)


@router.get("/me", response_model=MeRead, responses=problems(401), summary="Who am I")
def me(principal: CurrentPrincipal, db: SessionDep) -> MeRead:
    person = get_person(db, principal.person_id) if principal.person_id else None
    return MeRead(id=principal.account.id, username=principal.account.username,
                  role=principal.role,
                  person=PersonRead.model_validate(person) if person else None,
                  member_of=sorted(principal.member_of))


@router.post("/password", status_code=204, responses=problems(401, 422),
             summary="Change my own password (signs out everywhere)")
def change_password(body: PasswordChange, principal: CurrentPrincipal, db: SessionDep) -> None:
    accounts.set_password(db, principal.account, principal.account, body.password)
    db.commit()
