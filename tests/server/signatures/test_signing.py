"""PAdES signing and verification with pyHanko, the test CA, a SoftHSM2 token and pdfsig."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from server.signatures import signing, testca, verification
from server.signatures.errors import (
    ChangedAfterSigning,
    NotSigned,
    SignatureBroken,
    SignerNotTrusted,
)
from shared import clock
from tests.server.signatures.conftest import Token, make_pdf

# half an hour before the suite's clock (the test CA's certificates start a day before it)
SIGNED_AT = (clock.now() - timedelta(minutes=30)).replace(microsecond=0)


def _p12(demo: testca.DemoCertificates, role: str):
    return signing.pkcs12_signer(demo.pkcs12[role], demo.passphrase.encode())


def _roots(demo: testca.DemoCertificates) -> list:
    return verification.load_trust_roots([demo.ca_pem])


def _two_signers(demo: testca.DemoCertificates) -> bytes:
    chair = signing.sign_bytes(make_pdf(), _p12(demo, "chair"), reason="Chủ tọa ký",
                               signing_time=SIGNED_AT)
    return signing.sign_bytes(chair, _p12(demo, "secretary"), signing_time=SIGNED_AT)


def test_the_test_ca_says_it_is_not_legally_valid(demo_certs) -> None:
    from cryptography import x509

    ca = x509.load_pem_x509_certificate(demo_certs.ca_pem.read_bytes())
    assert testca.NOT_LEGAL in ca.subject.rfc4514_string()
    assert "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in testca.NOT_LEGAL


def test_pyhanko_validator_finds_each_signature_intact_and_trusted(demo_certs) -> None:
    signed = _two_signers(demo_certs)
    reader = PdfFileReader(__import__("io").BytesIO(signed))
    context = ValidationContext(trust_roots=_roots(demo_certs), allow_fetching=False,
                                revocation_mode="soft-fail", moment=clock.now())
    statuses = [validate_pdf_signature(s, context) for s in reader.embedded_signatures]
    assert len(statuses) == 2
    assert all(s.intact and s.valid and s.trusted for s in statuses)
    # the signing time written is the one given (the project clock's), not the machine's
    assert all(s.signer_reported_dt == SIGNED_AT for s in statuses)


def test_verify_reports_signers_in_order(demo_certs) -> None:
    office = signing.sign_bytes(_two_signers(demo_certs), _p12(demo_certs, "office"),
                                signing_time=SIGNED_AT)
    facts = verification.verify_pdf(office, _roots(demo_certs))
    assert [f.signer_name for f in facts] == ["Chủ tọa kỳ họp (thử nghiệm)",
                                              "Thư ký kỳ họp (thử nghiệm)",
                                              "Văn phòng HĐND-UBND xã (dấu thử nghiệm)"]
    assert all(f.valid and f.signing_time == SIGNED_AT for f in facts)
    assert "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in facts[0].issuer


def test_signing_time_defaults_to_the_project_clock(demo_certs) -> None:
    at = (clock.now() + timedelta(hours=2)).replace(microsecond=0)
    with clock.using(clock.FrozenClock(at)):
        signed = signing.sign_bytes(make_pdf(), _p12(demo_certs, "chair"))
        assert verification.verify_pdf(signed, _roots(demo_certs))[0].signing_time == at


def test_a_byte_changed_copy_is_refused(demo_certs) -> None:
    signed = bytearray(_two_signers(demo_certs))
    # change one byte of the page content that the first signature covers
    stream = signed.find(b"stream", 200)
    signed[stream + 20] ^= 0x01
    with pytest.raises(SignatureBroken):
        verification.verify_pdf(bytes(signed), _roots(demo_certs))


def test_content_appended_after_signing_is_refused(demo_certs) -> None:
    import pymupdf

    signed = _two_signers(demo_certs)
    document = pymupdf.open(stream=signed, filetype="pdf")
    document[0].insert_text((72, 300), "Điều 3 thêm sau khi ký")
    changed = document.tobytes(incremental=False)
    with pytest.raises((ChangedAfterSigning, SignatureBroken)):
        verification.verify_pdf(changed, _roots(demo_certs))
    appended = signed + b"\n% trailing text after the signature\n"
    with pytest.raises(ChangedAfterSigning):
        verification.verify_pdf(appended, _roots(demo_certs))


def test_unsigned_and_untrusted_files_are_refused(demo_certs, tmp_path: Path) -> None:
    with pytest.raises(NotSigned):
        verification.verify_pdf(make_pdf(), _roots(demo_certs))
    other = testca.write_demo(tmp_path / "other-ca")
    foreign = signing.sign_bytes(make_pdf(), signing.pkcs12_signer(other.pkcs12["chair"],
                                                                   b"demo"))
    with pytest.raises(SignerNotTrusted):
        verification.verify_pdf(foreign, _roots(demo_certs))
    with pytest.raises(SignerNotTrusted):  # the test CA counts only when configured
        verification.verify_pdf(_two_signers(demo_certs), [])


def test_hdnd_sign_with_a_softhsm_token(demo_certs, softhsm_token: Token,
                                        tmp_path: Path) -> None:
    source = tmp_path / "nghi-quyet.pdf"
    source.write_bytes(_two_signers(demo_certs))
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "sign", str(source), "--pkcs11-lib",
         str(softhsm_token.library), "--token-label", softhsm_token.label, "--key-label",
         softhsm_token.key_label, "--pin", softhsm_token.pin],
        env=softhsm_token.env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    signed = tmp_path / "nghi-quyet-da-ky.pdf"
    facts = verification.verify_pdf(signed.read_bytes(), _roots(demo_certs))
    assert [f.signer_name for f in facts][-1] == "Người ký bằng USB token (thử nghiệm)"
    assert len(facts) == 3 and all(f.valid for f in facts)


def test_hdnd_sign_with_a_wrong_pin_fails_clearly(softhsm_token: Token, tmp_path: Path) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(make_pdf())
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "sign", str(source), "--pkcs11-lib",
         str(softhsm_token.library), "--token-label", softhsm_token.label, "--key-label",
         softhsm_token.key_label, "--pin", "000000"],
        env=softhsm_token.env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Không ký được" in result.stderr
    assert not (tmp_path / "a-da-ky.pdf").exists()


def _nss_db_trusting(ca_pem: Path, folder: Path) -> Path:
    folder.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{folder}", "--empty-password"], check=True,
                   capture_output=True, timeout=60)
    subprocess.run(["certutil", "-A", "-d", f"sql:{folder}", "-n", "hdnd-test-ca", "-t",
                    "CT,C,C", "-i", str(ca_pem)], check=True, capture_output=True, timeout=60)
    return folder


def test_pdfsig_lists_the_signatures_as_valid(demo_certs, softhsm_token: Token,
                                              tmp_path: Path) -> None:
    """A second reader (poppler's pdfsig) sees the chair's, the secretary's and the token
    signer's signatures and, with the test CA in its NSS database, calls each valid and
    trusted."""
    if shutil.which("pdfsig") is None:
        pytest.fail("pdfsig (poppler-utils) is not installed")
    if shutil.which("certutil") is None:
        pytest.fail("certutil (libnss3-tools) is not installed")
    with signing.pkcs11_signer(str(softhsm_token.library), softhsm_token.label,
                               softhsm_token.key_label, softhsm_token.pin) as token:
        signed = signing.sign_bytes(_two_signers(demo_certs), token, signing_time=SIGNED_AT)
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    nss = _nss_db_trusting(demo_certs.ca_pem, tmp_path / "nss")
    result = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True,
                            text=True, timeout=60)
    out = result.stdout
    assert all(f"Signature #{n}" in out for n in (1, 2, 3)), out
    for name in ("Chủ tọa kỳ họp (thử nghiệm)", "Thư ký kỳ họp (thử nghiệm)",
                 "Người ký bằng USB token (thử nghiệm)"):
        assert name in out, out
    assert out.count("Signature Validation: Signature is Valid.") == 3, out
    assert out.count("Certificate Validation: Certificate is Trusted.") == 3, out
    # the changed copy: pdfsig agrees that the first signature no longer matches
    changed = bytearray(signed)
    changed[changed.find(b"stream", 200) + 20] ^= 0x01
    path.write_bytes(bytes(changed))
    broken = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(path)],
                            capture_output=True, text=True, timeout=60).stdout
    assert "Signature Validation: Digest Mismatch." in broken, broken


def test_hdnd_certs_demo_writes_marked_certificates_once(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.serialization import pkcs12

    out = tmp_path / "demo"
    first = subprocess.run([sys.executable, "-m", "server.cli", "certs", "demo", "--out",
                            str(out)], capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in first.stdout
    assert "HDND_SIGNATURE_TRUST_ROOTS" in first.stdout
    _key, cert, _chain = pkcs12.load_key_and_certificates((out / "chair.p12").read_bytes(),
                                                          b"demo")
    assert testca.NOT_LEGAL in cert.subject.rfc4514_string()
    assert (out / "chair.p12").stat().st_mode & 0o777 == 0o600
    again = subprocess.run([sys.executable, "-m", "server.cli", "certs", "demo", "--out",
                            str(out)], capture_output=True, text=True, timeout=120)
    assert again.returncode == 1 and "ca.pem" in again.stderr  # never overwritten
