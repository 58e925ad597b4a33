"""A test CA (not legally valid), plain PDFs, a SoftHSM2 token, and a server that trusts
the test CA and holds the chair's, secretary's and office's PKCS#12 files."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pytest
from cryptography.hazmat.primitives import serialization

from server.signatures import testca

SOFTHSM_LIB = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN_LABEL, KEY_LABEL, PIN, SO_PIN = "hdnd-test", "chu-tich", "123456", "12345678"


def make_pdf(text: str = "Nghị quyết về phòng, chống thiên tai xã Y Tý") -> bytes:
    document = pymupdf.open()
    page = document.new_page()
    writer = pymupdf.TextWriter(page.rect)
    writer.append((72, 72), text, font=pymupdf.Font("notos"), fontsize=12)
    writer.write_text(page)
    return document.tobytes()


@pytest.fixture(scope="session")
def demo_certs(tmp_path_factory) -> testca.DemoCertificates:
    return testca.write_demo(tmp_path_factory.mktemp("certs") / "demo")


@dataclass(frozen=True)
class Token:
    library: Path
    label: str
    key_label: str
    pin: str
    env: dict[str, str]


@pytest.fixture(scope="session")
def softhsm_token(demo_certs: testca.DemoCertificates, tmp_path_factory) -> Iterator[Token]:
    """A SoftHSM2 token in its own SOFTHSM2_CONF folder, holding the token signer's key and
    certificate (imported as a real token owner would)."""
    if not SOFTHSM_LIB.exists() or shutil.which("softhsm2-util") is None:
        pytest.fail("softhsm2 is not installed (scripts/system-deps.sh test_packages)")
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}

    def run(*args: str) -> None:
        subprocess.run(args, env=env, check=True, capture_output=True, timeout=60)

    run("softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL, "--pin", PIN,
        "--so-pin", SO_PIN)
    run("softhsm2-util", "--import", str(demo_certs.folder / "token-key.pem"), "--token",
        TOKEN_LABEL, "--label", KEY_LABEL, "--id", "01", "--pin", PIN)
    cert_der = folder / "token-cert.der"
    from cryptography import x509

    cert = x509.load_pem_x509_certificate((demo_certs.folder / "token-cert.pem").read_bytes())
    cert_der.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    run("pkcs11-tool", "--module", str(SOFTHSM_LIB), "--token-label", TOKEN_LABEL, "--login",
        "--pin", PIN, "--write-object", str(cert_der), "--type", "cert", "--label", KEY_LABEL,
        "--id", "01")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)  # for in-process PKCS#11 sessions
    yield Token(SOFTHSM_LIB, TOKEN_LABEL, KEY_LABEL, PIN, env)
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous
