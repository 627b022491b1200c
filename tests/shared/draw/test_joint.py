"""merge_joint: overlapping tasks give one visit per enterprise."""

from __future__ import annotations

from shared.draw import merge_joint


def visit(u, team, leader, items, experts=()):
    return {"uscc": u, "inspectors": team, "leader": leader, "experts": list(experts),
            "items": items}


def test_overlap_becomes_one_visit_in_task_order():
    results = {
        "T2": {"visits": [visit("U1", ["c", "d"], "d", ["I3", "I1"], ["E2"]),
                          visit("U3", ["a", "b"], "a", ["I1"])]},
        "T1": {"visits": [visit("U1", ["a", "c"], "a", ["I1", "I2"], ["E1"]),
                          visit("U2", ["b", "d"], "b", ["I2"])]},
    }
    merged = merge_joint(results)
    assert [m["uscc"] for m in merged] == ["U1", "U2", "U3"]
    u1 = merged[0]
    assert u1["tasks"] == ["T1", "T2"]
    assert u1["inspectors"] == ["a", "c", "d"]
    assert u1["leader"] == "a"
    assert u1["items"] == ["I1", "I2", "I3"]
    assert u1["experts"] == ["E1", "E2"]
    assert merged[2]["tasks"] == ["T2"]
    # The caller's dict order does not matter.
    assert merge_joint(dict(reversed(list(results.items())))) == merged
