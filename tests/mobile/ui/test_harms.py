"""Must-show 1 of issue 18, points 1–8 and 11: the real app under Xvfb, driven as
an inspector would, on a tablet store prepared like after a pull (and, for the
sync and login, against the loopback fake server of the core tests)."""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from mobile.core import account
from mobile.core.records import Inspections
from mobile.core.store import Store
from mobile.core.timefmt import today as bureau_today
from mobile.platform import fonts
from tests.mobile.core.conftest import FakeClock, fill_record, make_package
from tests.mobile.core.fake_server import FakeServer, Fault, serve
from tests.mobile.ui.conftest import AppRunner, make_photo

pytestmark = pytest.mark.ui
PIN = "2468"
WINDOWS = pytest.mark.parametrize("window", ["1280x800", "800x1280"],
                                  ids=["landscape", "portrait"])  # fmt: skip


def _open_today(pkg: dict) -> dict:
    """A task whose 检查时限 is open today (starting outside it asks first)."""
    today = bureau_today()
    pkg["task"] = {**pkg["task"], "window_start": str(today - timedelta(days=5)),
                   "window_end": str(today + timedelta(days=25))}
    return pkg


def tablet(data_dir: Path, server_url: str = "http://127.0.0.1:9") -> Store:
    store = Store(data_dir)
    store.save_session(
        server_url=server_url,
        username="zhangsan",
        token="good-token",
        role="inspector",
        inspector={"cert_no": "13080020001", "name": "张三"},
    )
    account.set_pin(store, PIN)
    store.apply_pull([_open_today(make_package()), _open_today(make_package("V-2024-002"))],
                     [], "c1")
    return store


@WINDOWS
def test_old_card_photos_are_never_attached_and_the_picker_starts_empty(
    app_runner: AppRunner, tmp_path: Path, window: str
) -> None:
    tablet(app_runner.data_dir).close()
    card = tmp_path / "card"
    for n in range(3):  # the previous plant's, two days ago
        old = make_photo(card / "DCIM" / f"IMG_00{n}.JPG", hue=n * 20)
        os.utime(old, (time.time() - 2 * 86400, time.time() - 2 * 86400))
    r = app_runner.run("unlock_quietly", "card_photos", pin=PIN, visit_id="V-2024-001",
                       card_dir=str(card), window=window)  # fmt: skip
    assert r["old_rows"] == 0 and r["old_waiting"] == 0  # not attached, not even offered
    assert r["rows_before_pick"] == 0  # the new one is offered, not attached
    assert r["offered"] == ["IMG_0100.JPG"]
    assert (
        "第1项：安全生产责任制" in r["confirm_text"] and "承德某化工有限公司" in r["confirm_text"]
    )
    assert r["attached_to"] == [r["item_codes"][0]]  # on the item named, nowhere else
    assert r["second_target"] == "添加到：第2项：危化品库房通风"
    assert r["second_chosen"] == 0 and r["second_selected"] == []  # nothing carried over
    assert r["second_attached"] == [r["item_codes"][0]]  # still only the one, on item 1


@WINDOWS
def test_signatures_only_on_a_complete_record_voiding_shown_and_refusal(
    app_runner: AppRunner, window: str
) -> None:
    tablet(app_runner.data_dir).close()
    r = app_runner.run(
        "unlock_quietly", "signatures", pin=PIN, visit_id="V-2024-001", window=window
    )
    assert r["blocked"].startswith("记录尚不完整，完成以下各项后才能签名")
    assert "第2项「危化品库房通风」不符合，但未登记隐患及处理措施" in r["blocked"]
    assert r["pad_disabled"] and r["confirm_disabled"]
    assert r["blocked_after"] == ""
    assert r["enterprise_reads"].startswith("被检查单位：承德某化工有限公司")
    assert r["signed"] == ["valid", "valid", "valid"] and r["sign_button"] == "签名（3 / 3）"
    assert r["void_banner"] == "记录在签名后有改动，张三、李四、王五的签名已失效，请重新签名"
    assert r["sign_button_after"] == "签名（0 / 3）"
    assert r["void_states"] == ["void", "void", "void"]
    assert r["after_refusal"] == ["valid", "valid", "refused_valid"]
    assert r["review_ready"]
    assert r["review_refusal"] == [
        "被检查单位负责人：王五拒绝签字，理由：不认可第2项检查结论；见证人：孙七（园区安全员）"
    ]


