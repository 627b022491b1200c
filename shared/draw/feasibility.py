"""The freeze check: can every eligible enterprise be drawn without breaking a rule?

A draw picks enterprises at random, so before any randomness exists (at the
freeze) every *eligible* enterprise must be one the draw could staff: a valid
team (and leader), the experts it needs, and at least one check item.  Team
and expert picks only ever choose among valid candidates (load balancing
orders them, never excludes), so a pick fails exactly when too few valid
candidates exist – which depends on the enterprise alone, not on which other
enterprises are drawn or in what order.  So this check is exact: when it
finds nothing, :func:`shared.draw.engine.run_draw` cannot fail on a rule,
whatever the beacon; when it lists an enterprise, drawing that enterprise
would fail.

Enterprises without a personal recusal (conflict, previous inspection) are
checked once per (industry, 属地, needs-expert) group – a million-row pool has
a few hundred groups.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping
from typing import Any

from shared.draw.errors import DrawError
from shared.draw.items import ItemPicker, industry_label
from shared.draw.parse import WHOLE_POOL, ceil_ratio, parse_ratio
from shared.draw.teams import TeamBuilder


def _problem(err: DrawError) -> dict[str, Any]:
    return {"uscc": err.uscc, "name": err.name, "rule": err.rule or "", "message": err.message}


def _strata_problems(snapshot: Mapping[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """Enterprises no ratio covers, and how many enterprises the draw selects."""
    ratio = parse_ratio(snapshot["task"]["ratio"])
    uscc, name, credit = snapshot["enterprises"]["values"][:3]
    if WHOLE_POOL in ratio:
        if len(ratio) != 1:
            return [{"uscc": None, "name": None, "rule": "抽查比例",
                     "message": "抽查比例不能同时设定统一比例和分类比例（规则：抽查比例）"}], 0
        return [], ceil_ratio(ratio[WHOLE_POOL], len(uscc))
    counts = Counter(credit)
    problems = []
    missing = set(counts) - set(ratio)
    for i in (i for i, cls in enumerate(credit) if cls in missing) if missing else ():
        cls = credit[i]
        why = ("缺少信用风险分类，无法按分类比例抽取" if cls == ""
               else f"信用风险分类为{cls}，但未设定该类抽查比例（任何类别不得豁免）")
        problems.append({"uscc": uscc[i], "name": name[i],
                         "rule": "信用风险分类" if cls == "" else "抽查比例",
                         "message": f"检查对象{uscc[i]}（{name[i]}）{why}"})
    selected = sum(ceil_ratio(r, counts.get(cls, 0)) for cls, r in ratio.items())
    return problems, selected


def _why_nobody(snapshot: Mapping[str, Any]) -> str:
    """Why a draw would select no one, in the office's words (a second round
    after a first that took the whole scope is the usual case)."""
    eligible = len(snapshot["enterprises"]["values"][0])
    if eligible:
        return f"可抽取对象{eligible}户，但抽查比例为0"
    reasons = Counter(e["reason"] for e in snapshot["excluded"])
    if not reasons:
        return "抽查对象范围内没有检查对象，请检查抽查对象范围"
    listed = "；".join(f"{why}：{n}户" for why, n in reasons.most_common())
    return f"抽查对象范围内的{sum(reasons.values())}户均被排除（{listed}）"


def check_feasible(snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every rule the draw of *snapshot* could break, as
    ``{"uscc", "name", "rule", "message"}`` (``uscc`` None for the task as a
    whole), in USCC order; an empty list means the draw cannot fail on a rule.
    An industry no item applies to is one problem with its ``industry`` code,
    standing for every enterprise of it.
    """
    task = snapshot["task"]
    try:
        staff = TeamBuilder(snapshot)
    except DrawError as exc:
        return [_problem(exc)]
    problems, selected = _strata_problems(snapshot)
    if selected == 0:
        problems.insert(0, {"uscc": None, "name": None, "rule": "抽查比例",
                            "message": "按抽查对象范围和抽查比例，本次不会抽中任何检查对象："
                                       + _why_nobody(snapshot)})
    uscc, name, _credit, industry, street, needs_expert = snapshot["enterprises"]["values"]
    picker = ItemPicker(snapshot)
    always = task["experts_required"]
    per_visit = task["experts_per_visit"]
    personal = set(staff.barred) | set(staff.expert_conflicts)

    # An industry no item applies to is one problem for the task, not one per
    # enterprise of it (a county's 工贸 enterprises are hundreds of lines).
    # Counted once per industry (a C-level pass), asked once per industry.
    bare = {ind: n for ind, n in Counter(industry).items() if not picker.applies(ind)}
    for ind, n in sorted(bare.items()):
        problems.append({"uscc": None, "name": None, "rule": "随机抽查事项清单", "industry": ind,
                         "message": f"事项清单中没有适用于“{industry_label(ind)}”的检查事项，"
                                    f"抽查对象范围内该行业的{n}户企业无事可查（规则：随机抽查事项清单）"})

    def check(i: int) -> DrawError | None:
        u, nm, ind = uscc[i], name[i], industry[i]
        err = staff.team_problem(u, nm, ind, street[i])
        if err is None and (always or needs_expert[i]):
            err = staff.expert_problem(u, nm, ind, per_visit)
        if err is None and ind not in bare:
            try:
                picker.pick(u, nm, ind, b"\0" * 32)  # raises when no item applies
            except DrawError as exc:
                err = exc
        return err

    # Each (industry, 属地, needs-expert) group is decided once, for an enterprise
    # with no personal recusal (the empty USCC has none); only the members of a
    # failing group, and enterprises with a personal recusal, are checked one by one.
    def group_fails(key: tuple[str, str, bool]) -> bool:
        ind, st, needs = key
        return (staff.team_problem("", "", ind, st) is not None
                or ((always or needs) and staff.expert_problem("", "", ind, per_visit) is not None)
                or not picker.applies(ind))

    failing = {key for key in set(zip(industry, street, needs_expert, strict=True))
               if group_fails(key)}
    suspects: set[int] = set()
    if failing:
        suspects.update(i for i, key in enumerate(zip(industry, street, needs_expert, strict=True))
                        if key in failing)
    for u in personal:  # the pool is in USCC order: find them by bisection
        i = bisect_left(uscc, u)
        if i < len(uscc) and uscc[i] == u:
            suspects.add(i)
    for i in sorted(suspects):
        err = check(i)
        if err is not None:
            problems.append(_problem(err))
    problems.sort(key=lambda p: (p["uscc"] is not None, p["uscc"] or "", p["rule"]))
    return problems


__all__ = ["check_feasible"]
