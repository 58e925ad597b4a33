"""The assistant panel in the reader, in a real offscreen Kivy window, with no server (the
demo library): a delegate taps "Trợ lý", asks about the whole session, is told the answer
comes from the tablet, taps a source and lands on the cited page of that document."""

from __future__ import annotations

from pathlib import Path

from tablet_app.ui.library_model import DemoLibrary
from tests.e2e.conftest import pump, screenshot
from tests.e2e.test_tablet_ui import open_first_document, press

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "tablet-assistant.png"


def _button(root, text: str):
    from kivy.uix.button import Button

    return next(w for w in root.walk() if isinstance(w, Button) and w.text == text)


def test_ask_the_session_offline_and_open_the_cited_page(make_app, kivy_window) -> None:
    app = make_app(library=DemoLibrary(long_document_pages=6))
    reader = open_first_document(app)  # Tờ trình về Kế hoạch đầu tư công
    press(_button(reader, "Trợ lý"))
    pump(until=lambda: getattr(reader, "assistant_popup", None) is not None)
    panel = reader.assistant_popup.content
    panel.question.text = "Kè chống sạt lở Km 7+300 được bổ sung bao nhiêu?"
    press(_button(panel, "Hỏi cả kỳ họp"))
    pump(8, until=lambda: getattr(panel, "answer", None) is not None)
    answer = panel.answer
    assert answer.found and "máy tính bảng" in panel.status.text
    titles = {c.title for c in answer.citations}
    assert "Tờ trình về việc điều chỉnh dự toán ngân sách xã năm 2026" in titles
    pump(0.3)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    screenshot(kivy_window, SCREENSHOT)

    cited = next(c for c in answer.citations
                 if c.title == "Tờ trình về việc điều chỉnh dự toán ngân sách xã năm 2026")
    source = _button(panel, f"[{cited.number}] {cited.label('vi')}")
    source.parent.parent.scroll_to(source, padding=10, animate=False)  # as a finger would
    pump(0.3)
    press(source)
    try:
        pump(8, until=lambda: reader.document is not None
             and reader.document.title == cited.title and reader.shown_page == cited.page - 1)
    except AssertionError as error:
        raise AssertionError(
            f"wanted {cited.title!r} page {cited.page}; reader shows "
            f"{getattr(reader.document, 'title', None)!r} page {reader.shown_page + 1}, "
            f"popup open: {reader.assistant_popup.parent is not None}, status {reader.status!r}"
        ) from error

    # "this document": the summary of the document now open, from its own pages
    pump(3, until=lambda: reader.assistant_popup.parent is None)  # the panel closed itself
    pump(0.3)
    press(_button(reader, "Trợ lý"))
    pump(until=lambda: reader.assistant_popup.content is not panel)
    panel = reader.assistant_popup.content
    press(_button(panel, "Tóm tắt"))
    pump(8, until=lambda: getattr(panel, "answer", None) is not None)
    assert panel.answer.mode == "summary"
    assert {c.title for c in panel.answer.citations} == {cited.title}
    reader.assistant_popup.dismiss()
