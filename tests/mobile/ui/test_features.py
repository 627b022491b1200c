"""Must-show 1 of issue 18, points 9 and 13–16: the task list, the 复查, the hazard
form, correcting a finished record and a withdrawn task, driven under Xvfb on a
tablet store prepared as after a pull."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest

from mobile.core import account
from mobile.core.records import Inspections
from mobile.core.store import Store
from mobile.core.timefmt import today as bureau_today
from mobile.platform import fonts
from tests.mobile.core.conftest import FakeClock, fill_record, make_package
from tests.mobile.ui.conftest import AppRunner, make_photo

PIN = "2468"
WINDOWS = pytest.mark.parametrize("window", ["1280x800", "800x1280"],
                                  ids=["landscape", "portrait"])  # fmt: skip


def _pkg(visit: str, enterprise: str, street: str, ends: date, **task: object) -> dict:
    pkg = make_package(visit)
    pkg["enterprise"] = {**pkg["enterprise"], "name": enterprise, "street": street,
                         "contact_phone": "0314-2345678"}  # fmt: skip
    pkg["task"] = {**pkg["task"], "window_start": str(ends - timedelta(days=30)),
                   "window_end": str(ends), **task}  # fmt: skip
    return pkg


def _reference(store: Store, tmp: Path) -> str:
    """The earlier hazard's photo, as a pull would have downloaded it."""
    photo = make_photo(tmp / "earlier.jpg", hue=60).read_bytes()
    sha = hashlib.sha256(photo).hexdigest()
    store.reference_path(sha).parent.mkdir(parents=True, exist_ok=True)
    store.reference_path(sha).write_bytes(photo)
    return sha


def tablet(data_dir: Path, tmp: Path) -> None:
    today = bureau_today()
    store = Store(data_dir, clock=FakeClock())
    store.save_session(
        server_url="http://127.0.0.1:9",
        username="zhangsan",
        token="t",
        role="inspector",
        inspector={"cert_no": "13080020001", "name": "张三"},
    )
    account.set_pin(store, PIN)
    recheck = _pkg("V-R", "承德某化工有限公司", "西地镇", today + timedelta(days=9),
                   reinspection=True, name="2024年专项抽查（整改复查）")  # fmt: skip
    recheck["history"] = {
        "previous_results": [{"date": "2024-03-05", "outcome": "corrected"}],
        "open_hazards": [{"description": "危化品库房未设置机械通风", "deadline": "2024-03-20",
                          "item_code": "WH-02", "level": "major", "location": "2号库房",
                          "orders": [{"kind": "deadline", "deadline": "2024-03-20"}],
                          "photos": [_reference(store, tmp)]}],
    }  # fmt: skip
    store.apply_pull([
        _pkg("V-A", "承德西地化工有限公司", "西地镇", today + timedelta(days=5)),
        _pkg("V-B", "承德下板城建材有限公司", "下板城镇", today - timedelta(days=2)),
        _pkg("V-C", "承德某钢铁有限公司", "上板城镇", today + timedelta(days=20)),
        _pkg("V-W", "承德某煤业有限公司", "甲山镇", today + timedelta(days=12)),
        recheck,
    ], [], "c1")  # fmt: skip
    spec = fonts.find_cjk_font()
    insp = Inspections(store, font=(str(spec.path), spec.index))
    insp.finish(fill_record(insp, tmp, "V-C"))
    insp.start("V-W")
    store.apply_pull([], ["V-W"], "c2", {"V-W": "企业已停产关闭，任务取消"})
    store.close()


@pytest.mark.ui
@WINDOWS
def test_task_list_and_the_reinspection(app_runner: AppRunner, tmp_path: Path, window: str):
    tablet(app_runner.data_dir, tmp_path)
    r = app_runner.run("unlock_quietly", "task_list", "reinspection", "withdrawn", pin=PIN,
                       recheck="V-R", withdrawn="V-W", window=window)  # fmt: skip
    rows = {name: (left, where) for name, left, where in r["rows"]}
    assert rows["承德西地化工有限公司"] == ("剩余5天", "西地镇　承德市高新区某路1号")
    assert rows["承德下板城建材有限公司"][0] == "已逾期2天"
    assert r["contacts"]["承德西地化工有限公司"] == "联系人：赵六　0314-2345678"
    assert rows["承德某钢铁有限公司"][0] == ""  # finished: nothing left to count
    assert r["by_deadline"][:2] == ["承德下板城建材有限公司", "承德西地化工有限公司"]
    assert sorted(r["found"]) == ["承德某化工有限公司", "承德西地化工有限公司"]
    assert r["shown"].startswith("共 2 个任务")
    # 9: no codes – 以往检查结果 in words
    assert r["previous"] == "2024年3月5日：发现问题已责令改正"
    assert "corrected" not in r["previous"] and "pending" not in r["hazards"]
    assert "【重大隐患】危化品库房未设置机械通风（2号库房）" in r["hazards"]
    assert "原处理措施：责令限期整改，期限至2024年3月20日" in r["hazards"]
    assert r["items"].startswith("1. 安全生产责任制（查阅资料）")  # readable before starting
    assert r["started_before"] is None and r["action"] == "开始复查（记录开始时间）"
    assert r["labels"] == ["已整改", "未整改"]
    assert r["earlier"].startswith("原隐患：【重大隐患】危化品库房未设置机械通风")
    assert r["earlier_photos"] == 1  # the photo taken of it then, beside it
    assert r["ask"] == "未整改"
    assert r["prefilled"] == "复查发现仍未整改：危化品库房未设置机械通风"
    assert r["status"] == "检查中（任务已撤回）"
    assert r["banner"].startswith("该任务已被撤回：企业已停产关闭，任务取消")
    assert r["can_continue"]


@pytest.mark.ui
@WINDOWS
def test_hazard_form_and_correcting_a_finished_record(
    app_runner: AppRunner, tmp_path: Path, window: str
) -> None:
    tablet(app_runner.data_dir, tmp_path)
    r = app_runner.run("unlock_quietly", "hazard_form", pin=PIN, visit_id="V-A", window=window)
    assert r["next_text"] == "下一未检查项（第2项）" and r["next_card_shown"]
    assert r["past_disabled"] and r["future_enabled"]
    assert (
        r["deadline_text"] == f"整改期限：{bureau_today().year}年{bureau_today().month}月"
        f"{bureau_today().day}日"
    )
    assert r["form_after_save"] == ["", "normal"]  # nothing carried to the next hazard
    assert r["editing_loaded"] == "配电室门口堆放杂物"
    assert len(r["after_edit"]) == 1 and "阻塞疏散通道" in r["after_edit"][0]
    assert r["evidence_target"].startswith("隐患：配电室门口堆放杂物")
    assert r["back_to"] == "hazard"
    c = app_runner.run("unlock_quietly", "correction", pin=PIN, visit_id="V-C", window=window)
    assert c["locked_before"] and c["refused_without_reason"]
    assert not c["locked_after"] and c["state_after"] == "draft"
    assert c["trail_reason"] == ["第2项说明填写有误"]
