"""What the driven app does, step by step (see ``driver.py``). Each step starts
and ends on a known screen, so steps chain across app restarts."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.mobile.ui.driver import Driver
from tests.mobile.ui.steps_harms import item_cards

SCREEN_NAMES = (
    "enroll", "tasks", "enterprise", "inspection", "hazard",
    "evidence", "picker", "signature", "review", "sync",
)  # fmt: skip


def ours_task(row: dict[str, Any]) -> bool:
    """A visit of the test server's own tasks (factories' "专项抽查N（TN）", four
    items), not one of the demo county's (加油站专项抽查…, any number of items)."""
    return bool(re.fullmatch(r"专项抽查\d+（T\d+）", row["task"])) and not row["reinspection"]


def enroll(d: Driver) -> Iterator[Any]:
    """First start: log in online, set the PIN, pull my tasks."""
    yield d.on("enroll")
    ids = d.ids()
    assert d.screen.mode == "login", d.screen.mode
    d.type(ids.server, d.args["server"])
    d.type(ids.username, d.args["username"])
    d.type(ids.password, d.args["password"])
    d.type(ids.pin, d.args["pin"])
    d.type(ids.pin2, d.args["pin"])
    yield 0.2
    d.collect_labels("enroll-login")
    d.shot("login")
    yield from d.press(ids.login_button)
    yield d.on("tasks")
    yield lambda: bool(d.ids("tasks").rv.data) and not d.app.sync_runner.running
    yield 0.3
    d.result["tasks"] = len(d.ids("tasks").rv.data)
    # the test server's own visits (专项抽查N, four items each) first: the demo
    # county's random draw may hold a 复查 or a one-item visit
    rows = d.ids("tasks").rv.data
    ours = [r for r in rows if ours_task(r)]
    d.result["visits"] = [r["visit_id"] for r in ours + [r for r in rows if r not in ours]]
    d.result["shown"] = d.screen.shown
    d.collect_labels("tasks")
    d.shot("tasks")


def unlock(d: Driver) -> Iterator[Any]:
    """A restart: the app opens offline with the PIN."""
    yield d.on("enroll")
    assert d.screen.mode == "unlock", d.screen.mode
    ids = d.ids()
    d.type(ids.unlock_pin, "0000")  # a wrong PIN first: refused, nothing else happens
    yield from d.press(ids.unlock_button)
    yield 0.2
    assert d.screen.status == "PIN不正确，还可尝试 4 次", d.screen.status
    d.type(ids.unlock_pin, d.args["pin"])
    yield 0.2
    d.collect_labels("enroll-unlock")
    d.shot("unlock")
    yield from d.press(ids.unlock_button)
    yield d.on("tasks")
    yield 0.2


def open_task(d: Driver) -> Iterator[Any]:
    """Tasks → the enterprise file → the inspection."""
    yield d.on("tasks")
    rv = d.ids().rv
    # The test server's own visits (专项抽查N, four items each) before the demo
    # county's, whose random draw may hold a 复查 or a one-item visit.
    ours = [r for r in rv.data if ours_task(r)]
    visit = d.args.get("visit_id") or (ours or rv.data)[0]["visit_id"]
    row = next(v for v in rv.layout_manager.children if v.visit_id == visit)
    yield from d.press(row)
    yield d.on("enterprise")
    yield 0.2
    d.collect_labels("enterprise")
    d.shot("enterprise")
    yield from d.press(d.ids().start_button)
    # a task outside its 检查时限 (the demo county's, drawn at random) asks first
    yield lambda: d.app.sm.current == "inspection" or d.app.dialog is not None
    if d.app.dialog is not None:
        d.result["window_warning"] = d.app.dialog.title
        yield from d.press(d.app.dialog.yes_button)
    yield d.on("inspection")
    yield 0.2


def fill_items(d: Driver) -> Iterator[Any]:
    """Every item: a result and a note. The first is 不符合 (its hazard comes later)."""
    yield d.on("inspection")
    cards = item_cards(d)
    start = int(d.args.get("items_from", 0))
    stop = int(d.args.get("items_to", len(cards)))
    for n, card in enumerate(cards[start:stop], start=start):
        d.ids().scroll.scroll_to(card, animate=False)
        yield 0.1
        button = card.ids.noncompliant if n == 0 else card.ids.compliant
        if n == len(cards) - 1 and n > 1:
            button = card.ids.not_applicable
        yield from d.press(button)
        yield 0.05
        if button is card.ids.noncompliant:  # asked for the hazard at once: later
            yield lambda: d.app.dialog is not None
            yield from d.press(d.app.dialog.no_button)
            yield lambda: d.app.dialog is None
        d.type(card.ids.note, f"第{n + 1}项现场核查情况记录")
        card.ids.note.dispatch("on_text_validate")
        yield 0.05
    d.result["items_filled"] = stop - start
    d.ids().scroll.scroll_y = 1
    yield 0.2
    if start == 0:
        d.collect_labels("inspection")
        d.shot("inspection")


