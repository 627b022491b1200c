"""make_<noun> factories for server tests. Call inside an app context."""

from __future__ import annotations

import contextlib
import itertools
from datetime import date, datetime, time, timedelta

from server.extensions import db
from server.models import DeviceToken, Enterprise, Inspector, User
from server.models.user import hash_token
from shared.enums import Role
from shared.uscc import make_uscc

_seq = itertools.count(1)


def uscc(n: int | None = None) -> str:
    n = next(_seq) if n is None else n
    return make_uscc(f"91140428MA{n:07d}")


def make_enterprise(**overrides) -> Enterprise:
    n = next(_seq)
    values = dict(uscc=uscc(n), name=f"测试企业{n}有限公司", industry="industry_trade",
                  street="丹朱镇", scale="small", risk_level="general", credit_class="B",
                  status="active", special_work=[], registries=[])
    values.update(overrides)
    obj = Enterprise(**values)
    db.session.add(obj)
    db.session.commit()
    return obj


def make_inspector(**overrides) -> Inspector:
    n = next(_seq)
    values = dict(cert_no=f"T{n:08d}", name=f"检查员{n}", cert_expiry=date(2030, 12, 31),
                  department="执法监察科", street=None, fields=["industry_trade"],
                  duty_status="on_duty", conflicts=[])
    values.update(overrides)
    obj = Inspector(**values)
    db.session.add(obj)
    db.session.commit()
    return obj


def make_user(role: Role = Role.DISPATCHER, *, password: str = "password123",
              inspector: Inspector | None = None, username: str | None = None) -> User:
    if role == Role.INSPECTOR and inspector is None:
        inspector = make_inspector()
    user = User(username=username or f"{role.value}{next(_seq)}", role=role.value,
                inspector=inspector)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def make_token(role: Role, *, device_id: str | None = None, user: User | None = None,
               **kwargs) -> str:
    user = user or make_user(role, **kwargs)
    token = DeviceToken.new_token()
    db.session.add(DeviceToken(user_id=user.id, device_id=device_id or f"dev-{next(_seq)}",
                               token_hash=hash_token(token)))
    db.session.commit()
    return token


# -- sync (dispatch, pull, records): drawn tasks and visits without running a draw --

def make_item_version(codes: tuple[str, ...] = ("WH-01", "WH-02"), number: int | None = None):
    from server.models import CheckItem, ItemListVersion

    version = ItemListVersion(number=number or next(_seq), note="测试清单")
    for code in codes:
        version.items.append(CheckItem(
            code=code, name=f"检查事项{code}", sub_item="",
            legal_basis=f"《安全生产法》第{code[-2:]}条",
            content=f"查{code}", methods=["documents"], category="key",
            industries=["industry_trade"]))
    db.session.add(version)
    db.session.commit()
    return version


def make_sync_task(*, unannounced: bool = False, window_start: date | None = None,
                   window_end: date | None = None, **overrides):
    """A plan + task + one draw record, ready to hang visits on. The default
    抽查时间 runs from three days before the bureau's today for 30 days (a test
    that pins ``dispatch.today`` to 2024-03-04 gets 2024-03-01 … 03-31), so the
    task can be dispatched: an ended window is refused."""
    from server.models import DrawRecord, Plan, Task
    from server.services import dispatch

    window_start = window_start or dispatch.today() - timedelta(days=3)
    window_end = window_end or window_start + timedelta(days=30)

    n = next(_seq)
    plan = Plan(plan_no=f"P{n}", name=f"{window_start.year}年度抽查计划", year=window_start.year)
    task = Task(task_no=f"T{n}", plan=plan, name=f"专项抽查{n}", draw_type="undirected",
                ratio="20%", window_start=window_start, window_end=window_end,
                unannounced=unannounced, status="drawn", **overrides)
    db.session.add_all([plan, task])
    db.session.flush()
    db.session.add(DrawRecord(task_id=task.id, kind="draw", actor="test", seed="0" * 64,
                              seed_commitment="1" * 64, pool_hash="2" * 64,
                              algorithm_version="test", pool_size=1, record_json="{}",
                              result={}, created_at=_drawn_before(window_start)))
    db.session.commit()
    return task


@contextlib.contextmanager
def bureau_day(day: date = date(2024, 3, 4)):
    """The bureau's clock (``dispatch.today``/``now``) on *day* inside the block: a
    dispatch made here comes before the records the tests send (dated in March
    2024), as the server requires."""
    from server.services import dispatch

    real = dispatch.today
    dispatch.today = lambda: day
    try:
        yield
    finally:
        dispatch.today = real


def _drawn_before(window_start: date) -> datetime:
    """Drawn the working day before the window opens (09:00 Beijing): the records
    the tests send are dated inside the window, and the server refuses a record
    dated before its draw."""
    return datetime.combine(window_start - timedelta(days=1), time(1, 0))


