"""Property tests over random registries, officer pools and policies.

Every check here is computed independently from the raw rows (not from the
snapshot the code built), so a bug in eligibility, counting or staffing shows.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from fractions import Fraction
from math import ceil

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from shared.draw import DrawContext, DrawError, draw, record_to_json, verify
from shared.enums import Industry
from tests.shared.draw.helpers import STREETS, enterprise, expert, inspector, items, snapshot, task

INDUSTRIES = ["coal_mine", "hazchem_trading", "industry_trade"]
WINDOW_END = "2024-06-30"


@st.composite
def scenarios(draw_):
    n = draw_(st.integers(0, 40))
    rows = []
    for i in range(n):
        rows.append(enterprise(
            i, draw_(st.sampled_from(INDUSTRIES)),
            street=draw_(st.sampled_from(STREETS)),
            credit_class=draw_(st.sampled_from("ABCD")),
            status=draw_(st.sampled_from(["active"] * 6 + ["closed", "deregistered", "停产"])),
            needs_expert=draw_(st.sampled_from([False] * 3 + [True])),
            scale=draw_(st.sampled_from(["large", "small"]))))
    usccs = [r["uscc"] for r in rows]
    officers = []
    for i in range(draw_(st.integers(2, 24))):
        officers.append(inspector(
            i, street=draw_(st.sampled_from(("",) + STREETS)),
            fields=draw_(st.sampled_from([INDUSTRIES] * 2) | st.lists(
                st.sampled_from(INDUSTRIES), min_size=1, unique=True)),
            duty=draw_(st.sampled_from(["在岗"] * 8 + ["休假", "借调"])),
            cert_expiry=draw_(st.sampled_from(["2030-01-01"] * 3 + [WINDOW_END, "2024-06-29"])),
            auxiliary=draw_(st.sampled_from([False] * 8 + [True])),
            conflicts=draw_(st.lists(st.sampled_from(usccs), max_size=3)) if usccs else []))
    experts = [expert(i, draw_(st.lists(st.sampled_from(INDUSTRIES), max_size=3, unique=True)),
                      conflicts=draw_(st.lists(st.sampled_from(usccs), max_size=2))
                      if usccs else [])
               for i in range(draw_(st.integers(0, 8)))]
    pct = st.integers(1, 100).map(lambda p: f"{p}%")
    if draw_(st.booleans()):
        ratio = draw_(pct)
    else:
        ratio = ";".join(f"{c}:{draw_(pct)}" for c in "ABCD")
    directed = draw_(st.booleans())
    scope = "行业领域=" + ",".join(
        draw_(st.lists(st.sampled_from(["煤矿", "危险化学品经营", "工贸"]), min_size=1,
                       unique=True))) if directed else ""
    t = task(draw_type="定向" if directed else "不定向", scope=scope, ratio=ratio,
             window_end=WINDOW_END, team_size=draw_(st.integers(2, 3)),
             general_items=draw_(st.integers(0, 5)),
             experts_required=draw_(st.sampled_from([False] * 3 + [True])),
             experts_per_visit=draw_(st.integers(1, 2)))
    rules = {
        "composition": {"street_pool": draw_(st.integers(0, 1)),
                        "bureau_pool": draw_(st.integers(0, 1))},
        "field_match": draw_(st.booleans()),
        "recuse_own_street": draw_(st.sampled_from([False] * 3 + [True])),
        "recuse_previous": draw_(st.booleans()),
        "expert_specialty_match": draw_(st.booleans()),
        "yearly_cap": draw_(st.sampled_from([None, 1, 2])),
    }
    certs = [o["cert_no"] for o in officers]
    ctx = DrawContext(
        drawn_in_plan=set(draw_(st.lists(st.sampled_from(usccs), max_size=5))) if usccs else set(),
        inspections_this_year={u: draw_(st.integers(0, 3)) for u in usccs[::3]},
        previous_inspectors={u: draw_(st.lists(st.sampled_from(certs), max_size=2))
                             for u in usccs[::2]})
    seed = hashlib.sha256(str(draw_(st.integers(0, 10**6))).encode()).digest()
    return rows, officers, experts, t, rules, ctx, seed


def eligible_rows(rows, t, rules, ctx):
    wanted = set(INDUSTRIES)
    if t["scope"]:
        wanted = {Industry.parse(x).value for x in t["scope"].split("=")[1].split(",")}
    cap = rules["yearly_cap"]
    return [r for r in rows if r["industry"] in wanted
            and r["status"] not in ("closed", "deregistered")
            and r["uscc"] not in ctx.drawn_in_plan
            and not (cap is not None and ctx.inspections_this_year.get(r["uscc"], 0) >= cap)]


def officer_ok(o, e, rules, ctx):
    return (o["cert_no"] and not o["auxiliary"] and o["duty"] == "在岗"
            and o["cert_expiry"] >= WINDOW_END
            and (not rules["field_match"] or e["industry"] in o["fields"])
            and e["uscc"] not in o["conflicts"]
            and not (rules["recuse_previous"]
                     and o["cert_no"] in ctx.previous_inspectors.get(e["uscc"], ()))
            and not (rules["recuse_own_street"] and o["street"] == e["street"]))


def team_ok(team, e, rules, size):
    comp = rules["composition"]
    return (len(team) == size
            and sum(o["street"] == e["street"] for o in team) >= comp["street_pool"]
            and sum(o["street"] == "" for o in team) >= comp["bureau_pool"])


def some_team_exists(officers, e, rules, ctx, size):
    valid = [o for o in officers if officer_ok(o, e, rules, ctx)]
    return any(team_ok(c, e, rules, size) for c in itertools.combinations(valid, size))


def expert_ok(x, e, rules):
    return (e["uscc"] not in x["conflicts"]
            and (not rules["expert_specialty_match"] or e["industry"] in x["specialties"]))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_draw_properties(scenario):
    rows, officers, experts, t, rules, ctx, seed = scenario
    snap = snapshot(rows, t, rules, officers=officers, experts=experts, context=ctx)
    pool = eligible_rows(rows, t, rules, ctx)
    by_uscc = {r["uscc"]: r for r in pool}
    try:
        record = draw(snap, seed)
    except DrawError as err:
        # Refusal is only allowed when the named enterprise truly cannot be staffed.
        event(f"refused: {err.rule}")
        e = by_uscc[err.uscc]
        if err.rule == "专家库":
            assert sum(expert_ok(x, e, rules) for x in experts) < t["experts_per_visit"]
        else:
            assert not some_team_exists(officers, e, rules, ctx, t["team_size"]), err.message
        return
    result = record["result"]
    event(f"drawn: {min(len(result['visits']), 5)}+" if result["visits"] else "drawn: 0")
    assert result["pool_size"] == len(pool)

    # Exact ceil(ratio × eligible) per stratum.
    ratio = t["ratio"]
    if ":" in ratio:
        ratios = {c: Fraction(p[:-1]) / 100 for c, p in (x.split(":") for x in ratio.split(";"))}
        strata = {c: [r for r in pool if r["credit_class"] == c] for c in ratios}
    else:
        ratios, strata = {"*": Fraction(ratio[:-1]) / 100}, {"*": pool}
    drawn = [by_uscc[v["uscc"]] for v in result["visits"]]  # KeyError if ineligible drawn
    assert len({e["uscc"] for e in drawn}) == len(drawn)
    for cls, members in strata.items():
        want = ceil(ratios[cls] * len(members))
        assert result["strata"][cls]["drawn"] == want
        assert sum(cls in ("*", e["credit_class"]) for e in drawn) == want

    certs = {o["cert_no"]: o for o in officers if o["cert_no"]}
    experts_by_id = {x["id"]: x for x in experts}
    item_list = items()
    for v in result["visits"]:
        e = by_uscc[v["uscc"]]
        team = [certs[c] for c in v["inspectors"]]
        assert all(officer_ok(o, e, rules, ctx) for o in team)
        assert team_ok(team, e, rules, t["team_size"])
        assert len(set(v["inspectors"])) == len(team)
        assert v["leader"] in v["inspectors"]
        needs = e["needs_expert"] or t["experts_required"]
        assert len(v["experts"]) == (t["experts_per_visit"] if needs else 0)
        assert all(expert_ok(experts_by_id[x], e, rules) for x in v["experts"])
        fits = [i for i in item_list if not i["industries"] or e["industry"] in i["industries"]]
        key = [i["no"] for i in fits if i["category"] == "重点"]
        general = {i["no"] for i in fits if i["category"] == "一般"}
        assert v["items"][:len(key)] == key
        rest = v["items"][len(key):]
        assert len(rest) == min(t["general_items"], len(general)) == len(set(rest))
        assert set(rest) <= general

    assert verify(record) == (True, None)

    # Same facts in another order → byte-identical record.
    shuffle = random.Random(seed).shuffle
    rows2, officers2, experts2, items2 = list(rows), list(officers), list(experts), items()
    for x in (rows2, officers2, experts2, items2):
        shuffle(x)
    snap2 = snapshot(rows2, t, rules, officers=officers2, experts=experts2, item_list=items2,
                     context=ctx)
    assert record_to_json(draw(snap2, seed)) == record_to_json(record)


def test_balance_with_interchangeable_officers():
    rows = [enterprise(i) for i in range(97)]
    snap = snapshot(rows, task(ratio="100%", team_size=3), {}, officers=[
        inspector(i) for i in range(7)])
    visits = draw(snap, bytes(32))["result"]["visits"]
    load: dict[str, int] = {}
    for v in visits:
        for c in v["inspectors"]:
            load[c] = load.get(c, 0) + 1
    assert len(load) == 7 and max(load.values()) - min(load.values()) <= 1
