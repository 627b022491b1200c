"""The sync screen with a record the server refuses: the server's reason is shown
in the queue and the 重试 button sends it again (against the loopback fake server
of the core tests, which can be told to refuse once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mobile.core import account
from mobile.core.records import Inspections
from mobile.core.store import Store
from mobile.platform import fonts
from tests.mobile.core.conftest import FakeClock, fill_record, make_package
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
