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
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g
from openpyxl import Workbook

from server.extensions import db
from server.services.dispatch import dispatch_task
from shared.enums import Role
from shared.schemas import canonical_json
from shared.uscc import make_uscc
from tests.server import factories as f

# Rows that legitimately move on a refused request: failed logins are counted
# (that is the rate limiter working) and last_seen_at of a token is touched.
UNCOUNTED = {"login_failures"}
CONTENT = ("enterprises", "inspectors", "experts", "check_items", "users", "sync_records",
           "sync_record_versions", "evidence_blobs", "audit_log")
HEADERS = ["单位名称", "统一社会信用代码", "行业领域"]


@dataclass
class World:
    app: object
    client: object
    admin: dict
    inspector: dict
    other_inspector: dict
    visit: object
    revoked: dict
    replaced: dict

    def csrf(self) -> str:
        self.client.get("/console/login")
        with self.client.session_transaction() as s:
            return s["csrf"]

    def console_login(self, role: Role) -> None:
        name = f"web-{role.value}"
        with self.app.app_context():
            if db.session.scalar(sa.select(sa.func.count()).select_from(sa.table("users")).where(
                    sa.column("username") == name)) == 0:
                f.make_user(role, username=name, password="password123")
        resp = self.client.post("/console/login", data={
            "username": name, "password": "password123", "csrf_token": self.csrf()})
        assert resp.status_code == 302
        self.client.get("/console/")


@pytest.fixture(autouse=True)
def _fresh_caller(app):
    @app.before_request
    def _forget() -> None:
        g.pop("user", None)
        g.pop("device_token", None)


@pytest.fixture
def world(app, client) -> World:
    app.config["MAX_CONTENT_LENGTH"] = 4 * 1024 * 1024  # small, so "oversized" stays cheap
    with app.app_context():
        for n in range(3):
            f.make_enterprise(name=f"已有企业{n}")
        f.make_item_version(("WH-01", "WH-02"))
        a, b = f.make_inspector(name="张三"), f.make_inspector(name="李四")
        task = f.make_sync_task()
        visit = f.make_sync_visit(task, [a, f.make_inspector(name="王五")],
                                  codes=("WH-01", "WH-02"))
        dispatch_task(task.task_no, "dispatcher")
        mine = f.make_token(Role.INSPECTOR, inspector=a)
        theirs = f.make_token(Role.INSPECTOR, inspector=b)
        admin = f.make_token(Role.ADMIN)
        db.session.refresh(visit)
        _ = visit.members, visit.task, visit.enterprise  # loaded for the record builder
        db.session.expunge_all()
    bearer = lambda t: {"Authorization": f"Bearer {t}"}  # noqa: E731
    w = World(app, client, bearer(admin), bearer(mine), bearer(theirs), visit, {}, {})
    # A revoked token, and one replaced by enrolling the same device again.
    with app.app_context():
        user = f.make_user(Role.INSPECTOR, username="lost-tablet", password="password123")
        old = f.make_token(Role.INSPECTOR, user=user, device_id="pad-9")
    assert client.post("/api/v1/devices/pad-9/revoke", headers=w.admin).status_code == 200
    w.revoked = bearer(old)
    first = client.post("/api/v1/auth/token", json={
        "username": "lost-tablet", "password": "password123", "device_id": "pad-10"}).json
    client.post("/api/v1/auth/token", json={
        "username": "lost-tablet", "password": "password123", "device_id": "pad-10"})
    w.replaced = bearer(first["token"])
    return w


