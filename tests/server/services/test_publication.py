"""一公开: proposal → legal review → public; and what must never be published
(must-show 3): every public page and feed is fetched and searched for planted
markers, and an unannounced task's drawn list stays hidden until its visits
are done."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import (
    DrawRecord,
    Enterprise,
    Expert,
    Inspector,
    PublicationResult,
    PublicDrawFile,
    Task,
)
from server.services import draw as draws
from server.services import publication as pub
from server.services.deadlines import bureau_today
from shared.draw.audit import audit
from shared.draw.check import check_public
from shared.enums import Outcome
from tests.server.web import dataset

TODAY = bureau_today()


@pytest.fixture
def bureau(ctx):
    return dataset.build(TODAY)


def _approve_some(n: int = 3) -> list[PublicationResult]:
    out = []
    for v in dataset.inspected(dataset.OPEN_TASK)[:n]:
        r = pub.propose_result(v.id, Outcome.CORRECTED, TODAY - timedelta(days=2),
                               v.item_codes[:2], actor="dispatcher")
        out.append(pub.approve_result(r.id, "reviewer", revision=r.revision, today=TODAY))
    return out


def _public_urls(client, app) -> dict[str, str]:
    """Every public URL with data behind it, keyed by URL; asserts every public
    route is among them so a new route cannot escape the search."""
    tasks = db.session.execute(sa.select(Task.task_no)).scalars().all()
    urls = ["/public/", "/public/results", "/public/items", "/public/plans", "/public/tasks",
            "/public/draw-check"]
    urls += [f"/public/{feed}.{fmt}" for feed in ("results", "items", "plans", "tasks")
             for fmt in ("json", "csv")]
    urls += [f"/public/tasks/{no}" for no in tasks]
    urls += [f"/public/tasks/{no}/verify.json" for no in tasks]
    files = db.session.execute(sa.select(PublicDrawFile)).scalars().all()
    urls += [f"/public/files/{f.sha256}.json" for f in files]
    urls += ["/public/log/head.json", "/public/log/entries.json"]
    urls += [f"/public/log/proof/{f.leaf_index}/{len(files)}.json" for f in files]
    urls += [f"/public/log/consistency/{n}/{len(files)}.json" for n in range(1, len(files) + 1)]
    rules = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/public")}
    covered = set()
    for rule in rules:
        pattern = "^" + re.sub(r"<[^>]+>", "[^/]+", rule.replace(".", r"\.")) + "$"
        if any(re.match(pattern, u) for u in urls):
            covered.add(rule)
    # The spec and its vectors are documents about the algorithm (synthetic
    # data, the word 信用风险分类 in the text): searched separately below.
    rules -= {"/public/draw-spec.md", "/public/draw-vectors.json"}
    assert covered == rules, f"public routes not searched: {rules - covered}"
    bodies = {}
    for url in urls:
        resp = client.get(url)
        assert resp.status_code in (200, 404), url
        bodies[url] = resp.get_data(as_text=True)
    return bodies


def test_propose_review_and_publish(bureau, client):
    visit = dataset.inspected(dataset.OPEN_TASK)[0]
    with pytest.raises(pub.PublicationError, match="不在该企业的抽取事项中"):
        pub.propose_result(visit.id, Outcome.NO_PROBLEM, TODAY, ["NOT-ON-LIST"])
    result = pub.propose_result(visit.id, "发现问题待后续处理", TODAY, [], actor="dispatcher")
    assert result.status == "pending" and result.item_codes == visit.item_codes
    assert visit.enterprise.name not in client.get("/public/results").get_data(as_text=True)
    with pytest.raises(pub.PublicationError, match="审核意见"):
        pub.reject_result(result.id, "reviewer", "  ")
    pub.reject_result(result.id, "reviewer", "事项填写不全")
    with pytest.raises(pub.PublicationError, match="不在待审核状态"):
        pub.approve_result(result.id, "reviewer", revision=result.revision)
    result = pub.propose_result(visit.id, Outcome.PENDING, TODAY, visit.item_codes[:1])
    approved = pub.approve_result(result.id, "reviewer", revision=result.revision, today=TODAY)
    assert approved.published_on == TODAY and approved.due_on > TODAY
    assert approved.working_days == 20
    with pytest.raises(pub.PublicationError, match="已审核公开"):
        pub.propose_result(visit.id, Outcome.NO_PROBLEM, TODAY, [])
    feed = client.get("/public/results.json").json["results"]
    assert [(r["uscc"], r["outcome"]) for r in feed] == \
        [(visit.enterprise.uscc, "发现问题待后续处理")]
    assert feed[0]["items"][0]["code"] == visit.item_codes[0] and feed[0]["items"][0]["name"]
    csv_text = client.get("/public/results.csv").get_data(as_text=True)
    assert csv_text.startswith("\ufeff单位名称,统一社会信用代码")
    assert visit.enterprise.uscc in csv_text


def test_never_published_fields_appear_in_no_public_page_or_feed(bureau, client, app):
    _approve_some()
    bodies = _public_urls(client, app)
    everything = "\n".join(bodies.values())
    # Sanity: the search sees real published data, so an empty page cannot pass.
    assert dataset.visits(dataset.OPEN_TASK)[0].enterprise.uscc in everything
    assert db.session.scalar(sa.select(Inspector.name).limit(1)) is not None
    forbidden = [dataset.PHONE_MARKER, dataset.EXPERT_PHONE_MARKER, dataset.LEGAL_REP_MARKER,
                 dataset.CONTACT_MARKER, dataset.INSPECTOR_DEPT_MARKER,
                 dataset.CERT_EXPIRY_MARKER.isoformat(), "credit", "信用风险", "信用分类",
                 "cert_expiry", "conflicts", "phone", "联系电话"]
    forbidden += db.session.execute(sa.select(Expert.name)).scalars().all()
    for url, body in bodies.items():
        for marker in forbidden:
            assert marker not in body, f"{marker!r} published at {url}"


def _files(client, task_no: str) -> dict[str, bytes | None]:
    """The task's served public files by kind (None: listed but withheld)."""
    index = client.get(f"/public/tasks/{task_no}/verify.json").json
    out: dict[str, bytes | None] = {}
    for f in index["files"]:
        out[f["kind"]] = client.get(f["url"]).data if f["url"] else None
        if f["url"] is None:
            assert client.get(f"/public/files/{f['sha256']}.json").status_code == 404
    return out


