"""The bad-input catalogue (issue 7, must-show 3).

Each entry sends one bad input – to an import, an API body, an upload or a
console form – and expects a clear answer: the status code and a Chinese
message a person can act on. Around every entry the whole state is
fingerprinted (row count of every table, the registry rows themselves, every
file under EVIDENCE_DIR): a refused input must change nothing.

Runs on SQLite and PostgreSQL (the ``app`` fixture).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import uuid as uuidlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from server.extensions import db
from shared.enums import Role
from shared.schemas import canonical_json
from shared.uscc import make_uscc
from tests.hardening.world import HEADERS, World, fingerprint, upload, xlsx
from tests.server import factories as f

# -- inputs -----------------------------------------------------------------------------

GOOD_ROW = ["新企业", make_uscc("91130800MA0A00012"), "hazchem_trading"]


def sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def jpeg() -> bytes:
    return f.make_jpeg(7, (320, 240))


@functools.cache
def png_bomb() -> bytes:
    """A valid 12000×12000 greyscale PNG (144 MP, past the 64 MP limit) of ~140 KB."""
    width = height = 12000
    z = zlib.compressobj(9)
    line = b"\x00" + bytes(width)
    raw = b"".join(z.compress(line) for _ in range(height)) + z.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        import struct
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    import struct
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw)
            + chunk(b"IEND", b""))


def console_upload(w: World, name: str | None, data: bytes = b"",
                   url: str = "/console/registries/enterprises/import/preview"):
    """A registry upload through the console form, as whoever is logged in (Bad.login).

    Since the review step (issue 19) the form posts to the preview; a refused file
    answers there (422, the errors and a form to choose another file), a missing
    one is sent back to the registry page with a message (the redirect is followed,
    as a browser does)."""
    with w.client.session_transaction() as s:
        form: dict = {"csrf_token": s["csrf"]}
    if name is not None:
        form["file"] = (io.BytesIO(data), name)
    return w.client.post(url, data=form, content_type="multipart/form-data",
                         follow_redirects=True)


def blob(w: World, digest: str, data: bytes, rng: str | None = None, mime="image/jpeg",
         headers: dict | None = None):
    hdrs = {**(headers or w.inspector), "Content-Type": mime,
            "Content-Range": rng if rng is not None else f"bytes 0-{len(data) - 1}/{len(data)}"}
    return w.client.put(f"/api/v1/blobs/{digest}", data=data, headers=hdrs)


def record(w: World, body: bytes | dict, uuid: str | None = None, headers: dict | None = None):
    if isinstance(body, dict):
        uuid = uuid or body["uuid"]
        body = canonical_json(body)
    return w.client.put(f"/api/v1/records/{uuid or uuidlib.uuid4()}", data=body,
                        headers={**(headers or w.inspector),
                                 "Content-Type": "application/json; charset=utf-8"})


def payload(w: World, **changes) -> dict:
    with w.app.app_context():
        visit = db.session.merge(w.visit)
        body = f.make_record_payload(visit)
    body.update(changes)
    return body


@dataclass
class Bad:
    id: str
    send: Callable[[World], object]
    status: int
    message: str
    login: Role | None = None  # console session needed before the input is sent


def stranger_signature(w: World) -> dict:
    """The payload with an 执法人员 signature of someone not on the visit's team."""
    with w.app.app_context():
        from server.models import Inspector

        cert = db.session.scalar(db.select(Inspector.cert_no).where(Inspector.name == "李四"))
    body = payload(w)
    sig = next(x for x in body["signatures"] if x["role"] == "inspector")
    body["signatures"].append({**sig, "cert_no": cert, "name": "admin（局长）"})
    return body


def cookie_only_revoke(w: World):
    """The console cookie alone, as a cross-site form or fetch would send it."""
    return w.client.post("/api/v1/devices/pad-10/revoke")


