"""Turn a finished record into the JSON the server receives (``RecordSchema``)."""

from __future__ import annotations

from typing import Any

from shared.enums import OrderKind, Outcome
from shared.schemas.record import SCHEMA_VERSION


def derive_outcome(hazards: list[dict[str, Any]]) -> Outcome:
    """The published result category (一公开) implied by the hazards found."""
    if not hazards:
        return Outcome.NO_PROBLEM
    kinds = [o["kind"] for h in hazards for o in h["orders"]]
    if OrderKind.PENALTY_CASE in kinds:
        return Outcome.PENALTY
    if all(all(o["kind"] == OrderKind.FIXED_ON_SITE for o in h["orders"]) for h in hazards):
        return Outcome.CORRECTED
    return Outcome.PENDING


def _order(o: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": o["kind"],
        "deadline": o.get("deadline"),
        "measures": o.get("measures") or "",
        "transfer_to": o.get("transfer_to") or "",
    }


def _signature(s: dict[str, Any]) -> dict[str, Any]:
    out = {
        "role": s["role"],
        "name": s["name"],
        "cert_no": s["cert_no"],
        "signed_at": s["signed_at"],
        "sha256": s["sha256"],
        "size": s["size"],
        "mime": s["mime"],
    }
    if s.get("refused"):  # 拒签: the image is the witness's signature
        out |= {"refused": True, "refusal_reason": s["refusal_reason"], "witness": s["witness"]}
    return out


def build_payload(rec: dict[str, Any], *, device_id: str, submitted_by: str) -> dict[str, Any]:
    """The record payload from :func:`mobile.core.record_view.load_record`'s dict."""
    pkg = rec["package"]
    return {
        "schema_version": SCHEMA_VERSION,
        "uuid": rec["uuid"],
        "visit_id": rec["visit_id"],
        "base_version": rec["base_version"],
        "device_id": device_id,
        "submitted_by": submitted_by,
        "task_no": pkg["task"]["task_no"],
        "enterprise": {"uscc": pkg["enterprise"]["uscc"], "name": pkg["enterprise"]["name"]},
        "team": [
            {"cert_no": m["cert_no"], "name": m["name"], "leader": bool(m.get("leader"))}
            for m in pkg["team"]
        ],
        "started_at": rec["started_at"],
        "finished_at": rec["finished_at"],
        "location": rec["location"],
        "items": [
            {
                "code": i["code"],
                "result": i["result"],
                "note": i["note"] or "",
                "checked_at": i["checked_at"],
            }
            for i in rec["items"]
        ],
        "hazards": [
            {
                "id": h["id"],
                "item_code": h["item_code"],
                "description": h["description"],
                "location": h["location"],
                "level": h["level"],
                "legal_basis": h["legal_basis"],
                "orders": [_order(o) for o in h["orders"]],
                "created_at": h["created_at"],
            }
            for h in rec["hazards"]
        ],
        "attachments": [
            {
                "sha256": a["sha256"],
                "size": a["size"],
                "mime": a["mime"],
                "kind": a["kind"],
                "item_code": a["item_code"],
                "hazard_id": a["hazard_id"],
                "taken_at": a["taken_at"],
                "location": a["location"],
                "original": {
                    "sha256": a["original_sha256"],
                    "size": a["original_size"],
                    "mime": a["original_mime"],
                    "filename": a["original_name"],
                },
            }
            for a in rec["attachments"]
        ],
        "signatures": [_signature(s) for s in rec["signatures"]],
        "outcome": derive_outcome(rec["hazards"]).value,
        "trail": [
            {
                "seq": n,
                "at": t["at"],
                "by": t["by"],
                "action": t["action"],
                "target": t["target"],
                "field": t["field"],
                "old": t["old"],
                "new": t["new"],
            }
            for n, t in enumerate(rec["trail"], start=1)
        ],
    }
