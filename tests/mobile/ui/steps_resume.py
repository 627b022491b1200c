"""Driven steps for the outside test's item 18 (layout and where one left off),
see ``scenarios.py`` for how steps run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.mobile.ui.driver import Driver
from tests.mobile.ui.steps_harms import item_cards


def _visible(widget: Any, scroll: Any) -> bool:
    """Whether *widget*'s top part is inside *scroll*'s viewport (window coordinates)."""
    _, bottom = scroll.to_window(scroll.x, scroll.y)
    top = bottom + scroll.height
    _, w_top = widget.to_window(widget.x, widget.top)
    return bottom + 20 < w_top <= top + 1


def enterprise_then_continue(d: Driver) -> Iterator[Any]:
    """The enterprise page (notice date in words, panels from the top of each
    column), then 继续检查: the page opens at the first unanswered item, and an
    item answered 不符合 says whether a hazard is registered on it."""
    yield d.on("tasks")
    d.app.go("enterprise", visit_id=d.args["visit_id"])
    yield d.on("enterprise")
    yield 0.5
    s = d.screen
    d.result["notice"] = s.notice
    panels = [w for w in s.walk() if type(w).__name__ == "Panel"]
    columns: dict[int, list[Any]] = {}
    for p in panels:
        columns.setdefault(round(p.to_window(p.x, p.y)[0]), []).append(p)
    # the top edge of each column's first panel, in window coordinates
    d.result["column_tops"] = sorted(
        round(max(p.to_window(p.x, p.top)[1] for p in col)) for col in columns.values())
    d.result["action"] = d.ids().start_button.text
    d.shot("enterprise-resume")
    yield from d.press(d.ids().start_button)
    yield d.on("inspection")
    yield 0.6
    cards = item_cards(d)
    scroll = d.ids().scroll
    d.result["visible"] = [c.number for c in cards if _visible(c, scroll)]
    lines = [c.ids.get("hazard_line") for c in cards]  # absent before outside test #18
    d.result["lines"] = [w.text if w else None for w in lines]
    d.result["line_heights"] = [w.height if w else None for w in lines]
    d.shot("inspection-resume")
    scroll.scroll_to(cards[1], padding=20, animate=False)
    yield 0.3
    d.shot("inspection-hazard-line")


def login_labels(d: Driver) -> Iterator[Any]:
    """The login form: each label's text ends a gap before its field."""
    yield d.on("tasks")
    d.app.go("enroll", mode="login")
    yield d.on("enroll")
    yield 0.4
    gaps = []
    for w in d.screen.walk():
        if type(w).__name__ == "FieldLabel":
            field = next(c for c in w.parent.children if c is not w)
            w.texture_update()
            text_right = w.center_x + w.texture_size[0] / 2 if w.halign == "center" else (
                w.right - w.padding[2])
            gaps.append(round(field.x - text_right))
    d.result["label_gaps"] = gaps
    d.shot("login-labels")


def review_wrap(d: Driver) -> Iterator[Any]:
    """The record's preview: a hazard line mixing Chinese and a space wraps where
    the line is full, not at the space (the rest of the line left empty)."""
    yield d.on("tasks")
    d.app.go("review", uuid=d.app.inspections.record_for_visit(d.args["visit_id"]))
    yield d.on("review")
    yield 0.4
    label = d.ids().summary
    label.texture_update()
    lines = ["".join(w.text for w in line.words) for line in label._label._cached_lines]
    widths = [line.w for line in label._label._cached_lines]
    first = next(n for n, text in enumerate(lines) if "【一般隐患】" in text)
    d.result["hazard_lines"] = lines[first:first + 2]
    d.result["hazard_fill"] = widths[first] / label.text_size[0]
    d.shot("review-wrap")


STEPS = {f.__name__: f for f in (enterprise_then_continue, login_labels, review_wrap)}
