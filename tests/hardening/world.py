"""The world the hardening catalogue attacks, and how it is fingerprinted: a few
enterprises, an item list, a dispatched visit for one inspector, an admin, a
revoked and a replaced device token (tests/hardening)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from openpyxl import Workbook

from server.extensions import db
from server.services.dispatch import dispatch_task
from shared.enums import Role
from tests.server import factories as f

# Rows that legitimately move on a refused request: failed logins are counted
# (that is the rate limiter working).
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


def fingerprint(app) -> dict:
    with app.app_context(), db.engine.connect() as conn:
        state = {}
        for table in db.metadata.sorted_tables:
            if table.name in UNCOUNTED:
                continue
            state[table.name] = conn.execute(
                sa.select(sa.func.count()).select_from(table)).scalar()
            if table.name in CONTENT:
                rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns))
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


def make_world(app, client) -> World:
    app.config["MAX_CONTENT_LENGTH"] = 4 * 1024 * 1024  # small, so "oversized" stays cheap
    with app.app_context():
        for n in range(3):
            f.make_enterprise(name=f"已有企业{n}")
        f.make_item_version(("WH-01", "WH-02"))
        a, b = f.make_inspector(name="张三"), f.make_inspector(name="李四")
        with f.bureau_day():  # drawn and dispatched before the records the catalogue sends
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


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(w: World, name: str, data: bytes, headers: dict | None = None):
    """An enterprise-registry import as a client makes it since the review step
    (issue 19): preview the file, then apply it with the preview's token.  A
    refused preview is the answer; the apply step is never reached then."""
    base = "/api/v1/registries/enterprises/import"
    preview = w.client.post(f"{base}/preview", headers=headers or w.admin,
                            data={"file": (io.BytesIO(data), name)},
                            content_type="multipart/form-data")
    if preview.status_code != 200:
        return preview
    return w.client.post(base, headers=headers or w.admin,
                         data={"file": (io.BytesIO(data), name), "token": preview.json["token"]},
                         content_type="multipart/form-data")
