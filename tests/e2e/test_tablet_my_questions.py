""""Chất vấn của tôi" and "Kiến nghị của cử tri thôn …" in a real offscreen Kivy window:
the delegate opens them from the Library, registers a question linked to a voters'
petition and reads "Đã đăng ký, thứ tự 3/7", sees a refusal in words with what they typed
kept, opens a written answer from the pack (or is told it is on the portal), and offline
reads the kept lists with their time. Screenshots at 100% and 160% (docs/screenshots/).

The server is a stand-in with the answers' shapes here; the same calls against a real
server are tested in tests/tablet_app/core/test_my_questions.py."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tablet_app.core.client import ServerRefused, ServerUnreachable
from tablet_app.core.constituency_petitions import PetitionBook
from tablet_app.core.my_questions import QuestionBook
from tablet_app.ui.library_model import DemoLibrary
from tests.e2e.conftest import pump, screenshot
from tests.e2e.test_tablet_my_record import SealedDict, _button, _texts
from tests.e2e.test_tablet_ui import press

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SESSION = 41
ANSWER_IN_PACK = 901  # the written answer the tablet holds (the demo's first document)


class ServerSession(DemoLibrary):
    """The demo pack under a server session number, the first document as the answer."""

    def sessions(self):
        [card] = super().sessions()
        first = card.items[0]
        docs = (dataclasses.replace(first.documents[0], doc_id=str(ANSWER_IN_PACK)),
                *first.documents[1:])
        items = (dataclasses.replace(first, documents=docs), *card.items[1:])
        return [dataclasses.replace(card, session_id=str(SESSION), items=items)]

    def open_document(self, doc_id: str) -> bytes:
        return super().open_document("demo-1-1" if doc_id == str(ANSWER_IN_PACK) else doc_id)


def _question(qid: int, place: int, **extra) -> dict:
    row = {"id": qid, "session_id": SESSION, "place": place, "person_id": 7,
           "to_whom": "Chủ tịch UBND xã", "topic": "Kè chống sạt lở Km 7+300",
           "text": "Bao giờ thi công kè?", "petition_ids": [], "status": "registered",
           "group_label": "", "addressee_id": None, "prepare_by": None, "sitting_id": None,
           "live_question_id": None, "conclusion": "", "written_due": None,
           "answer_document_id": None, "answered_on": None, "list_size": 6}
    row.update(extra)
    return row


class Server:
    """The device routes' answers (server/routes/questioning.py, citizens.py)."""

    server_url = "http://hdnd.phinho.local"

    def __init__(self) -> None:
        self.up = True
        self.refuse = False
        self.sent: list[dict] = []
        self.questions = [
            _question(11, 1, status="written", answer_document_id=ANSWER_IN_PACK,
                      answered_on="2026-11-19", petition_ids=[5],
                      conclusion="Giao UBND xã thi công trước mùa mưa 2027."),
            _question(12, 2, topic="Trường mầm non thôn Sín Chải", status="in_writing",
                      to_whom="Trưởng phòng Văn hóa - Xã hội", text="Khi nào có phòng học?",
                      written_due="2026-12-20", answer_document_id=None)]

    def _reach(self) -> None:
        if not self.up:
            raise ServerUnreachable(reason="no route to host")

    def my_questions(self, session_id: int) -> list[dict]:
        self._reach()
        assert session_id == SESSION
        return [dict(q, list_size=len(self.questions) + 4) for q in self.questions]

    def register_question(self, session_id: int, **body) -> dict:
        self._reach()
        if self.refuse:
            raise ServerRefused(403, {
                "code": "not_a_questioner",
                "message_vi": "Chỉ đại biểu HĐND của kỳ họp mới đăng ký chất vấn.",
                "message_en": "Only delegates of the session may register questions."})
        self.sent.append(body)
        made = _question(13, 3, **body, list_size=len(self.questions) + 5)
        self.questions.append(made)
        return made

    def citizen_petitions(self) -> dict:
        self._reach()
        return {"constituency": "Phìn Hồ", "cases": [
            {"id": 3, "item_id": 5, "case_type": "petition", "title": "Đường vào thôn sạt lở",
             "text": "Mưa lớn làm sạt đường vào thôn.", "received_on": "2026-10-02",
             "status": "answered", "agency": "UBND xã",
             "answer": "Xã đã bố trí vốn sửa đường trong năm 2027.", "steps": []},
            {"id": 4, "item_id": 6, "case_type": "proposal", "title": "Lắp đèn đường xóm Trên",
             "text": "Đề nghị lắp đèn năng lượng mặt trời.", "received_on": "2026-11-10",
             "status": "received", "agency": "", "answer": "", "steps": []}]}


