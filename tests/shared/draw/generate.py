"""Random but valid draw inputs for the vectors and the differential test.

Pools of 0–50 enterprises (odd names included: quotes, backslashes, emoji,
U+2028), 2–16 officers and 0–6 experts with random attributes, conflicts and
previous inspectors, random rules, ratios in every written form.  Some cases
cannot be drawn (too few officers, a class without a ratio): both
implementations must then refuse.
"""

from __future__ import annotations

import random
from typing import Any

from shared.draw import DrawContext, build_pool, build_snapshot
from tests.shared.draw.helpers import STREETS, enterprise, expert, inspector, items, task

INDUSTRIES = ["coal_mine", "hazchem_trading", "industry_trade", "metallurgy"]
ODD_NAMES = ['引号"公司', "反斜杠\\厂", "表情😀矿业", "换行\u2028化工", "Ｆｕｌｌ全角", "𠀀扩展B区"]


def _ratio(rng: random.Random) -> str:
    form = rng.randrange(4)
    if form == 0:
        return f"{rng.randint(1, 100)}%"
    if form == 1:
        return f"1/{rng.randint(1, 9)}"
    if form == 2:
        return f"0.{rng.randint(1, 99):02d}"
    return ";".join(f"{c}:{rng.randint(1, 100)}%" for c in "ABCD")


def random_inputs(rng: random.Random) -> dict[str, Any]:
    n = rng.randint(0, 50)
    ids = rng.sample(range(1, 10**6), n)
    rows = []
    for i in ids:
        name = rng.choice(ODD_NAMES) + str(i) if rng.random() < 0.1 else f"测试企业{i}号"
        rows.append(enterprise(
            i, rng.choice(INDUSTRIES), name=name, street=rng.choice(STREETS),
            credit_class=rng.choice("ABCD") if rng.random() > 0.002 else "",
            needs_expert=rng.random() < 0.2))
    usccs = [r["uscc"] for r in rows]
    departments = ["执法监察科", "危化科", "消防大队"]
    officers = [inspector(
        i, street=rng.choice(("",) + STREETS), department=rng.choice(departments),
        fields=INDUSTRIES if rng.random() < 0.7 else rng.sample(INDUSTRIES, rng.randint(1, 3)),
        duty=rng.choice(["在岗"] * 8 + ["休假"]),
        cert_expiry=rng.choice(["2030-01-01"] * 4 + ["2024-06-30", "2024-06-29"]),
        auxiliary=rng.random() < 0.1,
        conflicts=rng.sample(usccs, min(len(usccs), int(rng.random() < 0.3))))
        for i in range(rng.randint(5, 16))]
    written = ["煤矿安全", "危化品", "冶金工贸"]
    experts = [expert(i, INDUSTRIES if rng.random() < 0.5 else rng.sample(INDUSTRIES + written, 2),
                      conflicts=rng.sample(usccs, min(len(usccs), rng.randint(0, 1))))
               for i in range(rng.randint(2, 6))]
    certs = [o["cert_no"] for o in officers]
    previous = {u: rng.sample(certs, 2) for u in usccs if rng.random() < 0.2}
    rules = {"composition": {"street_pool": int(rng.random() < 0.12),
                             "bureau_pool": int(rng.random() < 0.2)},
             "field_match": rng.random() < 0.7, "recuse_own_street": rng.random() < 0.1,
             "recuse_previous": rng.random() < 0.3,
             "expert_specialty_match": rng.random() < 0.7,
             "host_departments": {"hazchem_trading": "危化科"} if rng.random() < 0.3 else {}}
    joint = [rng.choice(departments[1:])] if rng.random() < 0.2 else []
    task_ = task(ratio=_ratio(rng), team_size=rng.choice([2, 2, 3]),
                 general_items=rng.randint(0, 4), experts_required=rng.random() < 0.1,
                 experts_per_visit=rng.choice([1, 1, 2]), department="执法监察科",
                 joint_departments=joint)
    item_list = items()
    if rng.random() < 0.3:  # at least the two items that apply to every industry
        item_list = item_list[:2] + rng.sample(item_list[2:], rng.randint(0, len(item_list) - 2))
    eligible, excluded = build_pool(rows, task_, rules, DrawContext(previous_inspectors=previous))
    specialty_map = {"煤矿安全": ["coal_mine"], "危化品": ["hazchem_trading"],
                     "冶金工贸": ["metallurgy", "industry_trade"]}
    snap = build_snapshot(task_, rules, eligible, excluded, officers, experts, item_list,
                          "2024版", specialty_map if rng.random() < 0.7 else None,
                          pseudonym_secret=rng.randbytes(32))
    return {"snapshot": snap, "seed": rng.randbytes(32).hex(),
            "randomness": rng.randbytes(32).hex() if rng.random() < 0.9 else None}
