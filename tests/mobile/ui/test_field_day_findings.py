"""The outside tester's field day (TABLET-FINDINGS.md), on the real app under Xvfb
against the real server on loopback: each finding that hurt, shown not to."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from mobile.core import account
from mobile.core.store import Store
from mobile.core.timefmt import today as bureau_today
from tests.mobile.core.conftest import make_package
from tests.mobile.ui.conftest import AppRunner, make_photo
from tests.mobile.ui.server import PASSWORD, USERNAME, LoopbackServer, start_server
from tests.mobile.ui.steps_day import NOTE

pytestmark = pytest.mark.ui
PIN = "2468"


@pytest.fixture
def server(tmp_path: Path):
    srv = start_server(tmp_path / "server")
    yield srv
    srv.stop()


@pytest.fixture
def args(server: LoopbackServer, tmp_path: Path) -> dict[str, str]:
    photo = make_photo(tmp_path / "photos" / "库房.jpg")
    make_photo(tmp_path / "sdcard" / "DCIM" / "100EXPRO" / "IMG_0001.JPG", hue=40)
    return {"server": server.url, "username": USERNAME, "password": PASSWORD, "pin": PIN,
            "photo": str(photo), "import_dir": str(tmp_path / "sdcard"),
            "deadline": (bureau_today() + timedelta(days=30)).isoformat()}


def test_a_note_typed_when_the_app_dies_is_there_after_restart(
    app_runner: AppRunner, server: LoopbackServer, args: dict[str, str]
) -> None:
    enrolled = app_runner.run("enroll", **args)
    args["visit_id"] = enrolled["visits"][0]
    app_runner.run("unlock_quietly", "open_task", "type_note_and_die", expect_exit=9, **args)
    after = app_runner.run("unlock", "record_state", **args)
    assert list(after["notes"].values())[0] == NOTE


def test_after_the_last_signature_and_once_locked_nothing_invites_a_change(
    app_runner: AppRunner, server: LoopbackServer, args: dict[str, str]
) -> None:
    enrolled = app_runner.run("enroll", **args)
    args["visit_id"] = enrolled["visits"][0]
    done = app_runner.run("unlock_quietly", "open_task", "fill_items", "photos", "hazard",
                          "sign", "finish", "locked_view", **args)  # fmt: skip
    assert done["save_in_view"]  # 1280×800, 责令限期整改 and 现场处理措施 chosen
    # the third signature: 签名已齐, no empty pad of the first signer with 确认签名 active
    after = done["after_signing"]
    assert after["current"] == "" and after["pad_disabled"] and after["confirm_disabled"]
    assert not after["confirm_shown"] and after["review_shown"]
    assert after["instruction"].startswith("签名已齐（3/3）"), after["instruction"]
    # finished (queued): viewed or corrected, nothing offered that would do nothing
    locked = done["locked"]
    assert locked["enterprise_action"] == "查看检查记录（待上传）"
    assert locked["inspection_review"] == "查看记录 / 更正"
    assert locked["evidence_rows"] == 2 and locked["remove_offered"] == 0
    assert locked["hazard_rows"] == 1 and locked["edit_offered"] == 0
    # the top bar says what its count holds (2 photos + 3 signatures), the sync screen
    # what waits before any sync ran (not "已上传 0 / 0 份")
    assert locked["top_bar"].startswith("未上传：记录 1 份，证据和签名 5 个"), locked["top_bar"]
    assert locked["sync_records"] == "未上传记录 1 份"
    # the tablet shows the number the console lists it by (马敏志的平板（编号 F9DC）)
    number = locked["device_id"].replace("-", "")[:4].upper()
    assert f"本机编号：{number}" in locked["sync_header"]
    uploaded = app_runner.run("unlock_quietly", "sync", "locked_view", tag="uploaded", **args)
    assert uploaded["uploaded"]["enterprise_action"] == "查看检查记录（已上传）"
    assert uploaded["uploaded"]["inspection_review"] == "查看记录 / 更正"
    assert uploaded["uploaded"]["sync_records"] == "本次同步：已上传 1 / 1 份记录"


def test_starting_before_the_task_window_warns_and_asks_first(
    app_runner: AppRunner, tmp_path: Path
) -> None:
    today = bureau_today()
    pkg = make_package("V-EARLY")  # 检查时限 opens in 5 days (the tester: 12-08, on 12-03)
    pkg["task"] = {**pkg["task"], "window_start": str(today + timedelta(days=5)),
                   "window_end": str(today + timedelta(days=17))}
    store = Store(app_runner.data_dir)
    store.save_session(server_url="http://127.0.0.1:9", username="zhangsan", token="t",
                       role="inspector", inspector={"cert_no": "13080020001", "name": "张三"})
    account.set_pin(store, PIN)
    store.apply_pull([pkg], [], "c1")
    store.close()
    r = app_runner.run("unlock_quietly", "start_early", pin=PIN, visit_id="V-EARLY")
    opens = today + timedelta(days=5)
    assert r["list_left"] == f"{opens.year}年{opens.month}月{opens.day}日起"  # not 剩余17天
    assert r["warning"].startswith("检查时限尚未开始") and "还有5天" in r["warning"]
    assert r["dialog"] == "不在检查时限内"
    assert r["record_after_no"] is None  # 暂不开始: no record, no start time
    assert r["record_after_yes"]  # the office may have a reason: started knowingly