def _tap(button) -> None:
    """Scroll the button into view, then tap it where it shows (a real touch)."""
    from kivy.uix.scrollview import ScrollView

    view = next((p for p in _parents(button) if isinstance(p, ScrollView)), None)
    if view is not None:
        pump(0.1)  # laid out first: scroll_to reads positions
        view.scroll_to(button, animate=False)
        pump(0.1)
    press(button)


def _type(screen, name: str, text: str) -> None:
    screen.ids[name].text = text


def test_questions_and_petitions_from_the_library(make_app, kivy_window) -> None:
    from kivy.metrics import dp

    server = Server()
    store = SealedDict()
    app = make_app(library=ServerSession(long_document_pages=3))
    app.question_book = QuestionBook(server, store)
    app.petition_book = PetitionBook(server, store)
    library = app.screens.get_screen("library")
    pump(0.2)
    press(_button(library, "Chất vấn của tôi"))
    screen = app.screens.get_screen("my_questions")
    pump(5, until=lambda: screen.shown is not None and len(screen.ids.petitions.children) == 2)
    assert app.screens.current == "my_questions" and screen.session_id == SESSION
    texts = _texts(screen)
    assert "Kết luận của chủ tọa: Giao UBND xã thi công trước mùa mưa 2027." in texts
    assert any(t.startswith("Đã có văn bản trả lời · thứ tự 1/6") and "gắn 1 kiến nghị" in t
               for t in texts)
    assert any("Chờ trả lời bằng văn bản · thứ tự 2/6 · hạn trả lời bằng văn bản 20/12/2026"
               in t for t in texts)
    assert len([w for w in screen.walk() if getattr(w, "text", "") == "Mở văn bản trả lời"]) == 1

    # the form: what is missing is said before anything is sent
    _type(screen, "to_whom", "Chủ tịch UBND xã")
    _type(screen, "text", "Khi nào sửa đường vào thôn?")
    _tap(_button(screen, "Đăng ký câu hỏi"))
    pump(0.2)
    assert screen.form_message == "Còn thiếu: Vấn đề." and server.sent == []

    # refused by the server: its words, and the typing kept
    _type(screen, "topic", "Đường vào thôn Phìn Hồ")
    _tap(_button(screen, "Đường vào thôn sạt lở"))  # link the voters' petition
    server.refuse = True
    _tap(_button(screen, "Đăng ký câu hỏi"))
    pump(5, until=lambda: "Chỉ đại biểu" in screen.form_message)
    assert screen.ids.topic.text == "Đường vào thôn Phìn Hồ"
    assert screen.chosen_petitions() == [5]

    server.refuse = False
    _tap(_button(screen, "Đăng ký câu hỏi"))
    pump(5, until=lambda: screen.form_message.startswith("Đã đăng ký"))
    assert screen.form_message == "Đã đăng ký, thứ tự 3/7"
    assert server.sent == [{"to_whom": "Chủ tịch UBND xã", "topic": "Đường vào thôn Phìn Hồ",
                            "text": "Khi nào sửa đường vào thôn?", "petition_ids": [5]}]
    assert screen.ids.topic.text == ""
    pump(5, until=lambda: len(screen.ids.questions.children) == 3)
    SHOTS.mkdir(exist_ok=True)
    screenshot(kivy_window, SHOTS / "tablet-my-questions.png")

    # the written answer the pack holds opens in the reader
    _tap(_button(screen, "Mở văn bản trả lời"))
    pump(5, until=lambda: app.screens.current == "reader")
    reader = app.screens.get_screen("reader")
    assert reader.document.doc_id == str(ANSWER_IN_PACK)
    pump(5, until=lambda: getattr(reader, "reader", None) is not None
         and reader.page_count == 3)  # the demo document, decrypted and shown
    app.go("my_questions")
    pump(5, until=lambda: screen.shown is not None)

    # one not in the pack: the portal's address
    server.questions[1].update(status="written", answer_document_id=777,
                               answered_on="2026-11-19")
    press(_button(screen, "Tải lại"))
    pump(5, until=lambda: len([w for w in screen.walk()
                               if getattr(w, "text", "") == "Mở văn bản trả lời"]) == 2)
    second = [w for w in screen.walk() if getattr(w, "text", "") == "Mở văn bản trả lời"]
    for button in second:
        card = next(p for p in _parents(button) if type(p).__name__ == "QuestionCard")
        if card.row.answer_document_id == 777:
            _tap(button)
            pump(0.2)
            assert card.answer_note.endswith(
                "xem trên cổng thông tin: http://hdnd.phinho.local/phien-hop/41/tai-lieu/777")

    # offline: the kept list, with its time
    server.up = False
    press(_button(screen, "Tải lại"))
    pump(5, until=lambda: screen.shown is not None and screen.shown.offline)
    assert "không kết nối được máy chủ, đang xem bản lưu lúc" in screen.status
    assert len(screen.ids.questions.children) == 3

    app.text_scale = 1.6
    pump(0.3)
    _touch_targets_and_whole_words(screen, dp)
    screenshot(kivy_window, SHOTS / "tablet-my-questions-160.png")
    app.text_scale = 1.0
    press(_button(screen, "‹ Quay lại"))
    pump(0.2)

    # the thôn's petitions, offline from the copy kept when the form listed them
    press(_button(library, "Kiến nghị cử tri"))
    petitions = app.screens.get_screen("petitions")
    pump(5, until=lambda: petitions.shown is not None)
    assert petitions.title == "Kiến nghị của cử tri thôn Phìn Hồ"
    assert petitions.shown.offline and "đang xem bản lưu lúc" in petitions.status
    server.up = True
    press(_button(petitions, "Tải lại"))
    pump(5, until=lambda: petitions.shown is not None and not petitions.shown.offline)
    texts = _texts(petitions)
    assert "Trả lời công khai: Xã đã bố trí vốn sửa đường trong năm 2027." in texts
    assert any(t.startswith("Kiến nghị · Đã có trả lời · gửi ngày 02/10/2026 · cơ quan: UBND xã")
               for t in texts)
    assert any(t.startswith("Đề xuất · Đã tiếp nhận · gửi ngày 10/11/2026") for t in texts)
    screenshot(kivy_window, SHOTS / "tablet-petitions.png")
    app.text_scale = 1.6
    pump(0.3)
    _touch_targets_and_whole_words(petitions, dp)
    screenshot(kivy_window, SHOTS / "tablet-petitions-160.png")
    app.text_scale = 1.0
    press(_button(petitions, "‹ Quay lại"))
    pump(0.2)
    assert app.screens.current == "library"
    app.text_scale = 1.6  # the Library's bar still holds every button, the card its own
    pump(0.3)
    for text in ("Kiến nghị cử tri", "Hoạt động của tôi", "Cài đặt", "Chất vấn của tôi"):
        button = _button(library, text)
        assert button.to_window(button.right, 0)[0] <= kivy_window.width, text
        assert button.texture_size[0] <= button.width and button.height >= dp(48), text
    screenshot(kivy_window, SHOTS / "tablet-library-questions-160.png")
    app.text_scale = 1.0


def _parents(widget):
    while widget is not None:
        yield widget
        widget = widget.parent


def _touch_targets_and_whole_words(screen, dp) -> None:
    """Every button at least 48 dp high; every label's text fits its height (160%)."""
    from kivy.uix.button import Button
    from kivy.uix.label import Label

    for widget in screen.walk():
        if isinstance(widget, Button) and widget.opacity and widget.text:
            assert widget.height >= dp(48) - 0.5, widget.text
        if isinstance(widget, Label) and not isinstance(widget, Button) and widget.text \
                and widget.opacity and widget.text_size[0] is not None \
                and not getattr(widget, "shorten", False):
            assert widget.texture_size[1] <= widget.height + 1, widget.text
