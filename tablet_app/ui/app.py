"""The Kivy application: screens, theme, language, and the wiring to the core.

Screens are ``.kv`` rules (``tablet_app/ui/kv``) with thin controllers (``screens/``);
everything that is not drawing lives in ``tablet_app.core``. A tap flows widget ->
controller -> core call (on a worker thread when it may block) -> result back on the UI
thread with ``Clock.schedule_once``.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import LabelBase
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from shared.crypto.encoding import b64url_decode, b64url_encode
from tablet_app.core.annotation_store import KEY_NAME, AnnotationStore
from tablet_app.core.i18n import error_text, translate
from tablet_app.core.live_client import LiveClient
from tablet_app.core.settings import AppSettings
from tablet_app.ui.library_model import Library, TabletLibrary

if TYPE_CHECKING:  # the app module stays light to import; these are only for the checker
    from tablet_app.core.assistant import PackAssistant
    from tablet_app.core.ballot_client import BallotClient
    from tablet_app.core.constituency_petitions import PetitionBook
    from tablet_app.core.live_credentials import DeviceCredentials, LiveSitting
    from tablet_app.core.my_questions import QuestionBook
    from tablet_app.core.my_record import MyRecordBook
    from tablet_app.core.sync import Tablet
    from tablet_app.ui.screens.live_panel import LivePanel

KV_DIR = Path(__file__).resolve().parent / "kv"
KV_FILES = ("common.kv", "first_start.kv", "pin.kv", "library.kv", "reader.kv",
            "live_panel.kv", "chair.kv", "settings.kv", "ballot.kv", "my_record.kv",
            "my_questions.kv")
ANNOTATION_KEY_NAME = KEY_NAME  # tablet_app.core.annotation_store

LIGHT = {"bg": (0.96, 0.96, 0.95, 1), "card": (1, 1, 1, 1), "fg": (0.1, 0.1, 0.12, 1),
         "muted": (0.4, 0.42, 0.45, 1), "accent": (0.66, 0.1, 0.12, 1),
         "bar": (0.66, 0.1, 0.12, 1), "bar_fg": (1, 1, 1, 1), "page_bg": (0.82, 0.82, 0.8, 1),
         "on_accent": (1, 1, 1, 1)}
DARK = {"bg": (0.1, 0.1, 0.11, 1), "card": (0.17, 0.17, 0.19, 1), "fg": (0.92, 0.92, 0.9, 1),
        "muted": (0.62, 0.63, 0.66, 1), "accent": (0.95, 0.55, 0.45, 1),
        "bar": (0.22, 0.08, 0.09, 1), "bar_fg": (0.95, 0.92, 0.9, 1),
        "page_bg": (0.05, 0.05, 0.06, 1),
        "on_accent": (0.12, 0.04, 0.04, 1)}  # dark text on the light accent: readable


SITTING_POLL_S = 20.0  # how often the Library asks which sittings are open


def default_folder() -> Path:
    from tablet_app.core.settings import data_folder

    return data_folder()


def on_ui(function: Callable[..., Any]) -> Callable[..., None]:
    """Wrap a callback made on another thread so it runs on Kivy's thread."""
    def call(*args: Any) -> None:
        Clock.schedule_once(lambda _dt: function(*args), 0)
    return call


def in_background(work: Callable[[], Any], done: Callable[[Any], None],
                  failed: Callable[[BaseException], None]) -> threading.Thread:
    """Run blocking work (scrypt, network, decryption) off the UI thread."""
    def run() -> None:
        try:
            result = work()
        except BaseException as error:  # every failure is shown to the user
            # bind now: the name ``error`` is unbound once the except block ends
            Clock.schedule_once(lambda _dt, e=error: failed(e), 0)
        else:
            Clock.schedule_once(lambda _dt: done(result), 0)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def close_then(popup: Any, step: Callable[[], object]) -> None:
    """A popup's button: close the popup, then do what the button says."""
    popup.dismiss()
    step()


