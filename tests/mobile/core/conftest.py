"""Fixtures for the tablet core: a store per test, task packages, photos, signatures."""

from __future__ import annotations

import copy
import hashlib
import io
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from mobile.core.records import Inspections, Order
from mobile.core.store import Store
from mobile.platform.fonts import FontNotFoundError, find_cjk_font
from shared.uscc import make_uscc

BEIJING = timezone(timedelta(hours=8))

PACKAGE: dict[str, Any] = {
    "visit_id": "V-2024-001",
    "task": {
        "task_no": "T2024-03",
        "name": "2024年危险化学品经营单位专项抽查",
        "window_start": "2024-03-01",
        "window_end": "2024-03-31",
        "unannounced": False,
        "plan_no": "P2024",
    },
    "team": [
        {"cert_no": "13080020001", "name": "张三", "leader": True},
        {"cert_no": "13080020002", "name": "李四", "leader": False},
    ],
    "enterprise": {
        "uscc": make_uscc("91130800MA0A1B2C3"),
        "name": "承德某化工有限公司",
        "industry": "hazchem_trading",
        "street": "西地镇",
        "address": "承德市高新区某路1号",
        "legal_rep": "王五",
        "contact": "赵六",
        "scale": "small",
        "risk_level": "general",
    },
    "history": {"previous_results": [], "open_hazards": []},
    "items": [
        {"code": "WH-01", "name": "安全生产责任制", "sub_item": "", "legal_basis":
         "《安全生产法》第二十二条", "content": "查责任制文件", "method": "documents",
         "category": "key"},
        {"code": "WH-02", "name": "危化品库房通风", "sub_item": "", "legal_basis":
         "《危险化学品安全管理条例》第二十条", "content": "查库房", "method": "on_site",
         "category": "general"},
    ],
    "notice": None,
}  # fmt: skip


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2024, 3, 5, 9, 30, tzinfo=BEIJING)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def make_package(visit_id: str = "V-2024-001", **changes: Any) -> dict[str, Any]:
    pkg = copy.deepcopy(PACKAGE)
    pkg["visit_id"] = visit_id
    pkg.update(changes)
    return pkg


def make_photo(path: Path, size: tuple[int, int] = (640, 480), orientation: int = 1,
               quality: int = 90, exif: Image.Exif | None = None) -> Path:  # fmt: skip
    """A JPEG whose left half is red and right half blue (so rotation is visible)."""
    im = Image.new("RGB", size, (0, 0, 255))
    ImageDraw.Draw(im).rectangle((0, 0, size[0] // 2, size[1]), fill=(255, 0, 0))
    ex = exif or Image.Exif()
    if orientation != 1:
        ex[0x0112] = orientation
    im.save(path, "JPEG", quality=quality, exif=ex.tobytes())
    return path


def make_signature(path: Path) -> Path:
    """A signing-pad PNG; the stroke depends on the file name so each signer differs,
    and no two names give the same file (the server refuses a signature file that
    another enterprise's record already holds, so a pad never repeats itself)."""
    digest = hashlib.sha256(str(path).encode()).digest()
    k = digest[0] % 80
    im = Image.new("RGBA", (300, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(im)
    draw.line((10, 100, 150, 20 + k // 4, 290, 10 + k), fill=(0, 0, 0, 255), width=4)
    for i, b in enumerate(digest[1:17]):  # a faint tremor along the pen's path
        draw.point((20 + i * 16, 108 - b % 6), fill=(0, 0, 0, 255))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    path.write_bytes(buf.getvalue())
    return path


@pytest.fixture
def font() -> tuple[str, int]:
    try:
        spec = find_cjk_font()
    except FontNotFoundError:
        pytest.skip("no CJK font installed")
    return str(spec.path), spec.index


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> Store:
    s = Store(tmp_path / "data", clock=clock)
    s.save_session(
        server_url="http://127.0.0.1:9",
        username="zhangsan",
        token="good-token",
        role="inspector",
        inspector={"cert_no": "13080020001", "name": "张三"},
    )
    s.apply_pull([make_package()], [], "c1")
    yield s
    try:
        s.close()
    except Exception:
        pass


@pytest.fixture
def insp(store: Store, font: tuple[str, int]) -> Inspections:
    return Inspections(store, font=font, locate=lambda: (40.95, 117.96, 8.0))


def fill_record(insp: Inspections, tmp_path: Path, visit_id: str = "V-2024-001",
                photos: int = 1) -> str:  # fmt: skip
    """A record ready to finish: results, a hazard with evidence, three signatures."""
    uuid = insp.start(visit_id)
    insp.set_result(uuid, "WH-01", "compliant")
    insp.set_result(uuid, "WH-02", "不符合", note="库房未设置通风设施")
    hz = insp.add_hazard(
        uuid,
        description="危化品库房未设置机械通风",
        level="一般",
        orders=Order("deadline", deadline=datetime(2024, 3, 20).date()),
        location="2号库房",
        legal_basis="《危险化学品安全管理条例》第二十条",
        item_code="WH-02",
    )
    for n in range(photos):
        p = make_photo(tmp_path / f"{visit_id}-photo{n}.jpg", size=(640 + n, 480))
        insp.add_attachment(uuid, p, item_code="WH-02", hazard_id=hz)
    insp.add_signature(uuid, role="inspector", name="张三", cert_no="13080020001",
                       image=make_signature(tmp_path / "s1.png"))  # fmt: skip
    insp.add_signature(uuid, role="inspector", name="李四", cert_no="13080020002",
                       image=make_signature(tmp_path / "s2.png"))  # fmt: skip
    insp.add_signature(uuid, role="enterprise", name="王五",
                       image=make_signature(tmp_path / "s3.png"))  # fmt: skip
    return uuid


# -- the sync engine against the fake server on loopback (test_sync*.py) ----------


@pytest.fixture
def fake():
    from .fake_server import FakeServer

    return FakeServer(packages=[make_package("V-9")])


@pytest.fixture
def url(fake):
    from .fake_server import serve

    httpd, base = serve(fake)
    yield base
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def h(store: Store, url: str):
    from .sync_harness import Harness

    return Harness(store, url)
