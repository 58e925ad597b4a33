"""Base classes for API schemas: unknown fields are refused, not silently dropped."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MAX_ID = 2_147_483_647  # ids are 32-bit on every database we run on
DbId = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
LongText = Annotated[str, StringConstraints(max_length=5000)]


def example(fields: dict) -> ConfigDict:
    """Config of an input schema with an example for /openapi.json."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [fields]})


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)
