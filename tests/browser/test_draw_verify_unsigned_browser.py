"""Outside finding 1: on an install whose log heads are unsigned (no key was
configured), the citizen's in-browser check of a correct draw says 一致 with
a plain caveat – the headline never contradicts the checks under it – and a
head stripped of its signature while a key is published is a difference.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from server import TestConfig, create_app
from server.extensions import db
from server.localtime import bureau_today
from tests.server.web import dataset

from .conftest import LiveServer

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture(scope="module")
def unsigned(tmp_path_factory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("unsigned")
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp / 'live.db'}",
                  EVIDENCE_DIR=str(tmp / "evidence"), TESTING=False,
                  LOG_SIGNING_KEY="", LOG_SIGNING_KEY_FILE="")
    app = create_app(config)
    with app.app_context():
        db.create_all()
        dataset.build(bureau_today())
    server = LiveServer(app).start()
    yield server
    server.stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _verdict(page, server: LiveServer) -> str:
    page.goto(f"{server.url}/public/tasks/{dataset.OPEN_TASK}")
    expect(page.locator("#draw-verify[data-ready='1']")).to_have_count(1)
    page.click("#verify-public")
    verdict = page.locator("#verify-public-result")
    expect(verdict).not_to_have_text("正在本机计算……", timeout=30000)
    expect(verdict).not_to_have_text("")
    return verdict.inner_text()


def test_an_unsigned_log_is_a_caveat_not_a_difference(page, unsigned):
    assert _verdict(page, unsigned) == "一致（日志树头未签名，见下方说明）"
    assert page.locator("#verify-public-out li.bad").count() == 0
    caveat = page.locator("#verify-public-out li.caveat").all_inner_texts()
    assert len(caveat) == 1 and "无法证明该树头确由本局发出" in caveat[0], caveat
    steps = page.locator("#verify-public-out li.ok").all_inner_texts()
    assert any("已列入日志" in s for s in steps)
    assert not any("签名日志" in s for s in steps)  # nothing claims a signature


def test_a_signature_dropped_while_a_key_is_published_is_named(page, unsigned):
    def with_key(route):
        resp = route.fetch()
        doc = resp.json()
        doc["log"]["key"] = {"algorithm": "Ed25519", "public_key": "00" * 32,
                             "key_id": "11" * 32}
        route.fulfill(response=resp, json=doc)

    page.route("**/verify.json", with_key)
    verdict = _verdict(page, unsigned)
    assert verdict.startswith("不一致：") and "签名被去掉" in verdict, verdict
