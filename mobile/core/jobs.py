"""Jobs done one at a time, in the order they were given, on one worker thread.

For photo imports: an SD card from an explosion-proof camera brings a few hundred
photos at once, and each import already uses both cores and holds ~40 MB while it
runs (``evidence``). A thread per photo would hold them all in memory together and
finish them in any order; one worker imports them in the order they were found,
as fast as the tablet can.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

Job = tuple[Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None]]


class SerialJobs:
    def __init__(self, name: str) -> None:
        self._name = name
        self._jobs: queue.SimpleQueue[Job] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """Run *work* after every job given before it; then ``done(result)`` or
        ``failed(exception)`` on the worker thread (the UI wraps them for its own)."""
        with self._lock:
            if self._thread is None:  # started on first use; it then waits for jobs
                self._thread = threading.Thread(target=self._drain, name=self._name, daemon=True)
                self._thread.start()
        self._jobs.put((work, done, failed))

    def _drain(self) -> None:
        while True:
            work, done, failed = self._jobs.get()
            try:
                result = work()
            except Exception as exc:  # noqa: BLE001 - handed to the caller's callback
                failed(exc)
            else:
                done(result)
