"""Error pages for people: the console's (with its navigation) or the public
site's, in Chinese, with a way back – never a bare status line.

``server/errors.py`` decides the message (one handler for every error); this
module only draws it for a browser.
"""

from __future__ import annotations

from flask import g, render_template, request

from ..extensions import db

STALE_FORM = "表单已过期（页面打开太久或已在别处退出），请返回上一页刷新后重新提交。未作任何更改。"
TITLES = {400: "无法处理该请求", 403: "无权访问", 404: "页面不存在", 405: "不支持该操作",
          413: "上传内容过大", 414: "网址过长", 431: "请求头过大", 429: "操作过于频繁",
          500: "服务器出错"}


def error_page(code: int, message: str):
    if request.path.startswith("/public"):
        return render_template("public/error.html", code=code, message=message,
                               title=TITLES.get(code, "出错了")), code
    if code >= 500:
        # The failed request may have left the session unusable; the page must
        # still render (it reads the user for the navigation).
        db.session.rollback()
    looked_up = "user" not in g
    if looked_up:  # the navigation needs the user; the view may not have asked yet
        from ..auth import authenticate

        try:
            authenticate()
        except Exception:  # noqa: BLE001 – an error page must never fail itself
            db.session.rollback()
            g.user = None
    back = request.referrer if request.referrer and request.method == "POST" else None
    page = render_template("console/error.html", code=code, message=message, back=back,
                           title=TITLES.get(code, "出错了"))
    if looked_up:  # leave g as the request found it (tests share one app context)
        g.pop("user", None)
    return page, code
