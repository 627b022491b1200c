"""One error shape for the API: {"code", "status", "message", "errors"?}.

Console and public pages get a small Chinese HTML page instead.
"""

from __future__ import annotations

import re

from flask import Flask, request
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest, HTTPException

MESSAGES = {
    400: "请求格式错误",
    401: "未登录或令牌已失效，请重新登录",
    403: "当前角色无权执行此操作",
    404: "请求的资源不存在",
    405: "不支持该请求方法",
    409: "与已有数据冲突",
    413: "上传内容过大",
    414: "请求的网址过长，请缩短搜索内容后重试",
    415: "不支持的文件类型",
    416: "上传位置与服务器已有数据不一致",
    422: "数据未通过校验",
    429: "请求过于频繁，请稍后再试",
    431: "请求头过大，请清除本站的浏览器缓存后重试",
    500: "服务器内部错误",
    501: "服务器不支持该请求",
    503: "服务暂时不可用，请稍后再试",
}
# A longer address is refused by the app itself (414, in Chinese) before the front
# server's own English limit is reached (werkzeug 64 KiB, gunicorn 1 MiB with
# limit_request_line = 0 in gunicorn.conf.py).
MAX_URL_BYTES = 16 * 1024

TOO_DEEP = "请求内容嵌套层数过深，无法处理"

_HTML = """<!doctype html><html lang="zh-CN"><meta charset="utf-8">
<title>{{ code }} {{ message }}</title><body style="font-family:sans-serif;padding:2em">
<h1>{{ code }}</h1><p>{{ message }}</p><p><a href="/">返回首页</a></p></body></html>"""


def register_error_handlers(app: Flask) -> None:
    @app.before_request
    def _url_length():
        raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or (
            request.full_path)
        if len(raw.encode("utf-8", "surrogateescape")) > MAX_URL_BYTES:
            from werkzeug.exceptions import RequestURITooLarge

            raise RequestURITooLarge()

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        code = err.code or 500
        data = getattr(err, "data", {}) or {}
        message = (data.get("message") or _description(err) or MESSAGES.get(code)
                   or ("请求无法处理" if code < 500 else MESSAGES[500]))
        if not request.path.startswith("/api/"):
            from .web.errors import error_page

            return error_page(code, message)
        body = {"code": code, "status": err.name, "message": message}
        errors = data.get("errors") or data.get("messages")
        if errors:
            body["errors"] = errors
            if not data.get("message") and code in (400, 422):
                body["message"] = _summary(errors, data.get("schema"))
        headers = data.get("headers") or {}
        resp = app.json.response(body)
        resp.status_code = code
        for key, value in headers.items():
            resp.headers[key] = value
        return resp

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def _bad_value(_err: Exception):
        # A value its column cannot hold (a number past the integer range …) is the
        # caller's mistake: 400, not 500 – a safety net behind the schemas' ranges.
        from .extensions import db

        db.session.rollback()
        return _http_error(BadRequest(description="请求中的数值超出允许范围"))

    @app.errorhandler(RecursionError)
    def _too_deep(_err: RecursionError):
        # JSON nested thousands deep exhausts the parser's recursion, anywhere a
        # body is parsed (webargs, our own parsers): the caller's mistake, 400.
        from .extensions import db

        db.session.rollback()
        return _http_error(BadRequest(description=TOO_DEEP))

    _domain_errors(app, _http_error)


def _domain_errors(app: Flask, http_error) -> None:
    """Every service refusal (``ServiceError``) is turned into an answer here, once:
    the API's error shape, or on a console page a message shown where the person
    came from. Routes never catch it."""
    from werkzeug.exceptions import default_exceptions

    from .extensions import db
    from .services.errors import ServiceError

    @app.errorhandler(ServiceError)
    def _service_error(exc: ServiceError):
        db.session.rollback()  # nothing a refused request began may be committed later
        if request.path.startswith("/console/") and request.method == "POST":
            from flask import g

            words = g.get("refused_as")  # set by the form's view (web/console.refused_as)
            return _console_message(f"{words}：{exc.message}" if words else exc.message)
        err = default_exceptions.get(exc.status, default_exceptions[400])()
        err.data = {"message": exc.message, "errors": exc.errors, "headers": exc.headers}
        return http_error(err)


def _console_message(message: str):
    """A console form refused: back to the page it was sent from, with the reason."""
    from urllib.parse import urlsplit

    from flask import current_app, flash, redirect
    from werkzeug.exceptions import HTTPException as _NoRoute

    parts = urlsplit(request.referrer or "")
    flash(message)
    if parts.netloc == request.host and parts.path.startswith("/console/"):
        return redirect(parts.path + (f"?{parts.query}" if parts.query else ""), code=303)
    try:  # no usable referrer: the form's own page, if it has one
        current_app.url_map.bind(request.host).match(request.path, method="GET")
        return redirect(request.path, code=303)
    except _NoRoute:
        return redirect("/console/", code=303)


def _summary(errors, schema=None, limit: int = 3) -> str:
    """The field errors in one Chinese sentence for whoever reads only the message
    (the tablet shows it): "数据未通过校验：计划编号：长度不能超过64个字符". The
    texts are Chinese at their source (shared/schemas/messages.py); fields are
    named by their Chinese labels (api/field_labels.py; the keys stay in
    ``errors``); the location level webargs adds ("json", "query") is left out."""
    from .api.field_labels import field_label

    leaves: list[str] = []

    def named(key: str) -> str:
        return f"第{int(key) + 1}项" if key.isdigit() else field_label(key, schema)

    def walk(node, path: list[str]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, path + [str(key)])
        elif isinstance(node, list) and all(isinstance(v, str) for v in node):
            where = "·".join(named(k) for k in (
                path[1:] if path and path[0] in _LOCATIONS else path))
            leaves.extend(f"{where}：{text}" if where and path[-1:] != ["_schema"] else text
                          for text in node)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, path + [str(i)])
        elif isinstance(node, str):
            leaves.append(node)

    walk(errors, [])
    more = f"等{len(leaves)}处" if len(leaves) > limit else ""
    return "数据未通过校验：" + "；".join(leaves[:limit]) + more if leaves else MESSAGES[422]


_LOCATIONS = {"json", "query", "querystring", "form", "files", "json_or_form", "view_args"}


def _description(err: HTTPException) -> str | None:
    """A description passed to abort() by our own code (Chinese), not werkzeug's default."""
    default = type(err).description
    text = err.description if err.description and err.description != default else None
    # A description werkzeug or Flask wrote ("Failed to decode JSON object: …") is
    # English: the status's Chinese message stands in for it.
    return text if text and _CJK.search(text) else None


_CJK = re.compile(r"[\u4e00-\u9fff]")
