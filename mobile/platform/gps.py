"""Current position, if the device knows it."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from mobile.platform import on_android


@dataclass(frozen=True)
class Fix:
    lat: float
    lon: float
    accuracy_m: float | None = None

    def as_dict(self) -> dict[str, float | None]:
        return {"lat": self.lat, "lon": self.lon, "accuracy_m": self.accuracy_m}


class GpsTracker:
    """Keeps the latest fix from plyer's GPS on Android; on a desktop ``last`` stays None.

    Plyer calls back on its own thread; we only store the value under a lock,
    so the UI and the core can read it from anywhere.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: Fix | None = None
        self._running = False

    @property
    def last(self) -> Fix | None:
        with self._lock:
            return self._last

    def locate(self) -> tuple[float, float, float | None] | None:
        """The latest fix as ``(lat, lon, accuracy_m)`` – what ``Inspections(locate=…)`` takes."""
        fix = self.last
        return (fix.lat, fix.lon, fix.accuracy_m) if fix else None

    def start(self, min_time_ms: int = 5000, min_distance_m: float = 5) -> bool:
        """Start listening; False when the platform has no GPS (desktop, CI)."""
        if not on_android():  # plyer prints tracebacks for missing facades
            return False
        try:
            from plyer import gps  # imported lazily: plyer probes the platform on import

            gps.configure(on_location=self._on_location)
            gps.start(minTime=min_time_ms, minDistance=min_distance_m)
        except (ImportError, NotImplementedError, ModuleNotFoundError, AttributeError):
            return False
        self._running = True
        return True

    def stop(self) -> None:
        if self._running:
            from plyer import gps

            gps.stop()
            self._running = False

    def _on_location(self, **kwargs: float) -> None:
        try:
            fix = Fix(float(kwargs["lat"]), float(kwargs["lon"]), kwargs.get("accuracy"))
        except (KeyError, TypeError, ValueError):
            return
        with self._lock:
            self._last = fix


def current_fix(tracker: GpsTracker | None = None) -> Fix | None:
    """The latest fix of *tracker*, or None (the desktop fallback)."""
    return tracker.last if tracker else None
