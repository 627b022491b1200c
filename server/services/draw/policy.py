"""A task's draw policy: the rules stored on ``Task.rules`` and their defaults.

``Task.rules`` holds three kinds of keys, split here before the pure draw
sees them (``shared.draw`` refuses keys it does not know):

* the draw rules of ``shared.draw.snapshot.DEFAULT_RULES`` (composition,
  field matching, recusal switches, yearly cap …), with the bureau's defaults
  below where they differ from the pure library's;
* task parameters recorded in the snapshot's task: ``general_items``,
  ``experts_required``, ``experts_per_visit``;
* ``joint_group``: tasks of one plan with the same group are 联合检查 – one
  visit per enterprise (一业一查), and they do not exclude each other.
"""

from __future__ import annotations

from typing import Any

from shared.draw.snapshot import DEFAULT_RULES, canonical_rules, canonical_task

# 石家庄: 精准匹配 of 执法领域.  No composition by default: a county whose
# officers all belong to a 属地 (no 一级库) must be able to draw.  The 龙岗
# composition – one officer of the enterprise's street pool, one of the bureau
# pool – is a switch (LONGGANG_COMPOSITION).  Recusal switches and the yearly
# cap stay off unless the plan turns them on.
SERVER_DEFAULTS: dict[str, Any] = {
    "composition": {"street_pool": 0, "bureau_pool": 0},
    "field_match": True,
}
LONGGANG_COMPOSITION = {"street_pool": 1, "bureau_pool": 1}


def composition(longgang: bool) -> dict[str, int]:
    """The 龙岗 composition when switched on, else the default (none required)."""
    return dict(LONGGANG_COMPOSITION if longgang else SERVER_DEFAULTS["composition"])

# How specialties are usually written in expert registries, and the industries
# each covers.  The bureau edits this (SpecialtyMapping rows override it); the
# map in force is recorded in every snapshot.
_HAZCHEM = ["hazchem_production", "hazchem_trading"]
_MINES = ["coal_mine", "non_coal_mine"]
DEFAULT_SPECIALTY_MAP: dict[str, list[str]] = {
    # mines
    "煤矿安全": ["coal_mine", "coal_washing"],
    "煤矿": ["coal_mine", "coal_washing"],
    "煤矿开采": ["coal_mine"],
    "矿山安全": _MINES,
    "矿山": _MINES,
    "非煤矿山安全": ["non_coal_mine"],
    "非煤矿山": ["non_coal_mine"],
    "采矿工程": _MINES,
    "采矿": _MINES,
    "矿山地质": _MINES,
    "地质工程": _MINES,
    "矿井通风": _MINES,
    "通风安全": _MINES,
    "矿山机电": _MINES,
    "尾矿库": ["non_coal_mine"],
    "选煤工程": ["coal_washing"],
    "选煤": ["coal_washing"],
    "洗选煤": ["coal_washing"],
    # hazardous chemicals
    "化工安全": _HAZCHEM,
    "化工工艺": _HAZCHEM,
    "化工": _HAZCHEM,
    "化学工程": _HAZCHEM,
    "化学工程与工艺": _HAZCHEM,
    "化工设备": _HAZCHEM,
    "化工机械": _HAZCHEM,
    "危险化学品安全": _HAZCHEM,
    "危险化学品": _HAZCHEM,
    "危化品安全": _HAZCHEM,
    "危化品": _HAZCHEM,
    # fireworks
    "烟花爆竹安全": ["fireworks"],
    "烟花爆竹": ["fireworks"],
    # metallurgy and industry/trade
    "冶金安全": ["metallurgy"],
    "冶金": ["metallurgy"],
    "冶金工程": ["metallurgy"],
    "粉尘防爆": ["industry_trade", "metallurgy"],
    "工贸安全": ["industry_trade"],
    "工贸": ["industry_trade"],
    "机械安全": ["industry_trade"],
    "电气安全": ["industry_trade", "metallurgy"],
    "有限空间": ["industry_trade"],
    "涉氨制冷": ["industry_trade"],
}
TASK_PARAMS: dict[str, Any] = {"general_items": 3, "experts_required": False,
                               "experts_per_visit": 1}
