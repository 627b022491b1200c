"""The vendored browser bundle was built from the JavaScript sources as they are.

``js/verify/build.mjs`` stamps the bundle with the SHA-256 of its sources;
recomputed here, so a source edit without ``npm run build`` fails the suite
(and the differential test would otherwise be testing stale code).
"""

from __future__ import annotations

import hashlib
import re

from tests.shared.draw.oracle import ROOT

JS = ROOT / "js" / "verify"
BUNDLE = ROOT / "server" / "static" / "draw" / "suicha-verify.js"


def test_bundle_is_built_from_the_current_sources():
    files = ["package-lock.json"] + sorted(
        f"src/{p.name}" for p in (JS / "src").glob("*.js"))
    h = hashlib.sha256()
    for name in files:
        h.update(name.encode() + b"\0" + (JS / name).read_bytes() + b"\0")
    stamp = re.match(rb"/\* suicha-verify: built from js/verify sources-sha256 ([0-9a-f]{64}) \*/",
                     BUNDLE.read_bytes())
    assert stamp is not None, "bundle has no source stamp: run `npm run build` in js/verify"
    assert stamp.group(1).decode() == h.hexdigest(), \
        "stale bundle: run `npm run build` in js/verify"
