"""Screenshots of the tablet app's main screens at 1280×800, to ``docs/screenshots/``,
each at 100% and 160% text size and in dark mode.

Runs the real app in an offscreen Kivy window (Mesa), with the demo council's documents
and a small real hall server (websockets + the shared reducer) for the live panel and
the chair's console. ``python scripts/screenshots_tablet.py [folder]``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(out: Path) -> list[Path]:
    home = Path(tempfile.mkdtemp(prefix="hdnd-shots-"))
    os.environ.update(KIVY_NO_ARGS="1", KIVY_HOME=str(home / "kivy"), KIVY_LOG_MODE="PYTHON",
                      KIVY_NO_CONSOLELOG="1")
    os.environ.setdefault("KIVY_WINDOW", "sdl2")
    os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
    from kivy.config import Config

    from tests.e2e.conftest import HEIGHT, WIDTH, pump, screenshot

    Config.set("graphics", "width", str(WIDTH))
    Config.set("graphics", "height", str(HEIGHT))
    Config.set("input", "mouse", "")
    from kivy.app import App
    from kivy.base import EventLoop

    EventLoop.ensure_window()
    window = EventLoop.window
    window.size = (WIDTH, HEIGHT)

    from shared.live import commands as cmd
    from tablet_app.core.annotations import Note, Stroke, make_highlight
    from tablet_app.core.live_client import LiveClient
    from tablet_app.ui.app import HdndApp
    from tablet_app.ui.library_model import DemoLibrary
    from tests.tablet_app.core._hall import (
        CHAIR,
        DELEGATE,
        DELEGATE_2,
        SECRETARY,
        SITTING,
        TinyHall,
        open_vote_scene,
    )

    out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []

    def shoot(name: str) -> None:
        """The screen at 100% text size, then at 160% (``-160``) and in dark mode
        (``-dark``): what a delegate who enlarges the text or reads at night sees."""
        shots.append(screenshot(window, out / f"tablet-{name}.png"))
        for scale, dark, suffix in ((1.6, False, "-160"), (1.0, True, "-dark")):
            app.text_scale, app.dark = scale, dark
            pump(0.4)
            shots.append(screenshot(window, out / f"tablet-{name}{suffix}.png"))
        app.text_scale, app.dark = 1.0, False
        pump(0.3)

    def vote(panel, key: str) -> None:  # noqa: ANN001 - as a finger would: pick, confirm
        panel._option_buttons[key].trigger_action(0)
        pump(0.05)
        panel.ids.confirm.trigger_action(0)

    def fresh_app(folder: Path, **kwargs) -> HdndApp:  # noqa: ANN003
        for child in list(window.children):
            window.remove_widget(child)
        App._running_app = None
        from kivy.lang import global_idmap  # kv's "app": the new app, not the last one

        object.__setattr__(global_idmap["app"], "_obj", None)
        app = HdndApp(folder, annotation_key=bytes(32), **kwargs)
        app._run_prepare()
        pump(0.2)
        return app

    # first start, before enrolment
    app = fresh_app(home / "new-device")
    shoot("first-start")
    app.dispatch("on_stop")

    hall = TinyHall().start()
    open_vote_scene(hall)
    hall.run(SECRETARY, cmd.RequestToSpeak(key="shot-speak-2"))
    hall.run(DELEGATE_2, cmd.RequestToSpeak(key="shot-speak-4"))
    hall.run(DELEGATE, cmd.RequestToSpeak(key="shot-speak-3"))
    first_vote = hall.state.open_vote.vote_id
    hall.run(DELEGATE_2, cmd.CastVote(key="shot-vote-4", vote_id=first_vote, choice="yes"))
    hall.run(SECRETARY, cmd.RegisterQuestion(
        key="shot-question-2", addressee_id=101,
        text="Khi nào hoàn thành đường liên thôn Y Tý - A Lù?"))

    library = DemoLibrary(long_document_pages=23)
    library.settings.seen_versions["demo-2-2"] = 1  # the draft resolution has a new version
    delegate = LiveClient(hall.url, SITTING, "delegate-token")
    app = fresh_app(home / "delegate", library=library, live=delegate)
    library.settings = app.settings
    app.settings.seen_versions["demo-2-2"] = 1
    pump(until=lambda: app.live_panel.vote_question != "")
    app.live_panel.shown = False
    app.screens.get_screen("library").refresh()
    pump(0.2)
    shoot("library")

    reader = app.screens.get_screen("reader")
    card = next(d for s in library.sessions() for i in s.items for d in i.documents
                if d.doc_id == "demo-2-2")
    reader.open_document(card)
    pump(until=lambda: reader.shown_page >= 0)
    layer = reader.journal.layer
    words = reader.reader.words(0)
    heading = next(i for i, w in enumerate(words) if w.text.startswith("QUYẾT"))
    first, last = words[heading + 2].rect, words[min(heading + 8, len(words) - 1)].rect
    highlight = make_highlight(reader.reader, 0, (first[0] + 1, first[1] + 2),
                               (last[2] - 1, last[3] - 2))
    if highlight is not None:
        layer.add(highlight)
    layer.add(Stroke(page=0, points=tuple((330 + i * 12, 560 + (i % 2) * 6) for i in range(16)),
                     color=(0.85, 0.1, 0.1), width=2.0))
    layer.add(Note(page=0, point=(500, 300), text="Hỏi lại nguồn vốn khắc phục sạt lở"))
    reader._refresh_marks()
    pump(0.3)
    shoot("reader")

    panel = app.live_panel
    panel.shown = True
    pump(0.2)
    vote(panel, "yes")
    pump(until=lambda: panel.vote_recorded)
    shoot("live-vote")

    # the chair closes the vote: the result, in words, on every tablet
    hall.run(CHAIR, cmd.CloseVote(key="shot-close-1", vote_id=first_vote))
    pump(until=lambda: panel.verdict != "")
    shoot("live-result")

    # the next vote opens while the Wi-Fi is away: the banner, and a ballot that waits
    hall.run(CHAIR, cmd.OpenVote(key="shot-open-2", item_id=11,
                                 question="Thông qua danh mục dự án khởi công mới năm 2027"))
    pump(until=lambda: "khởi công mới" in panel.vote_question and panel._option_buttons)
    hall.drop_all()
    gate = threading.Event()
    hall.loop.call_soon_threadsafe(gate.wait, 20)  # the hall stays out of reach meanwhile
    pump(until=lambda: panel.banner != "")
    vote(panel, "yes")
    pump(0.3)
    shoot("live-offline")
    gate.set()
    pump(until=lambda: panel.vote_recorded and panel.banner == "", timeout=20)
    panel.shown = False
    app.screens.current = "settings"
    pump(0.2)
    shoot("settings")
    app.dispatch("on_stop")

    chair = LiveClient(hall.url, SITTING, "chair-token")
    app = fresh_app(home / "chair", library=DemoLibrary(long_document_pages=23), live=chair)
    pump(until=lambda: chair.state is not None)
    hall.run(CHAIR, cmd.GrantFloor(key="shot-grant-1"))
    hall.run(DELEGATE_2, cmd.CastVote(key="shot-vote-4b", vote_id=hall.state.open_vote.vote_id,
                                      choice="no"))
    app.live_panel.shown = False
    app.screens.current = "chair"
    screen = app.screens.get_screen("chair")
    screen.ids.vote_question.text = ("Thông qua Nghị quyết về kế hoạch đầu tư công trung hạn "
                                     "giai đoạn 2026 - 2030 của xã Y Tý")
    pump(until=lambda: "Vàng A Chư" in screen.turn_text or "Lý Thị Mai" in screen.turn_text)
    pump(until=lambda: "2/4" in screen.vote_text)
    pump(0.3)
    shoot("chair")
    screen.ids.my_vote.trigger_action(0)  # the chair is a member too: the ballot slides in
    pump(until=lambda: app.live_panel.shown and app.live_panel._option_buttons)
    pump(0.3)
    shoot("chair-my-vote")
    app.live_panel.shown = False
    pump(0.2)
    screen.ask("close_vote")
    pump(0.3)
    shoot("chair-confirm-close")
    screen.confirm_popup.dismiss()
    app.dispatch("on_stop")
    hall.stop()
    return shots


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    for path in main(target):
        print(path)
