"""Driven steps for the outside tester's field day (TABLET-FINDINGS.md): a note
typed when the app dies, a task opened before its window, the signature pad
after the last signer, a locked record's buttons."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from tests.mobile.ui.driver import Driver

NOTE = "东侧库房灭火器压力不足，已当场告知"


def type_note_and_die(d: Driver) -> Iterator[Any]:
    """Type a note into item 1 without leaving the field, then the battery dies."""
    yield d.on("inspection")
    card = list(reversed(d.ids().item_list.children))[0]
    d.ids().scroll.scroll_to(card, animate=False)
    yield 0.1
    field = card.ids.note
    field.focus = True
    for ch in NOTE:  # key by key, as the on-screen keyboard sends them
        field.insert_text(ch)
        yield 0.02
    assert field.focus  # never left the field
    yield 1.5  # a second after the last key
    os._exit(9)


def locked_view(d: Driver) -> Iterator[Any]:
    """A finished record, as the inspector comes back to it: what each screen offers."""
    from kivy.uix.button import Button

    uuid = d.app.record_uuid = d.app.inspections.record_for_visit(d.args["visit_id"])
    d.app.go("enterprise", visit_id=d.args["visit_id"])
    yield d.on("enterprise")
    yield 0.2
    tag = d.args.get("tag", "locked")
    view: dict[str, Any] = {"enterprise_action": d.ids().start_button.text}
    d.shot(f"enterprise-{tag}")
    d.app.go("inspection", uuid=uuid)
    yield d.on("inspection")
    yield 0.2
    view["inspection_review"] = d.ids().review_button.text
    d.app.go("evidence", uuid=uuid, item_code=None)
    yield d.on("evidence")
    yield 0.5

    def offered(text: str) -> list[Any]:
        """Buttons with *text* a person can see (drawn, not hidden)."""
        return [w for w in d.screen.walk() if isinstance(w, Button) and w.text == text
                and w.opacity > 0 and w.width > 0 and w.height > 0]

    view["remove_offered"] = len(offered("移除…"))
    view["evidence_rows"] = len(d.screen.rows)
    d.app.go("hazard", uuid=uuid)
    yield d.on("hazard")
    yield 0.5
    view["edit_offered"] = len(offered("修改")) + len(offered("删除…"))
    view["hazard_rows"] = len(d.screen.hazards)
    d.shot(f"hazard-{tag}")
    view["top_bar"] = next(w for w in d.screen.walk() if type(w).__name__ == "TopBar"
                           ).ids.unsynced.text
    d.app.go("sync")
    yield d.on("sync")
    yield 0.3
    view["sync_records"] = d.screen.records_text
    view["sync_header"] = d.screen.last_sync
    view["device_id"] = d.app.store.device_id
    d.result[tag] = view


def start_early(d: Driver) -> Iterator[Any]:
    """A task whose 检查时限 opens in a few days: the list, the file, 开始检查."""
    visit = d.args["visit_id"]
    yield d.on("tasks")
    yield 0.3
    d.result["list_left"] = next(r["left"] for r in d.ids().rv.data if r["visit_id"] == visit)
    d.app.go("enterprise", visit_id=visit)
    yield d.on("enterprise")
    yield 0.3
    d.result["warning"] = d.ids().early_late.text
    d.shot("enterprise-early")
    yield from d.press(d.ids().start_button)
    yield lambda: d.app.dialog is not None
    d.result["dialog"] = d.app.dialog.title
    from tests.mobile.ui.steps_harms import shot_dialog

    shot_dialog(d, "start-early-confirm")
    yield from d.press(d.app.dialog.no_button)
    yield lambda: d.app.dialog is None
    d.result["record_after_no"] = d.app.inspections.record_for_visit(visit)
    assert d.app.sm.current == "enterprise"
    yield from d.press(d.ids().start_button)
    yield lambda: d.app.dialog is not None
    yield from d.press(d.app.dialog.yes_button)
    yield d.on("inspection")
    d.result["record_after_yes"] = d.app.inspections.record_for_visit(visit)


STEPS = {f.__name__: f for f in (type_note_and_die, locked_view, start_early)}
