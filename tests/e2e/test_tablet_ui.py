"""The app in a real offscreen Kivy window, driven by key presses and touches."""

from __future__ import annotations

import pytest

from tablet_app.ui.library_model import DemoLibrary
from tests.e2e.conftest import pump
from tests.tablet_app.core._hall import SITTING, TinyHall, open_vote_scene


def open_first_document(app, title_part: str = "Kế hoạch đầu tư công"):  # noqa: ANN001, ANN201
    from tablet_app.ui.screens.library import DocumentRow

    library = app.screens.get_screen("library")
    rows = [w for w in library.walk() if isinstance(w, DocumentRow)]
    row = next(r for r in rows if title_part in r.label)
    row.open()
    reader = app.screens.get_screen("reader")
    pump(until=lambda: reader.shown_page >= 0)
    return reader


def tap(widget, x: float, y: float) -> None:  # noqa: ANN001
    from kivy.tests.common import UnitTestTouch

    touch = UnitTestTouch(*widget.to_window(x, y))
    touch.touch_down()
    touch.touch_up()


def press(button) -> None:  # noqa: ANN001
    tap(button, button.center_x - button.x + button.x, button.center_y)


def test_library_lists_the_demo_session_in_vietnamese(make_app) -> None:  # noqa: ANN001
    from tablet_app.ui.screens.library import DocumentRow

    app = make_app(library=DemoLibrary(long_document_pages=23))
    assert app.screens.current == "library"
    rows = [w for w in app.screens.get_screen("library").walk() if isinstance(w, DocumentRow)]
    kinds = {r.kind for r in rows}
    assert "Dự thảo nghị quyết" in kinds and "Tờ trình" in kinds
    assert any("Kế hoạch đầu tư công" in r.label for r in rows)


def test_open_a_document_and_turn_pages_with_keys_and_swipes(make_app, kivy_window) -> None:  # noqa: ANN001
    app = make_app(library=DemoLibrary(long_document_pages=23))
    reader = open_first_document(app)
    assert reader.page == 0 and reader.page_count >= 20
    first = bytes(reader.ids.page_view.texture.pixels)

    kivy_window.dispatch("on_key_down", 275, 0, None, [])  # → arrow
    pump(until=lambda: reader.shown_page == 1)
    second = bytes(reader.ids.page_view.texture.pixels)
    assert second != first

    view = reader.ids.page_view
    from kivy.tests.common import UnitTestTouch

    touch = UnitTestTouch(*view.to_window(view.center_x + 200, view.center_y))
    touch.touch_down()
    touch.touch_move(*view.to_window(view.center_x - 200, view.center_y))
    touch.touch_up()  # swipe left: next page
    pump(until=lambda: reader.shown_page == 2)
    assert bytes(view.texture.pixels) not in (first, second)
    assert reader.cache.stats.hits >= 1  # the neighbour was already rendered
    assert app.settings.last_page(reader.document.doc_id, reader.document.version) == 2


def test_a_stroke_drawn_with_the_pen_is_saved_in_the_encrypted_store(make_app) -> None:  # noqa: ANN001
    from kivy.tests.common import UnitTestTouch

    app = make_app(library=DemoLibrary(long_document_pages=23))
    reader = open_first_document(app, "Dự thảo Nghị quyết điều chỉnh")
    press(reader.ids.tool_pen)
    pump(0.05)
    view = reader.ids.page_view
    assert view.tool == "pen"
    touch = UnitTestTouch(*view.to_window(view.center_x - 100, view.center_y))
    touch.touch_down()
    for step in range(1, 11):
        touch.touch_move(*view.to_window(view.center_x - 100 + step * 20, view.center_y + step))
    touch.touch_up()
    pump(0.05)
    document = reader.document
    assert [m.kind for m in reader.journal.layer.marks(reader.page)] == ["stroke"]
    path = app.annotations.path(document.doc_id, document.version)
    assert path.stat().st_size > 0  # fsynced before the finger was even lifted off the view

    # a second app on the same folder (the tablet after a restart) sees the stroke
    from tablet_app.core.annotation_store import AnnotationStore

    reopened = AnnotationStore(app.folder, bytes(range(32))).open(document.doc_id,
                                                                   document.version)
    stroke = reopened.layer.marks()[0]
    assert len(stroke.points) >= 10 and stroke.page == reader.page
    assert 150 < stroke.points[-1][0] - stroke.points[0][0] < 450  # points, not pixels
    reopened.close()
    press(reader.ids.tool_read)


@pytest.fixture
def hall():
    server = TinyHall().start()
    open_vote_scene(server)
    yield server
    server.stop()


def test_live_panel_votes_and_says_recorded_only_after_the_ack(make_app, hall) -> None:  # noqa: ANN001
    from tablet_app.core.live_client import LiveClient

    live = LiveClient(hall.url, SITTING, "delegate-token")
    app = make_app(library=DemoLibrary(long_document_pages=23), live=live)
    panel = app.live_panel
    pump(until=lambda: panel.vote_question != "")
    assert panel.shown  # the vote opening slid the panel in
    assert "Thông qua Nghị quyết" in panel.vote_question
    assert "quá nửa tổng số đại biểu" in panel.threshold
    assert "4/4" in panel.quorum_text
    yes = panel._option_buttons["yes"]
    assert yes.text == "Tán thành"
    press(yes)
    pump(0.05)
    assert panel.confirm_text.startswith("Xác nhận: Tán thành")
    assert panel.vote_status == "" and not hall.decided[-1].startswith("vote")
    press(panel.ids.confirm)
    pump(until=lambda: panel.vote_recorded)
    assert "đã được ghi nhận" in panel.vote_status
    vote_id = live.state.open_vote.vote_id
    assert live.my_vote(vote_id).state == "acked"
    assert hall.state.votes[vote_id].voters == frozenset({3})
