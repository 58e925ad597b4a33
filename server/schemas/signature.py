"""What the API says about digital signatures."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from server.schemas.base import Input, example
from server.signatures.service import SignerRole


class SignatureRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    position: int
    field_name: str
    signer_name: str
    subject: str
    issuer: str
    serial: str
    signing_time: datetime
    valid: bool
    summary: str


class SignedVersionRead(BaseModel):
    document_id: int
    version: int
    sha256: str
    signatures: list[SignatureRead]


class SignRequest(Input):
    """Whose configured key signs: the session's chair, its secretary, or the office stamp."""

    model_config = example({"signer": "chair"})

    signer: SignerRole
