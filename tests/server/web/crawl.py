"""Crawl the console and public pages as a person reads them.

``visible_text`` is what a reader sees (text nodes outside script/style, plus
placeholders, titles, labels and option texts); ``findings`` lists what must
never be there: a Latin-letter code, a login name, a command-line flag, a
library name or a time in UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

READ_ATTRS = ("placeholder", "title", "aria-label", "alt")
# Words people in the bureau read as words: file formats and the like.
ALLOWED = {"Excel", "JSON", "CSV", "PDF", "SHA"}
SKIP_SUFFIXES = (".pdf", ".zip", ".json", ".csv", ".xlsx")
_TOKEN = re.compile(r"[A-Za-z0-9_./:+-]+")
_LOWER_RUN = re.compile(r"[a-z]{2,}")
# Hashes and record UUIDs are identifiers to compare, not words to read.
_HEX = re.compile(r"^(?:[0-9a-f]{16,}…?|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})$")
_FLAG = re.compile(r"(?<![\w-])--[a-z][\w-]*")
_ISO_T = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
LIBRARIES = ("flask", "chinese_calendar", "sqlalchemy", "playwright", "openpyxl", "reportlab")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._ident = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "title"):
            self._skip += 1
        # <span data-ident>: an identifier shown on purpose (a login name on the
        # user administration page, a device id): not prose.
        if tag == "span" and "data-ident" in a:
            self._ident += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        # A GET form's action is a page a person reaches too (派发到检查组平板…
        # opens its confirmation page this way); it is read like any other.
        if tag == "form" and (a.get("method") or "get").lower() == "get" and a.get("action"):
            self.links.append(a["action"])
        for name in READ_ATTRS:
            if a.get(name):
                self.text.append(a[name])
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.text.append(a["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title") and self._skip:
            self._skip -= 1
        if tag == "span" and self._ident:
            self._ident -= 1

    def handle_data(self, data):
        if not self._skip and not self._ident and data.strip():
            self.text.append(data)


def parse(html: str) -> tuple[str, list[str]]:
    page = _Page()
    page.feed(html)
    return "\n".join(page.text), page.links


def findings(text: str, logins: Iterable[str], utc_times: Iterable[str]) -> list[str]:
    out = []
    for token in _TOKEN.findall(text):
        word = token.strip("./:+-")
        if word in ALLOWED or _HEX.match(word):
            continue
        if _LOWER_RUN.search(word):
            out.append(f"代码或英文词：{token}")
    out += [f"命令行参数：{m}" for m in _FLAG.findall(text)]
    out += [f"ISO时间：{m}" for m in _ISO_T.findall(text)]
    lowered = text.lower()
    out += [f"程序库名：{lib}" for lib in LIBRARIES if lib in lowered]
    words = set(_TOKEN.findall(text))
    out += [f"登录名：{u}" for u in logins if u in words]
    out += [f"UTC时间：{t}" for t in utc_times if t in text]
    return out


def shape(url: str) -> str:
    """Pages of one kind (same route, same query keys) are crawled a few times, not all."""
    parts = urlsplit(url)
    path = re.sub(r"\d+", "N", parts.path)
    # A 复查 task (…-FC) is a page of its own kind.
    path = re.sub(r"/tasks/[^/]+?(-FC)?$", lambda m: "/tasks/T" + (m.group(1) or ""), path)
    keys = sorted({kv.split("=")[0] for kv in parts.query.split("&") if kv})
    return path + "?" + "&".join(keys)


def crawl(client, starts: list[str], *, per_shape: int = 2, limit: int = 400):
    """GET every reachable console/public page (downloads too, status only).
    Yields (url, status, text-or-None)."""
    seen, shapes, queue = set(), {}, list(starts)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        key = shape(url)
        if shapes.get(key, 0) >= per_shape:
            continue
        seen.add(url)
        shapes[key] = shapes.get(key, 0) + 1
        resp = client.get(url)
        path = urlsplit(url).path
        if path.endswith(SKIP_SUFFIXES) or "export=" in url or resp.status_code in (
                301, 302, 303) or not resp.mimetype.startswith("text/html"):
            yield url, resp.status_code, None
            continue
        text, links = parse(resp.get_data(as_text=True))
        yield url, resp.status_code, text
        for href in links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc not in ("", "localhost") or not parts.path.startswith(
                    ("/console", "/public")) or parts.path == "/console/logout":
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
