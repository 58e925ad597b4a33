""""Hoạt động của tôi" in a real offscreen Kivy window: the delegate taps it in the Library
and reads their record; with the server out of reach, the copy kept on the tablet shows,
saying as of when. Screenshots at 100% and 160% text size (docs/screenshots/)."""

from __future__ import annotations

from pathlib import Path

from shared import clock
from tablet_app.core.client import ServerUnreachable
from tablet_app.core.my_record import MyRecordBook
from tablet_app.ui.library_model import DemoLibrary
from tests.e2e.conftest import pump, screenshot
from tests.e2e.test_tablet_ui import press

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
YEAR = clock.today().year


class SealedDict(dict):
    """The key store's value API over a dict (the sealing itself is tested in
    tests/tablet_app/core/test_my_record.py against a real key store)."""

    def value(self, name: str) -> str | None:
        return self.get(name)

    def set_value(self, name: str, value: str) -> None:
        self[name] = value

    def save(self) -> None:
        pass


def _line(on: str, title: str, note: str = "") -> dict:
    return {"on": on, "title": title, "ref_type": "x", "ref_id": 1, "note": note}


RECORD = {  # what GET /api/devices/me/record answers (server/schemas/delegates.py RecordRead)
    "person_id": 7, "year": YEAR, "votes": 14,
    "sessions": [_line(f"{YEAR}-07-10", "Kỳ họp thứ ba HĐND xã Phìn Hồ"),
                 _line(f"{YEAR}-11-18", "Kỳ họp thứ tư HĐND xã Phìn Hồ")],
    "sittings": [_line(f"{YEAR}-11-18", "Phiên khai mạc kỳ họp thứ tư")],
    "speeches": [{"at": f"{YEAR}-11-18T02:15:00+00:00", "sitting_id": 1, "kind": "speech",
                  "sitting_title": "Phiên thảo luận kế hoạch đầu tư công", "seconds": 372,
                  "text": ""},
                 {"at": f"{YEAR}-11-18T03:05:00+00:00", "sitting_id": 1, "kind": "question",
                  "sitting_title": "Phiên chất vấn", "seconds": None,
                  "text": "Tiến độ kè chống sạt lở Km 7+300?"}],
    "voter_meetings": [_line(f"{YEAR}-06-20", "Nhà văn hóa thôn Phìn Hồ")],
    "supervisions": [_line(f"{YEAR}-09-12", "Giám sát việc thu, chi quỹ phòng chống thiên tai")],
    "petitions": [_line(f"{YEAR}-06-20", "Sửa đường nội thôn Phìn Hồ")],
    "training": [_line(f"{YEAR}-09-08", "Ứng dụng trí tuệ nhân tạo trong công tác HĐND",
                       "Trung tâm Chuyển đổi số tỉnh")],
}


def _button(root, text: str):
    from kivy.uix.button import Button

    return next(w for w in root.walk() if isinstance(w, Button) and w.text == text)


def _texts(screen) -> list[str]:
    from kivy.uix.label import Label

    return [w.text for w in screen.walk() if isinstance(w, Label)]


def test_my_record_from_the_library_online_and_offline(make_app, kivy_window) -> None:
    online = {"up": True}

    def fetch(year: int) -> dict:
        if not online["up"]:
            raise ServerUnreachable(reason="no route to host")
        assert year == YEAR
        return RECORD

    app = make_app(library=DemoLibrary())
    app.my_record_book = MyRecordBook(fetch, SealedDict())
    library = app.screens.get_screen("library")
    press(_button(library, "Hoạt động của tôi"))
    screen = app.screens.get_screen("my_record")
    pump(5, until=lambda: screen.shown is not None)
    assert app.screens.current == "my_record"
    texts = _texts(screen)
    assert screen.status == f"Năm {YEAR}"
    assert "Số lần biểu quyết đã tham gia" in texts and "14" in texts
    assert any("Chất vấn · 10:05 18/11" in t and "Km 7+300" in t for t in texts)
    assert any("Phát biểu · 09:15 18/11" in t and "6 phút 12 giây" in t for t in texts)
    assert any("Ứng dụng trí tuệ nhân tạo" in t for t in texts)
    SHOTS.mkdir(exist_ok=True)
    screenshot(kivy_window, SHOTS / "tablet-my-record.png")

    # the server out of reach: the tablet's copy, saying so
    online["up"] = False
    press(_button(screen, "Tải lại"))
    pump(5, until=lambda: screen.shown is not None and screen.shown.offline)
    assert "không kết nối được máy chủ, đang xem bản lưu lúc" in screen.status
    assert "14" in _texts(screen)

    app.text_scale = 1.6  # the largest text the settings offer
    pump(0.3)
    count = next(w for w in screen.walk() if getattr(w, "text", None) == "14")
    assert count.texture_size[0] <= count.width  # the figure is not cut at 160%
    screenshot(kivy_window, SHOTS / "tablet-my-record-160.png")
    press(_button(screen, "‹ Quay lại"))
    pump(0.2)
    assert app.screens.current == "library"