def fingerprint(app) -> dict:
    with app.app_context(), db.engine.connect() as conn:
        state = {}
        for table in db.metadata.sorted_tables:
            if table.name in UNCOUNTED:
                continue
            state[table.name] = conn.execute(
                sa.select(sa.func.count()).select_from(table)).scalar()
            if table.name in CONTENT:
                cols = [c for c in table.columns if c.name not in ("last_seen_at",)]
                rows = conn.execute(sa.select(*cols).order_by(*table.primary_key.columns))
                state[table.name + "#"] = hashlib.sha256(
                    repr(rows.all()).encode()).hexdigest()
    root = Path(app.config["EVIDENCE_DIR"])
    # Lock files are empty and reused by design; an EMPTY .partial file is left by a
    # refused first chunk (415 is decided after the file is opened) – harmless, no
    # row points at it, and the next upload of that hash truncates it anyway.
    state["files"] = sorted(
        (p.relative_to(root).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
        for p in root.rglob("*") if p.is_file() and ".locks" not in p.parts
        and not (".partial" in p.parts and p.stat().st_size == 0))
    return state


# -- inputs -----------------------------------------------------------------------------

def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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


def upload(w: World, name: str, data: bytes, headers: dict | None = None):
    return w.client.post("/api/v1/registries/enterprises/import",
                         headers=headers or w.admin,
                         data={"file": (io.BytesIO(data), name)},
                         content_type="multipart/form-data")


def console_upload(w: World, name: str | None, data: bytes = b"",
                   url: str = "/console/registries/enterprises"):
    """A registry upload through the console form, as whoever is logged in (Bad.login)."""
    with w.client.session_transaction() as s:
        form: dict = {"csrf_token": s["csrf"]}
    if name is not None:
        form["file"] = (io.BytesIO(data), name)
    return w.client.post(url, data=form,
                         content_type="multipart/form-data")


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


TRUNCATED_JPEG = jpeg()[: len(jpeg()) // 2]
TEXT = "这不是照片，只是一个改了扩展名的文本文件。\n".encode() * 50
HUGE = "长" * 2001

CATALOGUE = [
    # -- imports (API) ------------------------------------------------------------------
    Bad("xlsx-random-bytes", lambda w: upload(w, "e.xlsx", b"PK\x03\x04" + bytes(300)),
        422, "无法读取 Excel 文件"),
    Bad("xlsx-not-a-zip", lambda w: upload(w, "e.xlsx", b"<html>not excel</html>"),
        422, "文件不是有效的 Excel（.xlsx）文件"),
    Bad("xlsx-truncated", lambda w: upload(w, "e.xlsx", xlsx([HEADERS, GOOD_ROW])[:900]),
        422, "无法读取 Excel 文件"),
    Bad("xlsx-wrong-headers", lambda w: upload(w, "e.xlsx", xlsx([["名称", "代码", "X"],
                                                                  GOOD_ROW])),
        422, "未知列"),
    Bad("xlsx-missing-required-column",
        lambda w: upload(w, "e.xlsx", xlsx([["单位名称"], ["只有名称的企业"]])),
        422, "缺少必填列：统一社会信用代码、行业领域"),
    Bad("xlsx-invalid-uscc", lambda w: upload(w, "e.xlsx", xlsx(
        [HEADERS, GOOD_ROW, ["坏代码企业", "91130800MA0A00011X", "hazchem_trading"]])),
        422, "第3行: 统一社会信用代码"),
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
        json={"uscc": GOOD_ROW[1], "industry": "hazchem_trading"}), 400, "必填字段缺失"),
    Bad("enterprise-not-json", lambda w: w.client.post(
        "/api/v1/enterprises", data="{'name': 甲", headers={
            **w.admin, "Content-Type": "application/json"}), 400, "请求格式错误"),
    Bad("enterprise-nul-in-name", lambda w: w.client.post("/api/v1/enterprises", headers=w.admin,
        json={"name": "甲\x00乙", "uscc": GOOD_ROW[1], "industry": "hazchem_trading"}),
        400, "不能包含控制字符"),
    Bad("enterprise-unknown-field", lambda w: w.client.post("/api/v1/enterprises",
        headers=w.admin, json={"name": "甲", "uscc": GOOD_ROW[1], "industry": "hazchem_trading",
                               "is_admin": True}), 400, "未知字段"),
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
        400, "必填字段缺失"),
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
    # -- console forms --------------------------------------------------------------------
    Bad("console-login-without-csrf", lambda w: w.client.post("/console/login", data={
        "username": "admin", "password": "x"}), 400, "表单已过期，请刷新页面后重试"),
    Bad("console-login-sql-ish", lambda w: w.client.post("/console/login", data={
        "username": "' OR '1'='1' --", "password": "' OR '1'='1", "csrf_token": w.csrf()}),
        200, "用户名或密码错误"),
    Bad("console-import-garbage", lambda w: console_upload(w, "e.xlsx", b"PK\x03\x04garbage"),
        200, "导入失败，文件未作任何更改", Role.DISPATCHER),
    Bad("console-import-bad-uscc", lambda w: console_upload(w, "e.xlsx", xlsx(
        [HEADERS, ["坏代码企业", "91130800MA0A00011X", "hazchem_trading"]])),
        200, "第2行: 统一社会信用代码", Role.DISPATCHER),
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


