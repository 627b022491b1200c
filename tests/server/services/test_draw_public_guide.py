"""Outside finding 17: the public task page explains the check in Chinese
(《抽取核验说明》: what is checked, how, with which files) and links the English
spec only as the developers' reference."""

from __future__ import annotations

import re

from server.services import draw as svc
from tests.server.services.test_draws_world import make_task, make_world


def test_the_task_page_links_a_chinese_explanation(ctx, client, app):
    app.config["LOG_SIGNING_KEY"] = "22" * 32
    try:
        world = make_world(12)
        make_task(world.plan, "T1", ratio="50%")
        svc.run_task_draw("T1", "tester")
        task = client.get("/public/tasks/T1").get_data(as_text=True)
        assert "《抽取核验说明》" in task and 'href="/public/draw-check"' in task
        # The English spec is no longer presented as the citizens' text.
        assert "《抽取算法规范》" not in task
        assert "算法规范（英文）" in task
        resp = client.get("/public/draw-check")
        assert resp.status_code == 200
        page = resp.get_data(as_text=True)
        for words in ("谁可以核验什么", "用到哪些公开文件", "对象池化名文件", "抽取结果文件",
                      "调整说明", "公开日志", "回执码", "监督机关", "在本机核验"):
            assert words in page, words
        key = client.get("/public/log/head.json").get_json()["key"]["key_id"]
        assert key in page  # the signing key's id, to compare with what the bureau announces
        assert 'href="/public/draw-spec.md"' in page and "开发者" in page
        # Chinese prose: outside markup, links and hashes, few Latin letters.
        text = re.sub(r"<[^>]+>|[0-9a-f]{64}|/public/\S+", "", page)
        latin = len(re.findall(r"[A-Za-z]", text))
        cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
        assert cjk > 1000 and latin < cjk / 20, (cjk, latin)
    finally:
        app.config["LOG_SIGNING_KEY"] = ""
