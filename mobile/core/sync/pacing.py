"""How fast to try again, and when to give up on a link that stopped moving.

A tablet in a plant loses the signal without the socket noticing: TCP waits
minutes before it calls a connection dead. The engine therefore watches bytes,
not sockets: every block sent or response received marks the link as moving;
when nothing moved for ``STALL_SECONDS`` the attempt ends (what the server holds
of a blob stays there, the next run resumes from it) and the report says so.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable

from mobile.core.transport import TransientError

# overridable for demos and UI tests of a dead link (they should not wait 30 s)
STALL_SECONDS = float(os.environ.get("SUICHA_STALL_SECONDS", "30"))
STALLED_MESSAGE = (
    "网络中断：{s:.0f}秒内没有传输任何数据，本次同步已停止。"
    "已上传的部分保存在服务器上，下次同步从中断处继续；记录已保存在本机"
)
CANCELLED_MESSAGE = "同步已暂停，记录已保存在本机"


class StalledError(TransientError):
    """No byte moved for the stall window: end this attempt, keep everything."""

    def __init__(self, seconds: float) -> None:
        super().__init__(STALLED_MESSAGE.format(s=seconds))


class Cancelled(Exception):
    """The user pressed 取消 (or the app is stopping): end the attempt now."""


class Backoff:
    """Full jitter: uniform(0, min(cap, base·2^attempt)), at least Retry-After."""

    def __init__(self, base: float, cap: float, rng: Callable[[], float] = random.random) -> None:
        self.base, self.cap, self.rng = base, cap, rng

    def delay(
        self, attempt: int, cap: float | None = None, retry_after: float | None = None
    ) -> float:
        cap = self.cap if cap is None else cap
        delay = self.rng() * min(cap, self.base * 2**attempt)
        if retry_after is not None:
            delay = max(delay, min(retry_after, cap))
        return delay


class LinkWatch:
    """Shared by the engine's parts during one run: has anything moved lately, and
    was the run cancelled? Thread-safe (``cancel`` comes from the UI thread)."""

    def __init__(
        self, stall_seconds: float = STALL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.stall_seconds = stall_seconds
        self.clock = clock
        self._cancel = threading.Event()
        self._moved_at = clock()

    def restart(self) -> None:
        self._cancel.clear()
        self._moved_at = self.clock()

    def moved(self, _n: int = 0) -> None:
        self._moved_at = self.clock()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancel_event(self) -> threading.Event:
        """Handed to the transport: a request stops being waited for on cancel."""
        return self._cancel

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise ``Cancelled`` or ``StalledError`` if the attempt must end here."""
        if self._cancel.is_set():
            raise Cancelled()
        if self.clock() - self._moved_at >= self.stall_seconds:
            raise StalledError(self.stall_seconds)

    def wait(self, seconds: float, sleep: Callable[[float], None]) -> None:
        """A backoff pause that a cancel cuts short, and that never outlasts the
        stall window (a pause past it would only delay the verdict)."""
        if self._cancel.is_set():
            raise Cancelled()
        left = self.stall_seconds - (self.clock() - self._moved_at)
        if seconds >= left:
            raise StalledError(self.stall_seconds)
        if sleep is time.sleep:
            if self._cancel.wait(seconds):
                raise Cancelled()
        else:  # an injected sleep (tests record the delays)
            sleep(seconds)
        self.check()
