"""Resumable evidence uploads: HEAD for the server's offset, then PUT the missing
bytes chunk by chunk. A chunk cut short (a cut, a stall, a cancel) costs only
that chunk: the next try asks the server where it is and goes on from there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mobile.core.evidence_files import hash_file
from mobile.core.outbox import Outbox
from mobile.core.sync.pacing import Backoff, LinkWatch, StalledError
from mobile.core.transport import ApiError, TransientError, Transport


class RecordRefused(Exception):
    """The server (or the tablet's own files) says this record cannot go as it is."""

    def __init__(self, message: str, status: int | None, version: int | None = None) -> None:
        super().__init__(message)
        self.message, self.status, self.version = message, status, version


@dataclass(frozen=True)
class Blob:
    sha256: str
    path: Path
    size: int
    mime: str


class BlobUploader:
    """Uploads one blob at a time; reports bytes through *on_bytes(done_in_blob)*."""

    def __init__(
        self,
        transport: Transport,
        outbox: Outbox,
        watch: LinkWatch,
        backoff: Backoff,
        sleep: Callable[[float], None],
        *,
        chunk_size: int,
        max_tries: int,
    ) -> None:
        self.transport, self.outbox, self.watch = transport, outbox, watch
        self.backoff, self.sleep = backoff, sleep
        self.chunk_size, self.max_tries = chunk_size, max_tries

    def upload(self, blob: Blob, on_bytes: Callable[[int], None], *, force: bool = False) -> None:
        """Make the server hold *blob* completely (raises ``RecordRefused``,
        ``TransientError``, ``StalledError`` or ``Cancelled``)."""
        if not force and self.outbox.blob_known_uploaded(blob.sha256):
            on_bytes(blob.size)
            return
        if not blob.path.is_file():
            raise RecordRefused(f"本机证据文件丢失：{blob.path.name}", None)
        if hash_file(blob.path) != blob.sha256:
            raise RecordRefused(f"本机证据文件已损坏（校验值不符）：{blob.path.name}", None)
        tries, hash_retried, offset, conflicts = 0, False, None, 0
        with open(blob.path, "rb") as f:
            while True:
                self.watch.check()
                try:
                    if offset is None:
                        complete, offset = self.transport.head_blob(blob.sha256)
                        self.watch.moved()
                        if complete:
                            break
                        on_bytes(offset)
                    f.seek(offset)
                    data = f.read(self.chunk_size)
                    sent_from, in_flight = offset, [0]

                    def block(n: int, base: int = sent_from, seen: list[int] = in_flight) -> None:
                        self.watch.moved(n)
                        self.watch.check()  # a cancel ends the request mid-chunk
                        seen[0] += n
                        on_bytes(base + seen[0])

                    complete, offset = self.transport.put_blob_chunk(
                        blob.sha256, data, offset, blob.size, blob.mime, block
                    )
                    self.watch.moved()
                    if not complete and offset <= sent_from:
                        raise TransientError("服务器未能保存上传的数据，稍后重试")
                    tries = 0  # progress was made
                    on_bytes(offset)
                    if complete:
                        break
                except StalledError:
                    raise
                except TransientError as exc:
                    tries += 1
                    if tries >= self.max_tries:
                        raise
                    self.watch.wait(self.backoff.delay(tries, None, exc.retry_after), self.sleep)
                    offset = None  # whatever happened, ask the server where we are
                except ApiError as exc:
                    self.watch.moved()
                    if exc.status == 416:
                        conflicts += 1
                        if conflicts > 2 * self.max_tries:
                            raise TransientError("服务器上传位置反复不一致，稍后重试") from exc
                        header = exc.headers.get("Blob-Offset")
                        offset = int(header) if header is not None else None
                    elif exc.status == 422 and not hash_retried:
                        hash_retried, offset = True, None  # server discarded; once more
                    else:
                        raise RecordRefused(exc.message, exc.status) from exc
        on_bytes(blob.size)
