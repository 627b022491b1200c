"""Signatures: both officers and the enterprise's responsible person sign on a
canvas; the drawing is saved as a PNG and becomes evidence like a photo."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from kivy.graphics import Color, Line
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.widget import Widget

from mobile.core.errors import CoreError
from mobile.core.summary import build_summary, content_problems, signature_states
from mobile.ui.widgets import AppScreen, cjk_wrap

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


class SignatureScreen(AppScreen):
    uuid = StringProperty("")
    signers = ListProperty([])  # dicts: key, role, name, cert_no, label, state
    current = StringProperty("")  # signer key being signed for
    status = StringProperty("")
    locked = BooleanProperty(False)
    blocked = StringProperty("")  # why nobody may sign yet (the record is incomplete)
    record_text = StringProperty("")  # what the enterprise's person reads before signing
    refusing = BooleanProperty(False)  # 拒签: reason + witness, the witness signs
    instruction = StringProperty("")  # who signs now, or that everyone has

    def prepare(self, uuid: str | None = None, **_: Any) -> None:
        self.uuid = uuid or self.uuid or self.app.record_uuid
        rec = self.app.inspections.view(self.uuid)
        signed = {s["signer_key"]: s for s in rec["signatures"]}
        states = signature_states(rec)
        ent = signed.get("enterprise")
        ent_name = ent["name"] if ent else ""
        self.ids.ent_name.text = ent_name or rec["package"]["enterprise"].get("legal_rep") or ""
        self.signers = [
            {"key": m["cert_no"], "role": "inspector", "name": m["name"], "cert_no": m["cert_no"],
             "label": f"执法人员 {m['name']}", "state": states.get(m["cert_no"], "")}
            for m in rec["package"]["team"]
        ] + [
            {"key": "enterprise", "role": "enterprise", "name": ent_name, "cert_no": None,
             "label": "被检查单位负责人",
             "state": ("refused_" if ent and ent.get("refused") else "")
             + states.get("enterprise", "")}
        ]  # fmt: skip
        self.locked = rec["locked"]
        missing = content_problems(rec)
        self.blocked = (
            "记录尚不完整，完成以下各项后才能签名：\n" + "\n".join(f"· {m}" for m in missing)
            if missing and not self.locked
            else ""
        )
        self.record_text = cjk_wrap(build_summary(rec).text)
        todo = [s["key"] for s in self.signers if s["state"] not in ("valid", "refused_valid")]
        # Everyone signed: no pad is offered (a re-sign is chosen, never invited).
        self.select(todo[0] if todo else "")

    def select(self, key: str) -> None:
        self.current = key
        self.refusing = False
        self.ids.pad.clear()
        self.status = ""
        self._instruct()

    def signer(self) -> dict[str, Any]:
        return next(s for s in self.signers if s["key"] == self.current)

    @property
    def all_signed(self) -> bool:
        return bool(self.signers) and all(
            s["state"] in ("valid", "refused_valid") for s in self.signers)

    def on_refusing(self, *_: Any) -> None:
        self._instruct()

    def _instruct(self) -> None:
        if self.blocked:
            self.instruction = ""
        elif not self.current:
            n = len(self.signers)
            self.instruction = (f"签名已齐（{n}/{n}），可以预览并完成。"
                                "如需重签，请先在左侧选择签名人。") if self.all_signed else ""
        elif self.refusing:
            self.instruction = "请见证人在下框内签名"
        else:
            self.instruction = f"请{self.signer()['label']}在下框内签名"

    def confirm(self) -> None:
        if not self.current:
            return
        pad, who = self.ids.pad, self.signer()
        if self.blocked:
            self.status = "记录尚不完整，不能签名"
            return
        if self.refusing and not (self.ids.refusal_reason.text.strip()
                                  and self.ids.witness.text.strip()):  # fmt: skip
            self.status = "请填写拒签理由和见证人姓名，并由见证人在框内签名"
            return
        if pad.points < MIN_POINTS:
            self.status = "请在签名框内签名后再确认"
            return
        name = self.ids.ent_name.text if who["role"] == "enterprise" else who["name"]
        app = self.app
        path = Path(tempfile.mkdtemp(dir=app.store.data_dir)) / "signature.png"
        pad.export_to_png(str(path))
        try:
            if self.refusing:
                app.inspections.refuse_signature(
                    self.uuid, name=name, reason=self.ids.refusal_reason.text,
                    witness=self.ids.witness.text, image=path,
                )  # fmt: skip
            else:
                app.inspections.add_signature(
                    self.uuid, role=who["role"], name=name, image=path, cert_no=who["cert_no"]
                )
        except CoreError as exc:
            self.status = exc.message
            return
        finally:
            path.unlink(missing_ok=True)
            path.parent.rmdir()
        done = (
            f"{who['label']}拒签已记录（见证人已签名）"
            if self.refusing
            else f"{who['label']}已签名"
        )
        self.prepare(self.uuid)
        self.status = done
        app.refresh_counts()


SIGNER_STATES = {
    "": "（未签名）",
    "valid": "（已签名）",
    "void": "（签名已失效，须重签）",
    "refused_valid": "（已拒签，见证人已签）",
    "refused_void": "（拒签记录已失效，须重新处理）",
}

SCREEN = SignatureScreen
