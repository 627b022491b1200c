"""Adjustments (调整): checked against the record they amend.

An adjustment is a person's decision – replace one officer of one visit, or
the visit's enterprise – so it is not re-run; it is *checked*: its export
carries its parent's export (recursively, down to the draw), the parent is
verified first, and then the adjustment must describe exactly what changed
from the parent's effective visits (spec §12.3):

* ``visit_before`` is the parent's current visit of that enterprise;
* an officer replacement changes the team by exactly that officer (the
  successor leads if the leader was replaced), nothing else;
* an enterprise replacement keeps the team, takes an enterprise not already
  drawn, and (when the new enterprise is in the parent's pool) its items are
  the ones the record's seed gives (stream ``items:<uscc>`` of
  ``SHA-256(seed ‖ "adjustment" ‖ uscc)``);
* who, when and why are present, and it is later than its parent.

The public adjustment file (``suicha-public-adjustment/1``) says the same
with people by name, and names its parent's public file by SHA-256.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from shared.draw.items import ItemPicker
from shared.draw.public import utc_z

ADJUSTMENT_FORMAT = "suicha-draw-adjustment/1"
PUBLIC_ADJUSTMENT_FORMAT = "suicha-public-adjustment/1"
_COMPARED = ("uscc", "inspectors", "leader", "items")


class AdjustmentMismatch(ValueError):
    """The adjustment does not follow from its parent (Chinese message)."""


def adjustment_key(seed_hex: str, uscc: str) -> bytes:
    return hashlib.sha256(bytes.fromhex(seed_hex) + b"adjustment" + uscc.encode("utf-8")).digest()


def _same(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return all(a.get(k) == b.get(k) for k in _COMPARED)


def apply(visits: list[Mapping[str, Any]], doc: Mapping[str, Any],
          draw_record: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The effective visits after *doc*, checked against *visits* (the
    parent's effective visits).  *draw_record* is the draw at the chain's
    root (its seed, snapshot items and pool)."""
    change, before, after = doc["adjustment"], doc["visit_before"], doc["visit_after"]
    meta = doc["meta"]
    if not str(meta.get("reason") or "").strip():
        raise AdjustmentMismatch("调整未说明理由")
    if not meta.get("actor") or not meta.get("created_at"):
        raise AdjustmentMismatch("调整未记录调整人或调整时间")
    current = [v for v in visits if v["uscc"] == change["visit"]]
    if len(current) != 1:
        raise AdjustmentMismatch(f"上一记录中没有对检查对象{change['visit']}的检查")
    if not _same(before, current[0]):
        raise AdjustmentMismatch(f"调整前的检查（{change['visit']}）与上一记录不符")
    if change["replace"] == "inspector":
        old, new = change["old"], change["new"]
        if old not in before["inspectors"] or new in before["inspectors"]:
            raise AdjustmentMismatch(f"被替换的执法人员{old}不在检查组中，或替换人员{new}已在组中")
        team = sorted([c for c in before["inspectors"] if c != old] + [new])
        leader = new if before["leader"] == old else before["leader"]
        expect = {"uscc": before["uscc"], "inspectors": team, "leader": leader,
                  "items": before["items"]}
    elif change["replace"] == "enterprise":
        new = change["new"]
        if any(v["uscc"] == new for v in visits):
            raise AdjustmentMismatch(f"替换后的检查对象{new}已在本任务的检查对象中")
        expect = {"uscc": new, "inspectors": before["inspectors"], "leader": before["leader"],
                  "items": _items(draw_record, new, after["items"])}
    else:
        raise AdjustmentMismatch(f"未知的调整类型“{change['replace']}”")
    if not _same(after, expect):
        diff = next(k for k in _COMPARED if after.get(k) != expect.get(k))
        raise AdjustmentMismatch(f"调整后的检查与声明的调整不符（{diff}）")
    return [dict(after) if v["uscc"] == change["visit"] else dict(v) for v in visits]


def _items(draw_record: Mapping[str, Any] | None, uscc: str, recorded: list[str]) -> list[str]:
    if draw_record is None:  # the public check: industries and seed-derived items are not public
        return recorded
    snap = draw_record["snapshot"]
    values = snap["enterprises"]["values"]
    if uscc not in values[0]:
        return recorded  # not in the frozen pool: its industry is not in the record
    i = values[0].index(uscc)
    picker = ItemPicker(snap)
    return picker.pick(uscc, values[1][i], values[3][i],
                       adjustment_key(draw_record["seed"], uscc))


