"""A realistic case for the dossier tests and benchmark: documents and photos."""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, date, datetime
from io import BytesIO
from typing import Any

from PIL import Image, ImageDraw

from server import documents as d
from server.documents.layout import build_pdf, header, para
from tests.server.documents import samples


def synthetic_jpeg(index: int, size: int = 1024, quality: int = 85) -> bytes:
    """A photo-like JPEG: gradient, shapes and noise, different for each index."""
    rnd = random.Random(index)
    w, h = size, size * 3 // 4
    img = Image.linear_gradient("L").resize((w, h)).convert("RGB")
    tint = Image.new("RGB", (w, h), (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    img = Image.blend(img, tint, 0.5)
    draw = ImageDraw.Draw(img)
    for _ in range(40):
        x, y = rnd.randrange(w), rnd.randrange(h)
        r = rnd.randrange(10, w // 6)
        colour = (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
        draw.ellipse((x - r, y - r, x + r, y + r), outline=colour, width=rnd.randrange(2, 9))
    noise = Image.effect_noise((w, h), 40).convert("RGB")
    img = Image.blend(img, noise, 0.15)
    buf = BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def simple_pdf(title: str, number: str, body: str) -> bytes:
    """A document the system does not render itself (draw record, closing form)."""
    story = header(samples.BUREAU, title, number) + [para(body)]
    return build_pdf(story, title=title, footer_label=number,
                     created=datetime(2024, 4, 16, 8, 0, tzinfo=UTC))


def case_data() -> dict[str, Any]:
    return {
        "case_name": "承德市双桥区示例化工有限公司安全生产监督检查",
        "cause": "“双随机、一公开”抽查发现事故隐患",
        "result": "责令限期整改、现场处理措施；复查合格，予以销号",
        "opened_on": date(2024, 3, 12),
        "closed_on": date(2024, 4, 16),
        "handlers": ["张明", "刘芳"],
        "archive_no": "承应急档〔2024〕检-0012",
        "retention": "30年",
        "bureau_name": samples.BUREAU,
        "enterprise_name": samples.enterprise()["name"],
    }


def documents() -> list[tuple[str, str, date, bytes, str]]:
    """All the case's documents, deliberately NOT in legal order."""
    notice = samples.notice()
    record = samples.inspection_record()
    order = samples.rectification_order()
    measures = samples.onsite_measures()
    review = samples.reinspection_opinion()
    return [
        ("整改复查意见书", review["number"], date(2024, 4, 15),
         d.render_reinspection_opinion(review), ""),
        ("结案审批表", "", date(2024, 4, 16),
         simple_pdf("结案审批表", "", "隐患已整改完毕，经复查合格，同意结案。"), ""),
        ("现场检查记录", record["number"], date(2024, 3, 12),
         d.render_inspection_record(record), "含签名"),
        ("责令限期整改指令书", order["number"], date(2024, 3, 12),
         d.render_rectification_order(order), ""),
        ("随机抽查通知书", notice["number"], date(2024, 3, 1), d.render_notice(notice), ""),
        ("现场处理措施决定书", measures["number"], date(2024, 3, 12),
         d.render_onsite_measures(measures), ""),
        ("随机抽取记录", "DRAW-2024-0007", date(2024, 2, 26),
         simple_pdf("随机抽取记录", "DRAW-2024-0007",
                    "抽取种子：7c1e…；算法版本：1；抽中单位：示例化工有限公司。"), "摇号"),
    ]  # fmt: skip


def photos(n: int, size: int = 1024) -> list[tuple[str, bytes, str]]:
    out = []
    for i in range(n):
        jpeg = synthetic_jpeg(i, size)
        # In the system the shown copy carries a burned-in caption and the
        # hash is of the untouched original; here the two are the same file.
        out.append(
            (f"液氨储罐区现场照片{i + 1}：报警探头位置", jpeg, hashlib.sha256(jpeg).hexdigest())
        )
    return out
