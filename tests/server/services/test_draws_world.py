"""A small registry, item list and published plan for draw tests (call inside an app context)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from server.extensions import db
from server.models import CheckItem, Enterprise, Inspector, ItemListVersion, Plan, Task
from tests.server.factories import make_enterprise, make_inspector

INDUSTRIES = ["industry_trade", "coal_mine", "hazchem_trading"]
STREETS = ("丹朱镇", "鲍店镇")


@dataclass
class World:
    plan: Plan
    enterprises: list[Enterprise]
    bureau: list[Inspector]
    street: dict[str, list[Inspector]] = field(default_factory=dict)


def make_items() -> ItemListVersion:
    number = (db.session.scalar(db.select(db.func.max(ItemListVersion.number))) or 0) + 1
    version = ItemListVersion(number=number, note="测试清单")
    for k, ind in enumerate(INDUSTRIES):
        version.items.append(CheckItem(code=f"X{k}0", name=f"{ind}重点",
                                       legal_basis="《安全生产法》", industries=[ind],
                                       category="key"))
        for j in range(1, 4):
            version.items.append(CheckItem(code=f"X{k}{j}", name=f"{ind}一般{j}",
                                           legal_basis="《安全生产法》", industries=[ind],
                                           category="general"))
    db.session.add(version)
    db.session.commit()
    return version


def make_task(plan: Plan, task_no: str, *, ratio: str = "20%",
              scope: str = "行业领域=工贸", **extra) -> Task:
    values = dict(task_no=task_no, plan=plan, name=f"任务{task_no}", draw_type="directed",
                  ratio=ratio, target_filter=scope, window_start=date(2024, 4, 1),
                  window_end=date(2024, 6, 30), team_size=2, rules={})
    values.update(extra)
    task = Task(**values)
    db.session.add(task)
    db.session.commit()
    return task


def make_world(n: int = 20, *, plan_no: str = "P-2024", status: str = "published") -> World:
    """*n* 工贸 enterprises over two towns; 3 bureau officers and 2 per town (all fields)."""
    make_items()
    enterprises = [make_enterprise(industry="industry_trade", street=STREETS[i % 2],
                                   credit_class="ABCD"[i % 4]) for i in range(n)]
    bureau = [make_inspector(street=None, fields=INDUSTRIES) for _ in range(3)]
    street = {s: [make_inspector(street=s, fields=INDUSTRIES) for _ in range(2)] for s in STREETS}
    plan = Plan(plan_no=plan_no, name="2024年度双随机抽查计划", year=2024, status=status,
                change_log=[])
    db.session.add(plan)
    db.session.commit()
    return World(plan, enterprises, bureau, street)


def test_world_is_consistent(ctx):
    world = make_world(8)
    assert len(world.enterprises) == 8 and len(world.bureau) == 3
    assert {e.street for e in world.enterprises} == set(STREETS)
