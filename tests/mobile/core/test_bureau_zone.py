"""The tablet shows times in the bureau's zone as the server names it (login and
every pull), keeps it across restarts, and falls back to ``SUICHA_TZ`` only
before its first contact with a server."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mobile.core import account, timefmt
from mobile.core.store import Store

from .sync_harness import Harness

STAMP = "2026-03-01T17:30:00+00:00"  # 01:30 next day in Beijing, 23:30 in Urumqi


@pytest.fixture(autouse=True)
def _zone_reset(monkeypatch):
    monkeypatch.setenv("SUICHA_TZ", "Asia/Shanghai")
    yield
    timefmt.use_zone(None)  # the zone is process-wide: leave none for the next test


def test_before_any_server_the_fallback_zone_is_used(tmp_path: Path) -> None:
    Store(tmp_path / "fresh").close()
    assert timefmt.cn_datetime(STAMP) == "2026年3月2日 01:30"


def test_the_login_brings_the_servers_zone_and_a_restart_keeps_it(fake, url, tmp_path):
    fake.bureau_timezone = "Asia/Urumqi"
    store = Store(tmp_path / "pad")
    account.login(store, url, "zhangsan", "secret")
    assert timefmt.cn_datetime(STAMP) == "2026年3月1日 23:30"
    assert timefmt.local(STAMP).date() == date(2026, 3, 1)
    store.close()
    timefmt.use_zone(None)
    again = Store(tmp_path / "pad")  # the app starting again, offline
    assert timefmt.cn_datetime(STAMP) == "2026年3月1日 23:30"
    again.close()


def test_a_pull_updates_the_zone_and_an_unknown_name_changes_nothing(fake, store, url):
    fake.bureau_timezone = "Asia/Urumqi"
    Harness(store, url).engine.run()
    assert store.get_meta("bureau_timezone") == "Asia/Urumqi"
    assert timefmt.cn_datetime(STAMP) == "2026年3月1日 23:30"
    fake.bureau_timezone = "Mars/Olympus_Mons"
    fake.cursor = "s2"
    Harness(store, url).engine.run()
    assert store.get_meta("bureau_timezone") == "Asia/Urumqi"
    assert timefmt.cn_datetime(STAMP) == "2026年3月1日 23:30"
