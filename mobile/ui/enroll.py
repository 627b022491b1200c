"""Enrolment (online login, once) and offline unlock with the local PIN."""

from __future__ import annotations

import os
from typing import Any

from kivy.app import App
from kivy.properties import BooleanProperty, OptionProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.core import account
from mobile.core.errors import CoreError
from mobile.ui.threads import background

DEFAULT_SERVER = os.environ.get("SUICHA_SERVER", "http://127.0.0.1:5000")


class EnrollScreen(Screen):
    mode = OptionProperty("login", options=["login", "unlock"])
    status = StringProperty("")
    busy = BooleanProperty(False)

    def prepare(self, mode: str | None = None, **_: Any) -> None:
        app = App.get_running_app()
        session = app.store.session() or {}
        if mode:
            self.mode = mode
        self.ids.server.text = session.get("server_url") or DEFAULT_SERVER
        self.ids.username.text = session.get("username") or ""
        for key in ("password", "pin", "pin2", "unlock_pin"):
            self.ids[key].text = ""
        self.status = ""

    def on_pre_enter(self, *_: Any) -> None:
        if not self.ids.server.text:
            self.prepare()

    # -- online login ---------------------------------------------------------

    def login(self) -> None:
        server = self.ids.server.text.strip()
        user = self.ids.username.text.strip()
        password = self.ids.password.text
        pin, pin2 = self.ids.pin.text.strip(), self.ids.pin2.text.strip()
        if not (server and user and password):
            self.status = "请填写服务器地址、用户名和密码"
            return
        if not (pin.isdigit() and 4 <= len(pin) <= 12):
            self.status = "请设置4至12位数字的本机PIN（离线时用它解锁）"
            return
        if pin != pin2:
            self.status = "两次输入的PIN不一致"
            return
        if not server.startswith(("http://", "https://")):
            server = "http://" + server
        app = App.get_running_app()
        self.busy, self.status = True, "正在连接服务器……"

        def work() -> None:
            account.login(app.store, server, user, password)
            account.set_pin(app.store, pin)

        background(work, self._logged_in, self._failed)

    def _logged_in(self, _: Any) -> None:
        self.busy, self.status = False, ""
        app = App.get_running_app()
        app.session_changed()
        app.sync_runner.start()  # first pull of my tasks (and anything queued)
        app.go("tasks")

    def _failed(self, message: str) -> None:
        self.busy, self.status = False, message

    # -- offline unlock -----------------------------------------------------

    def unlock(self) -> None:
        app = App.get_running_app()
        try:
            ok = account.unlock(app.store, self.ids.unlock_pin.text.strip())
        except CoreError as exc:
            self.status = exc.message
            self.mode = "login"
            return
        self.ids.unlock_pin.text = ""
        if not ok:
            self.status = "PIN不正确，请重试"
            return
        app.session_changed()
        app.go("tasks")


SCREEN = EnrollScreen
