"""Issue 15 must-show 3, in real headless Chromium against a live server.

The public task page's "在本机核验" runs the JavaScript implementation on the
published files only:

* a citizen's check says 一致 for a real credit-stratified draw keyed by a
  real League of Entropy round (its BLS signature checked in the browser) and
  then adjusted, and for each of 14 tampered public files – served altered by
  intercepting the browser's request, as a dishonest server would – names
  the difference;
* an enterprise checks its receipt (drawn, not drawn, wrong code);
* the auditor (监督) logs in, downloads the full record and verifies it in the
  browser (一致), and a doctored full record is refused with the difference.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator

import pytest

from server import TestConfig, create_app
from server.extensions import db
from server.localtime import bureau_today
from server.models import DrawRecord, Inspector, PublicDrawFile, Task
from server.services import draw as draws
from server.services import draw_public
from server.services.draw import adjust
from shared.draw.snapshot import canonical_json
from tests.server.services.draw_ceremony_helpers import draw_after, freeze_before
from tests.server.web import dataset

from .conftest import PASSWORD, SHOTS, LiveServer, shot

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture(scope="module")
def bureau(tmp_path_factory) -> Iterator[tuple[LiveServer, dict]]:
    tmp = tmp_path_factory.mktemp("verify")
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp / 'live.db'}",
                  EVIDENCE_DIR=str(tmp / "evidence"), TESTING=False,
                  LOG_SIGNING_KEY=secrets.token_hex(32))
    app = create_app(config)
    with app.app_context():
        db.create_all()
        dataset.build(bureau_today())
        from server.services.accounts import create_user
        create_user("sifaju", "auditor", PASSWORD, display_name="县司法局监督员")
        db.session.commit()
        task = db.session.query(Task).filter_by(task_no=dataset.OPEN_TASK).one()
        # Redrawn with a real League of Entropy round (quicknet, published in
        # 2023; the freeze is placed just before it): the browser verifies its
        # BLS signature against the chain's public key.
        freeze_before(dataset.OPEN_TASK, kind="redraw", reason="以真实drand轮次重新抽取",
                      demo=True)
        rec = draw_after(dataset.OPEN_TASK, demo=True)
        # One adjustment after the draw: a team's leader replaced, with a reason.
        visit = dataset.visits(dataset.OPEN_TASK)[0]
        leader = next(m.inspector for m in visit.members if m.leader)
        spare = next(i for i in db.session.query(Inspector).order_by(Inspector.cert_no)
                     if i.id not in {m.inspector_id for m in visit.members}
                     and visit.enterprise.uscc not in (i.conflicts or []))
        adjust(rec.id, {"uscc": visit.enterprise.uscc, "replace": "inspector",
                        "old": leader.cert_no, "new": spare.cert_no, "reason": "组长病假"},
               "dispatcher")
        full = draws.full_record(rec)
        drawn = {v["uscc"] for v in full["result"]["visits"]}
        receipts = draw_public.task_receipts(rec, full)
        files = {f.kind: f.sha256 for f in db.session.query(PublicDrawFile).filter_by(
            task_id=task.id).order_by(PublicDrawFile.leaf_index)}  # the redraw's, the latest
        change = (leader.name, spare.name)
        facts = {"record_id": rec.id, "files": files,
                 "drawn": next(r for r in receipts if r["uscc"] in drawn),
                 "not_drawn": next(r for r in receipts if r["uscc"] not in drawn),
                 "strata": full["result"]["strata"], "change": change}
    server = LiveServer(app).start()
    yield server, facts
    server.stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _open(page, server: LiveServer) -> None:
    page.goto(f"{server.url}/public/tasks/{dataset.OPEN_TASK}")
    expect(page.locator("#draw-verify[data-ready='1']")).to_have_count(1)


def _citizen_verdict(page) -> str:
    page.click("#verify-public")
    verdict = page.locator("#verify-public-result")
    expect(verdict).not_to_have_text("正在本机计算……", timeout=30000)
    expect(verdict).not_to_have_text("")
    return verdict.inner_text()


def test_a_citizen_checks_a_real_draw_in_the_browser(page, bureau):
    server, facts = bureau
    assert len(facts["strata"]) == 4  # A:20%;B:20%;C:50%;D:100%: a stratified draw
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    _open(page, server)
    assert _citizen_verdict(page) == "一致"
    steps = page.locator("#verify-public-out li.ok").all_inner_texts()
    assert any("SHA-256(随机种子) = 种子承诺值" in s for s in steps)
    assert any("抽中的化名与重新计算的一致" in s for s in steps)
    assert any("已列入签名日志" in s for s in steps)
    assert any("日志树头签名有效" in s for s in steps)
    assert any("调整" in s and "与上一公开文件相符，只改动了所声明的内容" in s for s in steps)
    assert any("drand签名已用链公钥验证" in s for s in steps)
    # The adjustment in words: who (a name), what changed, why.
    card = page.locator(".card.verify", has_text="调整人")
    expect(card).to_contain_text("秦晓梅")
    expect(card).to_contain_text(f"{facts['change'][0]}（")
    expect(card).to_contain_text("组长病假")
    assert page.locator("#verify-public-out li.bad").count() == 0
    # Only published files were fetched: no API, no console, nothing computed for it.
    assert not [u for u in requests if "/api/" in u or "/console/" in u]
    _shot_panel(page, "public-verify-citizen", "#role-citizen")


def _shot_panel(page, name: str, selector: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(selector).screenshot(path=str(SHOTS / f"console-{name}.png"))


def _edit_json(edit: Callable[[dict], None]) -> Callable[[bytes], bytes]:
    def apply(body: bytes) -> bytes:
        doc = json.loads(body)
        edit(doc)
        return canonical_json(doc).encode()
    return apply


def _flip(text: str) -> str:
    return text[:-1] + ("0" if text[-1] != "0" else "1")


def _swap_selected(doc: dict) -> None:
    stratum = next(s for s in doc["strata"] if s["selected"])
    stratum["selected"][0] = _flip(stratum["selected"][0])
    stratum["selected"].sort()


def _shrink_pool(doc: dict) -> None:
    stratum = next(s for s in doc["strata"] if s["pseudonyms"])
    stratum["pseudonyms"].pop()


def _replace_pseudonym(doc: dict) -> None:
    stratum = next(s for s in doc["strata"] if s["pseudonyms"])
    stratum["pseudonyms"][-1] = "f" * 64


def _swap_drawn(doc: dict) -> None:
    doc["drawn"][0]["uscc"], doc["drawn"][0]["name"] = "91140428MA0XXXXX0X", "冒名顶替的公司"
    doc["drawn"].sort(key=lambda d: d["uscc"])


TAMPERING = [
    # (which file, how, what the verdict must name)
    ("pool", _edit_json(_shrink_pool), "实有化名"),
    ("adjustment",
     _edit_json(lambda d: d["visit_after"].update(leader=d["visit_before"]["leader"])),
     "调整后的检查与声明的调整不符（leader）"),
    ("pool", _edit_json(_replace_pseudonym), "公开对象池文件的SHA-256与抽取结果文件记载的不符"),
    ("draw", _edit_json(lambda d: d.update(seed=_flip(d["seed"]))),
     "SHA-256(随机种子)与种子承诺值不符"),
    ("draw", _edit_json(_swap_selected), "抽中的化名与重新计算的不符"),
    ("draw", _edit_json(_swap_drawn), "检查顺序与由抽取密钥重新计算的顺序不符"),
    ("draw", _edit_json(lambda d: d["visit_order"].reverse()),
     "检查顺序与由抽取密钥重新计算的顺序不符"),
    ("draw", _edit_json(lambda d: d["beacon"].update(randomness=_flip(d["beacon"]["randomness"]))),
     "公共随机数未通过核验：drand随机数与签名不符"),
    ("draw", _edit_json(lambda d: d["beacon"].update(signature=_flip(d["beacon"]["signature"]))),
     "公共随机数未通过核验"),
    ("draw", _edit_json(lambda d: d["freeze"].update(frozen_at="2099-01-01T00:00:00")),
     "在冻结（2099-01-01T00:00:00）时已经公布"),
    ("draw", _edit_json(lambda d: d["strata"][0].update(drawn=d["strata"][0]["drawn"] + 1)),
     "应抽"),
    # Same content, other bytes: the public check passes, the log catches it.
    ("draw", lambda body: json.dumps(json.loads(body), ensure_ascii=False, indent=1).encode(),
     "文件的SHA-256与日志条目记载的不符"),
    ("head", _edit_json(lambda d: d["head"].update(signature=_flip(d["head"]["signature"]))),
     "日志树头签名无效"),
    ("index", _edit_json(lambda d: [f["published"].update(commitment="0" * 64)
                                    for f in d["files"] if "published" in f]),
     "种子承诺值与冻结时公布的不符"),
]


@pytest.mark.parametrize(("target", "tamper", "named"), TAMPERING,
                         ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(TAMPERING)])
def test_each_tampered_public_file_is_named(page, bureau, target, tamper, named):
    server, facts = bureau
    url = {"pool": f"**/public/files/{facts['files']['pool']}.json",
           "adjustment": f"**/public/files/{facts['files']['adjustment']}.json",
           "draw": f"**/public/files/{facts['files']['draw']}.json",
           "head": "**/public/tasks/*/verify.json", "index": "**/public/tasks/*/verify.json"}
    if target == "head":
        tamper = _edit_json(lambda d: d["log"]["head"].update(
            signature=_flip(d["log"]["head"]["signature"])))

    def serve_altered(route):
        original = route.fetch()
        route.fulfill(response=original, body=tamper(original.body()))

    page.route(url[target], serve_altered)
    _open(page, server)
    verdict = _citizen_verdict(page)
    assert verdict.startswith("不一致："), verdict
    assert named in verdict, verdict


def _receipt(page, uscc: str, code: str) -> str:
    page.fill("#receipt-uscc", uscc)
    page.fill("#receipt-code", code)
    page.click("#verify-receipt")
    verdict = page.locator("#verify-receipt-result")
    expect(verdict).not_to_have_text("正在本机计算……", timeout=30000)
    return verdict.inner_text()


def test_an_enterprise_checks_its_receipt(page, bureau):
    server, facts = bureau
    _open(page, server)
    drawn, other = facts["drawn"], facts["not_drawn"]
    # As printed: the code in groups of eight.
    grouped = " ".join(drawn["salt"][i:i + 8] for i in range(0, 64, 8))
    assert _receipt(page, drawn["uscc"], grouped) == \
        "一致：本单位在对象池中恰好出现一次；按抽取规则应被抽中，公开名单中有本单位"
    _shot_panel(page, "public-verify-receipt", "#role-enterprise")
    assert _receipt(page, other["uscc"], other["salt"]) == \
        "一致：本单位在对象池中恰好出现一次；按抽取规则不应被抽中，公开名单中没有本单位"
    # Another enterprise's code, or a mistyped one, finds no pseudonym.
    assert _receipt(page, drawn["uscc"], other["salt"]) == \
        "不一致：本单位的化名在公开对象池中出现0次（应恰好1次）"


def _login(page, server: LiveServer, username: str) -> None:
    page.goto(f"{server.url}/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("header .who")).to_contain_text("监督")


def _audit(page, path) -> str:
    page.set_input_files("#audit-file", str(path))
    page.click("#verify-audit")
    verdict = page.locator("#verify-audit-result")
    expect(verdict).not_to_have_text("正在本机计算……", timeout=60000)
    return verdict.inner_text()


def test_the_auditor_verifies_the_full_record(page, bureau, tmp_path):
    server, facts = bureau
    _login(page, server, "sifaju")
    page.goto(f"{server.url}/console/audit/draws")
    expect(page.locator("#audit-scope")).to_contain_text("操作人、操作时间和原因")
    shot(page, "audit-records", full_page=False)
    row = page.locator("#audit-records tr", has_text=dataset.OPEN_TASK).filter(
        has_text="抽取").first
    with page.expect_download() as download:
        row.locator("a.download-record").click()
    path = tmp_path / "record.json"
    download.value.save_as(path)
    record = json.loads(path.read_text("utf-8"))
    assert "credit_class" in record["snapshot"]["enterprises"]["columns"]
    row.get_by_text("在公开页面核验").click()
    expect(page.locator("#draw-verify[data-ready='1']")).to_have_count(1)
    assert _audit(page, path) == "一致"
    steps = page.locator("#verify-audit-out li.ok").all_inner_texts()
    assert any("完整记录复算一致" in s for s in steps)
    assert any("公开抽取结果文件与完整记录推出的内容逐字节相同" in s for s in steps)
    _shot_panel(page, "public-verify-auditor", "#role-auditor")
    # Who ran the draw is in no hash: the screen says so (outside finding 12),
    # and a changed actor still reads 一致 – with that caveat beside it.
    scope = ("未核验：记录中的操作人、操作时间和原因不在复算范围内（不参与任何哈希或签名），"
             "以本局系统中的记录为准")
    assert page.locator("#verify-audit-out li.caveat").all_inner_texts() == [scope]
    expect(page.locator("#role-auditor")).to_contain_text("改动它们不会被复算发现")
    other_actor = tmp_path / "actor.json"
    other_actor.write_text(canonical_json({**record, "meta": {**record["meta"], "actor": "admin"}}),
                           "utf-8")
    assert _audit(page, other_actor) == "一致"
    assert page.locator("#verify-audit-out li.caveat").all_inner_texts() == [scope]
    # A doctored full record: one officer of one team replaced.
    visit = record["result"]["visits"][0]
    visit["inspectors"][0] = "99999999999"
    doctored = tmp_path / "doctored.json"
    doctored.write_text(canonical_json(record), "utf-8")
    verdict = _audit(page, doctored)
    assert verdict.startswith("不一致：完整记录复算不符："), verdict
    assert f"第1个检查对象（{visit['uscc']}）的执法人员" in verdict, verdict


def _replace_an_officer(server: LiveServer, reason: str) -> None:
    """One more adjustment of the open task (the log grows by one file)."""
    with server.app.app_context():
        task = db.session.query(Task).filter_by(task_no=dataset.OPEN_TASK).one()
        latest = db.session.query(DrawRecord).filter_by(task_id=task.id).order_by(
            DrawRecord.id.desc()).first()
        visit = dataset.visits(dataset.OPEN_TASK)[-1]
        old = next(m.inspector for m in visit.members if not m.leader)
        spare = next(i for i in db.session.query(Inspector).order_by(Inspector.cert_no)
                     if i.id not in {m.inspector_id for m in visit.members}
                     and visit.enterprise.uscc not in (i.conflicts or []))
        adjust(latest.id, {"uscc": visit.enterprise.uscc, "replace": "inspector",
                           "old": old.cert_no, "new": spare.cert_no, "reason": reason},
               "dispatcher")


def test_the_browser_notices_a_rewritten_log(page, bureau):
    """The head this browser verified is kept; next time the log must extend it
    (RFC 9162 consistency proof), else the check names the rewrite.  Runs last:
    it appends to the log."""
    server, _facts = bureau
    _open(page, server)
    assert _citizen_verdict(page) == "一致"
    _replace_an_officer(server, "回避")
    _open(page, server)
    assert _citizen_verdict(page) == "一致"
    steps = page.locator("#verify-public-out li.ok").all_inner_texts()
    assert any("是本机上次核验时" in s and "的延续" in s for s in steps), steps

    def rewritten(route):
        original = route.fetch()
        doc = json.loads(original.body())
        doc["path"] = [_flip(p) for p in doc["path"]] or ["00" * 32]
        route.fulfill(response=original, body=json.dumps(doc))

    page.route("**/public/log/consistency/**", rewritten)
    _replace_an_officer(server, "再次回避")
    _open(page, server)
    verdict = _citizen_verdict(page)
    assert verdict.startswith("不一致：日志与本机上次核验时") and "被改写" in verdict, verdict