def kill(d: Driver) -> Iterator[Any]:
    """The tablet dies (battery, crash): no clean shutdown at all."""
    yield 0.1
    os._exit(9)


def _evidence_of_item(d: Driver, n: int) -> Iterator[Any]:
    """From the inspection to the evidence screen of item *n* (from 0; -1 the last)."""
    yield d.on("inspection")
    card = item_cards(d)[n]
    d.ids().scroll.scroll_to(card, animate=False)
    yield 0.1
    yield from d.press(card.ids.photo)
    yield d.on("evidence")


def pick_photos(d: Driver, names: list[str] | None = None, all_photos: bool = False
                ) -> Iterator[Any]:  # fmt: skip
    """On the picker: tap the photos (all, or those named), 添加, confirm."""
    yield d.on("picker")
    ids = d.ids()
    if all_photos:
        yield from d.press(ids.show_all)
    yield lambda: bool(d.screen.tiles) and d.screen.status.startswith("共")
    yield 0.3
    for tile in d.screen.tiles:
        if names is None or Path(tile["path"]).name in names:
            d.screen.toggle(tile["path"])  # a tap on the tile (tiles scroll; this is the effect)
    yield 0.3
    d.result["picker_target"] = d.ids().target.text
    d.shot("picker")
    yield from d.press(ids.add_button)
    yield lambda: d.app.dialog is not None
    d.result["picker_confirm"] = d.app.dialog.content.children[-1].text
    yield from d.press(d.app.dialog.yes_button)
    yield d.on("evidence")


def photos(d: Driver) -> Iterator[Any]:
    """Photos for item 1: one typed as a file, one from the card, picked and confirmed."""
    yield from _evidence_of_item(d, 0)
    ids = d.ids()
    before = len(d.screen.rows)
    d.type(ids.path, d.args["photo"])
    yield from d.press(ids.add_button)
    yield lambda: len(d.screen.rows) == before + 1 and not d.screen.busy
    d.type(ids.folder, d.args["import_dir"])
    for p in Path(d.args["import_dir"]).rglob("*.JPG"):  # taken now, during the visit
        os.utime(p)
    yield 2.5  # settled on the card
    yield from d.press(ids.scan_button)
    yield lambda: d.screen.waiting >= 1
    assert len(d.screen.rows) == before + 1  # counted, not attached
    yield from d.press(ids.waiting_button)
    yield from pick_photos(d)
    yield lambda: len(d.screen.rows) >= before + 2 and not d.screen.busy
    yield 0.3
    d.result["evidence_rows"] = len(d.screen.rows)
    from mobile.core.evidence_memory import DECODE_BUFFERS

    d.result["decode_buffers"] = sum(DECODE_BUFFERS.kept().values())
    assert d.app.on_pause() is True
    d.result["decode_buffers_paused"] = sum(DECODE_BUFFERS.kept().values())
    yield lambda: all(r["source"] for r in d.screen.rows)  # thumbnails, made meanwhile
    d.collect_labels("evidence")
    d.shot("evidence")
    yield from d.press(d.top_button("返回"))
    yield d.on("inspection")


def sd_card(d: Driver) -> Iterator[Any]:
    """A whole SD card at once for the last item (a visit may carry a single item):
    imported one after another, in the order the camera took them; a damaged photo
    is named, the others are kept."""
    yield from _evidence_of_item(d, -1)
    from mobile.core import evidence

    ingest, running, most = evidence.ingest, [0], [0]

    def counted(*args: Any, **kwargs: Any) -> Any:  # how many imports at once
        running[0] += 1
        most[0] = max(most[0], running[0])
        try:
            return ingest(*args, **kwargs)
        finally:
            running[0] -= 1

    evidence.ingest = counted
    ids = d.ids()
    d.type(ids.folder, d.args["card_dir"])
    yield from d.press(ids.pick_button)
    yield from pick_photos(d, all_photos=True)  # taken before: "全部照片"
    yield lambda: d.screen.busy == 0 and bool(d.screen.rows)
    evidence.ingest = ingest
    d.result["imports_at_once"] = most[0]
    d.result["card_rows"] = [r["text"].rsplit("\n", 1)[-1] for r in d.screen.rows]
    d.result["card_status"] = d.screen.status
    yield lambda: all(r["source"] for r in d.screen.rows)  # thumbnails, made meanwhile
    d.result["card_sources"] = [r["source"] for r in d.screen.rows]
    d.result["thumbs_dir"] = str(d.app.store.thumbs_dir)
    yield from d.press(d.top_button("返回"))
    yield d.on("inspection")


