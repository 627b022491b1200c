"""The sync screen with a record the server refuses: the server's reason is shown
in the queue and the 重试 button sends it again (against the loopback fake server
of the core tests, which can be told to refuse once, and against the real server
refusing a record dated before its dispatch)."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mobile.core import account, timefmt
from mobile.core.records import Inspections
from mobile.core.store import Store
from mobile.platform import fonts
from tests.integration.harness import ServerProcess, seed, server_state
from tests.integration.tablets import Tablet
from tests.mobile.core.conftest import BEIJING, FakeClock, fill_record, make_package
from tests.mobile.core.fake_server import FakeServer, Fault, serve
from tests.mobile.ui.conftest import AppRunner


@pytest.mark.ui
def test_rejected_record_shows_the_reason_and_retry_sends_it(
    app_runner: AppRunner, tmp_path: Path
) -> None:
    fake = FakeServer(faults=[Fault("PUT", "/api/v1/records/", 400)])
    httpd, url = serve(fake)
    try:
        store = Store(app_runner.data_dir, clock=FakeClock())
        store.save_session(
            server_url=url,
            username="zhangsan",
            token=fake.token,
            role="inspector",
            inspector={"cert_no": "13080020001", "name": "张三"},
        )
        account.set_pin(store, "2468")
        store.apply_pull([make_package()], [], "c1")
        spec = fonts.find_cjk_font()
        insp = Inspections(store, font=(str(spec.path), spec.index))
        uuid = fill_record(insp, tmp_path)
        insp.finish(uuid)
        store.close()

        result = app_runner.run("unlock", "retry_rejected", pin="2468")
        assert result["rejected_rows"] == [{"state": "被服务器退回", "reason": "故障注入（400）"}]
        assert result["outbox"] == {uuid: "sent"}
        assert fake.status_of(uuid)["complete"] is True
    finally:
        httpd.shutdown()


@pytest.mark.ui
def test_a_record_dated_before_its_dispatch_is_refused_and_the_tablet_says_why(
    app_runner: AppRunner, tmp_path: Path
) -> None:
    """A tablet whose clock is years behind: the real server (gunicorn on loopback)
    refuses the record as dated before its task was drawn and dispatched (the
    earlier of the two is named); the tablet quarantines it and the sync screen
    shows the server's reason in words, with the dates."""
    server = ServerProcess(tmp_path / "server")
    server.migrate()
    seed(server, tablets=2, visits_per_tablet=1)
    server.start()
    try:
        app_runner.data_dir = tmp_path / "wrong-clock" / "data"  # where Tablet keeps its store
        tablet = Tablet(tmp_path / "wrong-clock", server.url, server.url, "tablet0")
        tablet.pull_until_done(time.monotonic() + 60)
        tablet.store.clock = FakeClock(datetime(2024, 3, 5, 9, 30, tzinfo=BEIJING))
        (visit_id,) = tablet.led_visits()
        uuid = tablet.inspect(visit_id, photos=1, seed=3)
        tablet.engine.run()
        (entry,) = tablet.engine.outbox.entries()
        assert (entry.state, entry.last_status) == ("rejected", 422)
        assert re.search("检查记录的开始时间2024-03-05 09:30早于该检查任务的(抽取|派发)时间",
                         entry.last_error), entry.last_error
        account.set_pin(tablet.store, "2468")
        tablet.close()

        result = app_runner.run("unlock", "retry_rejected", pin="2468")
        (row,) = result["rejected_rows"]
        assert row["state"] == "被服务器退回"
        assert re.search("早于该检查任务的(抽取|派发)时间", row["reason"])
        assert "服务器未保存" in row["reason"]
        assert result["outbox"] == {uuid: "rejected"}  # 重试 meets the same refusal
        assert server_state(server)["heads"] == []  # nothing stored on the server
    finally:
        server.stop()


@pytest.mark.ui
def test_a_record_dated_ahead_of_the_server_clock_is_refused_and_the_tablet_says_why(
    app_runner: AppRunner, tmp_path: Path
) -> None:
    """A tablet whose clock runs two days fast: the real server refuses the record
    as dated after its own clock, saying the tablet's clock seems wrong and what
    to do; the tablet keeps the record and its sync screen shows that reason."""
    server = ServerProcess(tmp_path / "server")
    server.migrate()
    seed(server, tablets=2, visits_per_tablet=1)  # a team is two
    server.start()
    try:
        app_runner.data_dir = tmp_path / "fast-clock" / "data"
        tablet = Tablet(tmp_path / "fast-clock", server.url, server.url, "tablet0")
        tablet.pull_until_done(time.monotonic() + 60)
        ahead = datetime.now(BEIJING).replace(second=0, microsecond=0) + timedelta(days=2)
        tablet.store.clock = FakeClock(ahead)
        (visit_id,) = tablet.led_visits()
        uuid = tablet.inspect(visit_id, photos=1, seed=5)
        tablet.engine.run()
        (entry,) = tablet.engine.outbox.entries()
        assert (entry.state, entry.last_status) == ("rejected", 422)
        assert f"{ahead:%Y-%m-%d} " in entry.last_error, entry.last_error
        assert re.search("时间[0-9: -]+晚于服务器当前时间", entry.last_error), entry.last_error
        account.set_pin(tablet.store, "2468")
        tablet.close()

        result = app_runner.run("unlock", "retry_rejected", pin="2468")
        (row,) = result["rejected_rows"]
        assert row["state"] == "被服务器退回"
        assert "平板的时钟似乎不准" in row["reason"] and "日期、时间和时区" in row["reason"]
        assert "记录仍保存在平板上" in row["reason"]
        assert result["outbox"] == {uuid: "rejected"}  # still refused, still kept
        assert server_state(server)["heads"] == []  # nothing stored on the server
    finally:
        server.stop()


@pytest.mark.ui
def test_times_are_shown_in_the_zone_the_server_names(
    app_runner: AppRunner, tmp_path: Path
) -> None:
    """A bureau in Xinjiang (server BUREAU_TIMEZONE=Asia/Urumqi, two hours behind
    Beijing); the tablet was set up with the default SUICHA_TZ (Asia/Shanghai).
    After its login and pull the tablet shows its last sync in Urumqi time, also
    after a restart (the app process below starts from the stored zone)."""
    server = ServerProcess(tmp_path / "server")
    server.env["BUREAU_TIMEZONE"] = "Asia/Urumqi"
    server.migrate()
    seed(server, tablets=2, visits_per_tablet=1)
    server.start()
    try:
        app_runner.data_dir = tmp_path / "xinjiang" / "data"
        tablet = Tablet(tmp_path / "xinjiang", server.url, server.url, "tablet0")
        tablet.pull_until_done(time.monotonic() + 60)
        assert tablet.store.get_meta("bureau_timezone") == "Asia/Urumqi"
        account.set_pin(tablet.store, "2468")
        tablet.close()

        result = app_runner.run("unlock", "sync", pin="2468")
        assert result["sync_failed"] is False, result["sync_message"]
        (shown,) = [x["text"] for x in result["labels"]["sync"] if "上次成功同步：" in x["text"]]
        store = Store(app_runner.data_dir)
        last = datetime.fromisoformat(store.get_meta("last_sync_at"))
        store.close()
        urumqi, beijing = last.astimezone(ZoneInfo("Asia/Urumqi")), last.astimezone(BEIJING)
        assert f" {urumqi:%H:%M}" in shown, shown
        assert f" {beijing:%H:%M}" not in shown, shown
    finally:
        timefmt.use_zone(None)  # this test process learnt the zone through Tablet too
        server.stop()
