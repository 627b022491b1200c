"""Must-show 1 and 2: the real app, driven under Xvfb, against the real server on
loopback (gunicorn on a SQLite file, demo data from ``flask setup``)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from PIL import Image

from mobile.core.timefmt import today as bureau_today
from tests.mobile.ui.conftest import AppRunner, make_photo
from tests.mobile.ui.server import PASSWORD, USERNAME, LoopbackServer, start_server

pytestmark = pytest.mark.ui
PIN = "2468"


@pytest.fixture
def server(tmp_path: Path):
    srv = start_server(tmp_path / "server")
    yield srv
    srv.stop()


@pytest.fixture
def args(server: LoopbackServer, tmp_path: Path) -> dict[str, str]:
    """What the inspector types and the files they bring (a photo, an SD card)."""
    photo = make_photo(tmp_path / "photos" / "库房.jpg")
    make_photo(tmp_path / "sdcard" / "DCIM" / "100EXPRO" / "IMG_0001.JPG", hue=40)
    return {
        "server": server.url,
        "username": USERNAME,
        "password": PASSWORD,
        "pin": PIN,
        "photo": str(photo),
        "import_dir": str(tmp_path / "sdcard"),
        "deadline": (bureau_today() + timedelta(days=30)).isoformat(),
    }


def test_whole_inspection_then_offline_restart_then_sync(
    app_runner: AppRunner, server: LoopbackServer, args: dict[str, str]
) -> None:
    # online once: enroll, pull, and the whole inspection up to 完成并锁定
    first = app_runner.run(
        "enroll", "open_task", "fill_items", "photos", "hazard", "sign", "finish", **args
    )
    assert first["tasks"] >= 2  # our two visits (one unannounced) and the demo county's
    assert first["items_filled"] == 4
    assert first["evidence_rows"] == 2  # a chosen file and one from the SD card folder
    assert first["decode_buffers"] == 1  # kept for the next photo of that size...
    assert first["decode_buffers_paused"] == 0  # ...until the app goes to the background
    assert first["signed"] == 3
    assert first["state"] == "queued"
    uuid = first["record_uuid"]

    # offline: the server is gone; a restarted app opens with the PIN and says so plainly
    server.stop()
    second = app_runner.run("unlock", "sync", sync_shot="sync-offline", **args)
    assert second["sync_failed"]
    assert "无法连接服务器" in second["sync_message"]
    assert second["outbox"][uuid] == "queued"
    assert second["unsynced"][0] == 1 and second["unsynced"][1] == 2 + 3  # photos + signatures

    # online again: a new app run syncs; the server holds the complete record
    server.start()
    with pytest.raises(requests.HTTPError):
        server.record_status(uuid)  # not there before the sync (404)
    third = app_runner.run("unlock", "sync", **args)
    assert not third["sync_failed"], third["sync_message"]
    assert third["outbox"][uuid] == "sent"
    assert third["unsynced"] == [0, 0]
    status = server.record_status(uuid)
    assert status["complete"] is True and status["missing_blobs"] == []


def test_offline_inspection_survives_a_killed_app_and_uploads_later(
    app_runner: AppRunner, server: LoopbackServer, args: dict[str, str]
) -> None:
    enrolled = app_runner.run("enroll", **args)
    server.stop()  # from here on the tablet has no network
    args["visit_id"] = enrolled["visits"][0]

    # half the items, then the app dies without any shutdown
    app_runner.run("unlock", "open_task", "fill_items", "kill", items_to=2, expect_exit=9, **args)
    after_kill = app_runner.run("unlock", "record_state", **args)
    results = list(after_kill["results"].values())
    assert results[:2] == ["noncompliant", "compliant"] and results[2:] == [None, None]
    notes = list(after_kill["notes"].values())
    assert notes[:2] == ["第1项现场核查情况记录", "第2项现场核查情况记录"]

    # the rest of the inspection, finished offline, then another restart
    done = app_runner.run(
        "unlock", "open_task", "fill_items", "photos", "hazard", "sign", "finish",
        items_from=2, **args,
    )  # fmt: skip
    assert done["state"] == "queued"
    uuid = done["record_uuid"]
    restarted = app_runner.run("unlock", "record_state", **args)
    assert restarted["record_uuid"] == uuid
    assert all(restarted["results"].values())
    assert restarted["attachments"] == 2
    assert restarted["state"] == "queued"

    # the server returns: nothing was lost
    server.start()
    synced = app_runner.run("unlock", "sync", sync_shot="sync-after-offline", **args)
    assert synced["outbox"][uuid] == "sent"
    assert server.record_status(uuid)["complete"] is True


def test_a_whole_sd_card_is_imported_in_order_and_a_damaged_photo_is_named(
    app_runner: AppRunner, server: LoopbackServer, args: dict[str, str], tmp_path: Path
) -> None:
    card = tmp_path / "card" / "DCIM" / "101EXPRO"
    names = [f"IMG_{i:04d}.JPG" for i in range(1, 8)]
    for i, name in enumerate(names):
        make_photo(card / name, size=(2400, 1800), hue=i * 9)
        os.utime(card / name, (1_700_000_000 + i, 1_700_000_000 + i))  # taken in this order
    whole = (card / names[3]).read_bytes()
    (card / names[3]).write_bytes(whole[: len(whole) // 2])  # the card was pulled too early
    done = app_runner.run("enroll", "open_task", "sd_card", card_dir=str(tmp_path / "card"), **args)
    assert done["imports_at_once"] == 1  # one after another...
    assert done["card_rows"] == names[:3] + names[4:]  # ...in the order they were taken
    assert done["card_status"].startswith(f"{names[3]}：") and "不完整" in done["card_status"]
    for source in done["card_sources"]:  # the list shows small thumbnails, not the copies
        assert Path(source).parent == Path(done["thumbs_dir"])
        assert max(Image.open(source).size) == 320
