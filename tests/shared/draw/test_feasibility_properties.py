"""Must show 3: the freeze check is exact, over random registries and rules.

* freeze accepted (no problem listed) ⇒ the draw cannot fail on a rule, whatever
  the public randomness;
* freeze refused ⇒ every listed enterprise really is infeasible: a draw in
  which it is drawn fails – and every enterprise *not* listed can be drawn.
"""

from __future__ import annotations

import hashlib
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from shared.draw import DrawError, check_feasible
from shared.draw.engine import run_draw
from tests.shared.draw.helpers import SEED, enterprise, expert, inspector, items, snapshot, task

INDUSTRIES = ["industry_trade", "coal_mine", "hazchem_trading"]
STREETS = ["城关镇", "丹朱镇", "鲍店镇"]
DEPTS = ["执法监察科", "危化科", "消防大队"]


@st.composite
def worlds(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 14))
    classes = draw(st.sampled_from(["ABCD", "ABC", "AB"]))
    rows = [enterprise(i, draw(st.sampled_from(INDUSTRIES)),
                       street=draw(st.sampled_from(STREETS)),
                       credit_class=draw(st.sampled_from(classes)),
                       needs_expert=draw(st.integers(0, 4)) == 0) for i in range(n)]
    usccs = [r["uscc"] for r in rows]
    officers = []
    # Sized and skewed so that about half the worlds pass the check and half do not.
    for i in range(draw(st.integers(0, 14))):
        officers.append(inspector(
            i, draw(st.sampled_from(["", *STREETS])),
            fields=draw(st.one_of(st.just(INDUSTRIES), st.lists(
                st.sampled_from(INDUSTRIES), max_size=3, unique=True))),
            department=draw(st.sampled_from(DEPTS)),
            duty=draw(st.sampled_from(["在岗"] * 5 + ["休假"])),
            conflicts=draw(st.lists(st.sampled_from(usccs), max_size=1))
            if draw(st.integers(0, 4)) == 0 else []))
    experts = [expert(i, draw(st.lists(st.sampled_from(
                   [*INDUSTRIES, "煤矿安全", "粉尘防爆", "化工安全"]), max_size=2, unique=True)),
                      conflicts=draw(st.lists(st.sampled_from(usccs), max_size=1)))
               for i in range(draw(st.integers(0, 5)))]
    # Sometimes no item for every industry and none for coal mines: coal mines bare.
    universal = draw(st.integers(0, 3)) > 0
    item_list = [it for it in items() if (universal if not it["industries"] else
                 draw(st.booleans()) or it["industries"][0] != "coal_mine")]
    joint = draw(st.one_of(st.just([]), st.lists(st.sampled_from(DEPTS[1:]), max_size=2,
                                                   unique=True)))
    t = task(ratio=draw(st.sampled_from(["100%", "50%", "1/3", "A:50%;B:100%;C:10%"])),
             team_size=draw(st.integers(2, 3)),
             experts_required=draw(st.sampled_from([False, False, True])),
             department="执法监察科",
             joint_departments=joint)
    rules = {"composition": {"street_pool": draw(st.sampled_from([0, 0, 1])),
                             "bureau_pool": draw(st.sampled_from([0, 0, 1]))},
             "field_match": draw(st.booleans()),
             "recuse_own_street": draw(st.sampled_from([False, False, True])),
             "expert_specialty_match": draw(st.booleans())}
    smap = {"煤矿安全": ["coal_mine"], "化工安全": ["hazchem_trading"]}
    snap = snapshot(rows, t, rules, officers, experts, item_list)
    snap["specialty_map"] = smap  # (build_snapshot canonicalizes; these are canonical)
    return snap


def _only(snap: dict[str, Any], i: int) -> dict[str, Any]:
    """The same world with enterprise *i* the whole pool: any ratio > 0 draws it."""
    values = [[col[i]] for col in snap["enterprises"]["values"]]
    return {**snap, "enterprises": {**snap["enterprises"], "values": values}}


def _draws(snap: dict[str, Any], beacon: bytes) -> bool:
    try:
        run_draw(snap, SEED, beacon_randomness=beacon)
    except DrawError:
        return False
    return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(snap=worlds(), beacons=st.lists(st.binary(min_size=32, max_size=32), min_size=1,
                                       max_size=3))
def test_the_freeze_check_is_exact(snap, beacons):
    problems = check_feasible(snap)
    event("freeze accepted" if not problems else "freeze refused")
    if not problems:
        for beacon in beacons:  # accepted: no beacon can make the draw fail on a rule
            result = run_draw(snap, SEED, beacon_randomness=beacon)
            assert result["visits"]  # and it selects someone
        return
    listed = {p["uscc"] for p in problems if p["uscc"]}
    usccs, industries = snap["enterprises"]["values"][0], snap["enterprises"]["values"][3]
    # an industry with no item is listed once, for all its enterprises
    bare = {p["industry"] for p in problems if p.get("industry")}
    listed |= {u for u, ind in zip(usccs, industries, strict=True) if ind in bare}
    beacon = hashlib.sha256(b"".join(beacons)).digest()
    for i, u in enumerate(usccs):
        # refused: each listed enterprise fails when drawn; the others do not
        assert _draws(_only(snap, i), beacon) == (u not in listed), (u, problems)
    for p in problems:
        assert p["message"] and p["rule"]
    assert len(bare) == sum(1 for p in problems if p.get("industry"))  # once per industry
    if not listed:  # a problem of the task as a whole (e.g. it would select no one)
        assert not _draws(snap, beacon) or not run_draw(snap, SEED, beacon_randomness=beacon)[
            "visits"]
