"""Driven steps for issue 18's missing features (points 9, 13–16), see
``scenarios.py`` for how steps run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mobile.core.timefmt import today as bureau_today
from tests.mobile.ui.driver import Driver
from tests.mobile.ui.steps_harms import item_cards, shot_dialog


def task_list(d: Driver) -> Iterator[Any]:
    """Search, sort by deadline, days left and overdue, street and address."""
    yield d.on("tasks")
    ids = d.ids()
    d.result["rows"] = [(r["enterprise"], r["left"], r["where"]) for r in ids.rv.data]
    d.result["contacts"] = {r["enterprise"]: r["contact"] for r in ids.rv.data}
    yield from d.press(ids.sort_deadline)
    yield 0.2
    d.result["by_deadline"] = [r["enterprise"] for r in ids.rv.data]
    d.shot("tasks-by-deadline")
    d.type(ids.search, "西地")
    yield 0.3
    d.result["found"] = [r["enterprise"] for r in ids.rv.data]
    d.result["shown"] = d.screen.shown
    d.shot("tasks-search")
    d.type(ids.search, "")
    yield 0.2


def reinspection(d: Driver) -> Iterator[Any]:
    """The 复查's enterprise file in words; items readable before starting; the
    earlier hazard on its item as 已整改 / 未整改; 未整改 starts from it."""
    yield d.on("tasks")
    d.app.go("enterprise", visit_id=d.args["recheck"])
    yield d.on("enterprise")
    yield 0.3
    s = d.screen
    d.result["previous"], d.result["hazards"], d.result["items"] = s.previous, s.hazards, s.items
    d.result["started_before"] = d.app.inspections.record_for_visit(d.args["recheck"])
    d.result["action"] = d.ids().start_button.text
    d.shot("enterprise-reinspection")
    yield from d.press(d.ids().start_button)
    yield d.on("inspection")
    yield 0.3
    card = item_cards(d)[1]  # WH-02 holds the earlier hazard
    d.result["labels"] = [card.ids.compliant.text, card.ids.noncompliant.text]
    d.result["earlier"] = card.earlier
    d.result["earlier_photos"] = len(card.ids.earlier_box.children)
    d.ids().scroll.scroll_to(card, animate=False)
    yield 0.2
    d.shot("inspection-reinspection")
    yield from d.press(card.ids.noncompliant)
    yield lambda: d.app.dialog is not None
    d.result["ask"] = d.app.dialog.title
    yield from d.press(d.app.dialog.yes_button)
    yield d.on("hazard")
    yield 0.2
    d.result["prefilled"] = d.ids().description.text
    yield from d.press(d.top_button("返回"))
    yield d.on("inspection")


def hazard_form(d: Driver) -> Iterator[Any]:
    """A calendar with no past days; a saved hazard edited; the form empty for the
    next one; 返回 from a hazard's photos leads back to the hazards."""
    yield d.on("tasks")
    d.app.go("enterprise", visit_id=d.args["visit_id"])
    yield d.on("enterprise")
    yield from d.press(d.ids().start_button)
    yield d.on("inspection")
    yield from d.press(item_cards(d)[0].ids.compliant)
    yield 0.2
    d.ids().scroll.scroll_y = 1
    yield 0.2
    d.result["next_text"] = d.ids().next_button.text
    yield from d.press(d.ids().next_button)  # jump to the first unanswered item
    yield 0.3
    card, view = item_cards(d)[1], d.ids().scroll
    top, bottom = card.to_window(0, card.top)[1], card.to_window(0, card.y)[1]
    v_top, v_bottom = view.to_window(0, view.top)[1], view.to_window(0, view.y)[1]
    d.result["next_card_shown"] = top <= v_top + 1 and bottom >= v_bottom - 1
    yield from d.press(d.ids().hazards_button)
    yield d.on("hazard")
    ids = d.ids()
    d.type(ids.description, "配电室门口堆放杂物")
    yield from d.into_view(ids.form_scroll, ids.order_deadline)  # the form scrolls
    yield from d.press(ids.order_deadline)
    yield from d.into_view(ids.form_scroll, ids.deadline_button)
    yield from d.press(ids.deadline_button)
    yield lambda: d.app.dialog is not None
    days = [w for w in d.app.dialog.walk() if hasattr(w, "day")]
    today = bureau_today()
    d.result["past_disabled"] = all(b.disabled for b in days if b.day < today)
    d.result["future_enabled"] = all(not b.disabled for b in days if b.day >= today)
    shot_dialog(d, "hazard-calendar")
    pick = next(b for b in days if b.day == today)
    yield 0.3  # the dialog opens with a short animation
    yield from d.press(pick)
    yield lambda: d.app.dialog is None
    d.result["deadline_text"] = d.screen.deadline_text
    yield from d.press(ids.save_button)
    yield lambda: len(d.screen.hazards) == 1
    d.result["form_after_save"] = [ids.description.text, ids.order_deadline.state]
    edit = next(w for w in d.screen.walk() if getattr(w, "text", "") == "修改")
    yield from d.press(edit)
    yield 0.2
    d.result["editing_loaded"] = ids.description.text
    d.type(ids.description, "配电室门口堆放杂物，阻塞疏散通道")
    d.shot("hazard-edit")
    yield from d.press(ids.save_button)
    yield lambda: not d.screen.editing
    d.result["after_edit"] = [h["text"] for h in d.screen.hazards]
    photo = next(w for w in d.screen.walk() if getattr(w, "text", "") == "拍照")
    yield from d.press(photo)
    yield d.on("evidence")
    d.result["evidence_target"] = d.screen.target
    yield from d.press(d.top_button("返回"))
    yield 0.3
    d.result["back_to"] = d.app.sm.current


def correction(d: Driver) -> Iterator[Any]:
    """A finished record corrected: 更正记录… asks for the reason, then reopens it."""
    yield d.on("tasks")
    d.app.go("enterprise", visit_id=d.args["visit_id"])
    yield d.on("enterprise")
    yield from d.press(d.ids().start_button)
    yield d.on("inspection")
    yield from d.press(d.ids().review_button)
    yield d.on("review")
    yield 0.2
    d.result["locked_before"] = d.screen.locked
    yield from d.press(d.ids().correct_button)
    yield lambda: d.app.dialog is not None
    yield from d.press(d.app.dialog.yes_button)  # no reason yet
    yield 0.2
    d.result["refused_without_reason"] = d.app.dialog is not None
    d.type(d.app.dialog.field, "第2项说明填写有误")
    shot_dialog(d, "review-correction")
    yield from d.press(d.app.dialog.yes_button)
    yield d.on("inspection")
    yield 0.2
    rec = d.app.inspections.view(d.app.record_uuid)
    d.result["locked_after"] = rec["locked"]
    d.result["state_after"] = rec["state"]
    d.result["trail_reason"] = [t["new"] for t in rec["trail"] if t["action"] == "reopen"]


def withdrawn(d: Driver) -> Iterator[Any]:
    """A task the office withdrew: the reason is shown; a started record stays."""
    d.app.go("tasks")
    yield d.on("tasks")
    d.result["status"] = next(r["status"] for r in d.ids().rv.data
                              if r["visit_id"] == d.args["withdrawn"])  # fmt: skip
    d.app.go("enterprise", visit_id=d.args["withdrawn"])
    yield d.on("enterprise")
    yield 0.2
    d.result["banner"] = d.screen.withdrawn
    d.result["can_continue"] = not d.ids().start_button.disabled
    d.shot("enterprise-withdrawn")


STEPS = {f.__name__: f for f in (task_list, reinspection, hazard_form, correction, withdrawn)}