# -- inputs that are accepted, but must come back exactly as sent ------------------------

RARE = "𠀀㐀䶵𪚥企业😀🏭"  # CJK Ext-B/Ext-A (4-byte UTF-8), emoji


def test_emoji_and_rare_cjk_names_round_trip(world):
    w = world
    uscc = make_uscc("91130800MA0A00099")
    resp = w.client.post("/api/v1/enterprises", headers=w.admin, json={
        "name": RARE, "uscc": uscc, "industry": "hazchem_trading", "contact": "㐀先生😀"})
    assert resp.status_code == 201, resp.json
    got = w.client.get(f"/api/v1/enterprises/{uscc}", headers=w.admin).json
    assert got["name"] == RARE and got["contact"] == "㐀先生😀"
    found = w.client.get("/api/v1/enterprises", headers=w.admin, query_string={"q": "𠀀㐀"}).json
    assert [e["uscc"] for e in found["items"]] == [uscc]
    before = fingerprint(w.app)
    for fmt in ("xlsx", "csv"):
        data = w.client.get(f"/api/v1/registries/enterprises/export?format={fmt}",
                            headers=w.admin).data
        if fmt == "csv":
            assert RARE in data.decode("utf-8-sig")
        again = upload(w, f"e.{fmt}", data)
        assert again.status_code == 200 and again.json["unchanged"] >= 4, again.json
    assert fingerprint(w.app) == before  # the export re-imports to the very same rows


FORMULAS = ['=HYPERLINK("http://evil.example","点击领取")', "+1+1", "-2+3", "@SUM(A1)",
            "=cmd|' /C calc'!A0"]


def test_formula_injection_is_neutralised_in_exported_cells(world):
    from python_calamine import CalamineWorkbook

    w = world
    codes = []
    for n, formula in enumerate(FORMULAS):
        uscc = make_uscc(f"91130800MA0B{n:05d}")
        codes.append(uscc)
        resp = w.client.post("/api/v1/enterprises", headers=w.admin, json={
            "name": formula, "uscc": uscc, "industry": "hazchem_trading",
            "address": formula, "contact": formula})
        assert resp.status_code == 201, resp.json
    xlsx_bytes = w.client.get("/api/v1/registries/enterprises/export?format=xlsx",
                              headers=w.admin).data
    rows = CalamineWorkbook.from_filelike(io.BytesIO(xlsx_bytes)).get_sheet_by_index(
        0).to_python()
    csv_text = w.client.get("/api/v1/registries/enterprises/export?format=csv",
                            headers=w.admin).data.decode("utf-8-sig")
    cells = [str(c) for row in rows[1:] for c in row]
    for formula in FORMULAS:
        assert formula not in cells  # never a bare formula in a cell …
        assert "'" + formula in cells  # … but the text, quoted, so it still reads the same
        assert not any(line.startswith(formula) or f",{formula}" in line
                       for line in csv_text.splitlines())
    # xlsx cells hold strings, never formulas (no <f> elements in the sheet XML).
    import zipfile
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes)) as z:
        sheet = next(n for n in z.namelist() if n.startswith("xl/worksheets/"))
        assert b"<f>" not in z.read(sheet) and b"<f " not in z.read(sheet)
    # Re-importing the export gives back the stored text exactly (apostrophe stripped).
    before = fingerprint(w.app)
    assert upload(w, "e.xlsx", xlsx_bytes).status_code == 200
    assert fingerprint(w.app) == before
    names = {e["uscc"]: e["name"] for e in w.client.get(
        "/api/v1/enterprises?per_page=500", headers=w.admin).json["items"]}
    assert [names[c] for c in codes] == FORMULAS