def verify_adjustment(doc: Mapping[str, Any], verify_draw: Any) -> tuple[bool, str | None]:
    """Verify an adjustment export: its parent chain first (*verify_draw* is
    :func:`shared.draw.record.verify` for the draw at the root)."""
    chain = [doc]
    while chain[-1].get("format") == ADJUSTMENT_FORMAT:
        parent = chain[-1].get("parent")
        if not isinstance(parent, Mapping):
            return False, "调整记录未附上一记录，无法核对"
        chain.append(parent)
    root = chain.pop()
    ok, diff = verify_draw(root)
    if not ok:
        return False, f"调整所依据的抽取记录不一致：{diff}"
    visits = [dict(v) for v in root["result"]["visits"]]
    parent_meta = root["meta"]
    for adj in reversed(chain):
        if adj["meta"].get("parent_record_id") != parent_meta.get("record_id"):
            return False, "调整记录的上一记录编号与所附记录不符"
        if str(adj["meta"]["created_at"]) <= str(parent_meta.get("created_at") or ""):
            return False, "调整时间早于上一记录"
        try:
            visits = apply(visits, adj, root)
        except AdjustmentMismatch as exc:
            return False, str(exc)
        parent_meta = adj["meta"]
    return True, None


def _public_visit(v: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    return {"uscc": v["uscc"], "name": names.get(v["uscc"], ""),
            "inspectors": [{"cert_no": c, "name": names.get(c, "")} for c in v["inspectors"]],
            "leader": v["leader"], "items": list(v["items"])}


def public_adjustment(doc: Mapping[str, Any], *, record_id: int, who: str,
                      names: Mapping[str, str], parent_sha256: str) -> dict[str, Any]:
    """The public adjustment file: what changed, who (by name), when, why, and
    the SHA-256 of the parent's public file (draw or earlier adjustment)."""
    meta = doc["meta"]
    return {"format": PUBLIC_ADJUSTMENT_FORMAT, "task_no": meta["task_no"],
            "record_id": record_id, "parent_record_id": meta["parent_record_id"],
            "parent_sha256": parent_sha256, "who": who, "at": utc_z(meta["created_at"]),
            "reason": meta["reason"], "change": dict(doc["adjustment"]),
            "visit_before": _public_visit(doc["visit_before"], names),
            "visit_after": _public_visit(doc["visit_after"], names)}


def _plain(v: Mapping[str, Any]) -> dict[str, Any]:
    return {"uscc": v["uscc"], "inspectors": [m["cert_no"] for m in v["inspectors"]],
            "leader": v["leader"], "items": v["items"]}


def check_public_adjustments(drawn: list[Mapping[str, Any]], draw_sha256: str,
                             files: list[tuple[str, Mapping[str, Any]]]) -> list[str]:
    """Apply the public adjustment files (``(sha256, doc)`` in log order) to the
    public draw's list; each must name the previous file and change exactly
    what it says.  Returns what was checked; raises AdjustmentMismatch."""
    visits = [_plain(d) for d in drawn]
    previous, done = draw_sha256, []
    for sha, doc in files:
        if doc.get("format") != PUBLIC_ADJUSTMENT_FORMAT:
            raise AdjustmentMismatch(f"调整说明格式“{doc.get('format')}”无法识别")
        if doc["parent_sha256"] != previous:
            raise AdjustmentMismatch(f"调整{doc['record_id']}所依据的公开文件与上一公开文件不符")
        if not str(doc.get("who") or "").strip() or not doc.get("at"):
            raise AdjustmentMismatch(f"调整{doc['record_id']}未公布调整人或调整时间")
        plain = {"meta": {"reason": doc["reason"], "actor": doc["who"], "created_at": doc["at"]},
                 "adjustment": doc["change"], "visit_before": _plain(doc["visit_before"]),
                 "visit_after": _plain(doc["visit_after"])}
        visits = apply(visits, plain, None)
        done.append(f"调整{doc['record_id']}（{doc['who']}，原因：{doc['reason']}）"
                    "与上一公开文件相符，只改动了所声明的内容")
        previous = sha
    return done
