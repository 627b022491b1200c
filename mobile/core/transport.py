"""HTTP side of docs/sync.md: one method per endpoint, errors sorted into
transient (retry), auth (log in again) and everything else (``ApiError``).

Only this module knows about ``requests``. It retries nothing itself: the
sync engine decides about backoff.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

import requests

from mobile.core.errors import AuthRequiredError, CoreError, OfflineError

API = "/api/v1"
TRANSIENT_STATUS = {408, 425, 429}
# connect, and the longest wait for any one socket operation: a request body is
# sent in 8 KiB blocks (``MeteredBody``), so 30 s without a block moving is a dead
# link, however slow a live one is (docs/sync.md: the stall window)
DEFAULT_TIMEOUT = (10.0, 30.0)
BLOCK = 8 * 1024
GENERIC = {
    400: "服务器认为数据格式不正确",
    403: "没有权限执行此操作",
    404: "服务器上没有找到该数据",
    409: "服务器上已有该记录的不同内容",
    413: "数据过大，服务器拒绝接收",
    415: "文件类型不被服务器接受",
    416: "上传位置与服务器不一致",
    422: "文件校验失败",
}


# what a person is told for a transient status: never the number itself
BUSY = {
    429: "请求过于频繁，服务器要求稍后再试",
    503: "服务器正在维护或繁忙，稍后自动重试",
}


class MeteredBody:
    """A request body read in blocks: each block counts as bytes moved (the stall
    watch and live progress) and may end the request (a cancel). ``requests`` sends
    a sized file-like body with a Content-Length, block by block."""

    def __init__(self, data: bytes, on_block: Callable[[int], None]) -> None:
        self.data, self.pos, self.on_block = data, 0, on_block

    def __len__(self) -> int:
        return len(self.data)

    def read(self, n: int = -1) -> bytes:
        n = BLOCK if n is None or n < 0 else min(n, BLOCK)
        block = self.data[self.pos : self.pos + n]
        self.pos += len(block)
        if block:
            self.on_block(len(block))  # may raise: the request ends here
        return block


class Abandoned(Exception):
    """The user cancelled while a request was waiting for the server."""


class TransientError(OfflineError):
    """Network trouble or a server hiccup (5xx, 408, 429…): try again later."""

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message or "无法连接服务器（网络未连接或信号太弱），稍后自动重试")
        self.status = status
        self.retry_after = retry_after


class ApiError(CoreError):
    """A definite answer from the server that retrying will not change (4xx)."""

    def __init__(
        self, status: int, message: str, errors: dict | None = None, headers: Mapping | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.errors = errors or {}
        self.headers = headers or {}


def server_message(resp: requests.Response) -> tuple[str, dict]:
    """The Chinese ``message`` (and ``errors``) of an error body, or a generic one."""
    try:
        body = resp.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str) and body["message"]:
        return body["message"], body.get("errors") or {}
    return GENERIC.get(resp.status_code, "服务器拒绝了该请求，请联系管理员"), {}


class Transport:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.http = session or requests.Session()
        self.timeout = timeout
        # set by the sync engine: a cancel stops waiting for the server at once
        self.abandon: threading.Event | None = None

    def close(self) -> None:
        self.http.close()

    def request(
        self, method: str, path: str, *, ok: tuple[int, ...] = (200,), **kwargs: Any
    ) -> requests.Response:
        """Send one request. Returns the response if its status is in *ok* or is a
        4xx the caller wants to look at (``ApiError`` otherwise); raises
        ``TransientError`` / ``AuthRequiredError``."""
        headers = kwargs.pop("headers", {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            resp = self._send(method, self.base_url + API + path, headers=headers, **kwargs)
        except requests.Timeout as exc:
            raise TransientError("连接服务器超时（网络信号太弱或已中断），稍后自动重试") from exc
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ) as exc:
            raise CoreError(f"服务器地址格式不正确：{self.base_url}") from exc
        except requests.RequestException as exc:  # refused, reset, truncated, DNS…
            raise TransientError() from exc
        status = resp.status_code
        if status in ok:
            return resp
        if status == 401:
            raise AuthRequiredError()
        if status >= 500 or status in TRANSIENT_STATUS:
            raise TransientError(
                BUSY.get(status, "服务器暂时无法处理，稍后自动重试"),
                status=status,
                retry_after=_retry_after(resp),
            )
        message, errors = server_message(resp)
        raise ApiError(status, message, errors, resp.headers)

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One HTTP exchange. With *abandon* set (a cancel), the caller stops waiting
        for an answer at once: the exchange goes on in the background until it ends
        or times out, and is then dropped (every step of the protocol is safe to
        repeat: the next run asks the server where things stand)."""
        if self.abandon is None:
            return self.http.request(method, url, timeout=self.timeout, **kwargs)
        box: dict[str, Any] = {}
        done = threading.Event()

        def exchange() -> None:
            try:
                box["resp"] = self.http.request(method, url, timeout=self.timeout, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
                box["exc"] = exc
            finally:
                done.set()

        threading.Thread(target=exchange, name="suicha-http", daemon=True).start()
        while not done.wait(0.05):  # returns the moment the answer is there
            if self.abandon.is_set():
                raise Abandoned()
        if "exc" in box:
            raise box["exc"]
        return box["resp"]

    # -- endpoints ----------------------------------------------------------

    def login(self, username: str, password: str, device_id: str) -> dict[str, Any]:
        body = {"username": username, "password": password, "device_id": device_id}
        try:
            resp = self.request("POST", "/auth/token", ok=(200, 201), json=body)
        except AuthRequiredError as exc:
            raise AuthRequiredError("用户名或密码错误") from exc
        except TransientError as exc:  # said on the login screen: nothing is queued here
            if exc.status == 429:
                wait = f"约{max(1, round((exc.retry_after or 60) / 60))}分钟后"
                raise TransientError(
                    f"登录尝试过于频繁，请{wait}再试", status=429, retry_after=exc.retry_after
                ) from exc
            if exc.status is not None:
                raise TransientError(
                    "服务器暂时无法处理登录，请稍后再试", status=exc.status
                ) from exc
            raise TransientError("无法连接服务器，请检查网络和服务器地址后再试") from exc
        return _json(resp)

    def pull(self, cursor: str | None) -> dict[str, Any]:
        params = {"cursor": cursor} if cursor else {}
        return _json(self.request("GET", "/sync/pull", params=params))

    def head_blob(self, sha256: str) -> tuple[bool, int]:
        """``(complete, offset)`` the server holds for a blob."""
        try:
            resp = self.request("HEAD", f"/blobs/{sha256}")
        except ApiError as exc:
            if exc.status == 404:
                return False, 0
            raise
        status = resp.headers.get("Blob-Status", "")
        return status == "complete", int(resp.headers.get("Blob-Offset", "0"))

    def put_blob_chunk(
        self,
        sha256: str,
        data: bytes,
        start: int,
        total: int,
        mime: str,
        on_block: Callable[[int], None] | None = None,
    ) -> tuple[bool, int]:
        """Append bytes ``[start, start+len(data))``; returns ``(complete, offset)``.
        416 comes back as ``ApiError`` with the server's ``Blob-Offset`` header.
        *on_block* hears of every block sent (and may raise to end the request)."""
        end = start + len(data) - 1
        resp = self.request(
            "PUT",
            f"/blobs/{sha256}",
            ok=(200, 201, 202),
            data=MeteredBody(data, on_block) if on_block else data,
            headers={"Content-Type": mime, "Content-Range": f"bytes {start}-{end}/{total}"},
        )
        complete = resp.headers.get("Blob-Status") == "complete" or resp.status_code in (200, 201)
        return complete, int(resp.headers.get("Blob-Offset", str(start + len(data))))

    def get_blob(self, sha256: str) -> bytes:
        """An earlier hazard's photo (only those of the inspector's packages)."""
        resp = self.request("GET", f"/blobs/{sha256}")
        return resp.content

    def put_record(self, uuid: str, body: bytes) -> dict[str, Any]:
        resp = self.request(
            "PUT",
            f"/records/{uuid}",
            ok=(200, 201),
            data=body,
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        return _json(resp)

    def get_record(self, uuid: str) -> dict[str, Any]:
        return _json(self.request("GET", f"/records/{uuid}"))


def _json(resp: requests.Response) -> dict[str, Any]:
    """The body of a 2xx. A connection cut inside the headers can reach us as a
    "complete" response with an empty or partial body: that is a transport
    failure to retry, not a server answer."""
    try:
        body = resp.json()
    except ValueError as exc:
        raise TransientError() from exc
    if not isinstance(body, dict):
        raise TransientError()
    return body


def _retry_after(resp: requests.Response) -> float | None:
    value = resp.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