def test_full_record_holds_credit_classes_but_the_public_files_do_not(bureau, client):
    rid = bureau["records"][dataset.OPEN_TASK]
    full = draws.full_record(db.session.get(DrawRecord, rid))
    assert "credit_class" in full["snapshot"]["enterprises"]["columns"]  # why we redact
    files = _files(client, dataset.OPEN_TASK)
    pool, public = files["pool"], files["draw"]
    doc = json.loads(public)
    assert doc["seed"] == full["seed"] and doc["snapshot_hash"] == full["pool_hash"]
    assert hashlib.sha256(bytes.fromhex(doc["seed"])).hexdigest() == doc["commitment"]
    # No name in the pool file: pseudonyms only; the drawn list by name, sorted.
    pool_text = pool.decode()
    assert not any(u in pool_text for u in full["snapshot"]["enterprises"]["values"][0])
    assert [d["uscc"] for d in doc["drawn"]] == sorted(v["uscc"] for v in full["result"]["visits"])
    # A citizen's check passes on the served bytes, and an auditor re-derives them exactly.
    assert check_public(pool, public).ok
    assert audit(full, pool, public).message == "一致"
    # The full record is for staff: the console serves it only after login.
    assert client.get(f"/console/records/{rid}.json").status_code == 302


def _secret_names() -> list[str]:
    return [v.enterprise.name for v in dataset.visits(dataset.SECRET_TASK)] + \
        [v.enterprise.uscc for v in dataset.visits(dataset.SECRET_TASK)]


def test_unannounced_drawn_list_is_invisible_until_its_visits_are_done(bureau, client, app):
    secret = _secret_names()
    assert secret
    bodies = _public_urls(client, app)
    for url, body in bodies.items():
        for value in secret:
            assert value not in body, f"暗查 target {value} leaked at {url}"
    page = bodies[f"/public/tasks/{dataset.SECRET_TASK}"]
    assert "检查完成后公开" in page
    files = _files(client, dataset.SECRET_TASK)
    assert files["pool"] is not None and files["draw"] is None  # pseudonyms now, names later
    # One visit done is not enough …
    visits = dataset.visits(dataset.SECRET_TASK)
    visits[0].status = "inspected"
    db.session.commit()
    assert secret[0] not in client.get(f"/public/tasks/{dataset.SECRET_TASK}").get_data(
        as_text=True)
    # … every visit done is.
    for v in visits:
        v.status = "inspected"
    db.session.commit()
    page = client.get(f"/public/tasks/{dataset.SECRET_TASK}").get_data(as_text=True)
    assert all(value in page for value in secret)
    assert secret[0] in client.get("/public/tasks.csv").get_data(as_text=True)
    assert _files(client, dataset.SECRET_TASK)["draw"] is not None


