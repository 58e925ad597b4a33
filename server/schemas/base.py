"""Base classes for API schemas: unknown fields are refused, not silently dropped."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

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


class Patch(Input):
    """A partial update: a field left out is unchanged; ``null`` only where it means "clear".

    Without this, ``{"name": null}`` would reach a NOT NULL column and fail as a 500.
    """

    nullable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _no_null_for_required_columns(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key, value in data.items():
                if value is None and key in cls.model_fields and key not in cls.nullable:
                    raise ValueError(f"'{key}' cannot be null; leave it out to keep it unchanged")
        return data


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)
