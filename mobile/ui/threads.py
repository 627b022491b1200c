"""Run slow work off the main thread and hand the result back to it.

Widgets may only be touched on the main thread; ``background`` guarantees the
callbacks run there (``kivy.clock.mainthread``), whatever thread finishes. Work
that must not run side by side (photo imports) goes to a ``SerialJobs`` queue.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from kivy.clock import mainthread

from mobile.core.errors import CoreError
from mobile.core.jobs import SerialJobs


def message_for(exc: BaseException) -> str:
    """What the inspector is told: a core error's own Chinese message; anything else
    a generic one (the details go to the log)."""
    if isinstance(exc, CoreError):
        return exc.message
    from kivy.logger import Logger

    Logger.error("suicha: background work failed", exc_info=exc)
    return f"操作失败：{exc}"


def background(
    work: Callable[[], Any],
    done: Callable[[Any], None],
    failed: Callable[[str], None],
    *,
    jobs: SerialJobs | None = None,
) -> None:
    """Call *work* off the main thread – on a daemon thread of its own, or after the
    jobs given to *jobs* before it – then ``done(result)`` or ``failed(message)`` on
    the main thread."""

    @mainthread
    def _done(result: Any) -> None:
        done(result)

    @mainthread
    def _fail(exc: BaseException) -> None:
        failed(message_for(exc))

    if jobs is not None:
        jobs.submit(work, _done, _fail)
        return

    def run() -> None:
        try:
            result = work()
        except Exception as exc:  # noqa: BLE001 - shown to the user, logged for us
            _fail(exc)
        else:
            _done(result)

    threading.Thread(target=run, daemon=True).start()
