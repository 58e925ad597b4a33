"""``hdnd certs demo`` (a test CA, not legally valid) and ``hdnd sign`` (sign a PDF on the
signer's own machine with a USB token, then upload the result)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer

certs_app = typer.Typer(help="Chứng thư số thử nghiệm / test certificates", no_args_is_help=True)


@certs_app.command("demo")
def certs_demo(out: Path = typer.Option(Path("var/signatures/demo"), "--out",
                                        help="Thư mục ghi / folder to write"),
               passphrase: str = typer.Option("demo", help="Mật khẩu tệp .p12")) -> None:
    """Tạo CA thử nghiệm và chứng thư cho chủ tọa, thư ký, văn phòng (KHÔNG có giá trị pháp
    lý) / create a test CA and signer certificates (NOT legally valid)."""
    from server.signatures.testca import NOT_LEGAL, write_demo

    try:
        made = write_demo(out, passphrase)
    except FileExistsError as exc:
        typer.secho(f"Lỗi / error: {exc}", fg="red", err=True)
        raise typer.Exit(code=1) from exc
    typer.secho(NOT_LEGAL, fg="yellow")
    typer.echo(f"CA: {made.ca_pem}")
    for role, path in made.pkcs12.items():
        typer.echo(f"{role}: {path}")
    roots = json.dumps([str(made.ca_pem)])
    signers = json.dumps({role: str(path) for role, path in made.pkcs12.items()})
    typer.echo("Để máy chủ tin CA thử nghiệm này / to make the server trust this test CA:\n"
               f"  export HDND_SIGNATURE_TRUST_ROOTS='{roots}'\n"
               f"  export HDND_SIGNATURE_SIGNERS='{signers}'")


def sign(pdf: Path = typer.Argument(..., exists=True, dir_okay=False, help="Tệp PDF cần ký"),
         pkcs11_lib: Path = typer.Option(..., "--pkcs11-lib", exists=True, dir_okay=False,
                                         help="Thư viện PKCS#11 của token (.so/.dll)"),
         token_label: str = typer.Option(..., "--token-label", help="Nhãn token"),
         key_label: str = typer.Option(..., "--key-label", help="Nhãn khóa/chứng thư"),
         pin: str | None = typer.Option(None, "--pin", help="Mã PIN (bỏ trống: hỏi hoặc "
                                        "đọc HDND_TOKEN_PIN)"),
         out: Path | None = typer.Option(None, "--out", help="Tệp ra (mặc định: …-da-ky.pdf)"),
         reason: str = typer.Option("", "--reason", help="Lý do ký / reason")) -> None:
    """Ký số tệp PDF bằng USB token (PKCS#11) trên máy người ký, rồi tải tệp đã ký lên /
    sign a PDF with a PKCS#11 token on the signer's machine; upload the signed file."""
    from server.signatures.signing import pkcs11_signer, sign_bytes

    pin = pin or os.environ.get("HDND_TOKEN_PIN") or typer.prompt("PIN", hide_input=True)
    target = out or pdf.with_name(f"{pdf.stem}-da-ky.pdf")
    try:
        with pkcs11_signer(str(pkcs11_lib), token_label, key_label, pin) as signer:
            signed = sign_bytes(pdf.read_bytes(), signer, reason=reason)
    except Exception as exc:  # token errors come in many kinds; say which
        typer.secho(f"Không ký được / signing failed: {type(exc).__name__}: {exc}", fg="red",
                    err=True)
        raise typer.Exit(code=1) from exc
    target.write_bytes(signed)
    typer.echo(f"Đã ký / signed: {target}")
