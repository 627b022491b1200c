"""A realistic county bureau for `make run`: registries, item list, users.

The registries are generated as CSV with the Chinese headers and loaded through
the normal importer, so the demo data passes the same validation as a bureau's
own spreadsheets.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

import sqlalchemy as sa

from shared.enums import Role
from shared.uscc import ALPHABET, make_uscc

from ..extensions import db
from ..models import Enterprise, User
from .accounts import create_user
from .registry_io import SPECS, import_registry

STREETS = ["丹朱镇", "鲍店镇", "石哲镇", "大堡头镇", "慈林镇", "色头镇", "南漳镇", "宋村镇"]
DEMO_PASSWORD = "suicha2024"

# industry label → (count, name stems, name suffix)
_INDUSTRIES = [
    ("煤矿", 8, ["东方", "兴旺", "宏达", "瑞丰", "金鼎", "华晋", "鑫源", "永安"], "煤业有限公司"),
    ("洗选煤", 20, ["丰源", "晋能", "兴盛", "恒通", "顺达", "华阳", "广源", "汇丰", "德盛",
                  "通达"], "洗煤有限公司"),
    ("危险化学品生产", 6, ["天脊", "潞宝", "三维", "兴化", "金源", "华润"], "化工有限公司"),
    ("危险化学品经营", 30, ["中石化", "中石油", "延长", "壳牌", "金盾", "安顺", "瑞通",
                     "隆达", "宏业", "鼎盛"], "加油站"),
    ("冶金", 10, ["长钢", "宏昌", "荣达", "福达", "鑫海"], "冶金有限公司"),
    ("工贸", 50, ["华美", "康达", "金秋", "博远", "东升", "永兴", "昌盛", "利民", "宏图",
                "锦程", "明珠", "嘉禾"], "实业有限公司"),
    ("非煤矿山", 8, ["太行", "漳河", "发鸠山", "神农", "羊头山"], "石料厂"),
    ("烟花爆竹", 6, ["红星", "吉祥", "平安"], "烟花爆竹经营部"),
    ("安全评价检测机构", 4, ["晋安", "正信"], "安全评价有限公司"),
    ("培训机构", 4, ["安泰", "育才"], "安全培训学校"),
]
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华文辉志强晓东海波红梅"
_SPECIAL = ["涉氨制冷", "有限空间", "粉尘涉爆", "动火作业", "高处作业"]


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _csv(kind: str, rows: list[dict]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([c.header for c in SPECS[kind].columns])
    for row in rows:
        writer.writerow([row.get(c.header, "") for c in SPECS[kind].columns])
    return buf.getvalue().encode()


def enterprise_rows(rng: random.Random) -> list[dict]:
    rows, used = [], set()
    for label, count, stems, suffix in _INDUSTRIES:
        for i in range(count):
            street = rng.choice(STREETS)
            stem = stems[i % len(stems)]
            name = f"长子县{street[:-1]}{stem}{suffix}" + (f"（{i // len(stems) + 1}号）"
                                                          if i >= len(stems) else "")
            while True:
                body = "91140428" + "".join(rng.choice(ALPHABET) for _ in range(9))
                if body not in used:
                    used.add(body)
                    break
            risky = label in ("煤矿", "危险化学品生产", "非煤矿山", "烟花爆竹")
            credit = rng.choices("ABCD", weights=(50, 30, 15, 5))[0]
            special = rng.sample(_SPECIAL, rng.choice((0, 0, 1, 2))) if label in (
                "工贸", "冶金", "危险化学品生产") else []
            rows.append({
                "单位名称": name, "统一社会信用代码": make_uscc(body), "行业领域": label,
                "属地": street, "隶属关系": rng.choice(["县属", "市属", "省属", "民营"]),
                "地址": f"长治市长子县{street}{rng.choice(['东', '西', '南', '北'])}街"
                       f"{rng.randint(1, 300)}号",
                "法定代表人": _name(rng), "联系人": _name(rng),
                "联系电话": f"13{rng.randint(100000000, 999999999)}",
                "规模": rng.choice("大中小微" if not risky else "大中中小"),
                "安全风险等级": rng.choices(["重大", "较大", "一般", "低"],
                                      weights=(2, 5, 10, 8) if risky else (0, 2, 8, 15))[0],
                "信用风险分类": credit,
                "安全生产许可证号": (f"（晋）MK安许证字〔2023〕{rng.randint(100, 999)}"
                              if risky else ""),
                "许可证有效期": (date(2027, 1, 1) + timedelta(days=rng.randint(0, 900))
                            ).isoformat() if risky else "",
                "黑名单": "是" if credit == "D" and rng.random() < 0.3 else "否",
                "重大事故隐患": "是" if rng.random() < 0.04 else "否",
                "特殊作业": "、".join(special),
                "需配专家": "是" if risky and rng.random() < 0.4 else "否",
                "上次检查日期": (date(2025, 1, 1) + timedelta(days=rng.randint(0, 600))
                            ).isoformat() if rng.random() < 0.7 else "",
                "所属名录库": "、".join([f"{label}二级库", f"{street}二级库"]),
                "经营状态": rng.choices(["正常", "停产"], weights=(95, 5))[0],
            })
    return rows


def inspector_rows(rng: random.Random) -> list[dict]:
    groups = [
        ("执法监察科", "煤矿、洗选煤、非煤矿山"),
        ("危化品监管股", "危险化学品生产、危险化学品经营、烟花爆竹"),
        ("工贸监管股", "工贸、冶金、安全评价检测机构、培训机构"),
    ]
    rows = []
    for i in range(22):
        dept, fields = groups[i % 3]
        street = "" if i < 8 else STREETS[i % len(STREETS)]
        rows.append({
            "姓名": _name(rng), "执法证号": f"14042800{i + 1:03d}",
            "证件有效期": date(2027 + i % 3, 6, 30).isoformat() if i != 21 else "2026-03-31",
            "所属科室": dept, "属地": street,
            "执法领域": fields + ("、工贸" if i % 4 == 0 and "工贸" not in fields else ""),
            "是否专家": "是" if i % 7 == 0 else "否",
            "在岗状态": "休假" if i == 20 else "在岗", "回避单位": "",
        })
    return rows


def expert_rows(rng: random.Random) -> list[dict]:
    # Written as expert registries write them; each maps to industries through the
    # default 专家专业对照表 (draw/policy.py), so every industry the demo flags
    # 需配专家 (煤矿, 非煤矿山, 危化生产, 烟花爆竹) has an expert to draw.
    specs = ["煤矿安全", "化工工艺", "机械安全", "电气安全", "矿山地质", "粉尘防爆",
             "烟花爆竹安全", "危险化学品安全"]
    return [{"姓名": _name(rng), "专业": specs[i % len(specs)],
             "单位": ["太原理工大学", "山西省安全科学研究院", "长治学院", "中国煤科"][i % 4],
             "联系电话": f"139{rng.randint(10000000, 99999999)}", "回避单位": ""}
            for i in range(8)]


def load_demo(seed: int = 2026) -> dict[str, int]:
    """Load the demo bureau if the database has no enterprises. Returns counts.

    All or nothing (services/demo_atomic.py): one transaction, files staged, so
    a failure leaves an empty database and no files, and the next run loads the
    whole demo.
    """
    from .demo_atomic import all_or_nothing

    with all_or_nothing():
        if db.session.execute(sa.select(Enterprise.id).limit(1)).first():
            return {}
        return _load(seed)


def _load(seed: int) -> dict[str, int]:
    from .demo_items import item_rows

    rng = random.Random(seed)
    counts = {}
    for kind, rows in (("enterprises", enterprise_rows(rng)), ("inspectors", inspector_rows(rng)),
                       ("experts", expert_rows(rng)), ("items", item_rows())):
        result = import_registry(kind, _csv(kind, rows), f"demo-{kind}.csv", "demo")
        counts[kind] = result.created
    for username, role, cert, name in DEMO_USERS:
        if not db.session.execute(sa.select(User.id).filter_by(username=username)).first():
            create_user(username, role, DEMO_PASSWORD, inspector_cert=cert, display_name=name)
    counts["users"] = len(DEMO_USERS)
    from .demo_cases import load_demo_cases  # late: it builds on the draw and case services

    counts["archived_case"] = load_demo_cases()
    return counts


def describe(counts: dict[str, int]) -> str:
    """What a load brought, as a person reads it."""
    return (f"企业{counts['enterprises']}家、执法检查人员{counts['inspectors']}名、"
            f"专家{counts['experts']}名、检查事项{counts['items']}项、账号{counts['users']}个"
            + ("、已归档示范案件1件" if counts.get("archived_case") else ""))


# (login, role, 执法证号, 姓名). Staff accounts carry a real name: documents print it
# as 承办人 / 操作人 / 审核人. An inspector's name is the registry's (None here).
DEMO_USERS = [
    ("admin", Role.ADMIN.value, None, "郝建军"),
    ("dispatcher", Role.DISPATCHER.value, None, "秦晓梅"),
    ("archivist", Role.ARCHIVIST.value, None, "段玉兰"),
    ("reviewer", Role.REVIEWER.value, None, "牛振华"),
    # 监督: the county 司法局's read-only account that verifies draw records.
    ("auditor", Role.AUDITOR.value, None, "卫志刚"),
    ("inspector1", Role.INSPECTOR.value, "14042800001", None),
    ("inspector2", Role.INSPECTOR.value, "14042800002", None),
    ("inspector3", Role.INSPECTOR.value, "14042800009", None),
    ("inspector4", Role.INSPECTOR.value, "14042800010", None),
]
