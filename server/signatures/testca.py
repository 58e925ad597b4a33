"""A local test CA and signer certificates for the demo and the tests.

Every name carries "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ – CHỨNG THƯ THỬ NGHIỆM": these certificates
prove nothing in law (only a licensed CA's certificate does, docs/signatures.md). The server
trusts this CA only when its certificate is listed in ``HDND_SIGNATURE_TRUST_ROOTS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from shared import clock
from shared.secret_file import write_secret_once

NOT_LEGAL = "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ – CHỨNG THƯ THỬ NGHIỆM"
CA_NAME = "CA thử nghiệm HĐND điện tử"
DEMO_SIGNERS = {  # file stem -> (common name, title)
    "chair": ("Chủ tọa kỳ họp (thử nghiệm)", "Chủ tịch HĐND"),
    "secretary": ("Thư ký kỳ họp (thử nghiệm)", "Thư ký kỳ họp"),
    "office": ("Văn phòng HĐND-UBND xã (dấu thử nghiệm)", "Văn phòng"),
    "token": ("Người ký bằng USB token (thử nghiệm)", "Chủ tịch HĐND"),
}


@dataclass(frozen=True)
class TestCa:
    """The CA's key and certificate, able to issue signer certificates."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


@dataclass(frozen=True)
class IssuedSigner:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    def pkcs12(self, ca: TestCa, passphrase: bytes, name: str) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            name.encode(), self.key, self.certificate, [ca.certificate],
            serialization.BestAvailableEncryption(passphrase))


def _name(common: str, title: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
             x509.NameAttribute(NameOID.ORGANIZATION_NAME, NOT_LEGAL),
             x509.NameAttribute(NameOID.COMMON_NAME, common)]
    if title:
        parts.insert(2, x509.NameAttribute(NameOID.TITLE, title))
    return x509.Name(parts)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def create_ca(years: int = 5) -> TestCa:
    """A self-signed CA valid from yesterday (by the project clock) for ``years`` years."""
    key, now = _key(), clock.now()
    name = _name(CA_NAME)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256()))
    return TestCa(key, cert)


def issue_signer(ca: TestCa, common_name: str, title: str | None = None,
                 years: int = 2, key: rsa.RSAPrivateKey | None = None) -> IssuedSigner:
    """A document-signing certificate (non-repudiation) issued by the test CA."""
    key, now = key or _key(), clock.now()
    cert = (x509.CertificateBuilder().subject_name(_name(common_name, title))
            .issuer_name(ca.certificate.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION,
                                                  ExtendedKeyUsageOID.CLIENT_AUTH]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca.key.public_key()), critical=False)
            .sign(ca.key, hashes.SHA256()))
    return IssuedSigner(key, cert)


@dataclass(frozen=True)
class DemoCertificates:
    folder: Path
    ca_pem: Path
    pkcs12: dict[str, Path]
    passphrase: str


def write_demo(folder: Path, passphrase: str = "demo") -> DemoCertificates:
    """Write ``ca.pem``, one ``<role>.p12`` per demo signer (with ``<role>.p12.passphrase``),
    and the token signer's ``token-key.pem``/``token-cert.pem`` to import into a token."""
    if (folder / "ca.pem").exists():
        raise FileExistsError(f"{folder / 'ca.pem'} exists: keep it or choose another folder")
    folder.mkdir(parents=True, exist_ok=True)
    ca = create_ca()
    ca_pem = folder / "ca.pem"
    ca_pem.write_bytes(ca.pem())
    write_secret_once(folder / "ca-key.pem", ca.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    files: dict[str, Path] = {}
    for role, (common, title) in DEMO_SIGNERS.items():
        signer = issue_signer(ca, common, title)
        if role == "token":
            write_secret_once(folder / "token-key.pem", signer.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption()))
            (folder / "token-cert.pem").write_bytes(
                signer.certificate.public_bytes(serialization.Encoding.PEM))
            continue
        path = folder / f"{role}.p12"
        write_secret_once(path, signer.pkcs12(ca, passphrase.encode(), role))
        write_secret_once(Path(f"{path}.passphrase"), passphrase.encode())
        files[role] = path
    return DemoCertificates(folder, ca_pem, files, passphrase)