def test_unannounced_list_opens_when_the_window_ends(bureau):
    task = db.session.execute(sa.select(Task).filter_by(task_no=dataset.SECRET_TASK)).scalar_one()
    visits = pub.current_visits(task)
    assert not pub.drawn_list_visible(task, visits, task.window_end)
    assert pub.drawn_list_visible(task, visits, task.window_end + timedelta(days=1))
    # A status the publication code does not know keeps the list hidden (fail closed).
    for v in visits:
        v.status = "some_new_state"
    assert not pub.drawn_list_visible(task, visits, task.window_end)


def test_a_filter_naming_the_credit_class_is_not_published(bureau, client):
    task = db.session.execute(sa.select(Task).filter_by(task_no=dataset.OPEN_TASK)).scalar_one()
    task.target_filter = "行业领域=危险化学品经营;信用风险分类=D"
    db.session.commit()
    data = client.get("/public/tasks.json").json["tasks"]
    scope = next(t["scope"] for t in data if t["task_no"] == dataset.OPEN_TASK)
    assert scope == "含内部分类条件（不予公开）"


def test_draft_plans_and_pending_results_are_not_public(ctx, client):
    from server.services import plans

    dataset.build(TODAY)
    plan = plans.get_plan("CS-2026")
    plan.status = "draft"
    db.session.commit()
    assert client.get("/public/plans.json").json == {"plans": []}
    assert client.get("/public/tasks.json").json == {"tasks": []}
    assert client.get(f"/public/tasks/{dataset.OPEN_TASK}").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Enterprise.id))) > 0


def test_joint_visits_are_listed_under_every_task_they_merge(ctx, client):
    from server.services import draw as draws
    from server.services import plans

    dataset.build(TODAY)
    start, end = TODAY - timedelta(days=5), TODAY + timedelta(days=25)
    csv = ("计划编号,计划名称,任务编号,任务名称,抽查类型,抽查比例,抽查对象范围,发起科室,"
           "开始日期,结束日期,每户检查人数,是否暗查,联合检查组\n"
           f"JT,联合检查计划,JT-1,危化品（应急）,定向,100%,属地=丹朱镇;行业领域=危险化学品经营,"
           f"危化品监管股,{start},{end},2,否,G1\n"
           f"JT,联合检查计划,JT-2,危化品（消防）,定向,100%,属地=丹朱镇;行业领域=危险化学品经营,"
           f"消防大队,{start},{end},2,否,G1\n")
    plans.import_plans(csv.encode(), "joint.csv", "dispatcher")
    for no in ("JT-1", "JT-2"):
        plans.get_task(no).rules = {**plans.get_task(no).rules,
                                    "composition": {"street_pool": 0, "bureau_pool": 0}}
    db.session.commit()
    plans.publish_plan(plans.get_plan("JT"), "dispatcher")
    draws.run_task_draw("JT-1", "dispatcher")
    draws.run_task_draw("JT-2", "dispatcher")
    merged = [v for v in pub.current_visits(plans.get_task("JT-2")) if v.joint_task_nos]
    assert merged, "the two tasks should share visits"
    first = client.get("/public/tasks/JT-1").get_data(as_text=True)
    assert all(v.enterprise.uscc in first for v in merged)


