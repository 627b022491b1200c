"""Who inspects: teams of certified officers, a leader, and experts.

Rules (all from the snapshot, none relaxed when they cannot be met):

* an officer counts only with a 执法证号, not auxiliary, 在岗, and a
  certificate valid through the window's last day;
* ``composition``: at least ``street_pool`` officers from the enterprise's
  street (二级库: officer 属地 == enterprise 属地) and ``bureau_pool`` from the
  bureau (一级库: officer without 属地); the rest from anyone left;
* 执法领域 must include the enterprise's industry (``field_match``);
* recusal: declared conflicts (always), the previous inspection's officers
  (``recuse_previous``), officers of the enterprise's own street
  (``recuse_own_street``, 所所交叉);
* balance: visits are staffed in drawn order, each slot going to a least
  loaded valid candidate, ties broken by the visit's ``visit:<uscc>`` stream
  (:mod:`shared.draw.balance`); the leader is then drawn from the team (sorted
  by 执法证号) with that stream.

Experts are drawn the same way, least loaded first, for enterprises flagged
需配专家 or when the task requires them.  An expert's 专业 is written as people
write it (“煤矿安全”); the snapshot's ``specialty_map`` (edited by the bureau)
says which industries each written specialty covers.

联合 tasks (snapshot/2: ``task.departments`` not empty) need one officer of
each department on every team.  Those slots are filled first, each pick
restricted to officers after whom the rest of the team can still be completed
(:func:`_completable`), so a team that the freeze found possible is always
found; the street/bureau/rest slots follow as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from shared.draw.balance import Ties, least_loaded
from shared.draw.errors import DrawError
from shared.draw.rng import Stream
from shared.enums import DutyStatus, Industry


def _label(industry: str) -> str:
    try:
        return Industry.parse(industry).label
    except ValueError:
        return industry or "未登记"


@lru_cache(maxsize=4096)
def _completable(cells: tuple[tuple[str, str, int], ...], street: int, bureau: int,
                 departments: frozenset[str], slots: int) -> bool:
    """Can *slots* more officers be picked from *cells* – ``(pool, department,
    count)`` with pool ``s`` (street), ``b`` (bureau) or ``o`` – so that at
    least *street*/*bureau* come from those pools and every department in
    *departments* is represented?  Exact: tries each pool for each missing
    department (teams are small, so is the search)."""
    total = sum(n for _p, _d, n in cells)
    if not departments:
        have_s = sum(n for p, _d, n in cells if p == "s")
        have_b = sum(n for p, _d, n in cells if p == "b")
        return (have_s >= street and have_b >= bureau and street + bureau <= slots
                and total >= slots)
    if slots < len(departments):
        return False
    dept = min(departments)
    for k, (p, d, n) in enumerate(cells):
        if d == dept and n:
            rest = (*cells[:k], (p, d, n - 1), *cells[k + 1:])
            if _completable(rest, max(0, street - (p == "s")), max(0, bureau - (p == "b")),
                            departments - {dept}, slots - 1):
                return True
    return False


def _cells(officers: list[dict[str, Any]], street_c: list[int], bureau_c: list[int],
           anyone: list[int], exclude: set[int]) -> tuple[tuple[str, str, int], ...]:
    in_street, in_bureau = set(street_c), set(bureau_c)
    counts: dict[tuple[str, str], int] = {}
    for i in anyone:
        if i in exclude:
            continue
        pool = "s" if i in in_street else "b" if i in in_bureau else "o"
        key = (pool, officers[i]["department"])
        counts[key] = counts.get(key, 0) + 1
    return tuple(sorted((p, d, n) for (p, d), n in counts.items()))


class TeamBuilder:
    """Staffs the visits of one draw, keeping the per-officer load."""

    def __init__(self, snapshot: Mapping[str, Any]) -> None:
        task, rules = snapshot["task"], snapshot["rules"]
        self.team_size: int = task["team_size"]
        self.need_street: int = rules["composition"]["street_pool"]
        self.need_bureau: int = rules["composition"]["bureau_pool"]
        if self.need_street + self.need_bureau > self.team_size:
            raise DrawError(
                f"组队规则要求街道二级库{self.need_street}人、局一级库{self.need_bureau}人，"
                f"超过每户检查人数{self.team_size}人", rule="组队规则")
        self.rules = rules
        # 联合 tasks: one officer of each of these departments per team (snapshot/2).
        self.departments: list[str] = sorted(task.get("departments") or ())
        self.officers = snapshot["inspectors"]
        end = task["window_end"]
        self.base = [
            i for i, o in enumerate(self.officers)
            if o["cert_no"] and not o["auxiliary"] and o["duty"] == DutyStatus.ON_DUTY.value
            and o["cert_expiry"] and o["cert_expiry"] >= end
        ]
        index = {o["cert_no"]: i for i, o in enumerate(self.officers) if o["cert_no"]}
        self.certs: list[str] = [o["cert_no"] for o in self.officers]
        self.conflicts: dict[str, set[int]] = {}
        for i, o in enumerate(self.officers):
            for u in o["conflicts"]:
                self.conflicts.setdefault(u, set()).add(i)
        self.previous: dict[str, set[int]] = {}
        if rules["recuse_previous"]:
            for u, certs in snapshot["enterprises"]["previous_inspectors"].items():
                self.previous[u] = {index[c] for c in certs if c in index}
        # Everyone recused from each enterprise, merged once rather than per visit.
        self.barred: dict[str, set[int]] = {}
        for source in (self.conflicts, self.previous):
            for u, people in source.items():
                self.barred.setdefault(u, set()).update(people)
        self.load = [0] * len(self.officers)
        self._cache: dict[tuple[str, str], tuple[list[int], list[int], list[int]]] = {}
        # By id() of a list kept in _cache (alive, so no other list shares its id).
        self._ties: dict[int, Ties] = {}
        self._cached_ids: set[int] = set()
        self._interned: dict[tuple[int, ...], list[int]] = {}

        self.experts = snapshot["experts"]
        # Written specialty → industries it covers (snapshot/2; absent before).
        self.specialty_map: dict[str, list[str]] = snapshot.get("specialty_map") or {}
        self.expert_conflicts: dict[str, set[int]] = {}
        for i, e in enumerate(self.experts):
            for u in e["conflicts"]:
                self.expert_conflicts.setdefault(u, set()).add(i)
        self.expert_load = [0] * len(self.experts)
        self._expert_cache: dict[str, list[int]] = {}

    def _candidates(self, industry: str, street: str) -> tuple[list[int], list[int], list[int]]:
        hit = self._cache.get((industry, street))
        if hit is None:
            streets = [o["street"] for o in self.officers]
            pool = self.base
            if self.rules["field_match"]:
                pool = [i for i in pool if industry in self.officers[i]["fields"]]
            if self.rules["recuse_own_street"] and street:
                pool = [i for i in pool if streets[i] != street]
            street_c = [i for i in pool if street and streets[i] == street]
            bureau_c = [i for i in pool if not streets[i]]
            # Equal lists are one object (the "anyone" list of every 属地 is the same
            # unless 所所交叉), so their least-loaded ties are kept once.
            hit = tuple(self._interned.setdefault(tuple(c), c) for c in (street_c, bureau_c, pool))
            self._cache[(industry, street)] = hit
            self._cached_ids.update(map(id, hit))
        return hit

    def _pools(self, uscc: str, industry: str,
               street: str) -> tuple[list[int], list[int], list[int]]:
        street_c, bureau_c, anyone = self._candidates(industry, street)
        barred = self.barred.get(uscc)
        if barred:
            street_c = [i for i in street_c if i not in barred]
            bureau_c = [i for i in bureau_c if i not in barred]
            anyone = [i for i in anyone if i not in barred]
        return street_c, bureau_c, anyone

    def team_problem(self, uscc: str, name: str, industry: str, street: str) -> DrawError | None:
        """Why no valid team exists for this enterprise, or None (exact: when
        None, :meth:`staff` succeeds whatever the stream and the loads)."""
        street_c, bureau_c, anyone = self._pools(uscc, industry, street)
        if (len(street_c) < self.need_street or len(bureau_c) < self.need_bureau
                or len(anyone) < self.team_size):
            return self._impossible(uscc, name, industry, street)
        if self.departments and not _completable(
                _cells(self.officers, street_c, bureau_c, anyone, set()), self.need_street,
                self.need_bureau, frozenset(self.departments), self.team_size):
            return self._departments_error(uscc, name, anyone)
        return None

    def staff(self, uscc: str, name: str, industry: str, street: str,
              stream: Stream) -> tuple[list[str], str]:
        """Return the team's 执法证号 (sorted) and the leader's."""
        street_c, bureau_c, anyone = self._pools(uscc, industry, street)
        need_street, need_bureau, size = self.need_street, self.need_bureau, self.team_size
        if (self.departments or len(street_c) < need_street or len(bureau_c) < need_bureau
                or len(anyone) < size):  # (the counts are the whole check without departments)
            problem = self.team_problem(uscc, name, industry, street)
            if problem is not None:
                raise problem
        # Street and bureau pools are disjoint (an officer has a street or
        # not), so only the "rest" slots must skip members already picked.
        team: list[int] = []
        if self.departments:
            team = self._department_slots(street_c, bureau_c, anyone, stream)
            in_street, in_bureau = set(street_c), set(bureau_c)
            need_street = max(0, need_street - sum(i in in_street for i in team))
            need_bureau = max(0, need_bureau - sum(i in in_bureau for i in team))
            street_c = [i for i in street_c if i not in team]
            bureau_c = [i for i in bureau_c if i not in team]
        if need_street:
            team += self._pick(street_c, need_street, team, stream)
        if need_bureau:
            team += self._pick(bureau_c, need_bureau, [], stream)
        if len(team) < size:
            team += self._pick(anyone, size - len(team), team, stream)
        team.sort()
        leader = team[stream.randbelow(len(team))]
        certs = self.certs
        return [certs[i] for i in team], certs[leader]

    def _pick(self, cands: list[int], count: int, taken: list[int],
              stream: Stream) -> list[int]:
        """:func:`least_loaded`, through the list's :class:`Ties` when the list
        is one of the cached candidate lists (not filtered for this visit)."""
        if id(cands) in self._cached_ids:
            entry = self._ties.get(id(cands))
            if entry is None:
                entry = self._ties[id(cands)] = Ties(cands)
            return entry.pick(count, set(taken), self.load, stream)
        return least_loaded(cands, count, taken, self.load, stream)

    def _department_slots(self, street_c: list[int], bureau_c: list[int], anyone: list[int],
                          stream: Stream) -> list[int]:
        """One officer per required department, in department order, each the
        least loaded of those after whom the team can still be completed."""
        officers, team = self.officers, []
        missing = set(self.departments)
        for dept in self.departments:
            fits = []
            for i in anyone:
                if i in team or officers[i]["department"] != dept:
                    continue
                cells = _cells(officers, street_c, bureau_c, anyone, {*team, i})
                taken = [*team, i]
                street_left = max(0, self.need_street - sum(j in street_c for j in taken))
                bureau_left = max(0, self.need_bureau - sum(j in bureau_c for j in taken))
                if _completable(cells, street_left, bureau_left, frozenset(missing - {dept}),
                                self.team_size - len(taken)):
                    fits.append(i)
            team += least_loaded(fits, 1, [], self.load, stream)
            missing.discard(dept)
        return team

    def _departments_error(self, uscc: str, name: str, anyone: list[int]) -> DrawError:
        have = {self.officers[i]["department"] for i in anyone}
        lacking = [d for d in self.departments if d not in have]
        if lacking:
            detail = f"符合条件的执法人员中没有“{'、'.join(lacking)}”的人员"
        else:
            detail = (f"每户检查人数{self.team_size}人无法同时满足各联合部门"
                      f"（{'、'.join(self.departments)}）各1人和组队规则")
        return self._error(uscc, name, "联合检查（各部门至少1人）", detail)

    def _impossible(self, uscc: str, name: str, industry: str, street: str) -> DrawError:
        """Replay the rules one at a time to name the one that left too few."""
        officers, size = self.officers, self.team_size
        steps: list[tuple[str, str, Any]] = [
            ("执法资格", "持证、在岗且证件在抽查期内有效", lambda i: True)]
        if self.rules["field_match"]:
            steps.append(("执法领域匹配", f"执法领域包含“{_label(industry)}”",
                          lambda i: industry in officers[i]["fields"]))
        steps.append(("利害关系回避", "无申报的利害关系",
                      lambda i: uscc not in officers[i]["conflicts"]))
        if self.rules["recuse_previous"]:
            prev = self.previous.get(uscc, set())
            steps.append(("上次检查人员回避", "非上次检查人员", lambda i: i not in prev))
        if self.rules["recuse_own_street"] and street:
            steps.append(("所所交叉回避", f"不属于本属地“{street}”",
                          lambda i: officers[i]["street"] != street))
        pool = self.base
        conditions = []
        for rule, cond, keep in steps:
            pool = [i for i in pool if keep(i)]
            conditions.append(cond)
            if len(pool) < size:
                detail = (f"{'、'.join(conditions)}的执法人员只有{len(pool)}人，"
                          f"少于每户检查人数{size}人")
                return self._error(uscc, name, rule, detail)
        if len([i for i in pool if street and officers[i]["street"] == street]) < self.need_street:
            if self.rules["recuse_own_street"]:
                detail = (f"所所交叉回避排除了本属地人员，与“至少{self.need_street}人来自属地"
                          f"二级库”的组队规则冲突")
                return self._error(uscc, name, "组队规则（街道二级库）与所所交叉回避冲突", detail)
            if not street:
                detail = f"检查对象未登记属地，无法满足“至少{self.need_street}人来自属地二级库”"
            else:
                n = len([i for i in pool if officers[i]["street"] == street])
                detail = (f"属地“{street}”二级库中符合条件的执法人员只有{n}人，"
                          f"少于组队规则要求的{self.need_street}人")
            return self._error(uscc, name, "组队规则（街道二级库）", detail)
        n = len([i for i in pool if not officers[i]["street"]])
        detail = f"局一级库中符合条件的执法人员只有{n}人，少于组队规则要求的{self.need_bureau}人"
        return self._error(uscc, name, "组队规则（局一级库）", detail)

    @staticmethod
    def _error(uscc: str, name: str, rule: str, detail: str) -> DrawError:
        return DrawError(f"无法为检查对象{uscc}（{name}）组成检查组：{detail}（规则：{rule}）",
                         uscc=uscc, name=name, rule=rule)

    def _covers(self, specialties: list[str], industry: str) -> bool:
        smap = self.specialty_map
        return industry in specialties or any(industry in smap.get(s, ()) for s in specialties)

    def _expert_pool(self, uscc: str, industry: str) -> list[int]:
        cands = self._expert_cache.get(industry)
        if cands is None:
            cands = list(range(len(self.experts)))
            if self.rules["expert_specialty_match"]:
                cands = [i for i in cands if self._covers(self.experts[i]["specialties"], industry)]
            self._expert_cache[industry] = cands
        barred = self.expert_conflicts.get(uscc)
        if barred:
            cands = [i for i in cands if i not in barred]
        return cands

    def expert_problem(self, uscc: str, name: str, industry: str, count: int) -> DrawError | None:
        cands = self._expert_pool(uscc, industry)
        if len(cands) >= count:
            return None
        what = f"专业涵盖“{_label(industry)}”且" if self.rules["expert_specialty_match"] else ""
        return DrawError(
            f"无法为检查对象{uscc}（{name}）抽取专家：{what}无利害关系的专家只有{len(cands)}人，"
            f"少于所需{count}人（规则：专家库）", uscc=uscc, name=name, rule="专家库")

    def draw_experts(self, uscc: str, name: str, industry: str, count: int,
                     stream: Stream) -> list[str]:
        """*count* expert ids for the visit, least loaded first."""
        problem = self.expert_problem(uscc, name, industry, count)
        if problem is not None:
            raise problem
        cands = self._expert_pool(uscc, industry)
        chosen = least_loaded(cands, count, [], self.expert_load, stream)
        return [self.experts[i]["id"] for i in sorted(chosen)]
