"""Driven steps for issue 18's harms and field conditions, each as an inspector
would meet it (see ``scenarios.py`` for how steps run). Results go to
``d.result`` for the test to judge; screenshots are named after what they show."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.mobile.ui.driver import Driver


def shot_dialog(d: Driver, name: str) -> None:
    """The screen with the open dialog over it (both rendered off-screen)."""
    from PIL import Image

    shots = d.args.get("shots")
    if not shots or d.app.dialog is None:
        return
    if d.args.get("window") == "800x1280":
        name += "-portrait"
    Path(shots).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        d.app.sm.export_to_png(f"{tmp}/s.png")
        d.app.dialog.export_to_png(f"{tmp}/d.png")
        base = Image.open(f"{tmp}/s.png").convert("RGB")
        top = Image.open(f"{tmp}/d.png").convert("RGB")
    base = Image.blend(base, Image.new("RGB", base.size), 0.55)
    x, y = int(d.app.dialog.x), int(base.height - d.app.dialog.top)
    base.paste(top, (x, y))
    base.save(Path(shots) / f"app-{name}.png")


def item_cards(d: Driver) -> list[Any]:
    return list(reversed(d.ids("inspection").item_list.children))  # Kivy lists children last-first


def _start(d: Driver) -> Iterator[Any]:
    """Tasks → enterprise → 开始检查 → the inspection."""
    yield d.on("tasks")
    d.app.go("enterprise", visit_id=d.args["visit_id"])
    yield d.on("enterprise")
    yield from d.press(d.ids().start_button)
    yield d.on("inspection")
    yield 0.2


def _evidence_of(d: Driver, n: int) -> Iterator[Any]:
    card = item_cards(d)[n]
    d.ids("inspection").scroll.scroll_to(card, animate=False)
    yield 0.2
    yield from d.press(card.ids.photo)
    yield d.on("evidence")


def _answer(d: Driver, n: int, which: str) -> Iterator[Any]:
    card = item_cards(d)[n]
    d.ids("inspection").scroll.scroll_to(card, animate=False)
    yield 0.2
    yield from d.press(card.ids[which])
    yield 0.1
    if d.app.dialog is not None:  # 不符合 asks for the hazard: later
        yield from d.press(d.app.dialog.no_button)
        yield lambda: d.app.dialog is None


# -- 1, 2, 12: the card's photos and the picker ----------------------------------


def card_photos(d: Driver) -> Iterator[Any]:
    """The previous plant's photos are still on the card: nothing is attached, they
    are not even offered; a photo taken now is offered, picked and confirmed for
    the named item; the picker opened for the next item starts empty."""
    from tests.mobile.ui.conftest import make_photo

    yield from _start(d)
    yield from _evidence_of(d, 0)
    ids, card = d.ids(), Path(d.args["card_dir"])
    d.type(ids.folder, str(card))
    yield 0.2
    for _ in range(2):  # two scans: settled or not, the old photos never come
        yield from d.press(ids.scan_button)
        yield 0.6
    d.result["old_waiting"] = d.screen.waiting
    d.result["old_rows"] = len(d.screen.rows)
    make_photo(card / "DCIM" / "IMG_0100.JPG", hue=80)  # taken now, at this plant
    for _ in range(2):  # settled: unchanged since the previous scan
        yield from d.press(ids.scan_button)
        yield 0.6
    yield lambda: d.screen.waiting == 1
    d.result["rows_before_pick"] = len(d.screen.rows)
    yield 0.3
    d.shot("evidence-card-waiting")
    yield from d.press(ids.waiting_button)
    yield d.on("picker")
    yield lambda: bool(d.screen.tiles)
    d.result["offered"] = [Path(t["path"]).name for t in d.screen.tiles]
    d.screen.toggle(d.screen.tiles[0]["path"])
    yield 0.3
    yield from d.press(d.ids().add_button)
    yield lambda: d.app.dialog is not None
    d.result["confirm_text"] = d.app.dialog.content.children[-1].text
    shot_dialog(d, "picker-confirm")
    yield from d.press(d.app.dialog.yes_button)
    yield d.on("evidence")
    yield lambda: len(d.screen.rows) == 1 and not d.screen.busy
    rec = d.app.inspections.view(d.app.record_uuid)
    d.result["attached_to"] = [a["item_code"] for a in rec["attachments"]]
    d.result["item_codes"] = [i["code"] for i in rec["items"]]
    # the next item: the picker starts with nothing chosen
    yield from d.press(d.top_button("返回"))
    yield d.on("inspection")
    yield from _evidence_of(d, 1)
    yield from d.press(d.ids().pick_button)
    yield d.on("picker")
    yield lambda: d.screen.status.startswith(("共", "该文件夹"))
    yield 0.3
    d.result["second_target"] = d.ids().target.text
    d.result["second_chosen"] = d.screen.chosen
    d.result["second_selected"] = [t["path"] for t in d.screen.tiles if t["selected"]]
    d.shot("picker-next-item")
    yield from d.press(d.ids().cancel_button)
    yield d.on("evidence")
    rec = d.app.inspections.view(d.app.record_uuid)
    d.result["second_attached"] = [a["item_code"] for a in rec["attachments"]]


# -- 3: signatures ------------------------------------------------------------------


def _stroke(d: Driver, n: int) -> None:
    pad = d.ids("signature").pad
    wave = [(0.1 + 0.04 * i, 0.4 + 0.25 * ((-1) ** i) * (1 - i / 25)) for i in range(21)]
    d.stroke(pad, wave)
    d.stroke(pad, [(0.2 + 0.1 * n, 0.2), (0.5, 0.8 - 0.1 * n), (0.85, 0.3)])


def _sign_all(d: Driver, refuse: bool = False) -> Iterator[Any]:
    screen = d.screen
    for n, signer in enumerate(list(screen.signers)):
        screen.select(signer["key"])
        yield 0.2
        if signer["role"] == "enterprise":
            d.type(d.ids().ent_name, "王五")
            if refuse:
                yield from d.press(d.ids().refuse_button)
                yield 0.2
                d.type(d.ids().refusal_reason, "不认可第2项检查结论")
                d.type(d.ids().witness, "孙七（园区安全员）")
        _stroke(d, n)
        yield 0.2
        if refuse and signer["role"] == "enterprise":
            d.shot("signature-refusal")
        yield from d.press(d.ids().confirm_button)
        yield lambda: screen.status.endswith(("已签名", "见证人已签名）"))


def signatures(d: Driver) -> Iterator[Any]:
    """Signing an incomplete record is refused before anyone signs; a change after
    signing voids the signatures and every screen says so; 拒签 is recorded."""
    yield from _start(d)
    yield from _answer(d, 0, "compliant")
    yield from _answer(d, 1, "noncompliant")  # …and no hazard yet
    yield from d.press(d.ids().sign_button)
    yield d.on("signature")
    yield 0.3
    d.result["blocked"] = d.screen.blocked
    d.result["pad_disabled"] = d.ids().pad.disabled
    d.result["confirm_disabled"] = d.ids().confirm_button.disabled
    d.shot("signature-blocked")
    yield from d.press(d.top_button("返回"))
    yield d.on("inspection")
    card = item_cards(d)[1]
    yield from d.press(card.ids.hazard)
    yield d.on("hazard")
    d.type(d.ids().description, "危化品库房未设置机械通风")
    yield from d.into_view(d.ids().form_scroll, d.ids().order_fixed)  # the form scrolls
    yield from d.press(d.ids().order_fixed)
    yield from d.press(d.ids().save_button)
    yield lambda: len(d.screen.hazards) == 1
    yield from d.press(d.top_button("返回"))
    yield d.on("inspection")
    yield from d.press(d.ids().sign_button)
    yield d.on("signature")
    yield 0.2
    d.result["blocked_after"] = d.screen.blocked
    d.result["enterprise_reads"] = d.ids().record_text.text[:40]
    yield from _sign_all(d)
    d.result["signed"] = [s["state"] for s in d.screen.signers]
    yield from d.press(d.top_button("返回"))
    yield d.on("inspection")
    d.result["sign_button"] = d.ids().sign_button.text
    note = item_cards(d)[0].ids.note  # the inspector corrects a note after everyone signed
    d.type(note, "补充：责任制文件已更新")
    note.dispatch("on_text_validate")
    yield 0.3
    d.result["void_banner"] = d.screen.void_text
    d.result["sign_button_after"] = d.ids().sign_button.text
    d.ids().scroll.scroll_y = 1
    yield 0.2
    d.shot("inspection-signatures-void")
    yield from d.press(d.ids().sign_button)
    yield d.on("signature")
    yield 0.2
    d.result["void_states"] = [s["state"] for s in d.screen.signers]
    d.shot("signature-void")
    yield from _sign_all(d, refuse=True)
    d.result["after_refusal"] = [s["state"] for s in d.screen.signers]
    yield from d.press(d.top_button("返回"))
    yield d.on("inspection")
    yield from d.press(d.ids().review_button)
    yield d.on("review")
    yield 0.2
    d.result["review_ready"] = d.screen.ready
    d.result["review_refusal"] = [ln for ln in d.screen.text.splitlines() if "拒绝签字" in ln]


# -- 4, 5: nothing deleted without asking -----------------------------------------


def confirmations(d: Driver) -> Iterator[Any]:
    """移除 under a photo, 删除 on a hazard, 退出并清除本机数据: each asks first;
    取消 keeps everything; a wipe with unsent records needs 清除 typed."""
    yield from _start(d)
    yield from _evidence_of(d, 0)
    d.type(d.ids().path, d.args["photo"])
    yield from d.press(d.ids().add_button)
    yield lambda: len(d.screen.rows) == 1 and not d.screen.busy
    yield 0.3
    row = next(v for v in d.ids().list.layout_manager.children if v.att_id)
    remove = row.children[0]
    yield from d.press(remove)
    yield lambda: d.app.dialog is not None
    d.result["remove_asks"] = d.app.dialog.title
    shot_dialog(d, "confirm-remove")
    yield from d.press(d.app.dialog.no_button)
    yield 0.3
    d.result["rows_after_cancel"] = len(d.screen.rows)
    yield from d.press(remove)
    yield lambda: d.app.dialog is not None
    yield from d.press(d.app.dialog.yes_button)
    yield lambda: len(d.screen.rows) == 0
    d.result["rows_after_confirm"] = len(d.screen.rows)
    yield from d.press(d.top_button("返回"))
    yield d.on("inspection")
    yield from d.press(item_cards(d)[0].ids.hazard)
    yield d.on("hazard")
    d.type(d.ids().description, "消防通道堆放杂物")
    yield from d.into_view(d.ids().form_scroll, d.ids().order_fixed)  # the form scrolls
    yield from d.press(d.ids().order_fixed)
    yield from d.press(d.ids().save_button)
    yield lambda: len(d.screen.hazards) == 1
    yield 0.3
    delete = next(w for w in d.screen.walk() if getattr(w, "text", "") == "删除…")
    yield from d.press(delete)
    yield lambda: d.app.dialog is not None
    d.result["delete_asks"] = d.app.dialog.title
    shot_dialog(d, "confirm-delete-hazard")
    yield from d.press(d.app.dialog.no_button)
    yield 0.2
    d.result["hazards_after_cancel"] = len(d.screen.hazards)
    yield from d.press(d.top_button("同步"))
    yield d.on("sync")
    yield 0.2
    yield from d.press(d.ids().wipe_button)
    yield lambda: d.app.dialog is not None
    d.result["wipe_text"] = d.app.dialog.content.children[-1].text
    shot_dialog(d, "confirm-wipe")
    d.type(d.app.dialog.field, "确定")  # not the word asked for
    yield from d.press(d.app.dialog.yes_button)
    yield 0.3
    d.result["wipe_refused"] = d.app.dialog is not None
    yield from d.press(d.app.dialog.no_button)
    yield lambda: d.app.dialog is None
    d.result["tasks_kept"] = len(d.app.store.packages())
    d.result["records_kept"] = d.app.store.unsent_count()


# -- 6: a dead link -------------------------------------------------------------------


def dead_link(d: Driver) -> Iterator[Any]:
    """The signal dies mid-sync: the run ends within the stall window, says so, and
    keeps the record queued; a second sync can be cancelled; wiping waits."""
    yield from d.press(d.top_button("同步"))
    yield d.on("sync")
    runner = d.app.sync_runner
    runs = runner.runs
    started = time.monotonic()
    yield from d.press(d.ids().sync_button)
    yield lambda: runner.running
    d.result["wipe_disabled_while_running"] = d.ids().wipe_button.disabled
    d.result["cancel_enabled_while_running"] = not d.ids().cancel_button.disabled
    yield lambda: runner.runs > runs
    d.result["stall_seconds"] = round(time.monotonic() - started, 1)
    yield 0.3
    d.result["stall_message"] = runner.message
    d.result["outbox"] = [e.state for e in d.app.outbox.entries()]
    d.shot("sync-stalled")
    runs = runner.runs
    yield from d.press(d.ids().sync_button)
    yield lambda: runner.running
    yield 0.5
    yield from d.press(d.ids().cancel_button)
    yield lambda: runner.runs > runs
    yield 0.3
    d.result["cancel_message"] = runner.message
    d.result["outbox_after_cancel"] = [e.state for e in d.app.outbox.entries()]
    d.shot("sync-cancelled")


# -- 7, 8: PIN and login messages ----------------------------------------------------


def pin_lock(d: Driver) -> Iterator[Any]:
    """Wrong PINs: the tries left are shown; the lock is timed and offline; the
    login form offers 返回 to the PIN."""
    yield d.on("enroll")
    ids, said = d.ids(), []
    for _ in range(5):
        d.type(ids.unlock_pin, "0000")
        yield from d.press(ids.unlock_button)
        yield 0.2
        said.append(d.screen.status)
    d.result["pin_messages"] = said
    d.result["mode_after_lock"] = d.screen.mode
    d.result["token_kept"] = bool((d.app.store.session() or {}).get("token"))
    d.shot("unlock-locked")
    yield from d.press(ids.relogin_button)
    yield 0.2
    d.result["login_back"] = d.top_button("返回").text
    yield from d.press(d.top_button("返回"))
    yield 0.2
    d.result["mode_after_back"] = d.screen.mode


def login_busy(d: Driver) -> Iterator[Any]:
    """The server answers 429 to a login: said in words, on the login screen, with
    no status code and nothing about records."""
    yield d.on("enroll")
    ids = d.ids()
    d.type(ids.server, d.args["server"])
    d.type(ids.username, "zhangsan")
    d.type(ids.password, "secret")
    d.type(ids.pin, "2468")
    d.type(ids.pin2, "2468")
    yield from d.press(ids.login_button)
    yield lambda: not d.screen.busy and bool(d.screen.status)
    d.result["login_message"] = d.screen.status
    d.shot("login-busy")


# -- 11: portrait ---------------------------------------------------------------------


def portrait_header(d: Driver) -> Iterator[Any]:
    """In portrait the header's times do not overlap or cut, and the page names
    the enterprise in full."""
    yield from _start(d)
    yield 0.3
    header = [w for w in d.screen.walk() if type(w).__name__ == "HeaderLabel"]
    boxes = [(w.to_window(w.x, w.y), w.to_window(w.right, w.top)) for w in header]

    def overlap(a: Any, b: Any) -> bool:
        return a[0][0] < b[1][0] and b[0][0] < a[1][0] and a[0][1] < b[1][1] and b[0][1] < a[1][1]

    d.result["header_overlaps"] = sum(
        overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]
    )
    d.result["header_cut"] = [w.text for w in header if w.texture_size[0] > w.width + 1]
    title = d.ids().page_title
    d.result["page_title"] = title.text
    d.result["page_title_fits"] = title.texture_size[0] <= title.width + 1
    d.shot("inspection-header-portrait")


STEPS = {
    f.__name__: f
    for f in (card_photos, signatures, confirmations, dead_link, pin_lock, login_busy,
              portrait_header)
}  # fmt: skip
