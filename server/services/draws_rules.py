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

# 龙岗: one officer from the enterprise's street pool, one from the bureau pool;
# 石家庄: 精准匹配 of 执法领域.  Recusal switches and the yearly cap stay off
# unless the plan turns them on.
SERVER_DEFAULTS: dict[str, Any] = {
    "composition": {"street_pool": 1, "bureau_pool": 1},
    "field_match": True,
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