def typing_somewhere() -> bool:
    """Whether a text field anywhere in the window (popups included) has the focus."""
    from kivy.uix.textinput import TextInput

    return any(isinstance(w, TextInput) and w.focus
               for child in Window.children for w in child.walk())


KEY_ESCAPE = 27  # Esc on a keyboard, Back on Android


class Root(FloatLayout):
    """Screens underneath, the live panel sliding over them."""


class HdndApp(App):
    """The one app of the process; screens reach it through ``running_app()``.

    Everything a screen may ask of it is declared here with a default (no ``getattr``
    probes), and the one way out of an unlocked device is ``_forget_device``."""

    lang = StringProperty("vi")
    text_scale = NumericProperty(1.0)
    dark = BooleanProperty(False)
    dark_page = StringProperty("dim")  # the document's page in dark mode (paper/dim/invert)
    theme = ListProperty([])  # changes whenever colours change, so kv rules re-read c()
    link_status = StringProperty("stopped")
    is_chair = BooleanProperty(False)
    follow_presenter = BooleanProperty(True)  # jump with the presenter's FollowMe events
    tablet: Tablet | None = ObjectProperty(None, allownone=True)  # once unlocked
    sittings: list[LiveSitting] = ListProperty([])  # the owner may attend (open first)
    joined_sitting = NumericProperty(0)  # the sitting the live client follows (0: none)
    join_problem = StringProperty("")  # why joining failed, in words
    live_panel: LivePanel  # made by build(), like the screens

    def __init__(self, folder: str | os.PathLike[str] | None = None, *,
                 library: Library | None = None, live: LiveClient | None = None,
                 annotation_key: bytes | None = None, demo: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.folder = Path(folder) if folder else default_folder()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.settings = AppSettings.load(self.folder)
        self.library: Library | None = library
        self.live = live
        self.demo = demo
        self._annotation_key = annotation_key
        self.annotations: AnnotationStore | None = None
        self.credentials: DeviceCredentials | None = None  # once unlocked
        self._screens: ScreenManager | None = None  # made by build()
        self.leave_popup: Any = None  # the "leave the app?" question while it is open
        self._ballot_client: BallotClient | None = None  # see ``ballot_client``
        # The delegate's books; None means "the unlocked tablet's" (tests give their own).
        self.my_record_book: MyRecordBook | None = None
        self.question_book: QuestionBook | None = None
        self.petition_book: PetitionBook | None = None
        # the reader's assistant, kept per (library, language): its index is built once
        self.assistant_cache: tuple[tuple[int, str], PackAssistant] | None = None
        self._finding = False
        self.title = "HĐND điện tử"
        self.lang = self.settings.language
        self.text_scale = self.settings.text_scale
        self.dark = self.settings.dark_mode
        self.dark_page = self.settings.dark_page
        self._apply_theme()

    # --- words, colours, sizes used by the kv rules --------------------------------------

    def t(self, key: str, _lang: str | None = None, /, **values: Any) -> str:
        """kv rules pass ``app.lang`` as ``_lang`` so that they re-read on a switch."""
        return translate(key, _lang or self.lang, **values)

    def err(self, error: BaseException) -> str:
        return error_text(error, self.lang)

    def c(self, name: str, _theme: Any = None) -> tuple[float, ...]:
        return (DARK if self.dark else LIGHT)[name]

    def _apply_theme(self) -> None:
        self.theme = list((DARK if self.dark else LIGHT)["bg"])
        Window.clearcolor = self.theme

    def on_dark(self, *_: Any) -> None:
        self._apply_theme()
        self.on_dark_page()

    def on_dark_page(self, *_: Any) -> None:
        self.settings.dark_page = self.dark_page
        if self.has_screens:  # the page darkens with the chrome
            self.screens.get_screen("reader").apply_page_look(self)

    # --- life cycle -----------------------------------------------------------------------

    @property
    def has_screens(self) -> bool:
        """Whether ``build()`` made the screens (property changes arrive before it)."""
        return self._screens is not None

    @property
    def screens(self) -> ScreenManager:
        """Every screen lives here; no screen exists before ``build()`` made it."""
        if self._screens is None:
            raise RuntimeError("the app is not built yet")
        return self._screens

    def build(self) -> Root:
        LabelBase.register("Roboto", **_roboto())  # Kivy's Roboto has every Vietnamese letter
        for name in KV_FILES:  # once per process: a second App (tests) reuses the rules
            path = str(KV_DIR / name)
            if path not in Builder.files:
                Builder.load_file(path)
        from tablet_app.ui.screens import (
            ChairScreen,
            FirstStartScreen,
            LibraryScreen,
            PinScreen,
            ReaderScreen,
            SettingsScreen,
        )
        from tablet_app.ui.screens.ballot import BallotScreen, CommitteeScreen
        from tablet_app.ui.screens.live_panel import LivePanel
        from tablet_app.ui.screens.my_questions import MyQuestionsScreen, PetitionsScreen
        from tablet_app.ui.screens.my_record import MyRecordScreen

        root = Root()
        self._screens = ScreenManager(transition=NoTransition())
        for screen in (FirstStartScreen(name="first_start"), PinScreen(name="pin"),
                       LibraryScreen(name="library"), ReaderScreen(name="reader"),
                       ChairScreen(name="chair"), SettingsScreen(name="settings"),
                       BallotScreen(name="ballot"), CommitteeScreen(name="committee"),
                       MyRecordScreen(name="my_record"), MyQuestionsScreen(name="my_questions"),
                       PetitionsScreen(name="petitions")):
            self.screens.add_widget(screen)
        root.add_widget(self.screens)
        self.live_panel = LivePanel()
        root.add_widget(self.live_panel)
        if self.library is not None:
            self._library_ready()
        elif _keystore_exists(self.folder):
            self.screens.current = "pin"
        else:
            self.screens.current = "first_start"
        if self.live is not None:
            self.attach_live(self.live)
        Clock.schedule_interval(lambda _dt: self.find_sittings(), SITTING_POLL_S)
        Window.bind(on_keyboard=self._back_key)
        return root

    def _back_key(self, _window: Any, key: int, *_args: Any) -> bool:
        """Esc / Android Back goes back one step; leaving the app asks first."""
        if key != KEY_ESCAPE or app_if_running() is not self:
            return False
        from kivy.uix.modalview import ModalView

        if any(isinstance(w, ModalView) for w in Window.children):
            return False  # an open popup closes itself
        if self.live_panel.shown:
            self.live_panel.shown = False
        elif self.screens.current in ("reader", "chair", "settings", "ballot", "committee",
                                       "my_record", "my_questions", "petitions"):
            self.go("library")
        else:
            self.ask_to_leave()
        return True  # never Kivy's default: closing the app at once

    def ask_to_leave(self) -> None:
        from kivy.factory import Factory
        from kivy.uix.boxlayout import BoxLayout
        from kivy.uix.popup import Popup

        box = BoxLayout(orientation="vertical", spacing=12, padding=12)
        box.add_widget(Factory.TLabel(text=self.t("app.leave_question")))
        buttons = BoxLayout(spacing=12, size_hint_y=None, height=56)
        stay = Factory.TButton(text=self.t("app.stay"))
        leave = Factory.TButton(text=self.t("app.leave"))
        buttons.add_widget(stay)
        buttons.add_widget(leave)
        box.add_widget(buttons)
        popup = Popup(title=self.t("app.leave_title"), content=box, size_hint=(0.5, 0.35))
        stay.bind(on_release=lambda _b: popup.dismiss())
        leave.bind(on_release=lambda _b: self.stop())
        self.leave_popup = popup
        popup.open()

    def on_stop(self) -> None:
        self._close_open_things()
        self.save_settings()

    def _close_open_things(self) -> None:
        """The open document, the live link and the tablet's connection (stop and wipe)."""
        if self.has_screens:
            self.screens.get_screen("reader").close_document()
        if self.live is not None:
            self.live.stop()
        if self.tablet is not None:
            self.tablet.close()

    def save_settings(self) -> None:
        self.settings.language = self.lang
        self.settings.text_scale = float(self.text_scale)
        self.settings.dark_mode = bool(self.dark)
        self.settings.save(self.folder)

    # --- after enrolment or unlock ---------------------------------------------------------

    def unlocked(self, tablet: Tablet) -> None:
        """Called with an open ``tablet_app.core.sync.Tablet``."""
        from tablet_app.core.live_credentials import DeviceCredentials

        self.tablet = tablet
        self.library = TabletLibrary(tablet, self.settings)
        self.credentials = DeviceCredentials(lambda: tablet.client)
        self._annotation_key = self._key_from_store(tablet.keystore)
        self._library_ready()
        self.find_sittings()

    def _key_from_store(self, keystore: Any) -> bytes:
        # the layer key lives sealed in the PIN-protected key store, made once per device
        stored = keystore.value(ANNOTATION_KEY_NAME)
        if stored:
            return b64url_decode(stored)
        key = secrets.token_bytes(32)
        keystore.set_value(ANNOTATION_KEY_NAME, b64url_encode(key))
        keystore.save()
        return key

    def _library_ready(self) -> None:
        key = self._annotation_key or secrets.token_bytes(32)  # demo: this run only
        self.annotations = AnnotationStore(self.folder, key)
        self.screens.get_screen("library").refresh()
        self.screens.current = "library"

    def go(self, name: str) -> None:
        self.screens.current = name

    # --- the live sitting --------------------------------------------------------------------

    def find_sittings(self) -> None:
        """Ask (device-signed) which sittings the owner may attend; join an open one by
        itself when not following any. Quiet when offline: the Library says so."""
        tablet = self.tablet
        if tablet is None or self._finding:
            return
        from tablet_app.core.live_credentials import LiveSitting

        self._finding = True

        def found(rows: Any) -> None:
            self._finding = False
            if self.tablet is not tablet:
                return
            self.sittings = [LiveSitting.of(r) for r in rows]
            self._refresh_library()
            following = self.live is not None and self.link_status not in ("stopped",
                                                                           "refused")
            opened = [s for s in self.sittings if s.status == "open"]
            if opened and not following and not self.join_problem:
                self.join_sitting(opened[0].sitting_id, show=False)

        def failed(error: BaseException) -> None:
            self._finding = False
            from tablet_app.core.live_credentials import is_final_refusal

            if is_final_refusal(error):
                self.join_problem = self.err(error)
                self._refresh_library()

        in_background(lambda: tablet.client.sittings(), found, failed)

    def join_sitting(self, sitting_id: int, show: bool = True) -> None:
        """Follow ``sitting_id`` with credentials from the device key (no sign-in)."""
        if self.tablet is None or self.credentials is None:
            return
        if self.live is not None and self.joined_sitting == sitting_id \
                and self.link_status not in ("stopped", "refused"):
            if show:
                self.open_sitting_view()
            return
        if self.live is not None:
            self.live.stop()
        self.join_problem = ""
        client = LiveClient.for_server(self.tablet.server_url, sitting_id,
                                       credentials=self.credentials)
        self.joined_sitting = sitting_id
        self.attach_live(client)
        self._refresh_library()
        if show:
            self.open_sitting_view()

    def open_sitting_view(self) -> None:
        """The chair goes to the console, a delegate sees the live panel."""
        entry = next((s for s in self.sittings if s.sitting_id == self.joined_sitting), None)
        if self.is_chair or (entry is not None and entry.chair):
            self.go("chair")
        else:
            self.live_panel.shown = True

    def _refresh_library(self) -> None:
        if not self.has_screens:
            return
        library = self.screens.get_screen("library")
        if self.screens.current == "library":
            library.refresh()

    def attach_live(self, client: LiveClient) -> None:
        from tablet_app.core.live_client import Callbacks

        self.live = client
        client.callbacks = Callbacks(on_state=on_ui(self._state_changed),
                                     on_link=on_ui(self._link_changed),
                                     on_command=on_ui(self._command_changed))
        client.start()

    @property
    def ballot_client(self) -> BallotClient | None:
        """One per unlocked run, made once a live client exists: a committee member's
        secret share lives in it (and, sealed, in the PIN-protected key store when the
        tablet is enrolled) until the partial is sent."""
        if self._ballot_client is None and self.live is not None:
            from tablet_app.core.ballot_client import BallotClient, http_for_live

            keystore = self.tablet.keystore if self.tablet is not None else None
            self.use_ballot_client(BallotClient(http_for_live(self.live), keystore))
        return self._ballot_client

    def use_ballot_client(self, client: BallotClient | None) -> None:
        """Set (or, with None, drop) the ballot client the ballot screens use."""
        self._ballot_client = client

    def _command_changed(self, pending: Any) -> None:
        """A refusal is shown where the person is looking: the panel and the console."""
        if app_if_running() is not self:
            return
        self.live_panel.command_changed(pending)
        self.screens.get_screen("chair").command_changed(pending)

    def _state_changed(self, state: Any) -> None:
        from tablet_app.ui.screens.ballot import ballot_state_changed

        self.live_panel.state_changed(state)
        ballot_state_changed(self, state)  # the verifiable ballot's screens

    def _link_changed(self, info: Any) -> None:
        if app_if_running() is not self:
            return
        self.link_status = info.status
        if info.status == "refused":
            self.join_problem = self.link_words(info)
            self._refresh_library()
        self.live_panel.link_changed(info)
        chair = self.screens.get_screen("chair")
        chair.link_changed(info)

    def link_words(self, info: Any) -> str:
        """Why the link was refused, in the person's language (the server's own words)."""
        said = info.message_vi if self.lang == "vi" else info.message_en
        return said or self.t("live.refused")

    def wipe_device(self) -> None:
        """Settings' "sign out and wipe": keys, packs, annotations and settings go."""
        if self.annotations is not None:
            self.annotations.wipe()
        if self.tablet is not None:
            self.tablet.wipe()
        (self.folder / "settings.json").unlink(missing_ok=True)
        self.settings = AppSettings()
        self._forget_device()

    def remotely_wiped(self, error: BaseException) -> None:
        """The core carried out the office's wipe order (keys and packs are gone): start
        again at enrolment, saying why."""
        self._forget_device(why=self.err(error))

    def _forget_device(self, why: str = "") -> None:
        """The one teardown of both wipes: close what is open, drop everything that
        belonged to the device, and show enrolment (with ``why``, if there is a reason)."""
        self._close_open_things()
        self.tablet, self.library, self.annotations = None, None, None
        self.credentials, self._annotation_key = None, None
        self.live = None
        self.use_ballot_client(None)
        self.assistant_cache = None
        self.sittings, self.joined_sitting, self.join_problem = [], 0, ""
        first = self.screens.get_screen("first_start")
        first.message = why
        self.screens.current = "first_start"


def running_app() -> HdndApp:
    """The app this process runs, typed: how screens and widgets reach it. A widget only
    exists inside a running app, so this is not None there; an answer from a worker
    thread that may arrive after the app stopped asks ``app_if_running()`` instead."""
    app = App.get_running_app()
    if not isinstance(app, HdndApp):
        raise RuntimeError("no HdndApp is running")
    return app


def app_if_running() -> HdndApp | None:
    """The running app, or None once it stopped (a late callback then does nothing)."""
    app = App.get_running_app()
    return app if isinstance(app, HdndApp) else None


def _keystore_exists(folder: Path) -> bool:
    from tablet_app.core.keystore import KeyStore

    return KeyStore.exists(folder)


def _roboto() -> dict[str, str]:
    import kivy

    fonts = Path(kivy.__file__).parent / "data" / "fonts"
    return {"fn_regular": str(fonts / "Roboto-Regular.ttf"),
            "fn_bold": str(fonts / "Roboto-Bold.ttf"),
            "fn_italic": str(fonts / "Roboto-Italic.ttf"),
            "fn_bolditalic": str(fonts / "Roboto-BoldItalic.ttf")}
