"""BagIt 1.0 (RFC 8493) as written: version, the bureau's date, tab-separated
manifest lines, and the Library of Congress ``bagit`` tool's verdict."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from server.dossier import export_bag, verify_bag
from server.dossier.bag import TAGMANIFEST, _sha256

FILES = {"dossier.pdf": b"%PDF-1.7 test", "records/inspection-v1.json": b'{"a": 1}'}


def loc_bagit_validates(bag: Path) -> subprocess.CompletedProcess:
    """The Library of Congress tool (bagit-python), run as its own command."""
    tool = Path(sys.executable).with_name("bagit.py")
    return subprocess.run([sys.executable, str(tool), "--validate", str(bag)],
                          capture_output=True, text=True, timeout=120)


def _info(bag: Path) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in
                (bag / "bag-info.txt").read_text(encoding="utf-8").splitlines())


def test_bag_is_bagit_1_0_with_the_bureau_date(tmp_path):
    bag = export_bag(tmp_path / "b", FILES, {"Bag-Group-Identifier": "承应急档〔2024〕检-0012"},
                     bagging_date=date(2024, 3, 12))
    assert (bag / "bagit.txt").read_bytes() == (
        b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    info = _info(bag)
    assert info["Bagging-Date"] == "2024-03-12"
    assert info["Bag-Group-Identifier"] == "承应急档〔2024〕检-0012"
    assert info["Payload-Oxum"] == f"{sum(len(v) for v in FILES.values())}.2"
    assert verify_bag(bag) == (True, [])
    result = loc_bagit_validates(bag)
    assert result.returncode == 0, result.stderr


def test_default_date_is_todays_date_in_beijing(tmp_path):
    before = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    bag = export_bag(tmp_path / "b", FILES)
    after = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    assert _info(bag)["Bagging-Date"] in (before.isoformat(), after.isoformat())


def test_verify_accepts_tab_separated_manifest_lines(tmp_path):
    bag = export_bag(tmp_path / "b", FILES)
    manifest = bag / "manifest-sha256.txt"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    manifest.write_text("".join(ln.replace("  ", "\t", 1) + "\n" for ln in lines),
                        encoding="utf-8")
    assert "\t" in manifest.read_text(encoding="utf-8")
    tags = sorted(p.name for p in bag.iterdir() if p.is_file() and p.name != TAGMANIFEST)
    (bag / TAGMANIFEST).write_text("".join(f"{_sha256(bag / n)}\t{n}\n" for n in tags),
                                   encoding="utf-8")
    assert verify_bag(bag) == (True, [])
    assert loc_bagit_validates(bag).returncode == 0
    # A tab-separated line with a wrong hash is still caught and named.
    (bag / "data/dossier.pdf").write_bytes(b"%PDF-1.7 changed")
    ok, problems = verify_bag(bag)
    assert not ok and any("data/dossier.pdf" in p for p in problems)
