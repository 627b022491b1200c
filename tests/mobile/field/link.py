"""A mobile link in a plant, between the tablet and the server: a TCP proxy on
loopback that can be down (connections refused at once), cut connections after
some bytes (the signal drops mid-upload), or stall (bytes accepted, nothing
forwarded: the link is dead but the socket does not know)."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass


@dataclass
class LinkState:
    down: bool = False
    cut_every: int = 0  # cut the connection each time this many tablet bytes passed (0: never)
    stall_every: int = 0  # …and go silent (both ways) each time this many passed (0: never)


class FlakyLink:
    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.state = LinkState()
        self.connections = self.cuts = self.stalls = self.sent = 0
        self._lock = threading.Lock()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._sock.close()
        for s in list(self._open):
            _close(s)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                st = self.state
            if st.down:
                _close(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            upstream.settimeout(None)
            self._open += [client, upstream]
            silent = threading.Event()  # this connection stalled: both ways swallow
            threading.Thread(target=self._pipe, args=(client, upstream, silent, True),
                             daemon=True).start()  # fmt: skip
            threading.Thread(target=self._pipe, args=(upstream, client, silent, False),
                             daemon=True).start()  # fmt: skip

    def _fault(self, n: int) -> str | None:
        """Count *n* tablet bytes; 'cut' or 'stall' when a threshold is crossed."""
        with self._lock:
            before, self.sent = self.sent, self.sent + n
            st = self.state
            if st.stall_every and before // st.stall_every != self.sent // st.stall_every:
                self.stalls += 1
                return "stall"
            if st.cut_every and before // st.cut_every != self.sent // st.cut_every:
                self.cuts += 1
                return "cut"
        return None

    def _pipe(self, src: socket.socket, dst: socket.socket, silent: threading.Event,
              upstream: bool) -> None:  # fmt: skip
        try:
            while True:
                data = src.recv(16 * 1024)
                if not data:
                    break
                fault = self._fault(len(data)) if upstream and not silent.is_set() else None
                if fault == "stall":
                    silent.set()
                if silent.is_set():  # swallowed: nothing reaches the other side
                    continue
                if fault == "cut":
                    dst.sendall(data[: len(data) // 2])
                    break
                dst.sendall(data)
        except OSError:
            pass
        _close(src)
        _close(dst)


def _close(s: socket.socket) -> None:
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        s.close()
    except OSError:
        pass
