"""Sample document data shared by the document and dossier tests."""

from __future__ import annotations

import math
from datetime import date, datetime
from io import BytesIO
from typing import Any

from PIL import Image, ImageDraw

from server.documents import document_number

BUREAU = "承德市应急管理局"


def signature_png(seed: int = 1) -> bytes:
    """A scribble that looks enough like a handwritten signature."""
    img = Image.new("RGBA", (360, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    points = [
        (20 + x * 3.2, 60 + 35 * math.sin(x / (4 + seed)) * math.cos(x / 13)) for x in range(100)
    ]
    draw.line(points, fill=(10, 20, 120, 255), width=5)
    buf = BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def enterprise() -> dict[str, Any]:
    return {
        "name": "承德市双桥区示例化工有限公司",
        "uscc": "91130802MA0A1B2C3D",
        "address": "河北省承德市双桥区工业园区8号",
        "legal_rep": "王建国",
        "contact": "李安全",
        "phone": "0314-1234567",
    }


OFFICERS = [
    {"name": "张明", "cert_no": "13080120001"},
    {"name": "刘芳", "cert_no": "13080120017"},
]


def signatures(on: date) -> list[dict[str, Any]]:
    return [
        {"role": "执法人员", "name": "张明", "image_png": signature_png(1), "signed_on": on},
        {"role": "执法人员", "name": "刘芳", "image_png": signature_png(2), "signed_on": on},
        {"role": "被检查单位负责人", "name": "王建国", "image_png": signature_png(3)},
    ]


HAZARDS = [
    {
        "description": "液氨储罐区可燃气体报警装置未定期检测，部分探头失效",
        "location": "液氨储罐区",
        "level": "一般",
        "legal_basis": "《中华人民共和国安全生产法》第三十六条第二款",
        "measure": "责令限期整改",
    },
    {
        "description": "有限空间作业未执行“先通风、再检测、后作业”，无审批记录",
        "location": "污水处理池",
        "level": "重大",
        "legal_basis": "《工贸企业有限空间作业安全规定》第十四条",
        "measure": "现场处理措施",
    },
]

# Rendered at a fixed time so that samples give the same bytes every time.
COMMON: dict[str, Any] = {"bureau_name": BUREAU, "officers": OFFICERS,
                          "created_at": "2024-03-12T09:30:00+08:00"}


def notice() -> dict[str, Any]:
    return {
        **COMMON,
        "number": document_number("承", "notice", 2024, 3),
        "issued_on": "2024-03-01",
        "enterprise": enterprise(),
        "task_name": "2024年危险化学品企业双随机抽查",
        "window_start": "2024-03-11",
        "window_end": "2024-03-15",
        "items": ["安全生产责任制落实情况", "重大危险源管理情况", "特殊作业管理情况"],
        "materials": ["安全生产责任制文件", "重大危险源备案材料", "特殊作业票证"],
        "contact_person": "执法监察科",
        "contact_phone": "0314-2000000",
        "signatures": [],
    }


def inspection_record() -> dict[str, Any]:
    return {
        **COMMON,
        "number": document_number("承", "inspection_record", 2024, 12),
        "issued_on": date(2024, 3, 12),
        "enterprise": enterprise(),
        "place": "生产车间、液氨储罐区、污水处理池",
        "started_at": datetime(2024, 3, 12, 9, 30),
        "ended_at": datetime(2024, 3, 12, 11, 5),
        "items": [
            {
                "name": "安全生产责任制落实情况",
                "result": "符合",
                "basis": "《中华人民共和国安全生产法》第二十二条",
            },
            {"name": "重大危险源管理情况", "result": "不符合", "note": "报警探头失效"},
            {"name": "特殊作业管理情况", "result": "不符合", "note": "无审批记录"},
            {"name": "粉尘防爆", "result": "不适用"},
        ],
        "findings": "企业主要负责人在场，提供了安全生产责任制文件和重大危险源备案材料。",
        "hazards": HAZARDS,
        "signatures": signatures(date(2024, 3, 12)),
    }


def rectification_order() -> dict[str, Any]:
    return {
        **COMMON,
        "number": document_number("承", "rectification_order", 2024, 7),
        "issued_on": date(2024, 3, 12),
        "enterprise": enterprise(),
        "inspected_on": date(2024, 3, 12),
        "hazards": HAZARDS[:1],
        "deadline": date(2024, 4, 12),
        "review_authority": "承德市人民政府",
        "court": "承德市双桥区人民法院",
        "record_number": document_number("承", "inspection_record", 2024, 12),
        "signatures": signatures(date(2024, 3, 12)),
    }


def onsite_measures() -> dict[str, Any]:
    return {
        **COMMON,
        "number": document_number("承", "onsite_measures", 2024, 2),
        "issued_on": date(2024, 3, 12),
        "enterprise": enterprise(),
        "inspected_on": date(2024, 3, 12),
        "hazards": HAZARDS[1:],
        "measures": (
            "责令污水处理池有限空间作业立即停止，撤出作业人员，整改验收合格前不得恢复作业。"
        ),
        "review_authority": "承德市人民政府",
        "court": "承德市双桥区人民法院",
        "signatures": signatures(date(2024, 3, 12)),
    }


def reinspection_opinion() -> dict[str, Any]:
    return {
        **COMMON,
        "number": document_number("承", "reinspection_opinion", 2024, 5),
        "issued_on": date(2024, 4, 15),
        "enterprise": enterprise(),
        "order_number": document_number("承", "rectification_order", 2024, 7),
        "order_date": date(2024, 3, 12),
        "reinspected_on": date(2024, 4, 15),
        "results": [
            {"hazard": HAZARDS[0]["description"], "rectified": True, "note": "探头已更换并检测"},
        ],
        "signatures": signatures(date(2024, 4, 15)),
    }
