"""Thin controllers of the app's screens; the layout of each is in ``ui/kv``."""

from tablet_app.ui.screens.auth import FirstStartScreen, PinScreen
from tablet_app.ui.screens.chair import ChairScreen
from tablet_app.ui.screens.library import LibraryScreen
from tablet_app.ui.screens.reader import ReaderScreen
from tablet_app.ui.screens.settings import SettingsScreen

__all__ = ["ChairScreen", "FirstStartScreen", "LibraryScreen", "PinScreen", "ReaderScreen",
           "SettingsScreen"]
