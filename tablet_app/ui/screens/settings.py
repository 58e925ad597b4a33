"""Settings: language, text size, dark mode, the server's address, annotation backup,
sign out and wipe."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.metrics import dp
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.popup import Popup
from kivy.uix.screenmanager import Screen

from tablet_app.ui.app import close_then, in_background, running_app


class SettingsScreen(Screen):
    backup_message = StringProperty("")
    server_message = StringProperty("")

    def change_server(self, url: str) -> None:
        """The council moved (tablet_app/core/server_address.py): try the new address and
        keep it only if the server there answers as this device's server."""
        from tablet_app.core.server_address import change_server

        app = running_app()
        tablet = app.tablet
        if tablet is None:
            self.server_message = app.t("settings.server_needs_device")
            return
        self.server_message = app.t("common.wait")
        in_background(lambda: change_server(tablet, url), self._server_changed,
                      lambda error: setattr(self, "server_message", running_app().err(error)))

    def _server_changed(self, offered: list) -> None:
        app = running_app()
        self.server_message = app.t("settings.server_changed", n=len(offered))
        if app.tablet is not None:
            self.ids.server_address.text = app.tablet.server_url  # as kept
        if app.library is not None:
            app.screens.get_screen("library").refresh()

    def backup(self, phrase: str) -> None:
        """Seal every layer under the phrase on this device; the server stores the blob."""
        from tablet_app.core.annotation_backup import seal_backup, upload_backup

        app = running_app()
        tablet, annotations = app.tablet, app.annotations
        if tablet is None or annotations is None:
            self.backup_message = app.t("settings.backup_needs_device")
            return
        self.backup_message = app.t("common.wait")
        in_background(lambda: upload_backup(tablet.client, seal_backup(annotations, phrase)),
                      lambda _r: self._said("settings.backup_done"), self._backup_failed)

    def restore(self, phrase: str) -> None:
        from tablet_app.core.annotation_backup import fetch_and_restore

        app = running_app()
        tablet, annotations = app.tablet, app.annotations
        if tablet is None or annotations is None:
            self.backup_message = app.t("settings.backup_needs_device")
            return
        self.backup_message = app.t("common.wait")
        in_background(lambda: fetch_and_restore(tablet.client, annotations, phrase),
                      lambda n: self._said("settings.restore_done", n=n), self._backup_failed)

    def _said(self, key: str, **values: int) -> None:
        self.backup_message = running_app().t(key, **values)

    def _backup_failed(self, error: BaseException) -> None:
        self.backup_message = running_app().err(error)

    def set_language(self, language: str) -> None:
        app = running_app()
        app.lang = language
        app.save_settings()

    def back(self) -> None:
        app = running_app()
        app.save_settings()
        app.go("library" if app.library is not None else "first_start")

    def ask_wipe(self) -> None:
        app = running_app()
        t = app.t
        box = BoxLayout(orientation="vertical", spacing=dp(10), padding=dp(10))
        box.add_widget(Factory.Label(text=t("settings.wipe_confirm"), color=(1, 1, 1, 1),
                                     font_size=dp(17), text_size=(dp(560), None)))
        buttons = BoxLayout(size_hint_y=None, height=dp(52), spacing=dp(10))
        cancel = Factory.FlatButton(text=t("common.cancel"))
        wipe = Factory.TButton(text=t("settings.wipe"))
        buttons.add_widget(cancel)
        buttons.add_widget(wipe)
        box.add_widget(buttons)
        popup = Popup(title=t("settings.wipe"), content=box, size_hint=(0.5, 0.4))
        cancel.bind(on_release=lambda *_: popup.dismiss())
        wipe.bind(on_release=lambda *_: close_then(popup, app.wipe_device))
        popup.open()