@WINDOWS
def test_nothing_is_deleted_without_a_confirmation(
    app_runner: AppRunner, tmp_path: Path, window: str
) -> None:
    tablet(app_runner.data_dir).close()
    photo = make_photo(tmp_path / "photo.jpg")
    r = app_runner.run("unlock_quietly", "confirmations", pin=PIN, visit_id="V-2024-001",
                       photo=str(photo), window=window)  # fmt: skip
    assert r["remove_asks"] == "移除证据" and r["rows_after_cancel"] == 1
    assert r["rows_after_confirm"] == 0
    assert r["delete_asks"] == "删除隐患" and r["hazards_after_cancel"] == 1
    assert "1 份检查记录尚未上传到服务器，清除后将永久丢失" in r["wipe_text"]
    assert r["wipe_refused"]  # the word was not typed: nothing happened
    assert r["tasks_kept"] == 2 and r["records_kept"] == 1


@WINDOWS
def test_a_dead_link_ends_within_the_stall_window_and_a_sync_can_be_cancelled(
    app_runner: AppRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, window: str
) -> None:
    monkeypatch.setenv("SUICHA_STALL_SECONDS", "3")  # the field default is 30
    release = threading.Event()
    fake = FakeServer(faults=[
        Fault(m, "/api/v1/", lambda f: release.wait(60), times=10**6)
        for m in ("HEAD", "PUT", "GET")
    ])  # fmt: skip
    httpd, url = serve(fake)
    try:
        store = tablet(app_runner.data_dir, url)
        store.clock = FakeClock()
        spec = fonts.find_cjk_font()
        insp = Inspections(store, font=(str(spec.path), spec.index))
        insp.finish(fill_record(insp, tmp_path))
        store.close()
        r = app_runner.run("unlock_quietly", "dead_link", pin=PIN, window=window)
    finally:
        release.set()
        httpd.shutdown()
    assert r["wipe_disabled_while_running"] and r["cancel_enabled_while_running"]
    assert r["stall_message"].startswith("网络中断：3秒内没有传输任何数据，本次同步已停止")
    assert "下次同步从中断处继续" in r["stall_message"]
    assert r["outbox"] == ["queued"]
    # the server never answered (it held every request for a minute): the stall watch
    # ended the run, not a socket timeout (whose message would be 连接服务器超时)
    print(f"\ndead link ({window}): the attempt ended {r['stall_seconds']} s after 立即同步")
    assert r["cancel_message"].startswith("同步已取消")
    assert r["outbox_after_cancel"] == ["queued"]


@WINDOWS
def test_wrong_pins_show_tries_left_and_the_lock_is_timed_and_offline(
    app_runner: AppRunner, window: str
) -> None:
    tablet(app_runner.data_dir).close()
    r = app_runner.run("pin_lock", pin=PIN, window=window)
    assert r["pin_messages"][:4] == [f"PIN不正确，还可尝试 {n} 次" for n in (4, 3, 2, 1)]
    assert r["pin_messages"][4].startswith("PIN连续错误5次，已锁定15分钟")
    assert r["mode_after_lock"] == "unlock" and r["token_kept"]
    assert r["login_back"] == "〈 返回" and r["mode_after_back"] == "unlock"


@WINDOWS
def test_a_busy_server_on_login_is_said_in_words(app_runner: AppRunner, window: str) -> None:
    fake = FakeServer(faults=[Fault("POST", "/api/v1/auth/token", 429)])
    httpd, url = serve(fake)
    try:
        r = app_runner.run("login_busy", server=url, window=window)
    finally:
        httpd.shutdown()
    assert r["login_message"] == "登录尝试过于频繁，请约1分钟后再试"
    assert "429" not in r["login_message"] and "记录" not in r["login_message"]


def test_portrait_header_neither_overlaps_nor_cuts(app_runner: AppRunner) -> None:
    tablet(app_runner.data_dir).close()
    r = app_runner.run("unlock_quietly", "portrait_header", pin=PIN, visit_id="V-2024-001",
                       window="800x1280")  # fmt: skip
    assert r["header_overlaps"] == 0 and r["header_cut"] == []
    assert r["page_title"] == "承德某化工有限公司" and r["page_title_fits"]
