"""A response cut inside its headers arrives as an empty 200: retry, never crash."""

import http.server
import threading

import pytest

from mobile.core.transport import TransientError, Transport


class _EmptyBody(http.server.BaseHTTPRequestHandler):
    def _reply(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        self.end_headers()  # and no body at all

    do_GET = do_PUT = _reply

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _EmptyBody)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.pull(None),
        lambda t: t.get_record("00000000-0000-4000-8000-000000000000"),
        lambda t: t.put_record("00000000-0000-4000-8000-000000000000", b"{}"),
    ],
)
def test_empty_2xx_body_is_a_transient_error(server, call):
    transport = Transport(server, token="t")
    with pytest.raises(TransientError):
        call(transport)