def make_sync_visit(task=None, inspectors=None, *, enterprise=None, item_version=None,
                    codes: tuple[str, ...] = ("WH-01", "WH-02")):
    """A current visit of *task* with *inspectors* as its team (first one leads)."""
    from server.models import DrawRecord, Visit, VisitMember

    task = task or make_sync_task()
    inspectors = inspectors or [make_inspector(), make_inspector()]
    version = item_version or make_item_version(codes)
    draw = db.session.scalar(db.select(DrawRecord).where(DrawRecord.task_id == task.id))
    visit = Visit(task_id=task.id, draw_record_id=draw.id,
                  enterprise_id=(enterprise or make_enterprise()).id,
                  item_version=version.number, item_codes=list(codes), status="drawn")
    for i, inspector in enumerate(inspectors):
        visit.members.append(VisitMember(inspector_id=inspector.id, leader=i == 0))
    db.session.add(visit)
    db.session.commit()
    from server.services import case_observe

    case_observe.after_draw()  # as the draw service does after storing its visits
    return visit


def make_jpeg(seed: int = 0, size: tuple[int, int] = (64, 48)) -> bytes:
    """A small real JPEG, different for each seed."""
    import io

    from PIL import Image

    im = Image.new("RGB", size, ((seed * 37) % 256, (seed * 91) % 256, (seed * 13) % 256))
    im.putpixel((seed % size[0], (seed // size[0]) % size[1]), (255, 255, 255))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def make_record_payload(visit, *, uuid: str | None = None, photos: list[bytes] = (),
                        signature: bytes | None = None, note: str = "") -> dict:
    """A RecordSchema-valid record for *visit*; photos are attached by hash (each
    used as its own upload copy and original) and the signature image is shared."""
    import hashlib
    import uuid as uuidlib

    from server.services.sync import visit_code

    def sha(b: bytes) -> str:
        return hashlib.sha256(b).hexdigest()

    at = "2024-03-05T09:30:00+08:00"
    sig = signature if signature is not None else make_jpeg(999)
    team = [{"cert_no": m.inspector.cert_no, "name": m.inspector.name, "leader": m.leader}
            for m in visit.members]
    return {
        "schema_version": 1, "uuid": uuid or str(uuidlib.uuid4()),
        "visit_id": visit_code(visit.id), "base_version": None, "device_id": "dev-test",
        "submitted_by": "tester", "task_no": visit.task.task_no,
        "enterprise": {"uscc": visit.enterprise.uscc, "name": visit.enterprise.name},
        "team": team, "started_at": at, "finished_at": "2024-03-05T11:00:00+08:00",
        "location": None,
        "items": [{"code": c, "result": "compliant", "note": note, "checked_at": at}
                  for c in visit.item_codes],
        "hazards": [],
        "attachments": [
            {"sha256": sha(p), "size": len(p), "mime": "image/jpeg", "kind": "photo",
             "item_code": None, "hazard_id": None, "taken_at": at, "location": None,
             "original": {"sha256": sha(p), "size": len(p), "mime": "image/jpeg",
                          "filename": f"IMG_{i}.JPG"}}
            for i, p in enumerate(photos)],
        "signatures": [
            *({"role": "inspector", "name": m["name"], "cert_no": m["cert_no"], "signed_at": at,
               "sha256": sha(sig), "size": len(sig), "mime": "image/jpeg"} for m in team),
            {"role": "enterprise", "name": "王五", "cert_no": None, "signed_at": at,
             "sha256": sha(sig), "size": len(sig), "mime": "image/jpeg"}],
        "outcome": "no_problem",
        "trail": [{"seq": 1, "at": at, "by": "tester", "action": "start", "target": None,
                   "field": None, "old": None, "new": None}],
    }


def make_tablet_fleet(tablets: int, visits_per_tablet: int, *, password: str,
                      codes: tuple[str, ...] = ("WH-01", "WH-02", "WH-03"),
                      name: str = "测试企业", actor: str = "test") -> list[dict]:
    """Inspector accounts ``tablet<i>`` and one dispatched task whose visits are led by
    tablet i with tablet i+1 as the second member (end-to-end tests and load bench).
    Returns ``[{"username", "cert_no"}]``."""
    from server.models import DrawRecord, Visit, VisitMember
    from server.services.dispatch import dispatch_task

    version = make_item_version(codes)
    inspectors = [make_inspector(name=f"检查员{i}") for i in range(tablets)]
    accounts = []
    for i, insp in enumerate(inspectors):
        make_user(Role.INSPECTOR, inspector=insp, username=f"tablet{i}", password=password)
        accounts.append({"username": f"tablet{i}", "cert_no": insp.cert_no})
    task = make_sync_task()
    draw = db.session.scalar(db.select(DrawRecord).where(DrawRecord.task_id == task.id))
    n = 0
    for i in range(tablets):
        for _ in range(visits_per_tablet):
            n += 1
            ent = Enterprise(uscc=uscc(), name=f"{name}{n}有限公司", industry="industry_trade",
                             street="丹朱镇", scale="small", risk_level="general",
                             status="active", special_work=[], registries=[])
            db.session.add(ent)
            db.session.flush()
            visit = Visit(task_id=task.id, draw_record_id=draw.id, enterprise_id=ent.id,
                          item_version=version.number, item_codes=list(codes))
            visit.members.append(VisitMember(inspector_id=inspectors[i].id, leader=True))
            visit.members.append(VisitMember(
                inspector_id=inspectors[(i + 1) % tablets].id, leader=False))
            db.session.add(visit)
    db.session.commit()
    dispatch_task(task.task_no, actor)
    return accounts
