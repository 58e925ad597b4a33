"""A QR image printed by the office gives the tablet the server address and the code."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from server.packs.enrolment import qr_payload, qr_png
from tablet_app.core.enrol_qr import NoQrFound, NotAnEnrolmentQr, read_enrolment_qr


def test_the_servers_own_qr_png_decodes_to_address_and_code(tmp_path: Path) -> None:
    path = tmp_path / "ma-dang-ky.png"
    path.write_bytes(qr_png(qr_payload("http://192.168.1.20:8000/", "ab2c-3d4e")))
    found = read_enrolment_qr(path)
    assert found.server_url == "http://192.168.1.20:8000"
    assert found.code == "AB2C3D4E"


def test_a_photo_scaled_down_and_saved_as_jpeg_still_decodes(tmp_path: Path) -> None:
    png = tmp_path / "qr.png"
    png.write_bytes(qr_png(qr_payload("https://hdnd.example.vn", "ZX9Y8W7V")))
    photo = Image.new("RGB", (900, 700), (200, 190, 170))  # the desk around the paper
    photo.paste(Image.open(png).convert("RGB").resize((300, 300)), (300, 200))
    photo.save(tmp_path / "photo.jpg", quality=70)
    assert read_enrolment_qr(tmp_path / "photo.jpg").code == "ZX9Y8W7V"


def test_other_qr_codes_and_pictures_without_one_are_refused(tmp_path: Path) -> None:
    import qrcode

    qrcode.make("https://example.com/menu").save(tmp_path / "menu.png")
    with pytest.raises(NotAnEnrolmentQr):
        read_enrolment_qr(tmp_path / "menu.png")
    Image.new("RGB", (200, 200), "white").save(tmp_path / "blank.png")
    with pytest.raises(NoQrFound):
        read_enrolment_qr(tmp_path / "blank.png")
    (tmp_path / "not-an-image.png").write_bytes(b"%PDF-1.7 nope")
    with pytest.raises(NoQrFound):
        read_enrolment_qr(tmp_path / "not-an-image.png")
