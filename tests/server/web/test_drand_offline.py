"""An office without internet draws with a pasted drand round, told how in Chinese.

Outside finding: offline, the draw said “无法从drand获取第N轮（https://api.drand.sh：
ConnectionError；…）” – an exception class name, and no word on where to get the
round to paste.  The relay here is a real loopback address nothing listens on.
"""

from __future__ import annotations

import re
import socket
from datetime import timedelta

import pytest

from server.services import draw as svc
from server.services.plans import PlanError
from shared.enums import Role
from tests.server.services.demo_plan import demo_with_plan
from tests.server.services.draw_ceremony_helpers import (
    QUICKNET,
    draw_after,
    freeze_before,
    publication,
)

TASK = "CZ-2026-12-03"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on leaving: connections are refused


@pytest.fixture
def offline(app):
    relay = f"http://127.0.0.1:{_closed_port()}"
    app.config["DRAND_URLS"] = relay
    return relay


def test_an_unreachable_relay_says_in_chinese_where_to_get_the_round(ctx, offline):
    demo_with_plan()
    frozen = freeze_before(TASK)
    with pytest.raises(PlanError) as err:
        svc.draw_frozen(TASK, "clerk", beacon=None,
                        now=publication("quicknet", QUICKNET) + timedelta(seconds=30))
    message = err.value.message
    assert err.value.status == 503
    assert not re.search(r"[A-Za-z]+(Error|Exception)", message), message
    url = f"{offline}/{frozen.beacon['chain']}/public/{QUICKNET['round']}"
    assert "无法连接" in message and url in message and "粘贴" in message
    # A wrong paste says what to paste; the right one draws.
    with pytest.raises(PlanError) as bad:
        draw_after(TASK, {"round": QUICKNET["round"], "signature": "ab"})
    assert "页面的全部文字" in bad.value.message and url in bad.value.message
    assert draw_after(TASK).id


def test_the_task_page_links_the_round_to_copy(ctx, client, login, offline):
    demo_with_plan()
    frozen = freeze_before(TASK)
    login(Role.DISPATCHER)
    page = client.get(f"/console/tasks/{TASK}").get_data(as_text=True)
    url = f"{offline}/{frozen.beacon['chain']}/public/{QUICKNET['round']}"
    assert f'href="{url}"' in page and "本机不能上网时" in page


def test_refusals_name_the_public_random_number_in_plain_chinese(ctx, offline, caplog):
    """Outside finding: “drand签名应为48字节，实际2字节”, “drand轮次不符…”,
    “drand第34504717轮尚未公布”.  The office reads 公共随机数, 第N轮, 十六进制字符;
    the technical reason goes to the log."""
    demo_with_plan()
    frozen = freeze_before(TASK)
    due = frozen.beacon["round"]
    with pytest.raises(PlanError) as early:
        svc.draw_frozen(TASK, "clerk", beacon=QUICKNET,
                        now=publication("quicknet", QUICKNET) - timedelta(seconds=2))
    assert early.value.message.startswith(
        f"约定的第{due}轮公共随机数（drand 信标）尚未公布（预计北京时间 ")
    assert early.value.message.endswith("），请到时再试")
    with pytest.raises(PlanError) as short:
        draw_after(TASK, {"round": due, "signature": "ab"})
    assert "粘贴的随机数签名不完整（应为96位十六进制字符）" in short.value.message
    with pytest.raises(PlanError) as other:
        draw_after(TASK, {**QUICKNET, "round": due + 1})
    assert f"粘贴的是第{due + 1}轮，本次抽取约定的是第{due}轮" in other.value.message
    for refused in (early, short, other):
        assert not re.search(r"drand(签名|轮次|第|链)|字节", refused.value.message), \
            refused.value.message
    assert "drand签名应为48字节，实际1字节" in caplog.text  # kept for whoever reads the log
