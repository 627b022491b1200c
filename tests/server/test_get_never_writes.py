"""A GET never writes: every GET route of the API, the console and the public
pages, called as every role (and anonymously), leaves the database as it was –
row counts of every table and a hash of every row's content.

The world holds what the GETs used to move: an archived demo case, cases
still waiting for their record, an inspected case with a result waiting for
法制审核, a dispatched unannounced task.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import date

import pytest
import sqlalchemy as sa
from werkzeug.routing import BuildError

from server.extensions import db
from server.models import DrawRecord, Inspector, Plan, PublicDrawFile, Task
from server.models.case import Case
from server.models.document import CaseDocument
from server.models.sync import SyncRecord
from server.services import dispatch
from server.services.demo_data import load_demo
from shared.enums import Role
from tests.server import factories as f
from tests.server.services import test_cases_support as s

pytestmark = pytest.mark.usefixtures("fresh_caller")

ROLES = [None, *Role]


def fingerprint() -> dict[str, object]:
    out: dict[str, object] = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return out


@pytest.fixture
def world(ctx, client, monkeypatch):
    ctx.config["DEMO_CASES"] = True
    load_demo()  # registries, a published plan, and an archived case from draw to 归档
    monkeypatch.setattr(dispatch, "today", lambda: date(2024, 3, 4))
    a, b = f.make_inspector(name="张明"), f.make_inspector(name="刘芳")
    task = f.make_sync_task()
    visit = f.make_sync_visit(task, [a, b], codes=s.CODES)
    waiting = f.make_sync_visit(task, [a, b], codes=s.CODES)  # noqa: F841 - stays 已告知
    dispatch.dispatch_task(task.task_no, "dispatcher")
    secret = f.make_sync_task()
    secret.unannounced = True
    db.session.commit()
    f.make_sync_visit(secret, [a, b], codes=s.CODES)
    dispatch.dispatch_task(secret.task_no, "dispatcher")
    rec, blobs = s.inspection_record(visit, photos=1)
    tablet = s.tablet(a)
    s.sync(client, tablet, rec, blobs)
    assert db.session.scalar(sa.select(Case.state).where(Case.visit_id == visit.id)) == "inspected"
    tokens = {None: {}, Role.INSPECTOR: tablet}
    for role in Role:
        if role != Role.INSPECTOR:
            tokens[role] = {"Authorization": f"Bearer {f.make_token(role)}"}
    names = {role: f.make_user(role, username=f"get-{role.value}").username for role in Role}
    return {"tokens": tokens, "names": names}


def _values() -> dict[str, list[str]]:
    """Real values for every URL parameter, so each route answers with real data."""
    first = lambda q: [str(db.session.scalar(q))]  # noqa: E731
    case_ids = [str(i) for i in db.session.scalars(sa.select(Case.id).order_by(Case.id))]
    archived = db.session.scalar(sa.select(Case).where(Case.state == "archived"))
    size = db.session.scalar(sa.select(sa.func.count()).select_from(PublicDrawFile))
    return {
        "case_id": case_ids,
        "document_id": first(sa.select(sa.func.min(CaseDocument.id))),
        "record_id": first(sa.select(sa.func.min(DrawRecord.id))),
        "uscc": [archived.enterprise.uscc],
        "enterprise_id": [str(archived.enterprise.id)],
        "cert_no": first(sa.select(Inspector.cert_no).limit(1)),
        "plan_no": first(sa.select(Plan.plan_no).limit(1)),
        "task_no": [t for t in db.session.scalars(sa.select(Task.task_no).order_by(Task.id))],
        "uuid": first(sa.select(SyncRecord.uuid).limit(1)),
        "kind": ["enterprises", "inspectors", "experts", "items"],
        "fmt": ["json", "csv", "xlsx"],
        # The public draw log (issue 15): its files, proofs and consistency.
        "visit_id": [str(i) for i in db.session.scalars(sa.select(Case.visit_id).order_by(
            Case.visit_id))],
        "sha256": first(sa.select(PublicDrawFile.sha256).limit(1)),
        "leaf_index": ["0"],
        "tree_size": [str(size)],
        "first": ["1"],
        "second": [str(size)],
    }


def get_urls(app) -> list[str]:
    values = _values()
    urls = []
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        names = sorted(rule.arguments)
        for combo in itertools.product(*(values[n] for n in names)):
            try:
                urls.append(adapter.build(rule.endpoint, dict(zip(names, combo, strict=True))))
            except (BuildError, ValueError):  # a fmt this route does not offer
                continue
    assert any(u.startswith("/api/") for u in urls) and any(u.startswith("/console/")
                                                            for u in urls)
    return sorted(set(urls))


def login(client, username: str) -> None:
    client.get("/console/login")
    with client.session_transaction() as sess:
        token = sess["csrf"]
    resp = client.post("/console/login", data={"username": username, "password": "password123",
                                               "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)


def test_every_get_as_every_role_leaves_the_database_unchanged(app, ctx, world):
    urls = get_urls(app)
    # Each role's console session exists before the first look (logging in is a POST).
    clients = {None: app.test_client()}
    for role in Role:
        clients[role] = app.test_client()
        login(clients[role], world["names"][role])
    db.session.remove()
    before = fingerprint()
    answered = 0
    for role in ROLES:
        for url in urls:
            api = url.startswith("/api/")
            client = clients[None] if api else clients[role]
            resp = client.get(url, headers=world["tokens"][role] if api else {})
            assert resp.status_code < 500, (role, url, resp.status_code)
            answered += resp.status_code == 200
            db.session.remove()
    after = fingerprint()
    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    assert changed == {}
    assert len(urls) > 60 and answered > 200  # the routes really ran, with data
