"""``python -m tablet_app``: start the delegate's app on a desktop.

``--demo`` opens the demo council's documents without a server; ``--live URL --token T``
follows a live sitting (``ws://host:8000/ws/sittings/7``); ``--folder`` keeps this
device's keys and packs somewhere other than ``~/.hdnd-tablet``.
"""

from __future__ import annotations

import argparse
import os


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tablet_app")
    parser.add_argument("--folder", default=None)
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--live", default=None, help="ws://host:port/ws/sittings/<id>")
    parser.add_argument("--token", default=os.environ.get("HDND_LIVE_TOKEN", ""))
    parser.add_argument("--size", default="1280x800")
    args = parser.parse_args(argv)
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    from kivy.config import Config

    width, height = args.size.split("x")
    Config.set("graphics", "width", width)
    Config.set("graphics", "height", height)
    Config.set("input", "mouse", "mouse,multitouch_on_demand")

    from tablet_app.core.live_client import LiveClient
    from tablet_app.ui.app import HdndApp
    from tablet_app.ui.library_model import DemoLibrary

    live = None
    if args.live:
        sitting_id = int(args.live.rstrip("/").rsplit("/", 1)[-1])
        live = LiveClient(args.live, sitting_id, args.token)
    app = HdndApp(args.folder, live=live, demo=args.demo)
    if args.demo:
        app.library = DemoLibrary(app.settings)
    app.run()


if __name__ == "__main__":
    main()
