"""Enrolment (online login, once) and offline unlock with the local PIN."""

from __future__ import annotations

import os
from typing import Any

from kivy.properties import BooleanProperty, OptionProperty, StringProperty

from mobile.core import account
from mobile.core.errors import CoreError, PinLockedError
from mobile.ui.threads import background
from mobile.ui.widgets import AppScreen

DEFAULT_SERVER = os.environ.get("SUICHA_SERVER", "http://127.0.0.1:5000")


class EnrollScreen(AppScreen):
    mode = OptionProperty("login", options=["login", "unlock"])
    status = StringProperty("")
    busy = BooleanProperty(False)
    # where 返回 leads from the login form: the PIN (offline work goes on) or the
    # sync screen; empty on a first start (nowhere to go back to)
    back = StringProperty("")

    def prepare(self, mode: str | None = None, back: str = "", **_: Any) -> None:
        app = self.app
        session = app.store.session() or {}
        if mode:
            self.mode = mode
        can_unlock = bool(session.get("pin_hash") and session.get("token"))
        self.back = back or ("unlock" if self.mode == "login" and can_unlock else "")
        self.ids.server.text = session.get("server_url") or DEFAULT_SERVER
        self.ids.username.text = session.get("username") or ""
        for key in ("password", "pin", "pin2", "unlock_pin"):
            self.ids[key].text = ""
        self.status = ""

    def go_back(self) -> None:
        """返回 from the login form: to the PIN, or to the screen that asked for it."""
        if self.back == "unlock":
            self.status, self.back = "", ""
            self.mode = "unlock"
        elif self.back:
            self.app.go(self.back)

    def relogin(self) -> None:
        self.status = ""
        self.mode = "login"
        session = self.app.store.session() or {}
        self.back = "unlock" if session.get("pin_hash") and session.get("token") else ""

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
        app = self.app
        self.busy, self.status = True, "正在连接服务器……"

        def work() -> None:
            account.login(app.store, server, user, password)
            account.set_pin(app.store, pin)

        background(work, self._logged_in, self._failed)

    def _logged_in(self, _: Any) -> None:
        self.busy, self.status = False, ""
        app = self.app
        app.session_changed()
        app.sync_runner.start()  # first pull of my tasks (and anything queued)
        app.go("tasks")

    def _failed(self, message: str) -> None:
        self.busy, self.status = False, message

    # -- offline unlock -----------------------------------------------------

    def unlock(self) -> None:
        app = self.app
        try:
            ok = account.unlock(app.store, self.ids.unlock_pin.text.strip())
        except PinLockedError as exc:  # a timed lock: still offline, just wait
            self.ids.unlock_pin.text = ""
            self.status = exc.message
            return
        except CoreError as exc:
            self.status = exc.message
            self.mode, self.back = "login", ""
            return
        self.ids.unlock_pin.text = ""
        if not ok:
            self.status = f"PIN不正确，还可尝试 {account.pin_tries_left(app.store)} 次"
            return
        app.session_changed()
        app.go("tasks")


SCREEN = EnrollScreen
