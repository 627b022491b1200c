"""Signatures: both officers and the enterprise's responsible person sign on a
canvas; the drawing is saved as a PNG and becomes evidence like a photo."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.graphics import Color, Line
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from mobile.core.errors import CoreError

MIN_POINTS = 8  # fewer touch points than this is a tap, not a signature


class SignaturePad(Widget):
    """Draw with a finger or stylus; strokes stay inside the pad."""

    points = NumericProperty(0)

    def on_touch_down(self, touch: Any) -> bool:
        if not self.collide_point(*touch.pos) or self.disabled:
            return False
        touch.grab(self)
        with self.canvas:
            Color(0.05, 0.05, 0.2, 1)
            touch.ud["sig_line"] = Line(points=[*touch.pos], width=2.2)
        self.points += 1
        return True

    def on_touch_move(self, touch: Any) -> bool:
        if touch.grab_current is not self or "sig_line" not in touch.ud:
            return False
        x = min(max(touch.x, self.x), self.right)
        y = min(max(touch.y, self.y), self.top)
        touch.ud["sig_line"].points += [x, y]
        self.points += 1
        return True

    def on_touch_up(self, touch: Any) -> bool:
        if touch.grab_current is self:
            touch.ungrab(self)
            return True
        return False

    def clear(self) -> None:
        self.canvas.clear()
        self.points = 0


class SignatureScreen(Screen):
    uuid = StringProperty("")
    signers = ListProperty([])  # dicts: key, role, name, cert_no, signed
    current = StringProperty("")  # signer key being signed for
    status = StringProperty("")
    locked = BooleanProperty(False)

    def prepare(self, uuid: str | None = None, **_: Any) -> None:
        self.uuid = uuid or self.uuid or App.get_running_app().record_uuid
        rec = App.get_running_app().inspections.view(self.uuid)
        signed = {s["signer_key"]: s for s in rec["signatures"]}
        ent_name = signed["enterprise"]["name"] if "enterprise" in signed else ""
        self.ids.ent_name.text = ent_name or rec["package"]["enterprise"].get("legal_rep") or ""
        self.signers = [
            {
                "key": m["cert_no"],
                "role": "inspector",
                "name": m["name"],
                "cert_no": m["cert_no"],
                "label": f"执法人员 {m['name']}",
                "signed": m["cert_no"] in signed,
            }
            for m in rec["package"]["team"]
        ] + [
            {
                "key": "enterprise",
                "role": "enterprise",
                "name": ent_name,
                "cert_no": None,
                "label": "被检查单位负责人",
                "signed": "enterprise" in signed,
            }
        ]
        self.locked = rec["locked"]
        todo = [s["key"] for s in self.signers if not s["signed"]]
        self.select(todo[0] if todo else self.signers[0]["key"])

    def select(self, key: str) -> None:
        self.current = key
        self.ids.pad.clear()
        self.status = ""

    def signer(self) -> dict[str, Any]:
        return next(s for s in self.signers if s["key"] == self.current)

    def confirm(self) -> None:
        pad, who = self.ids.pad, self.signer()
        if pad.points < MIN_POINTS:
            self.status = "请在签名框内签名后再确认"
            return
        name = self.ids.ent_name.text if who["role"] == "enterprise" else who["name"]
        app = App.get_running_app()
        path = Path(tempfile.mkdtemp(dir=app.store.data_dir)) / "signature.png"
        pad.export_to_png(str(path))
        try:
            app.inspections.add_signature(
                self.uuid, role=who["role"], name=name, image=path, cert_no=who["cert_no"]
            )
        except CoreError as exc:
            self.status = exc.message
            return
        finally:
            path.unlink(missing_ok=True)
            path.parent.rmdir()
        self.prepare(self.uuid)
        self.status = f"{who['label']}已签名"
        app.refresh_counts()


SCREEN = SignatureScreen
