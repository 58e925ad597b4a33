"""The app in a real offscreen Kivy window, driven by key presses and touches."""

from __future__ import annotations

import random
import threading

import pytest

from shared.live import commands as cmd
from tablet_app.ui.library_model import DemoLibrary
from tests.e2e.conftest import pump
from tests.tablet_app.core._hall import CHAIR, DELEGATE, DELEGATE_2, SITTING, TinyHall, open_vote_scene


def open_first_document(app, title_part: str = "Kế hoạch đầu tư công"):
    from tablet_app.ui.screens.library import DocumentRow

    library = app.screens.get_screen("library")
    rows = [w for w in library.walk() if isinstance(w, DocumentRow)]
    row = next(r for r in rows if title_part in r.label)
    row.open()
    reader = app.screens.get_screen("reader")
    pump(until=lambda: reader.shown_page >= 0, timeout=30)  # a busy machine builds the demo slowly
    return reader


def tap(widget, x: float, y: float) -> None:
    from kivy.tests.common import UnitTestTouch

    touch = UnitTestTouch(*widget.to_window(x, y))
    touch.touch_down()
    touch.touch_up()


def press(button) -> None:
    tap(button, button.center_x - button.x + button.x, button.center_y)


def test_library_lists_the_demo_session_in_vietnamese(make_app) -> None:
    from tablet_app.ui.screens.library import DocumentRow

    app = make_app(library=DemoLibrary(long_document_pages=23))
    assert app.screens.current == "library"
    rows = [w for w in app.screens.get_screen("library").walk() if isinstance(w, DocumentRow)]
    kinds = {r.kind for r in rows}
    assert "Dự thảo nghị quyết" in kinds and "Tờ trình" in kinds
    assert any("Kế hoạch đầu tư công" in r.label for r in rows)


def test_open_a_document_and_turn_pages_with_keys_and_swipes(make_app, kivy_window) -> None:
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


def test_a_stroke_drawn_with_the_pen_is_saved_in_the_encrypted_store(make_app) -> None:
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


def test_live_panel_votes_and_says_recorded_only_after_the_ack(make_app, hall) -> None:
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
    assert all(b.height >= 64 for b in panel._option_buttons.values())  # large, for fingers
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


def _hold(hall: TinyHall) -> threading.Event:
    """Keep the hall's loop busy (a slow or unreachable server) until the event is set."""
    gate = threading.Event()
    hall.loop.call_soon_threadsafe(gate.wait, 15)
    return gate


def _vote_in_the_panel(panel, key: str) -> None:
    press(panel._option_buttons[key])
    pump(0.05)
    press(panel.ids.confirm)


def test_a_slow_ack_then_a_change_then_the_result_then_a_vote_that_cannot_change(
        make_app, hall) -> None:
    from tablet_app.core.live_client import LiveClient

    live = LiveClient(hall.url, SITTING, "delegate-token")
    app = make_app(library=DemoLibrary(long_document_pages=23), live=live)
    panel = app.live_panel
    pump(until=lambda: "yes" in panel._option_buttons)
    vote_id = live.state.open_vote.vote_id

    gate = _hold(hall)  # the server has the ballot but has not answered yet
    _vote_in_the_panel(panel, "yes")
    pump(0.5)
    assert not panel.vote_recorded and panel.vote_status == "Đang gửi phiếu…"
    gate.set()
    pump(until=lambda: panel.vote_recorded)
    assert panel.vote_status.startswith("Phiếu của bạn đã được ghi nhận")
    assert "có thể thay đổi" in panel.vote_status

    _vote_in_the_panel(panel, "no")  # changed while the vote allows it
    pump(until=lambda: hall.state.votes[vote_id].choices.get(DELEGATE) == "no"
         and panel.vote_recorded)
    assert panel._option_buttons["no"].state == "down"
    assert panel._option_buttons["yes"].state == "normal"

    hall.run(CHAIR, cmd.CloseVote(key="close-vote-11", vote_id=vote_id))
    pump(until=lambda: panel.verdict != "")
    assert panel.result_rows == [("Tán thành", 0), ("Không tán thành", 1),
                                 ("Không biểu quyết", 0)]
    assert panel.result_text == "Đã bỏ phiếu 1/4 đại biểu; cần 3 phiếu tán thành."
    pump(0.1)
    bars = panel.ids.result_chart.bars  # drawn: 1 of 4 members, the mark at 3 of 4
    assert [round(b.share, 2) for b in bars] == [0.0, 0.25, 0.0]
    assert {round(b.needed_share, 2) for b in bars} == {0.75}
    assert bars[1].width > 0 and bars[1].height > 0
    assert panel.verdict == "KHÔNG ĐƯỢC THÔNG QUA"
    assert panel._option_buttons == {} and panel.confirm_text == ""
    assert panel.vote_status == "Phiếu của bạn đã được ghi nhận"  # no "you may change it"

    hall.run(CHAIR, cmd.OpenVote(key="open-vote-12", item_id=11, allow_change=False,
                                 question="Thông qua danh mục dự án khởi công mới"))
    pump(until=lambda: "khởi công mới" in panel.vote_question and panel._option_buttons)
    assert panel.result_text == "" and panel.vote_status == ""  # a fresh ballot
    _vote_in_the_panel(panel, "yes")
    pump(until=lambda: panel.vote_recorded)
    assert panel.vote_status == "Phiếu của bạn đã được ghi nhận"
    assert all(b.disabled for b in panel._option_buttons.values())  # cannot change it
    panel.choose("no")
    assert panel.confirm_text == "" and panel.chosen is None
    assert live.my_vote(live.state.open_vote.vote_id).command.choice == "yes"