DEEP = b"[" * 100_000 + b"]" * 100_000
TRUNCATED_JPEG = jpeg()[: len(jpeg()) // 2]
TEXT = "这不是照片，只是一个改了扩展名的文本文件。\n".encode() * 50
HUGE = "长" * 2001

CATALOGUE = [
    # -- imports (API) ------------------------------------------------------------------
    Bad("xlsx-random-bytes", lambda w: upload(w, "e.xlsx", b"PK\x03\x04" + bytes(300)),
        422, "文件已损坏，无法作为表格读取"),
    Bad("xlsx-not-a-zip", lambda w: upload(w, "e.xlsx", b"<html>not excel</html>"),
        422, "文件不是有效的.xlsx表格，可能已损坏或只是改了扩展名"),
    Bad("xlsx-truncated", lambda w: upload(w, "e.xlsx", xlsx([HEADERS, GOOD_ROW])[:900]),
        422, "文件已损坏，无法作为表格读取"),
    Bad("xlsx-wrong-headers", lambda w: upload(w, "e.xlsx", xlsx([["名称", "代码", "X"],
                                                                  GOOD_ROW])),
        422, "找不到表头（表头应含有单位名称、统一社会信用代码、行业领域等列）"),
    Bad("xlsx-missing-required-column",
        lambda w: upload(w, "e.xlsx", xlsx([["单位名称"], ["只有名称的企业"]])),
        422, "缺少必填列：统一社会信用代码、行业领域"),
    Bad("xlsx-invalid-uscc", lambda w: upload(w, "e.xlsx", xlsx(
        [HEADERS, GOOD_ROW, ["坏代码企业", "91130800MA0A00011X", "hazchem_trading"]])),
        422, "第3行: B列“统一社会信用代码”：统一社会信用代码校验位错误"),
    Bad("xlsx-huge-cell", lambda w: upload(w, "e.xlsx", xlsx([HEADERS, [HUGE, *GOOD_ROW[1:]]])),
        422, "单元格内容过长（2001字，上限2000字）"),
    Bad("xlsx-duplicate-rows", lambda w: upload(w, "e.xlsx", xlsx([HEADERS, GOOD_ROW, GOOD_ROW])),
        422, "与第2行重复"),
    Bad("import-unsupported-type", lambda w: upload(w, "e.exe", b"MZ\x90\x00"),
        422, "不支持的文件类型"),
    Bad("import-path-traversal-name", lambda w: upload(w, "../../../../etc/cron.d/x", b"x"),
        422, "不支持的文件类型"),
    Bad("csv-empty", lambda w: upload(w, "e.csv", b""), 422, "文件为空，没有表头"),
    Bad("plans-xlsx-garbage", lambda w: w.client.post(
        "/api/v1/plans/import", headers=w.admin, content_type="multipart/form-data",
        data={"file": (io.BytesIO(b"PK\x03\x04" + bytes(200)), "plans.xlsx")}),
        422, "导入失败，文件未作任何更改"),
    Bad("plans-wrong-headers", lambda w: w.client.post(
        "/api/v1/plans/import", headers=w.admin, content_type="multipart/form-data",
        data={"file": (io.BytesIO(xlsx([["甲", "乙"], ["1", "2"]])), "plans.xlsx")}),
        422, "导入失败，文件未作任何更改"),
    Bad("import-wrong-role", lambda w: upload(w, "e.xlsx", xlsx([HEADERS, GOOD_ROW]),
                                              w.inspector),
        403, "当前角色无权执行此操作"),
    # -- API bodies -----------------------------------------------------------------------
    Bad("enterprise-invalid-uscc", lambda w: w.client.post("/api/v1/enterprises", headers=w.admin,
        json={"name": "甲", "uscc": GOOD_ROW[1][:-1] + ("1" if GOOD_ROW[1][-1] != "1" else "2"),
              "industry": "hazchem_trading"}),
        400, "统一社会信用代码校验位错误"),
    Bad("enterprise-missing-name", lambda w: w.client.post("/api/v1/enterprises", headers=w.admin,
        json={"uscc": GOOD_ROW[1], "industry": "hazchem_trading"}), 400, "必填项"),
    Bad("enterprise-not-json", lambda w: w.client.post(
        "/api/v1/enterprises", data="{'name': 甲", headers={
            **w.admin, "Content-Type": "application/json"}), 400, "不是有效的JSON格式"),
    Bad("enterprise-nul-in-name", lambda w: w.client.post("/api/v1/enterprises", headers=w.admin,
        json={"name": "甲\x00乙", "uscc": GOOD_ROW[1], "industry": "hazchem_trading"}),
        400, "不能包含控制字符"),
    Bad("enterprise-unknown-field", lambda w: w.client.post("/api/v1/enterprises",
        headers=w.admin, json={"name": "甲", "uscc": GOOD_ROW[1], "industry": "hazchem_trading",
                               "is_admin": True}), 400, "不允许的字段"),
    Bad("enterprise-wrong-role", lambda w: w.client.post("/api/v1/enterprises",
        headers=w.inspector, json={"name": "甲", "uscc": GOOD_ROW[1],
                                   "industry": "hazchem_trading"}),
        403, "当前角色无权执行此操作"),
    Bad("enterprise-sql-ish-name", lambda w: w.client.post("/api/v1/enterprises",
        headers=w.admin, json={"name": "x'); DROP TABLE enterprises;--", "uscc": "bad'--",
                               "industry": "hazchem_trading"}), 400, "统一社会信用代码"),
    Bad("user-unknown-role", lambda w: w.client.post("/api/v1/users", headers=w.admin, json={
        "username": "new", "role": "superuser", "password": "password123"}), 400, "role"),
    Bad("body-oversized", lambda w: w.client.post("/api/v1/enterprises", headers={
        **w.admin, "Content-Type": "application/json"}, data=b" " * (5 * 1024 * 1024)),
        413, "上传内容过大"),
    # -- tokens ---------------------------------------------------------------------------
    Bad("token-bad-password", lambda w: w.client.post("/api/v1/auth/token", json={
        "username": "lost-tablet", "password": "guess", "device_id": "x"}),
        401, "用户名或密码错误"),
    Bad("token-missing-fields", lambda w: w.client.post("/api/v1/auth/token", json={}),
        400, "必填项"),
    Bad("token-revoked", lambda w: w.client.get("/api/v1/sync/pull", headers=w.revoked),
        401, "未登录或令牌已失效"),
    Bad("token-replaced-replayed", lambda w: w.client.get("/api/v1/auth/me",
                                                          headers=w.replaced),
        401, "未登录或令牌已失效"),
    Bad("token-garbage", lambda w: w.client.get("/api/v1/enterprises", headers={
        "Authorization": "Bearer ' OR '1'='1"}), 401, "未登录或令牌已失效"),
    Bad("token-missing", lambda w: w.client.get("/api/v1/enterprises"), 401, "未登录"),
    # -- records --------------------------------------------------------------------------
    Bad("record-not-json", lambda w: record(w, b"{\"uuid\": "), 400, "记录不是有效的JSON格式"),
    Bad("record-schema-error", lambda w: record(w, payload(w, outcome="perfect")),
        400, "记录格式错误"),
    Bad("record-uuid-mismatch", lambda w: record(w, payload(w), uuid=str(uuidlib.uuid4())),
        400, "地址中的记录编号与记录内容不一致"),
    Bad("record-too-big", lambda w: record(w, b"{" + b" " * (2 * 1024 * 1024 + 10) + b"}"),
        413, "记录过大（上限2MB）"),
    Bad("record-other-team", lambda w: record(w, payload(w), headers=w.other_inspector),
        403, "不属于您所在的检查组"),
    Bad("record-wrong-role", lambda w: record(w, payload(w), headers=w.admin),
        403, "当前角色无权执行此操作"),
    Bad("record-emoji-result", lambda w: record(w, payload(
        w, items=[{"code": "WH-01", "result": "😀", "note": "㐀𠀀😀",
                   "checked_at": "2024-03-05T09:30:00+08:00"}])),
        400, "记录格式错误"),
    Bad("record-naive-time", lambda w: record(w, payload(w, started_at="2024-03-05T09:30:00")),
        400, "记录格式错误"),
    # -- blobs ----------------------------------------------------------------------------
    Bad("blob-path-traversal-hash", lambda w: blob(w, "..%2F..%2Fetc%2Fpasswd", jpeg()),
        404, "请求的资源不存在"),
    Bad("blob-not-a-hash", lambda w: blob(w, "0" * 63 + "G", jpeg()),
        400, "文件标识应为64位小写十六进制SHA-256值"),
    Bad("blob-bad-content-range", lambda w: blob(w, sha(jpeg()), jpeg(), "bytes=0-10"),
        400, "Content-Range"),
    Bad("blob-range-past-total", lambda w: blob(w, sha(jpeg()), jpeg(),
                                                f"bytes 0-{len(jpeg())}/{len(jpeg())}"),
        416, "上传范围不正确"),
    Bad("blob-gap", lambda w: blob(w, sha(jpeg()), jpeg()[100:],
                                   f"bytes 100-{len(jpeg()) - 1}/{len(jpeg())}"),
        416, "上传位置与服务器已有数据不一致"),
    Bad("blob-length-mismatch", lambda w: blob(w, sha(jpeg()), jpeg()[:50],
                                               f"bytes 0-99/{len(jpeg())}"),
        400, "请求体长度与Content-Range不一致"),
    Bad("blob-hash-mismatch", lambda w: blob(w, sha(b"other"), jpeg()), 422, "文件校验失败"),
    Bad("blob-truncated-jpeg", lambda w: blob(w, sha(TRUNCATED_JPEG), TRUNCATED_JPEG),
        422, "图片文件已损坏或无法读取"),
    Bad("blob-decompression-bomb", lambda w: blob(w, sha(png_bomb()), png_bomb(),
                                                            mime="image/png"),
        422, "图片像素过大，无法接收"),
    Bad("blob-text-named-jpeg", lambda w: blob(w, sha(TEXT), TEXT), 415, "文件类型不被接受"),
    Bad("blob-oversized", lambda w: blob(w, sha(jpeg()), jpeg()[:10],
                                         f"bytes 0-9/{200 * 1024 * 1024}"),
        413, "证据文件过大"),
    Bad("blob-wrong-role", lambda w: blob(w, sha(jpeg()), jpeg(), headers=w.admin),
        403, "当前角色无权执行此操作"),
    # -- issue 16 -------------------------------------------------------------------------
    Bad("deep-json-unauthenticated", lambda w: w.client.post(
        "/api/v1/auth/token", data=DEEP, content_type="application/json"),
        400, "嵌套层数过深"),
    Bad("deep-json-api-body", lambda w: w.client.post(
        "/api/v1/enterprises", data=DEEP, headers={**w.admin,
                                                   "Content-Type": "application/json"}),
        400, "嵌套层数过深"),
    Bad("deep-json-record", lambda w: record(w, DEEP), 400, "嵌套层数过深"),
    Bad("blob-hash-trailing-newline", lambda w: blob(w, sha(jpeg()) + "%0A", jpeg()),
        400, "文件标识应为64位小写十六进制SHA-256值"),
    Bad("record-uuid-trailing-newline", lambda w: (lambda body: record(
        w, {**body, "uuid": body["uuid"] + "\n"}, uuid=body["uuid"] + "%0A"))(payload(w)),
        400, "记录格式错误"),
    Bad("record-forged-signer", lambda w: record(w, stranger_signature(w)),
        422, "不是本检查组成员"),
    Bad("result-before-inspection", lambda w: w.client.post(
        "/api/v1/publication/results", headers=w.admin, json={
            "visit_id": w.visit.id, "outcome": "no_problem", "inspected_on": "2024-03-05"}),
        409, "尚未完成现场检查"),
    # -- console forms --------------------------------------------------------------------
    Bad("console-login-without-csrf", lambda w: w.client.post("/console/login", data={
        "username": "admin", "password": "x"}), 400, "表单已过期"),
    Bad("console-login-sql-ish", lambda w: w.client.post("/console/login", data={
        "username": "' OR '1'='1' --", "password": "' OR '1'='1", "csrf_token": w.csrf()}),
        200, "用户名或密码错误"),
    Bad("console-import-garbage", lambda w: console_upload(w, "e.xlsx", b"PK\x03\x04garbage"),
        422, "导入失败，文件未作任何更改", Role.DISPATCHER),
    Bad("console-import-bad-uscc", lambda w: console_upload(w, "e.xlsx", xlsx(
        [HEADERS, ["坏代码企业", "91130800MA0A00011X", "hazchem_trading"]])),
        422, "第2行: B列“统一社会信用代码”", Role.DISPATCHER),
    Bad("console-plan-import-garbage", lambda w: console_upload(
        w, "plans.xlsx", b"PK\x03\x04garbage", "/console/plans"),
        200, "导入失败", Role.DISPATCHER),
    Bad("console-import-no-file", lambda w: console_upload(w, None),
        200, "请选择要导入的文件", Role.DISPATCHER),
    Bad("console-import-wrong-role", lambda w: console_upload(w, "e.xlsx",
                                                              xlsx([HEADERS, GOOD_ROW])),
        403, "无权", Role.REVIEWER),
    Bad("console-import-oversized", lambda w: console_upload(
        w, "e.xlsx", b"PK" + bytes(5 * 1024 * 1024)), 413, "上传内容过大", Role.DISPATCHER),
    # Last: it leaves an admin's console session on the client.
    Bad("api-cookie-without-csrf", cookie_only_revoke, 403, "CSRF", Role.ADMIN),
]


def text_of(resp) -> str:
    if resp.is_json:
        return json.dumps(resp.get_json(), ensure_ascii=False)
    return resp.get_data(as_text=True)


def check(world: World, bad: Bad) -> str | None:
    """Why *bad* was not refused clearly, or changed something; None when all is well."""
    if bad.login is not None:
        world.console_login(bad.login)  # the login itself is not the input under test
    before = fingerprint(world.app)
    resp = bad.send(world)
    body = text_of(resp)
    if resp.status_code != bad.status:
        return f"status {resp.status_code}, expected {bad.status}: {body[:300]}"
    if bad.message not in body:
        return f"message without “{bad.message}”: {body[:300]}"
    if resp.is_json:
        data = resp.get_json()
        if data.get("code") != bad.status or not any(
                "\u4e00" <= ch <= "\u9fff" for ch in data.get("message", "")):
            return f"not the API error shape with a Chinese message: {body[:300]}"
    after = fingerprint(world.app)
    if after != before:
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        return f"state changed: {changed} {[after.get(k) for k in changed if k == 'files']}"
    return None


def test_bad_inputs_are_refused_clearly_and_change_nothing(world):
    """One world for the whole catalogue: since no entry may change anything, each
    entry meets exactly the state the first one did (and a leak shows up as a
    changed fingerprint at the entry that caused it)."""
    failures = []
    for bad in CATALOGUE:
        problem = check(world, bad)
        if problem:
            failures.append(f"{bad.id}: {problem}")
    assert not failures, "\n".join(failures)


def test_catalogue_is_at_least_thirty_inputs():
    assert len(CATALOGUE) >= 30
    assert len({b.id for b in CATALOGUE}) == len(CATALOGUE)
