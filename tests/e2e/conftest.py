"""A real Kivy window, offscreen (SDL2 on Mesa's llvmpipe), and the app running in it.

The window is made once per test run (SDL allows one per process); each test gets a
fresh ``HdndApp`` built into it and torn down after. Tests drive the app by events
(key presses, touches through the window) and ``pump()`` frames until what a user
would see is there.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

WIDTH, HEIGHT = 1280, 800


def _configure_kivy(home: Path) -> None:
    os.environ["KIVY_NO_ARGS"] = "1"
    os.environ["KIVY_HOME"] = str(home)
    os.environ.setdefault("KIVY_WINDOW", "sdl2")
    os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")


@pytest.fixture(scope="session")
def kivy_window(tmp_path_factory: pytest.TempPathFactory):
    """The one offscreen window; fails loudly if the graphics stack is missing."""
    _configure_kivy(tmp_path_factory.mktemp("kivy-home"))
    from kivy.config import Config

    Config.set("graphics", "width", str(WIDTH))
    Config.set("graphics", "height", str(HEIGHT))
    Config.set("graphics", "resizable", "0")
    Config.set("input", "mouse", "")  # no real mouse provider offscreen
    from kivy.base import EventLoop

    EventLoop.ensure_window()
    window = EventLoop.window
    if window is None:
        pytest.fail("no Kivy window: install libegl1 and libgl1-mesa-dri (make system-deps)")
    window.size = (WIDTH, HEIGHT)
    return window


def pump(seconds: float = 0.0, until: Callable[[], bool] | None = None,
         timeout: float = 10.0) -> None:
    """Run the Kivy loop: for ``seconds``, or until ``until()`` holds (or fail)."""
    from kivy.base import EventLoop

    deadline = time.monotonic() + (timeout if until else seconds)
    while True:
        EventLoop.idle()
        if until is not None and until():
            return
        if time.monotonic() > deadline:
            if until is not None:
                raise AssertionError(f"timed out waiting for {until}")
            return
        time.sleep(0.005)


@pytest.fixture
def make_app(kivy_window, tmp_path: Path) -> Iterator[Callable]:
    """Build an ``HdndApp`` into the window; torn down after the test."""
    from kivy.app import App

    made = []

    def build(**kwargs):
        from kivy.lang import global_idmap

        from tablet_app.ui.app import HdndApp

        kwargs.setdefault("annotation_key", bytes(range(32)))
        # kv rules' "app" must be this app, not one of an earlier test still cached
        object.__setattr__(global_idmap["app"], "_obj", None)
        app = HdndApp(kwargs.pop("folder", tmp_path / "device"), **kwargs)
        app._run_prepare()
        made.append(app)
        pump(0.1)
        return app

    yield build
    for app in made:
        app.dispatch("on_stop")
        for child in list(kivy_window.children):
            kivy_window.remove_widget(child)
        App._running_app = None
    pump(0.05)


def screenshot(window, path: Path) -> Path:
    """Save what the window shows now as a PNG (exactly ``path``)."""
    pump(0.2)
    produced = window.screenshot(str(path))
    os.replace(produced, path)
    return path


# The browser tests' server and Chromium (tests/e2e/web_conftest.py), shared by the package.
from tests.e2e.web_conftest import browser, page, web_server  # noqa: E402, F401
