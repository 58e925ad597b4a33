"""First start (enrol with the code, choose a PIN twice) and PIN unlock."""

from __future__ import annotations

from pathlib import Path

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from tablet_app.ui.app import close_then, in_background, running_app
from tablet_app.ui.library_model import DemoLibrary


class FirstStartScreen(Screen):
    message = StringProperty("")
    busy = BooleanProperty(False)

    def enrol(self) -> None:
        app = running_app()
        ids = self.ids
        server, code = ids.server.text.strip(), ids.code.text.strip()
        if not server or not code:
            self.message = app.t("first.missing")
            return
        if ids.pin.text != ids.pin_again.text:
            self.message = app.t("first.pin_mismatch")
            return
        from tablet_app.core.enrol import enrol

        self.busy, self.message = True, ""
        app.settings.server_url = server
        pin, label = ids.pin.text, ids.label.text.strip() or "tablet"
        in_background(lambda: enrol(server, code, label, pin, app.folder),
                      self._enrolled, self._failed)

    def choose_qr_image(self) -> None:
        """Pick a photo or scan of the QR code the office printed (a file on the device)."""
        from kivy.uix.filechooser import FileChooserListView
        from kivy.uix.popup import Popup

        app = running_app()
        chooser = FileChooserListView(path=str(Path.home()),
                                      filters=["*.png", "*.jpg", "*.jpeg", "*.webp"])
        popup = Popup(title=app.t("first.qr"), content=chooser, size_hint=(0.8, 0.8))
        chooser.bind(on_submit=lambda _c, selection, _t: close_then(
            popup, lambda: self.use_qr_image(selection[0])))
        popup.open()

    def use_qr_image(self, path: str | Path) -> None:
        """Fill the server address and the code from a QR image file."""
        from tablet_app.core.enrol_qr import read_enrolment_qr

        app = running_app()
        in_background(lambda: read_enrolment_qr(path), self._qr_read, self._failed)
        self.message = app.t("common.wait")

    def _qr_read(self, found) -> None:  # tablet_app.core.enrol_qr.EnrolmentQr
        self.ids.server.text, self.ids.code.text = found.server_url, found.code
        self.message = running_app().t("first.qr_read")

    def _enrolled(self, tablet) -> None:
        self.busy = False
        running_app().unlocked(tablet)

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.message = running_app().err(error)

    def demo(self) -> None:
        app = running_app()
        app.library = DemoLibrary(app.settings)
        app.demo = True
        app._library_ready()


class PinScreen(Screen):
    message = StringProperty("")
    busy = BooleanProperty(False)

    def on_pre_enter(self, *_: object) -> None:
        from tablet_app.core.keystore import KeyStore
        from tablet_app.core.orders import check_orders_before_unlock

        app = running_app()
        left = KeyStore.attempts_left(app.folder)
        self.message = app.t("pin.attempts_left", left=left) if left < 10 else ""
        # A lost tablet switched on by a stranger: the office's wipe order is obeyed now,
        # before anyone types a PIN (the order key is outside the PIN seal).
        folder = app.folder
        in_background(lambda: check_orders_before_unlock(folder), lambda _orders: None,
                      self._orders_refused)

    def _orders_refused(self, error: BaseException) -> None:
        from tablet_app.core.sync import DeviceWiped

        if isinstance(error, DeviceWiped):
            running_app().remotely_wiped(error)
        # anything else (offline, an older enrolment, an unsigned answer) changes nothing:
        # the reader works offline, and the PIN is still asked

    def unlock(self) -> None:
        from tablet_app.core.sync import Tablet

        app = running_app()
        pin = self.ids.pin.text
        if not pin.strip():  # an empty PIN is a slip, not a guess: it never counts
            self.message = app.t("pin.empty")
            return
        self.busy, self.message = True, ""
        in_background(lambda: Tablet.open(app.folder, pin), self._opened, self._failed)

    def _opened(self, tablet) -> None:
        self.busy = False
        self.ids.pin.text = ""
        running_app().unlocked(tablet)

    def _failed(self, error: BaseException) -> None:
        from tablet_app.core.keystore import StoreWiped, WrongPin

        app = running_app()
        self.busy = False
        self.ids.pin.text = ""
        if isinstance(error, WrongPin):
            self.message = app.t("pin.wrong", left=error.attempts_left)
        elif isinstance(error, StoreWiped):
            self.message = app.err(error)
            app.go("first_start")
        else:
            self.message = app.err(error)
