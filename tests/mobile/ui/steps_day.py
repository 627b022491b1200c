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


STEPS = {f.__name__: f for f in (type_note_and_die,)}
