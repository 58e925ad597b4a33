from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    schema_version: str = Field(examples=["0001"])


@router.get("/health", response_model=Health, summary="Server health and schema version")
def health(request: Request) -> Health:
    return Health(status="ok", schema_version=request.app.state.schema_version)
