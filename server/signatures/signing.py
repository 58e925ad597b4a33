"""PAdES signing with pyHanko: a PKCS#12 file on the server, or a PKCS#11 token where the
signer sits. Each signature is an incremental update, so the chair, the secretary and the
office stamp sign the same file one after the other without breaking earlier signatures.

The signing time written into the signature is the project clock's (``shared.clock``),
never the machine's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from io import BytesIO
from pathlib import Path

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import PdfSigningSession

from shared import clock

FIELD_PREFIX = "ChuKySo"


class ClockedPdfSigner(signers.PdfSigner):
    """pyHanko's signer with the signing time given, not read from the machine."""

    def __init__(self, *args: object, signing_time: datetime, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False
                             ) -> PdfSigningSession:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self.signing_time
        return session


def next_field_name(data: bytes) -> str:
    """A fresh signature field name (``ChuKySo1``, ``ChuKySo2``…) for the next signer."""
    taken = {name for name, _value, _ref in fields.enumerate_sig_fields(
        PdfFileReader(BytesIO(data)), filled_status=None)}
    number = 1
    while f"{FIELD_PREFIX}{number}" in taken:
        number += 1
    return f"{FIELD_PREFIX}{number}"


def sign_bytes(data: bytes, signer: signers.Signer, *, reason: str = "",
               location: str = "", signing_time: datetime | None = None) -> bytes:
    """Add one PAdES signature to ``data`` as an incremental update and return the result."""
    meta = signers.PdfSignatureMetadata(
        field_name=next_field_name(data), subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None, location=location or None, md_algorithm="sha256")
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    pdf_signer = ClockedPdfSigner(meta, signer, signing_time=signing_time or clock.now())
    return pdf_signer.sign_pdf(writer).getvalue()


def pkcs12_signer(path: Path, passphrase: bytes | None) -> signers.SimpleSigner:
    """The signer held in a PKCS#12 file (a .p12/.pfx with its chain)."""
    signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=passphrase)
    if signer is None:
        raise ValueError(f"cannot read the PKCS#12 file {path} (wrong passphrase?)")
    return signer


@contextmanager
def pkcs11_signer(library: str, token_label: str, key_label: str,
                  pin: str | None) -> Iterator[signers.Signer]:
    """A signer whose key never leaves the token; the session closes on exit."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    session = pkcs11.open_pkcs11_session(library, token_criteria=TokenCriteria(label=token_label),
                                         user_pin=pin)
    try:
        yield pkcs11.PKCS11Signer(session, key_label=key_label, cert_label=key_label)
    finally:
        session.close()
