"""Settings: language, text size, dark mode, sign out and wipe this device."""

from __future__ import annotations

from kivy.app import App
from kivy.factory import Factory
from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.popup import Popup
from kivy.uix.screenmanager import Screen


class SettingsScreen(Screen):
    def set_language(self, language: str) -> None:
        app = App.get_running_app()
        app.lang = language
        app.save_settings()

    def back(self) -> None:
        app = App.get_running_app()
        app.save_settings()
        app.go("library" if app.library is not None else "first_start")

    def ask_wipe(self) -> None:
        app = App.get_running_app()
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
        wipe.bind(on_release=lambda *_: (popup.dismiss(), app.wipe_device()))
        popup.open()
