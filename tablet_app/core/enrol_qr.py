"""Enrolment from a photographed or scanned QR image: the server address and the code.

The office prints (or shows) ``hdnd-enrol:<CODE>@<server url>`` as a QR code
(``server/packs/enrolment.py``); the tablet decodes the image with ZXing (``zxing-cpp``,
a maintained C++ decoder with wheels for Linux, macOS, Windows and Android's arm64),
so nobody has to type a long code or the address. No Kivy here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

PREFIX = "hdnd-enrol:"


class QrError(Exception):
    code = "qr_error"
    message_vi = "Không đọc được mã QR."
    message_en = "The QR code cannot be read."


class NoQrFound(QrError):
    code = "qr_not_found"
    message_vi = "Không tìm thấy mã QR trong ảnh. Hãy chụp lại rõ hơn, thẳng và đủ sáng."
    message_en = "No QR code in the picture. Take it again, sharp, straight and well lit."


class NotAnEnrolmentQr(QrError):
    code = "qr_not_enrolment"
    message_vi = "Mã QR này không phải mã đăng ký thiết bị của HĐND."
    message_en = "This QR code is not an HĐND device enrolment code."


@dataclass(frozen=True)
class EnrolmentQr:
    server_url: str
    code: str


def parse_enrolment_text(text: str) -> EnrolmentQr:
    """``hdnd-enrol:ABCD2345@http://host:8000`` -> address and code."""
    text = text.strip()
    if not text.startswith(PREFIX) or "@" not in text:
        raise NotAnEnrolmentQr(text[:40])
    code, _, server_url = text[len(PREFIX):].partition("@")
    if not code or not server_url.startswith(("http://", "https://")):
        raise NotAnEnrolmentQr(text[:40])
    return EnrolmentQr(server_url.rstrip("/"), code)


def read_enrolment_qr(path: str | os.PathLike[str]) -> EnrolmentQr:
    """Decode the first HĐND enrolment QR code found in an image file (PNG, JPEG...)."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            found = zxingcpp.read_barcodes(image.convert("L"))
    except (OSError, UnidentifiedImageError) as exc:
        raise NoQrFound(str(exc)) from exc
    texts = [r.text for r in found if r.format == zxingcpp.BarcodeFormat.QRCode]
    if not texts:
        raise NoQrFound(str(path))
    for text in texts:
        if text.startswith(PREFIX):
            return parse_enrolment_text(text)
    raise NotAnEnrolmentQr(texts[0][:40])
