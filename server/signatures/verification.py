"""Validate every signature of a PDF with pyHanko's validator, against the configured trust
roots and the project clock. A file is accepted only when every signature is intact, chains
to a trusted root, was made at a sensible time, and the last one covers the whole file (so
nothing was added after signing); earlier signatures may be followed only by later
signatures and their form fields (pyHanko's difference analysis decides).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from server.signatures.errors import (
    ChangedAfterSigning,
    NotSigned,
    SignatureBroken,
    SignatureRefused,
    SignerNotTrusted,
    SigningTimeInvalid,
)
from shared import clock

CLOCK_SKEW = timedelta(minutes=5)  # a signer's PC clock may run a little ahead of ours
ALLOWED_AFTER = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES,
                 ModificationLevel.FORM_FILLING)


@dataclass(frozen=True)
class SignatureFacts:
    """One validated signature, as recorded and shown to people."""

    field_name: str
    signer_name: str
    subject: str
    issuer: str
    serial: str
    signing_time: datetime
    valid: bool
    summary: str


def load_trust_roots(paths: list[Path]) -> list[asn1_x509.Certificate]:
    """The CA certificates (PEM or DER, several per PEM file) the server trusts."""
    roots = []
    for path in paths:
        data = path.read_bytes()
        if pem.detect(data):
            roots += [asn1_x509.Certificate.load(der) for _t, _h, der in pem.unarmor(data, True)]
        else:
            roots.append(asn1_x509.Certificate.load(data))
    return roots


def verify_pdf(data: bytes, trust_roots: list[asn1_x509.Certificate],
               now: datetime | None = None) -> list[SignatureFacts]:
    """Every signature of ``data``, in signing order; raises a :class:`SignatureRefused`
    subclass naming the first thing wrong."""
    now = now or clock.now()
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = reader.embedded_signatures
    except (PdfReadError, Exception) as exc:  # any unreadable file is refused
        raise SignatureBroken(extra_reason=str(exc)[:200]) from exc
    if not embedded:
        raise NotSigned()
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False, moment=now,
                                revocation_mode="soft-fail")
    facts = []
    for position, signature in enumerate(embedded):
        last = position == len(embedded) - 1
        try:
            status = validate_pdf_signature(signature, context)
        except Exception as exc:  # pyHanko raises many kinds on a damaged file
            raise SignatureBroken(field=signature.field_name,
                                  extra_reason=str(exc)[:200]) from exc
        _judge(status, signature.field_name, last, now)
        facts.append(_facts(status, signature.field_name))
    return facts


def _judge(status, field: str, last: bool, now: datetime) -> None:
    if not (status.intact and status.valid):
        raise SignatureBroken(field=field)
    if last and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        raise ChangedAfterSigning(field=field)
    if not last and (status.coverage is None
                     or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION
                     or status.modification_level not in ALLOWED_AFTER):
        raise ChangedAfterSigning(field=field)
    if status.docmdp_ok is False:
        raise ChangedAfterSigning(field=field)
    if not status.trusted:
        raise SignerNotTrusted(field=field, trust_problem=str(status.trust_problem_indic))
    signed_at = status.signer_reported_dt
    cert = status.signing_cert
    if (signed_at is None or signed_at > now + CLOCK_SKEW
            or not cert.not_valid_before <= signed_at <= cert.not_valid_after):
        raise SigningTimeInvalid(field=field)


def _facts(status, field: str) -> SignatureFacts:
    cert = status.signing_cert
    subject = cert.subject.native
    return SignatureFacts(
        field_name=field, signer_name=str(subject.get("common_name", cert.subject.human_friendly)),
        subject=cert.subject.human_friendly, issuer=cert.issuer.human_friendly,
        serial=format(cert.serial_number, "X"), signing_time=status.signer_reported_dt,
        valid=bool(status.bottom_line), summary=status.summary())


__all__ = ["SignatureFacts", "SignatureRefused", "load_trust_roots", "verify_pdf"]
