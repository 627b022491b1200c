from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import ValidationError

from shared.schemas import (
    ErrorSchema,
    PullResponseSchema,
    RecordSchema,
    RecordStatusSchema,
    TaskPackageSchema,
    blob_hashes,
    canonical_json,
)
from shared.uscc import make_uscc

H = [c * 64 for c in "abcdef"]
T = "2024-03-05T09:30:00+08:00"

RECORD: dict[str, Any] = {
    "schema_version": 1,
    "uuid": "5b2c8e7a-0d1f-4c4e-9a55-0c6c1f0e9b21",
    "visit_id": "V1",
    "base_version": None,
    "device_id": "dev-1",
    "submitted_by": "zhangsan",
    "task_no": "T1",
    "enterprise": {"uscc": make_uscc("91130800MA0A1B2C3"), "name": "某公司"},
    "team": [
        {"cert_no": "1", "name": "张三", "leader": True},
        {"cert_no": "2", "name": "李四", "leader": False},
    ],
    "started_at": T,
    "finished_at": "2024-03-05T11:00:00+08:00",
    "location": None,
    "items": [
        {"code": "A", "result": "compliant", "note": "", "checked_at": T},
        {"code": "B", "result": "noncompliant", "note": "x", "checked_at": T},
    ],
    "hazards": [
        {
            "id": "0c9b8e7a-0d1f-4c4e-9a55-0c6c1f0e9b21",
            "item_code": "B",
            "description": "库房未通风",
            "location": "",
            "level": "general",
            "legal_basis": "",
            "orders": [{"kind": "deadline", "deadline": "2024-03-20"}],
            "created_at": T,
        }
    ],
    "attachments": [
        {
            "sha256": H[0], "size": 10, "mime": "image/jpeg", "kind": "photo",
            "item_code": "B", "hazard_id": "0c9b8e7a-0d1f-4c4e-9a55-0c6c1f0e9b21",
            "taken_at": T, "location": {"lat": 40.9, "lon": 117.9, "accuracy_m": None},
            "original": {"sha256": H[1], "size": 99, "mime": "image/jpeg", "filename": "a.jpg"},
        }
    ],
    "signatures": [
        {"role": "inspector", "name": "张三", "cert_no": "1", "signed_at": T,
         "sha256": H[2], "size": 5, "mime": "image/png"},
        {"role": "inspector", "name": "李四", "cert_no": "2", "signed_at": T,
         "sha256": H[3], "size": 5, "mime": "image/png"},
        {"role": "enterprise", "name": "王五", "cert_no": None, "signed_at": T,
         "sha256": H[2], "size": 5, "mime": "image/png"},
    ],
    "outcome": "pending",
    "trail": [{"seq": 1, "at": T, "by": "zhangsan", "action": "start"}],
}  # fmt: skip


def changed(path: str, value: Any) -> dict[str, Any]:
    rec = copy.deepcopy(RECORD)
    *parents, last = path.split(".")
    node: Any = rec
    for p in parents:
        node = node[int(p)] if p.isdigit() else node[p]
    if value is KeyError:
        del node[last]
    else:
        node[int(last) if last.isdigit() else last] = value
    return rec


def errors_of(rec: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(ValidationError) as err:
        RecordSchema().load(rec)
    return err.value.messages


def test_valid_record_loads() -> None:
    data = RecordSchema().load(RECORD)
    assert data["hazards"][0]["orders"][0]["deadline"].isoformat() == "2024-03-20"


def test_blob_hashes_in_order_without_repeats() -> None:
    assert blob_hashes(RECORD) == [H[0], H[1], H[2], H[3]]


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("schema_version", 2, "schema_version"),
        ("uuid", "not-a-uuid", "uuid"),
        ("enterprise.uscc", "91130800MA0A1B2C3X", "enterprise"),
        ("items.0.result", "符合", "items"),  # codes travel, not labels
        ("items.1.code", "A", "items"),
        ("hazards.0.orders.0.deadline", None, "hazards"),
        ("hazards.0.orders", [], "hazards"),
        ("hazards.0.item_code", "Z", "hazards"),
        ("attachments.0.mime", "image/gif", "attachments"),
        ("attachments.0.sha256", "ABC", "attachments"),
        ("attachments.0.hazard_id", "0c9b8e7a-0d1f-4c4e-9a55-000000000000", "attachments"),
        ("started_at", "2024-03-05T09:30:00", "started_at"),  # naive time
        ("finished_at", "2024-03-05T08:00:00+08:00", "finished_at"),
        ("team", [{"cert_no": "1", "name": "张三"}], "team"),
        ("signatures.1.cert_no", None, "signatures"),
        ("signatures", [], "signatures"),
        ("outcome", "unknown", "outcome"),
        ("trail", KeyError, "trail"),
        ("surprise", 1, "surprise"),
    ],
)
def test_invalid_records_name_the_field(path: str, value: Any, field: str) -> None:
    assert field in errors_of(changed(path, value))


def test_messages_are_chinese() -> None:
    msgs = errors_of(changed("hazards.0.orders.0.deadline", None))
    assert "责令限期整改须填写整改期限" in json.dumps(msgs, ensure_ascii=False)
    msgs = errors_of(changed("signatures", RECORD["signatures"][:2]))
    assert msgs["signatures"] == ["缺少被检查单位负责人签名"]


@given(st.permutations(list(RECORD)))
def test_canonical_json_ignores_key_order(keys: list[str]) -> None:
    shuffled = {k: RECORD[k] for k in keys}
    assert canonical_json(shuffled) == canonical_json(RECORD)
    assert b" " not in canonical_json(shuffled).replace("库房未通风".encode(), b"")


def test_package_schema_keeps_extra_keys_and_rejects_unknown_top_level() -> None:
    pkg = {
        "visit_id": "V1",
        "task": {"task_no": "T", "name": "n", "window_start": "2024-03-01",
                 "window_end": "2024-03-31", "unannounced": True},
        "team": RECORD["team"],
        "enterprise": {"uscc": RECORD["enterprise"]["uscc"], "name": "某公司",
                       "tags": ["涉氨制冷"]},
        "items": [{"code": "A", "name": "事项", "method": "on_site", "category": "key"}],
    }  # fmt: skip
    data = TaskPackageSchema().load(pkg)
    assert data["enterprise"]["tags"] == ["涉氨制冷"] and data["notice"] is None
    assert data["history"] == {"previous_results": [], "open_hazards": []}
    with pytest.raises(ValidationError):
        TaskPackageSchema().load({**pkg, "credit_class": "D"})
    with pytest.raises(ValidationError):
        TaskPackageSchema().load({**pkg, "items": [{"code": "A", "name": "x", "method": "看"}]})
    assert PullResponseSchema().load({"cursor": "c", "packages": [pkg]})["withdrawn"] == []


def test_status_and_error_shapes() -> None:
    s = RecordStatusSchema().load(
        {"uuid": RECORD["uuid"], "version": 2, "complete": False, "missing_blobs": [H[0]]}
    )
    assert s["missing_blobs"] == [H[0]]
    e = ErrorSchema().load({"code": 409, "status": "Conflict", "message": "不同内容"})
    assert e["errors"] == {}
