"""Factories for draw tests: small valid registries with real USCC check characters."""

from __future__ import annotations

from typing import Any

from shared.draw import DrawContext, build_pool, build_snapshot
from shared.enums import Industry
from shared.uscc import make_uscc

STREETS = ("城关镇", "丹朱镇", "鲍店镇")
ALL_INDUSTRIES = [m.value for m in Industry]
SEED = bytes(range(32))
PSEUDONYM_SECRET = bytes(range(100, 132))
# A freeze promising a local value (tests only: it vouches for nothing) and
# a lottery freeze; records/2 need one.
LOCAL_FREEZE = {"frozen_at": "2024-03-01T08:00:00", "beacon": {"source": "local"}}
LOTTERY_FREEZE = {"frozen_at": "2024-03-01T08:00:00", "beacon": {
    "source": "lottery", "id": "fc3d", "name": "福彩3D", "draw_no": "2024060",
    "draw_time": "2024-03-02T12:15:00"}}


def local_beacon(randomness: bytes) -> dict[str, str]:
    return {"source": "local", "randomness": randomness.hex()}


def uscc(i: int) -> str:
    return make_uscc(f"91140431{i:09d}")


def enterprise(i: int, industry: str = "industry_trade", **extra: Any) -> dict[str, Any]:
    row = {
        "uscc": uscc(i), "name": f"长子县测试企业{i}号", "industry": industry,
        "street": STREETS[i % len(STREETS)], "affiliation": "县属", "scale": "small",
        "risk_level": "general", "credit_class": "ABCD"[i % 4], "blacklisted": False,
        "major_hazard": False, "special_ops": [], "needs_expert": False,
        "registries": ["一级库"], "status": "active",
    }
    row.update(extra)
    return row


def inspector(i: int, street: str = "", fields: list[str] | None = None,
              **extra: Any) -> dict[str, Any]:
    row = {
        "cert_no": f"14043100{i:04d}", "name": f"执法员{i}", "cert_expiry": "2030-12-31",
        "department": "执法监察科", "street": street,
        "fields": ALL_INDUSTRIES if fields is None else fields,
        "duty": "在岗", "auxiliary": False, "conflicts": [],
    }
    row.update(extra)
    return row


def inspectors(n: int = 8) -> list[dict[str, Any]]:
    """Half bureau officers, half spread over the streets; all fields."""
    return [inspector(i, "" if i % 2 == 0 else STREETS[(i // 2) % len(STREETS)])
            for i in range(n)]


def expert(i: int, specialties: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    row = {"id": f"E{i:03d}", "name": f"专家{i}", "org": "某设计院",
           "specialties": ALL_INDUSTRIES if specialties is None else specialties,
           "conflicts": []}
    row.update(extra)
    return row


def items() -> list[dict[str, Any]]:
    """Per industry: one 重点 and three 一般 items; plus two items for every industry."""
    out = [{"no": "SC-000", "name": "安全生产责任制", "category": "重点", "industries": []},
           {"no": "SC-001", "name": "教育培训", "category": "一般", "industries": []}]
    for k, ind in enumerate(ALL_INDUSTRIES):
        out.append({"no": f"SC-{k + 1:02d}0", "name": f"{ind}重点", "category": "重点",
                    "industries": [ind]})
        for j in range(1, 4):
            out.append({"no": f"SC-{k + 1:02d}{j}", "name": f"{ind}一般{j}",
                        "category": "一般", "industries": [ind]})
    return out


def task(**extra: Any) -> dict[str, Any]:
    row = {"task_no": "CZ-2024-01", "plan_no": "CZ-2024", "draw_type": "不定向",
           "scope": "", "ratio": "20%", "window_start": "2024-04-01",
           "window_end": "2024-06-30", "team_size": 2, "general_items": 2}
    row.update(extra)
    return row


def snapshot(rows: list[dict[str, Any]], task_: dict[str, Any], rules: dict[str, Any] | None = None,
             officers: list[dict[str, Any]] | None = None,
             experts: list[dict[str, Any]] | None = None,
             item_list: list[dict[str, Any]] | None = None,
             context: DrawContext | None = None) -> dict[str, Any]:
    eligible, excluded = build_pool(rows, task_, rules or {}, context)
    return build_snapshot(task_, rules, eligible, excluded,
                          inspectors() if officers is None else officers,
                          [expert(i) for i in range(3)] if experts is None else experts,
                          items() if item_list is None else item_list, "2024版",
                          pseudonym_secret=PSEUDONYM_SECRET)
