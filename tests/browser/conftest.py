"""A live server on loopback and Debian's headless Chromium driven by Playwright.

The server is the real app (werkzeug ``make_server`` in a thread) on a
throwaway SQLite file; the browser is ``/usr/bin/chromium`` (``playwright
install`` cannot download browsers on an offline machine).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from server import TestConfig, create_app
from server.extensions import db

CHROMIUM = os.environ.get("SUICHA_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Screenshots go to $SUICHA_SCREENSHOTS (docs/img to refresh the documentation
# pictures, as for the tablet UI tests) or a temp dir, so `make test` leaves the
# checkout clean.
SHOTS = Path(os.environ.get("SUICHA_SCREENSHOTS") or tempfile.mkdtemp(prefix="suicha-shots-"))
PASSWORD = "suicha2024"

INSPECTORS = [
    # 2 bureau-pool and 3 street-pool officers for 龙岗-style teams, all for 危化品.
    ("韩文", "14042800101", "", "危化品监管股"), ("李敏", "14042800102", "", "危化品监管股"),
    ("高静", "14042800103", "丹朱镇", "丹朱镇安监站"),
    ("冯强", "14042800104", "丹朱镇", "丹朱镇安监站"),
    ("梁丽", "14042800105", "丹朱镇", "丹朱镇安监站"),
    # The plan's 联合部门: a joint visit has an officer of each department.
    ("周涛", "14042800106", "丹朱镇", "消防大队"),
]


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode()


# The staff's names (姓名): the console shows them, documents print them.
STAFF_NAMES = {"admin": "郝建军", "dispatcher": "秦晓梅", "reviewer": "牛振华"}


def _seed_bureau() -> None:
    """Users, officers and the item list; enterprises come in through the browser."""
    from server.services.accounts import create_user
    from server.services.demo_data import _csv as demo_csv
    from server.services.demo_items import item_rows
    from server.services.registry_io import import_registry

    import_registry("items", demo_csv("items", item_rows()), "items.csv", "setup")
    import_registry("inspectors", _csv(
        ["姓名", "执法证号", "证件有效期", "所属科室", "属地", "执法领域", "是否专家", "在岗状态"],
        [[n, c, "2030-12-31", d, s, "危险化学品经营", "否", "在岗"]
         for n, c, s, d in INSPECTORS]), "inspectors.csv", "setup")
    for username, role, cert in (("admin", "admin", None), ("dispatcher", "dispatcher", None),
                                 ("reviewer", "reviewer", None),
                                 ("inspector1", "inspector", "14042800101")):
        create_user(username, role, PASSWORD, inspector_cert=cert,
                    display_name=STAFF_NAMES.get(username))


class LiveServer:
    def __init__(self, app, host: str = "127.0.0.1") -> None:
        self.app = app
        self._server = make_server(host, 0, app, threaded=True)
        self.url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)


def live_app(tmp: Path, *, seed: bool = True):
    """The real app on a throwaway SQLite file (with the browser tests' bureau)."""
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp / 'live.db'}",
                  EVIDENCE_DIR=str(tmp / "evidence"), TESTING=False,
                  DRAND_LEAD_MINUTES=0)  # the lottery draw the office names is imminent
    app = create_app(config)
    with app.app_context():
        db.create_all()
        if seed:
            _seed_bureau()
    return app


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    app = live_app(tmp_path_factory.mktemp("live"))
    server = LiveServer(app).start()
    yield server
    server.stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def phone(browser):
    """A phone-sized browser with no session: what the public sees."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  is_mobile=True, has_touch=True)
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()


def shot(page, name: str, *, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"console-{name}.png"), full_page=full_page)
