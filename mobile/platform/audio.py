"""Audio notes (录音): plyer's recorder on Android; none on a desktop.

Android's MediaRecorder (plyer uses its defaults) writes a 3GP file, an
MPEG-4-family container that ``mobile.core.evidence`` accepts as ``audio/mp4``.
On a desktop, audio files are imported by path instead.
"""

from __future__ import annotations

from pathlib import Path

from mobile.platform import on_android


class AudioRecorder:
    def __init__(self) -> None:
        self._audio = None
        self.path: Path | None = None

    def start(self, target: Path) -> bool:
        """Start recording into *target*; False if this platform cannot record."""
        if not on_android():  # plyer prints tracebacks for missing facades
            return False
        try:
            from plyer import audio

            audio.file_path = str(target)
            audio.start()
        except Exception:  # noqa: BLE001 - no facade, microphone busy or refused: no recording
            return False
        self._audio, self.path = audio, Path(target)
        return True

    def stop(self) -> Path | None:
        """Stop; returns the recorded file, or None if nothing was recorded."""
        if self._audio is None:
            return None
        audio, self._audio = self._audio, None
        path, self.path = self.path, None
        try:
            audio.stop()
        except Exception:  # noqa: BLE001 - the recorder failed: whatever it wrote is checked
            pass
        return path if path and path.is_file() and path.stat().st_size else None
