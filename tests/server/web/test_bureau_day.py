"""The bureau's day, not the UTC one: a plan published at 00:46 Beijing time on
4 December was published on 4 December (UTC still says the 3rd)."""

from __future__ import annotations

from datetime import date, datetime

from server.services import plans

# 2026-12-03 16:46 UTC = 2026-12-04 00:46 in Asia/Shanghai.
JUST_AFTER_MIDNIGHT = datetime(2026, 12, 3, 16, 46)


def test_a_plan_published_just_after_midnight_is_dated_that_day(ctx, client, monkeypatch):
    monkeypatch.setattr(plans, "utcnow", lambda: JUST_AFTER_MIDNIGHT)
    plan = plans.create_plan({"plan_no": "TZ-2026", "name": "2026年度抽查计划", "year": 2026},
                             "dispatcher")
    plans.create_task(plan, {"task_no": "TZ-2026-01", "name": "烟花爆竹专项",
                             "draw_type": "directed", "ratio": "10%",
                             "target_filter": "行业领域=烟花爆竹",
                             "window_start": date(2026, 12, 7), "window_end": date(2026, 12, 18),
                             "team_size": 2}, "dispatcher", None)
    plans.publish_plan(plan, "dispatcher")
    plans.update_plan(plan, {"name": "2026年度抽查计划（调整）"}, "dispatcher", "更正名称")
    (listed,) = client.get("/public/plans.json").get_json()["plans"]
    assert listed["published_on"] == "2026-12-04"
    assert listed["changes"][0]["at"].startswith("2026-12-04T00:46")
    page = client.get("/public/plans").get_data(as_text=True)
    assert "公开日期 2026-12-04 · 2026-12-04 变更" in page
