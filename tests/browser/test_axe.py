"""Must-show 4: axe-core (WCAG 2.1 AA, the basis of GB/T 37668) over every console
and public page in Chromium – 0 violations.

axe-core is a test-only npm package (tests/browser/package.json; run
``npm install`` in tests/browser once); it is injected into each page by
Playwright, never served by the application. The pages are those the crawler
reaches (tests/server/web/crawl.py) as each role and anonymously, on the demo
county with its archived case, a drawn and dispatched plan and results in
every review state.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.extensions import db
from tests.server.web import crawl
from tests.server.web.test_crawl import CONSOLE_STARTS, PUBLIC_STARTS, _bureau

from .conftest import LiveServer, live_app

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ROLES = [("admin", None), ("dispatcher", None), ("reviewer", None), ("archivist", None),
         ("inspector1", None), (None, None)]
# Pages whose content depends on the role (forms, buttons): checked for every role.
ROLE_SENSITIVE = ("/console/cases/N", "/console/publication", "/console/dispatch",
                  "/console/tasks/T", "/console/enterprises/N", "/console/")


@pytest.fixture(scope="module")
def bureau(tmp_path_factory):
    app = live_app(tmp_path_factory.mktemp("axe"), seed=False)
    with app.app_context():
        _bureau(app)
    server = LiveServer(app).start()
    yield app, server
    server.stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _urls(app, username: str | None) -> list[str]:
    """HTML pages the crawler reaches for this user (one of each kind)."""
    client = app.test_client()
    if username:
        client.get("/console/login")
        with client.session_transaction() as s:
            token = s["csrf"]
        client.post("/console/login", data={"username": username, "password": "suicha2024",
                                            "csrf_token": token})
    starts = (CONSOLE_STARTS + PUBLIC_STARTS) if username else PUBLIC_STARTS
    return [url for url, status, text in crawl.crawl(client, starts, per_shape=1)
            if text is not None and status < 500]


def test_every_page_has_no_wcag_21_aa_violation(bureau, browser):
    assert AXE.exists(), "run `npm install` in tests/browser (axe-core, test-only)"
    app, server = bureau
    source = AXE.read_text()
    seen_shapes: set[str] = set()
    violations, checked = [], 0
    for username, _ in ROLES:
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN",
                                      bypass_csp=True)
        page = context.new_page()
        if username:
            page.goto(f"{server.url}/console/login")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", "suicha2024")
            page.click("button[type=submit]")
        for url in _urls(app, username):
            shape = crawl.shape(url)
            if shape in seen_shapes and shape.split("?")[0] not in ROLE_SENSITIVE:
                continue
            seen_shapes.add(shape)
            page.goto(server.url + url)
            page.evaluate(source)
            found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
                                  " resultTypes: ['violations']}).then(r => r.violations.map("
                                  "v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))"
                                  ".slice(0, 3), help: v.help})))", TAGS)
            checked += 1
            violations += [f"{username or '匿名'} {url}: {v['id']} {v['help']} {v['nodes']}"
                           for v in found]
        context.close()
    assert checked > 40
    assert not violations, "\n" + "\n".join(violations[:60]) + f"\n({len(violations)} in all)"


def test_axe_finds_a_violation_when_there_is_one(bureau, browser):
    """The check can fail: an unlabelled select and grey-on-grey text are caught."""
    _app, server = bureau
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{server.url}/public/")
    page.evaluate("""() => { const s = document.createElement('select');
        document.querySelector('main').appendChild(s);
        const p = document.createElement('p'); p.textContent = '看不清的字';
        p.style.color = '#bbb'; p.style.background = '#ccc';
        document.querySelector('main').appendChild(p); }""")
    page.evaluate(AXE.read_text())
    ids = page.evaluate("axe.run(document, {runOnly: {type: 'tag', values: "
                        + json.dumps(TAGS) + "}}).then(r => r.violations.map(v => v.id))")
    context.close()
    assert "color-contrast" in ids and ("select-name" in ids or "label" in ids)
