"""Run slow work off the main thread and hand the result back to it.

Widgets may only be touched on the main thread; ``background`` guarantees the
callbacks run there (``kivy.clock.mainthread``), whatever thread finishes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from kivy.clock import mainthread

from mobile.core.errors import CoreError


def background(
    work: Callable[[], Any],
    done: Callable[[Any], None],
    failed: Callable[[str], None],
) -> threading.Thread:
    """Call *work* on a daemon thread; then ``done(result)`` or ``failed(message)``
    on the main thread. Core errors carry their Chinese message; anything else
    gets a generic one (the details go to the log)."""

    def run() -> None:
        try:
            result = work()
        except CoreError as exc:
            _fail(exc.message)
        except Exception as exc:  # noqa: BLE001 - shown to the user, logged for us
            from kivy.logger import Logger

            Logger.exception("suicha: background work failed")
            _fail(f"操作失败：{exc}")
        else:
            _done(result)

    @mainthread
    def _done(result: Any) -> None:
        done(result)

    @mainthread
    def _fail(message: str) -> None:
        failed(message)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t
