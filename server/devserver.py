"""``make run``: werkzeug's development server, with its own refusals in Chinese.

The server answers some requests before the app sees them – a request line past
64 KiB (414), too many or too long headers (431), a malformed request line (400)
– with http.server's English page. ``ChineseRequestHandler`` draws those in the
app's words (server/errors.py MESSAGES): a JSON error for /api/, a page otherwise.
Everything else is werkzeug's ``run_simple``, as ``flask run`` uses it.
"""

from __future__ import annotations

import argparse
import html
import json

from werkzeug.serving import WSGIRequestHandler, run_simple


class ChineseRequestHandler(WSGIRequestHandler):
    def send_error(self, code: int, message: str | None = None, explain: str | None = None
                   ) -> None:
        from .errors import MESSAGES

        text = MESSAGES.get(code, "请求无法处理")
        line = getattr(self, "raw_requestline", b"") or b""
        if b" /api/" in line[:64]:
            body = json.dumps({"code": code, "status": self.responses.get(code, ("",))[0],
                               "message": text}, ensure_ascii=False).encode()
            kind = "application/json"
        else:
            body = ('<!doctype html><html lang="zh-CN"><meta charset="utf-8">'
                    f"<title>{code} {html.escape(text)}</title>"
                    '<body style="font-family:sans-serif;padding:2em">'
                    f"<h1>{code}</h1><p>{html.escape(text)}</p>"
                    '<p><a href="/">返回首页</a></p></body></html>').encode()
            kind = "text/html; charset=utf-8"
        self.log_error("code %d, message %s", code, message)
        self.send_response(code, message)
        self.send_header("Content-Type", kind)
        self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.close_connection = True
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="随查开发服务器（make run）")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    from wsgi import app

    run_simple(args.host, args.port, app, threaded=True,
               request_handler=ChineseRequestHandler)


if __name__ == "__main__":
    main()