def hazard(d: Driver) -> Iterator[Any]:
    """A 重大 hazard on item 1, ordered 责令限期整改 (with deadline) and 现场处理措施."""
    yield d.on("inspection")
    card = item_cards(d)[0]
    d.ids().scroll.scroll_to(card, animate=False)
    yield 0.1
    yield from d.press(card.ids.hazard)
    yield d.on("hazard")
    ids = d.ids()
    d.type(ids.description, "危化品库房未设置机械通风设施，可燃气体报警器失效")
    d.type(ids.location, "2号危化品库房")
    yield from d.press(ids.level_major)
    yield from d.press(ids.order_deadline)
    yield 0.1
    yield from d.into_view(ids.form_scroll, ids.quick30)  # the form scrolls
    yield from d.press(ids.quick30)
    yield from d.into_view(ids.form_scroll, ids.order_measures)
    yield from d.press(ids.order_measures)
    yield 0.1
    d.type(ids.measures, "责令2号库房暂停使用")
    yield 0.2
    from kivy.core.window import Window

    from tests.mobile.ui.contrast import visible_box

    # with the deadline and measures rows open, 保存隐患 is still on screen, unscrolled
    d.result["save_in_view"] = visible_box(ids.save_button, Window.height) is not None
    d.collect_labels("hazard-form")
    yield from d.press(ids.save_button)
    yield lambda: len(d.screen.hazards) == 1
    yield 0.2
    assert not d.screen.error, d.screen.error
    d.collect_labels("hazard")
    d.shot("hazard")
    yield from d.press(d.top_button("返回"))
    yield d.on("inspection")


def sign(d: Driver) -> Iterator[Any]:
    """Both officers and the enterprise's responsible person sign with a finger."""
    yield d.on("inspection")
    yield from d.press(d.ids().sign_button)
    yield d.on("signature")
    screen = d.screen
    for n, signer in enumerate(list(screen.signers)):
        screen.select(signer["key"])
        yield 0.1
        if signer["role"] == "enterprise":
            d.type(d.ids().ent_name, "王五")
        pad = d.ids().pad
        wave = [(0.1 + 0.04 * i, 0.4 + 0.25 * ((-1) ** i) * (1 - i / 25)) for i in range(21)]
        d.stroke(pad, wave)
        d.stroke(pad, [(0.2 + 0.1 * n, 0.2), (0.5, 0.8 - 0.1 * n), (0.85, 0.3)])
        yield 0.2
        if n == len(screen.signers) - 1:
            d.collect_labels("signature")
            d.shot("signature")
        yield from d.press(d.ids().confirm_button)
        yield lambda: screen.status.endswith("已签名")
    d.result["signed"] = sum(1 for s in screen.signers if s["state"] == "valid")
    ids = d.ids()  # after the last signer: the completed state, no pad inviting a re-sign
    d.result["after_signing"] = {
        "current": screen.current,
        "instruction": ids.instruction.text,
        "pad_disabled": ids.pad.disabled,
        "confirm_disabled": ids.confirm_button.disabled,
        "confirm_shown": ids.confirm_button.opacity > 0 and ids.confirm_button.width > 0,
        "review_shown": ids.review_button.opacity > 0 and not ids.review_button.disabled,
    }
    d.shot("signature-signed")
    yield from d.press(d.top_button("返回"))
    yield d.on("inspection")


def finish(d: Driver) -> Iterator[Any]:
    """Review the 现场检查记录, then lock and queue it."""
    yield d.on("inspection")
    yield from d.press(d.ids().review_button)
    yield d.on("review")
    yield 0.3
    assert d.screen.ready, d.screen.problems
    d.collect_labels("review")
    d.shot("review")
    yield from d.press(d.ids().finish_button)
    yield lambda: d.screen.locked
    d.result["record_uuid"] = d.app.record_uuid
    d.result["state"] = d.app.outbox.get(d.app.record_uuid).state


def tour(d: Driver) -> Iterator[Any]:
    """Show every screen (with the first task's record) and collect its labels."""
    yield 0.2
    d.collect_labels("start-" + d.app.sm.current)
    d.app.record_uuid = d.app.inspections.start(d.args["visit_id"])
    for name in SCREEN_NAMES:
        kwargs = {"visit_id": d.args["visit_id"]} if name == "enterprise" else {}
        if name == "enroll":
            kwargs = {"mode": "login"}
        d.app.go(name, **kwargs)
        yield d.on(name)
        yield 0.3
        d.collect_labels(name)
        if d.args.get("portrait"):
            d.shot(f"{name}-portrait")


STEPS = {
    f.__name__: f
    for f in (enroll, unlock, open_task, fill_items, kill, photos, sd_card, hazard, sign, finish,
              tour)
}  # fmt: skip

from tests.mobile.ui.steps_day import STEPS as _DAY  # noqa: E402
from tests.mobile.ui.steps_features import STEPS as _FEATURES  # noqa: E402
from tests.mobile.ui.steps_harms import STEPS as _HARMS  # noqa: E402 - they use the helpers above
from tests.mobile.ui.steps_more import STEPS as _MORE  # noqa: E402
from tests.mobile.ui.steps_resume import STEPS as _RESUME  # noqa: E402
from tests.mobile.ui.steps_sync import STEPS as _SYNC  # noqa: E402

STEPS.update(_MORE)
STEPS.update(_FEATURES)
STEPS.update(_HARMS)
STEPS.update(_DAY)
STEPS.update(_RESUME)
STEPS.update(_SYNC)
