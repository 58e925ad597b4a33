"""Base classes for API schemas: unknown fields are refused, not silently dropped."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

MAX_ID = 2_147_483_647  # ids are 32-bit on every database we run on
DbId = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]

ONE_LINE = r"^[^\x00-\x1f\x7f-\x9f]*$"
"""No control characters (C0, DEL, C1) in names and titles: they show as nothing, break
lines in lists and exports, and let one name look like another."""
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
"""Free text: line breaks and tabs allowed, other control characters not."""

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300,
                                        pattern=ONE_LINE)]
LongText = Annotated[str, StringConstraints(max_length=5000, pattern=MULTI_LINE)]


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
