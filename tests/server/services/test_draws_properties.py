"""Property test of the server path: registries in a real database, random filters and rules.

The pure draw has its own properties (tests/shared/draw); this checks that the
server's SQL narrowing, exclusions and storage agree with an independent
oracle written here: eligible = in scope − closed/deregistered; counts are
ceil(ratio × eligible) per credit class; teams obey the rules; the stored
record verifies.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from math import ceil

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.extensions import db
from server.models import DrawFreeze, DrawRecord, Enterprise, Inspector, Plan, Task, Visit
from server.models.case import Case, CaseEvent
from server.models.draw import VisitMember
from server.models.transparency import LogHead, PublicDrawFile
from server.services import draw as svc
from shared.draw import verify
from tests.server.factories import uscc
from tests.server.services.test_draws_world import make_items

TOWNS = ("丹朱镇", "鲍店镇")
# filter text → the oracle's own reading of it
FILTERS = {
    "行业领域=工贸": lambda e: e["industry"] == "industry_trade",
    "行业领域=工贸,煤矿;规模=小": lambda e: e["industry"] in ("industry_trade", "coal_mine")
    and e["scale"] == "small",
    "属地=丹朱镇;行业领域=工贸,煤矿,危险化学品经营": lambda e: e["street"] == "丹朱镇",
    "黑名单=否;行业领域=煤矿,工贸,危险化学品经营": lambda e: not e["blacklisted"],
    "所属名录库=工贸二级库": lambda e: "工贸二级库" in e["registries"],
    "单位名称=甲": lambda e: "甲" in e["name"],
}
RATIOS = {"10%": {c: Fraction(1, 10) for c in "ABCD"},
          "1/3": {c: Fraction(1, 3) for c in "ABCD"},
          "100%": {c: Fraction(1) for c in "ABCD"},
          "A:3%;B:5%;C:20%;D:100%": {"A": Fraction(3, 100), "B": Fraction(5, 100),
                                     "C": Fraction(20, 100), "D": Fraction(1)}}

enterprise = st.fixed_dictionaries({
    "industry": st.sampled_from(["industry_trade", "coal_mine", "hazchem_trading"]),
    "street": st.sampled_from(TOWNS),
    "scale": st.sampled_from(["small", "large"]),
    "credit_class": st.sampled_from("ABCD"),
    "blacklisted": st.booleans(),
    "status": st.sampled_from(["active", "active", "suspended", "closed", "deregistered"]),
    "registries": st.sampled_from([[], ["工贸二级库"], ["工贸二级库", "丹朱镇二级库"]]),
    "name": st.sampled_from(["甲公司", "乙公司", "甲乙厂"]),
})


def _reset() -> None:
    # A draw opens its cases too (server/services/case_observe.py).
    for model in (CaseEvent, Case, LogHead, PublicDrawFile, VisitMember, Visit, DrawRecord,
                  DrawFreeze, Task, Plan, Enterprise):
        db.session.execute(sa.delete(model))
    db.session.commit()


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(enterprise, max_size=24), scope=st.sampled_from(sorted(FILTERS)),
       ratio=st.sampled_from(sorted(RATIOS)), cross=st.booleans())
def test_server_draw_matches_the_oracle(ctx, rows, scope, ratio, cross):
    _reset()
    if not db.session.scalar(sa.select(sa.func.count()).select_from(Inspector)):
        make_items()
        fields = ["industry_trade", "coal_mine", "hazchem_trading"]
        for i, town in enumerate((None, None, None, *TOWNS, *TOWNS)):
            db.session.add(Inspector(cert_no=f"P{i:04d}", name=f"员{i}", street=town,
                                     cert_expiry=date(2030, 1, 1), fields=fields))
        db.session.add(Inspector(cert_no="P9999", name="休假", cert_expiry=date(2030, 1, 1),
                                 fields=fields, duty_status="leave"))
    ents = []
    for i, row in enumerate(rows):
        ents.append({**row, "uscc": uscc(900000 + i), "name": f"{row['name']}{i}"})
        db.session.add(Enterprise(**ents[-1]))
    plan = Plan(plan_no="PP", name="计划", year=2024, status="published", change_log=[])
    rules = ({"recuse_own_street": True, "composition": {"street_pool": 0, "bureau_pool": 1}}
             if cross else {"composition": {"street_pool": 1, "bureau_pool": 1}})  # 龙岗
    db.session.add(Task(task_no="TT", plan=plan, name="任务", draw_type="directed", ratio=ratio,
                        target_filter=scope, window_start=date(2024, 4, 1),
                        window_end=date(2024, 6, 30), team_size=2, rules=rules))
    db.session.commit()

    in_scope = [e for e in ents if FILTERS[scope](e)]
    gone = {e["uscc"] for e in in_scope if e["status"] in ("closed", "deregistered")}
    eligible = [e for e in in_scope if e["uscc"] not in gone]
    if not eligible:  # a draw that would select no one is refused, nothing stored
        with pytest.raises(svc.FreezeRefused, match="不会抽中任何检查对象"):
            svc.run_task_draw("TT", "prop")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DrawFreeze)) == 0
        return
    rec = svc.run_task_draw("TT", "prop")
    record = svc.full_record(rec)
    assert record["snapshot"]["enterprises"]["values"][0] == sorted(e["uscc"] for e in eligible)
    assert {e["uscc"] for e in record["result"]["excluded"]} == gone
    by_uscc = {e["uscc"]: e for e in eligible}
    drawn = [by_uscc[v["uscc"]] for v in record["result"]["visits"]]
    assert len({e["uscc"] for e in drawn}) == len(drawn)
    if ":" in ratio:  # one stratum per credit class
        for cls in "ABCD":
            n = sum(e["credit_class"] == cls for e in eligible)
            assert sum(e["credit_class"] == cls for e in drawn) == ceil(RATIOS[ratio][cls] * n)
    else:  # one ratio: one stratum, the whole pool
        assert len(drawn) == ceil(RATIOS[ratio]["A"] * len(eligible))
    officers = {o.cert_no: o for o in db.session.scalars(sa.select(Inspector))}
    for v in record["result"]["visits"]:
        team = [officers[c] for c in v["inspectors"]]
        assert len(set(v["inspectors"])) == 2 and v["leader"] in v["inspectors"]
        assert all(o.duty_status == "on_duty" for o in team)
        town = by_uscc[v["uscc"]]["street"]
        assert sum(o.street is None for o in team) >= 1
        if cross:
            assert all(o.street != town for o in team)
        else:
            assert sum(o.street == town for o in team) >= 1
    stored = db.session.scalars(sa.select(Visit).where(Visit.draw_record_id == rec.id)).all()
    assert sorted(v.enterprise.uscc for v in stored) == sorted(e["uscc"] for e in drawn)
    assert verify(record) == (True, None)