JOINT_KEY = "joint_group"


def split_rules(rules: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any], str | None]:
    """``(draw rules with defaults, task parameters, joint group)``."""
    rest = dict(rules or {})
    joint = rest.pop(JOINT_KEY, None) or None
    params = {k: rest.pop(k) for k in list(rest) if k in TASK_PARAMS}
    return {**SERVER_DEFAULTS, **rest}, params, joint


def effective_rules(rules: dict[str, Any] | None) -> dict[str, Any]:
    """Every rule with the value a draw would use (for the API and the console)."""
    if (rules or {}).get("reinspection_of"):
        # A 复查 companion task (services/followup.py) is assigned, never drawn: its
        # "rules" only name the original task. (GET /api/v1/tasks answered 500.)
        return dict(rules)
    draw_rules, params, joint = split_rules(rules)
    return {**canonical_rules(draw_rules), **TASK_PARAMS, **params, JOINT_KEY: joint}


def check_rules(rules: dict[str, Any] | None, team_size: int) -> dict[str, Any]:
    """Validate *rules* as stored (only the keys given); ``ValueError`` in Chinese."""
    rules = dict(rules or {})
    unknown = set(rules) - set(DEFAULT_RULES) - set(TASK_PARAMS) - {JOINT_KEY}
    if unknown:
        raise ValueError(f"未知的抽取规则：{'、'.join(sorted(unknown))}")
    draw_rules, params, joint = split_rules(rules)
    norm = canonical_rules(draw_rules)
    comp = norm["composition"]
    if comp["street_pool"] + comp["bureau_pool"] > team_size:
        raise ValueError(f"组队规则要求街道二级库{comp['street_pool']}人、局一级库"
                         f"{comp['bureau_pool']}人，超过每户检查人数{team_size}人")
    # canonical_task checks the task parameters' types and ranges.
    canonical_task({"task_no": "x", "ratio": "1", "window_start": "2000-01-01",
                    "window_end": "2000-01-01", **params})
    if joint is not None and (not isinstance(joint, str) or len(joint) > 64):
        raise ValueError("联合检查组应为不超过64字的文字")
    return rules


def set_rules(task_no: str, changes: dict[str, Any], actor: str, reason: str | None) -> Any:
    """Change some of a task's rules (console, API); the reason is required and
    logged with the plan's change log and the audit log.  A frozen draw keeps
    the rules of its snapshot."""
    from ..plans import PlanError, get_task, update_task

    if not (reason or "").strip():
        raise PlanError(422, "修改抽取规则必须说明理由")
    task = get_task(task_no)
    rules = {**(task.rules or {}), **changes}
    for key in [k for k, v in changes.items() if v is None]:
        rules.pop(key, None)  # back to the default
    try:
        check_rules(rules, task.team_size)
    except ValueError as exc:
        raise PlanError(422, str(exc)) from None
    return update_task(task, {"rules": rules}, actor, reason.strip())


def set_specialty(word: str, industries: list[str], actor: str) -> None:
    """How the bureau reads the written specialty *word* (empty: not at all)."""
    from shared.enums import Industry

    from ...extensions import db
    from ...models import SpecialtyMapping
    from ..plans import PlanError

    word = (word or "").strip()
    if not word or len(word) > 64:
        raise PlanError(422, "专业名称不能为空，且不超过64字")
    try:
        codes = sorted({Industry.parse(i).value for i in industries})
    except ValueError as exc:
        raise PlanError(422, str(exc)) from None
    row = db.session.get(SpecialtyMapping, word) or SpecialtyMapping(word=word)
    row.industries, row.updated_by = codes, actor
    db.session.add(row)
    db.session.commit()
