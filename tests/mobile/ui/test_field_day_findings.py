"""The outside tester's field day (TABLET-FINDINGS.md), on the real app under Xvfb
against the real server on loopback: each finding that hurt, shown not to."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mobile.ui.conftest import AppRunner
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
def args(server: LoopbackServer) -> dict[str, str]:
    return {"server": server.url, "username": USERNAME, "password": PASSWORD, "pin": PIN}


def test_a_note_typed_when_the_app_dies_is_there_after_restart(
    app_runner: AppRunner, server: LoopbackServer, args: dict[str, str]
) -> None:
    enrolled = app_runner.run("enroll", **args)
    args["visit_id"] = enrolled["visits"][0]
    app_runner.run("unlock_quietly", "open_task", "type_note_and_die", expect_exit=9, **args)
    after = app_runner.run("unlock", "record_state", **args)
    assert list(after["notes"].values())[0] == NOTE