def test_another_tasks_exclusions_do_not_reveal_a_secret_list(ctx, client):
    """A 暗查 task drawn first excludes its targets from the plan's later rounds
    (本计划前轮已抽取); the later task's public files must not name them, and no
    public pool of it can be compared with another's (issue 15, attack 2)."""
    from server.services import draw as draws
    from server.services import plans

    dataset.build(TODAY)
    start, end = TODAY + timedelta(days=10), TODAY + timedelta(days=40)
    csv = ("计划编号,计划名称,任务编号,任务名称,抽查类型,抽查比例,抽查对象范围,发起科室,"
           "开始日期,结束日期,每户检查人数,是否暗查\n"
           f"SR,轮次计划,SR-1,第一轮暗查,定向,50%,行业领域=工贸,执法监察科,{start},{end},2,是\n"
           f"SR,轮次计划,SR-2,第二轮,定向,20%,行业领域=工贸,执法监察科,{start},{end},2,否\n")
    plans.import_plans(csv.encode(), "rounds.csv", "dispatcher")
    for no in ("SR-1", "SR-2"):
        plans.get_task(no).rules = {"composition": {"street_pool": 0, "bureau_pool": 0}}
    db.session.commit()
    plans.publish_plan(plans.get_plan("SR"), "dispatcher")
    draws.run_task_draw("SR-1", "dispatcher")
    second = draws.run_task_draw("SR-2", "dispatcher")
    secret = {v.enterprise.uscc for v in dataset.visits("SR-1")}
    full = draws.full_record(second)
    assert secret <= {e["uscc"] for e in full["snapshot"]["excluded"]}  # the leak path exists
    first_files, second_files = _files(client, "SR-1"), _files(client, "SR-2")
    body = b"".join(v for v in (*first_files.values(), *second_files.values()) if v)
    assert second_files["draw"] is not None and first_files["draw"] is None
    assert not any(u.encode() in body for u in secret)
    # The attacker's set difference: the two public pools share no pseudonym.
    names = [{p for s in json.loads(f["pool"])["strata"] for p in s["pseudonyms"]}
             for f in (first_files, second_files)]
    assert names[0] and names[1] and names[0].isdisjoint(names[1])


def test_an_unannounced_tasks_failure_reason_waits_with_its_list(bureau, client):
    """A failed attempt's reason names the enterprise the rule failed on – for a
    暗查 task, a target – so the public page withholds it until the list is public."""
    from server.models import DrawFreeze

    task = db.session.execute(sa.select(Task).filter_by(task_no=dataset.SECRET_TASK)).scalar_one()
    target = dataset.visits(dataset.SECRET_TASK)[0].enterprise
    freeze = db.session.execute(sa.select(DrawFreeze).filter_by(task_id=task.id)).scalar_one()
    failed = DrawFreeze(task_id=task.id, kind="redraw", reason="复核", actor="dispatcher",
                        frozen_at=freeze.frozen_at, seed_commitment="ab" * 32,
                        seed_secret="cd" * 32, snapshot_hash=freeze.snapshot_hash,
                        snapshot_head=freeze.snapshot_head, pool_size=freeze.pool_size,
                        excluded_count=freeze.excluded_count, pool_ids=freeze.pool_ids,
                        beacon=freeze.beacon,
                        beacon_due_at=freeze.beacon_due_at, status="failed",
                        outcome_at=freeze.frozen_at,
                        outcome_reason=f"无法为检查对象{target.uscc}（{target.name}）组成检查组")
    db.session.add(failed)
    db.session.commit()
    page = client.get(f"/public/tasks/{dataset.SECRET_TASK}").get_data(as_text=True)
    assert target.uscc not in page and target.name not in page
    assert "暗查任务，原因在检查完成后公开" in page
    assert target.uscc not in client.get(
        f"/public/tasks/{dataset.SECRET_TASK}/verify.json").get_data(as_text=True)
    for v in dataset.visits(dataset.SECRET_TASK):
        v.status = "inspected"
    db.session.commit()
    assert target.uscc in client.get(f"/public/tasks/{dataset.SECRET_TASK}").get_data(as_text=True)


def test_the_spec_and_its_vectors_are_public_and_hold_no_registry_data(bureau, client):
    """Anyone may fetch the algorithm and its vectors to write a verifier; they
    are documents with synthetic data, never this bureau's registry."""
    spec = client.get("/public/draw-spec.md")
    vectors = client.get("/public/draw-vectors.json")
    assert spec.status_code == vectors.status_code == 200
    assert "suicha-draw/2" in spec.get_data(as_text=True) and "10-draw" in vectors.json
    body = spec.get_data(as_text=True) + vectors.get_data(as_text=True)
    for uscc, name in db.session.execute(sa.select(Enterprise.uscc, Enterprise.name)):
        assert uscc not in body and name not in body
