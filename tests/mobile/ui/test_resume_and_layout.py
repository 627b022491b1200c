"""Outside test item 18 on the real app under Xvfb: the 检查告知 date in words, the
enterprise page's columns without an empty block, 继续检查 opening at the first
unanswered item, an item card saying a hazard is registered on it, and login
labels clear of their fields."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from mobile.core import account
from mobile.core.records import Inspections, Order
from mobile.core.store import Store
from mobile.core.timefmt import today as bureau_today
from mobile.platform import fonts
from tests.mobile.core.conftest import FakeClock, make_package
from tests.mobile.ui.conftest import AppRunner

pytestmark = pytest.mark.ui
PIN = "2468"
WINDOWS = pytest.mark.parametrize("window", ["1280x800", "800x1280"],
                                  ids=["landscape", "portrait"])  # fmt: skip


def _tablet(data_dir: Path) -> None:
    """A record left off after three of eight items: 1 符合, 2 不符合 with a hazard
    registered on it, 3 不符合 without one yet."""
    today = bureau_today()
    store = Store(data_dir, clock=FakeClock(datetime.now().astimezone()))
    store.save_session(server_url="http://127.0.0.1:9", username="zhangsan", token="t",
                       role="inspector", inspector={"cert_no": "13080020001", "name": "张三"})
    account.set_pin(store, PIN)
    pkg = make_package("V-L", notice={"doc_no": "（示）应急抽通〔2026〕50号",
                                      "sent_at": "2026-12-03"})  # fmt: skip
    pkg["task"] = {**pkg["task"], "window_start": str(today - timedelta(days=3)),
                   "window_end": str(today + timedelta(days=20))}  # fmt: skip
    base = pkg["items"][1]
    pkg["items"] += [dict(copy.deepcopy(base), code=f"WH-{n:02d}", name=f"检查事项{n}")
                     for n in range(3, 9)]  # fmt: skip
    store.apply_pull([pkg], [], "c1")
    spec = fonts.find_cjk_font()
    insp = Inspections(store, font=(str(spec.path), spec.index))
    uuid = insp.start("V-L")
    insp.set_result(uuid, "WH-01", "compliant")
    insp.set_result(uuid, "WH-02", "不符合")
    insp.add_hazard(uuid, description="危化品库房未设置机械通风", level="一般",
                    orders=Order("deadline", deadline=today + timedelta(days=30)),
                    location="2号库房 东侧", legal_basis="《危险化学品安全管理条例》第二十条",
                    item_code="WH-02")  # fmt: skip
    insp.set_result(uuid, "WH-03", "不符合")
    store.close()


@WINDOWS
def test_continue_opens_where_one_left_off_and_cards_show_their_hazards(
    app_runner: AppRunner, window: str
) -> None:
    _tablet(app_runner.data_dir)
    r = app_runner.run("unlock_quietly", "enterprise_then_continue", pin=PIN,
                       visit_id="V-L", window=window)  # fmt: skip
    assert r["notice"] == "（示）应急抽通〔2026〕50号，2026年12月3日发出"
    assert "2026-12-03" not in r["notice"]
    tops = r["column_tops"]
    if window == "1280x800":  # two columns, both starting at the same height
        assert len(tops) == 2 and tops[0] == tops[1], tops
    else:
        assert len(tops) == 1
    assert r["action"] == "继续检查"
    # item 4 is the first unanswered one: the page opens there, items 1-3 scrolled away
    assert r["visible"][0] == 4, r["visible"]  # at the top of the page
    lines = r["lines"]
    assert lines[0] == "" and r["line_heights"][0] == 0
    assert lines[1] == "已登记隐患 1 条：危化品库房未设置机械通风"
    assert lines[2].startswith("尚未登记隐患")
    assert all(line == "" for line in lines[3:])


def test_login_labels_keep_clear_of_their_fields(app_runner: AppRunner) -> None:
    _tablet(app_runner.data_dir)
    r = app_runner.run("unlock_quietly", "login_labels", pin=PIN)
    assert len(r["label_gaps"]) == 5 and min(r["label_gaps"]) >= 8, r["label_gaps"]


def test_a_hazard_line_with_a_space_wraps_where_the_line_is_full(app_runner: AppRunner) -> None:
    _tablet(app_runner.data_dir)
    r = app_runner.run("unlock_quietly", "review_wrap", pin=PIN, visit_id="V-L")
    first, second = r["hazard_lines"]
    assert "2号库房" in first and "东侧" in first, r["hazard_lines"]  # not cut at the space
    assert r["hazard_fill"] > 0.9, r
