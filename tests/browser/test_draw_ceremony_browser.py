"""Must show 4: the draw ceremony in the console, in real headless Chromium.

A county whose officers all belong to a 属地 (no 一级库): with the default rules
the freeze check passes; the stricter 龙岗 composition, switched on with a
reason, is refused at the freeze with every enterprise listed.  Then: freeze
(a future drand quicknet round is promised and shown at once, on the console
and on the public task page), wait for the round, paste the round – a real
one, published by the League of Entropy – and draw.

The server's clock is set to the day that round was published (2023-09-15)
through the services' own time source, so that a round really published is a
future round at the freeze; nothing else is simulated.  With
SUICHA_SCREENSHOTS=docs/img the screenshots refresh docs/draw.md.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from server import TestConfig, create_app
from server.extensions import db
from shared.draw.beacon import chain, iso_utc
from tests.server.services.draw_ceremony_helpers import QUICKNET

from .conftest import PASSWORD, LiveServer, _csv, shot

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

PLAN, TASK = "ZZ-2023", "ZZ-2023-01"
PUBLISHED = datetime.fromisoformat(iso_utc(chain("quicknet").round_time(QUICKNET["round"])))
TOWNS = ("丹朱镇", "鲍店镇", "石哲镇")


class Clock:
    """The services' clock (``utcnow`` of the freeze and draw modules), settable."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def _seed(clock: Clock) -> None:
    from server.services import plans
    from server.services.accounts import create_user
    from server.services.demo_data import _csv as demo_csv
    from server.services.demo_items import item_rows
    from server.services.registry_io import import_registry
    from shared.uscc import make_uscc

    import_registry("items", demo_csv("items", item_rows()), "items.csv", "setup")
    import_registry("inspectors", _csv(
        ["姓名", "执法证号", "证件有效期", "所属科室", "属地", "执法领域", "在岗状态"],
        [[f"执法员{i}", f"1404280090{i}", "2030-12-31", "工贸监管股", TOWNS[i % 3], "工贸", "在岗"]
         for i in range(6)]), "inspectors.csv", "setup")  # every officer has a 属地
    import_registry("enterprises", _csv(
        ["单位名称", "统一社会信用代码", "行业领域", "属地", "规模", "安全风险等级",
         "信用风险分类"],
        [[f"长子县{TOWNS[i % 3]}第{i + 1}机械厂", make_uscc(f"91140428MA0C{i:05d}"), "工贸",
          TOWNS[i % 3], "小", "一般", "B"] for i in range(15)]), "enterprises.csv", "setup")
    create_user("dispatcher", "dispatcher", PASSWORD, display_name="张调度")
    plans.import_plans(_csv(
        ["计划编号", "计划名称", "任务编号", "任务名称", "抽查类型", "抽查比例", "抽查对象范围",
         "发起科室", "开始日期", "结束日期", "每户检查人数"],
        [[PLAN, "2023年度工贸行业双随机抽查计划", TASK, "机械加工企业专项抽查", "定向", "20%",
          "行业领域=工贸", "工贸监管股", date(2023, 9, 1).isoformat(),
          date(2023, 10, 31).isoformat(), 2]]), "plan.csv", "setup")
    plans.publish_plan(plans.get_plan(PLAN), "setup")


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    from server.services.draw import freeze, run

    tmp = tmp_path_factory.mktemp("county")
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp / 'county.db'}",
                  EVIDENCE_DIR=str(tmp / "evidence"), TESTING=False, DRAND_CHAIN="quicknet")
    app = create_app(config)
    # DRAND_LEAD_MINUTES (5) before the round: the freeze promises exactly that round.
    clock = Clock(PUBLISHED - timedelta(minutes=5, seconds=1))
    real = freeze.utcnow, run.utcnow
    freeze.utcnow = run.utcnow = clock
    with app.app_context():
        db.create_all()
        _seed(clock)
    server = LiveServer(app).start()
    yield server, clock
    server.stop()
    freeze.utcnow, run.utcnow = real
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_ceremony_in_the_console(county, page, phone):
    server, clock = county
    base = server.url
    page.goto(base + "/console/login")
    page.fill("input[name=username]", "dispatcher")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.goto(f"{base}/console/tasks/{TASK}")
    # The steps are numbered once (① 冻结 …), not also "1." by the list; still a list.
    steps = page.get_by_role("list", name="抽取步骤").locator(":scope > li")
    expect(steps).to_have_count(4)
    expect(steps.first).to_have_css("list-style-type", "none")
    expect(steps.first.locator("h2")).to_contain_text("① 冻结")

    # 龙岗 composition is a switch: with no 一级库 the check lists every enterprise.
    page.check("input[name=longgang]")
    page.fill("#rules input[name=reason]", "试行龙岗式组队")
    page.click("#save-rules")
    expect(page.locator(".flash")).to_contain_text("抽取规则已修改")
    page.goto(f"{base}/console/plans")
    page.click(f"#publish-{PLAN}")  # a changed rule re-opens the plan
    page.goto(f"{base}/console/tasks/{TASK}")
    page.click("#check")
    expect(page.locator("#problems")).to_contain_text("共15处不满足抽取规则")
    expect(page.locator("#problems")).to_contain_text("组队规则（局一级库）")
    shot(page, "draw-refused")
    page.click("#freeze")
    expect(page.locator(".flash")).to_contain_text("冻结被拒绝：共15处")

    # Back to the defaults: the county draws.
    page.uncheck("input[name=longgang]")
    page.fill("#rules input[name=reason]", "本县无一级库，恢复默认组队规则")
    page.click("#save-rules")
    page.goto(f"{base}/console/plans")
    page.click(f"#publish-{PLAN}")
    page.goto(f"{base}/console/tasks/{TASK}")
    page.click("#check")
    expect(page.locator("#problems-ok")).to_contain_text("检查通过")

    # ① Freeze: snapshot hash, commitment and a future round, shown at once.
    page.select_option("#source", "drand")
    page.click("#freeze")
    expect(page.locator(".flash")).to_contain_text("已冻结")
    expect(page.locator("#beacon-round")).to_have_text(str(QUICKNET["round"]))
    expect(page.locator("#waiting")).to_be_visible()
    commitment = page.locator("#commitment").inner_text()
    snapshot_hash = page.locator("#snapshot-hash").inner_text()
    assert len(commitment) == len(snapshot_hash) == 64
    shot(page, "draw-freeze")
    phone.goto(f"{base}/public/tasks/{TASK}")
    expect(phone.locator("#draw-attempts")).to_contain_text(commitment)
    expect(phone.locator("#draw-attempts")).to_contain_text(f"第{QUICKNET['round']}轮")
    expect(phone.locator("#draw-attempts")).to_contain_text("已冻结，等待公共随机数")

    # Too early: the round does not exist yet.
    page.fill("#beacon-json", json.dumps(QUICKNET))
    page.click("#run-draw")
    expect(page.locator(".flash")).to_contain_text("尚未公布")

    # ② The round is published; ③ paste it (no network needed) and draw.
    clock.at = PUBLISHED + timedelta(seconds=20)
    page.reload()
    expect(page.locator("#waiting")).to_have_count(0)
    page.fill("#beacon-json", json.dumps(QUICKNET))
    page.click("#run-draw")
    expect(page.locator(".flash")).to_contain_text("抽取完成")
    expect(page.locator("#drawn tbody tr")).to_have_count(3)  # ceil(20% × 15)
    expect(page.locator("#attempts")).to_contain_text("已抽取")
    shot(page, "draw-done")
    phone.goto(f"{base}/public/tasks/{TASK}")
    expect(phone.locator("#draw-attempts")).to_contain_text("已抽取")
    expect(phone.locator("main")).to_contain_text(commitment)  # the task's commitment too
    phone.locator("#draw-attempts").scroll_into_view_if_needed()
    shot(phone, "draw-public", full_page=False)