def test_a_cut_shows_a_banner_reconnects_resyncs_and_sends_the_offline_vote_once(
        make_app, hall) -> None:
    from tablet_app.core.live_client import LiveClient

    live = LiveClient(hall.url, SITTING, "delegate-token", rng=random.Random(1))
    app = make_app(library=DemoLibrary(long_document_pages=23), live=live)
    panel = app.live_panel
    pump(until=lambda: "yes" in panel._option_buttons and app.link_status == "online")
    assert panel.banner == "" and panel.queue_text == "0 người đăng ký phát biểu"
    vote_id = live.state.open_vote.vote_id

    hall.drop_all()  # the Wi-Fi goes away
    hall.run(DELEGATE_2, cmd.RequestToSpeak(key="speak-while-away"))  # missed by this tablet
    gate = _hold(hall)  # and stays away for now
    pump(until=lambda: panel.banner.startswith(("Mất kết nối", "Đang kết nối lại")))
    _vote_in_the_panel(panel, "yes")
    pump(0.3)
    assert not panel.vote_recorded
    assert panel.vote_status.startswith("Chưa có kết nối: phiếu sẽ được gửi khi kết nối lại")
    assert panel.queue_text == "0 người đăng ký phát biểu"

    gate.set()  # back: reconnects by itself, catches up, sends the waiting ballot
    pump(until=lambda: panel.vote_recorded, timeout=15)
    pump(until=lambda: panel.banner == "")
    assert panel.queue_text == "1 người đăng ký phát biểu"  # the event missed during the cut
    pending = live.my_vote(vote_id)
    assert hall.decided.count(pending.key) == 1 and pending.sends == 1  # never twice
    assert hall.hellos[-1] > 0 and live.connects == 2  # resumed from its last seq


def test_settings_switch_to_dark_and_english_by_touch_and_remember_them(make_app) -> None:
    from kivy.uix.label import Label

    from tablet_app.core.settings import AppSettings

    app = make_app(library=DemoLibrary(long_document_pages=3))
    app.screens.current = "settings"
    settings = app.screens.get_screen("settings")
    pump(0.2)
    light_bg = tuple(app.theme)
    press(settings.ids.dark_toggle)
    pump(until=lambda: app.dark)
    assert tuple(app.theme) != light_bg  # the window's background really changed

    english = next(w for w in settings.walk() if getattr(w, "text", None) == "English")
    press(english)
    pump(until=lambda: app.lang == "en")
    texts = {w.text for w in settings.walk() if isinstance(w, Label)}
    assert "Settings" in texts and "Cài đặt" not in texts
    assert any(t.startswith("Text size: 100%") for t in texts)

    app.save_settings()
    stored = AppSettings.load(app.folder)
    assert stored.dark_mode is True and stored.language == "en"


def test_a_page_too_heavy_to_draw_says_so_and_the_rest_reads_on(make_app, kivy_window,
                                                                 tmp_path) -> None:
    """Issue 16 finding 1: the reader hung over a minute on one bomb page."""
    from tests.e2e.conftest import screenshot
    from tests.tablet_app.core.test_reader_hostile import with_bomb_page

    library = DemoLibrary(long_document_pages=4)
    doc_id = next(d for _, d, spec in library._specs() if "Kế hoạch đầu tư công" in spec.title)
    library._pdfs[doc_id] = with_bomb_page(pages=3, bomb_at=1)
    app = make_app(library=library)
    reader = open_first_document(app)
    assert reader.page_count == 4
    reader.show_page(1)
    pump(until=lambda: reader.status == "Trang này không hiển thị được.", timeout=10)
    assert reader.ids.page_view.texture is None
    screenshot(kivy_window, tmp_path / "trang-khong-hien-thi.png")
    reader.show_page(2)
    pump(until=lambda: reader.shown_page == 2 and reader.ids.page_view.texture is not None)
    assert reader.status == ""
