"""Signatures attest to a complete record; a change voids them visibly; 拒签 is a
refusal with its reason and a witness, and travels to the server as such."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mobile.core.errors import CoreError, IncompleteRecordError
from mobile.core.records import Inspections, Order
from mobile.core.summary import signature_states
from shared.schemas.record import RecordSchema

from .conftest import make_signature


def _sign_officers(insp: Inspections, uuid: str, tmp_path: Path) -> None:
    for name, cert in (("张三", "13080020001"), ("李四", "13080020002")):
        insp.add_signature(uuid, role="inspector", name=name, cert_no=cert,
                           image=make_signature(tmp_path / f"{cert}.png"))  # fmt: skip


def test_nobody_signs_an_incomplete_record(insp: Inspections, tmp_path: Path) -> None:
    uuid = insp.start("V-2024-001")
    insp.set_result(uuid, "WH-01", "compliant")
    insp.set_result(uuid, "WH-02", "noncompliant")  # and no hazard yet
    with pytest.raises(IncompleteRecordError, match="请先完成后再签名") as caught:
        _sign_officers(insp, uuid, tmp_path)
    assert caught.value.problems == ["第2项「危化品库房通风」不符合，但未登记隐患及处理措施"]
    assert insp.view(uuid)["signatures"] == []


def test_a_change_after_signing_voids_the_signatures_and_says_so(insp, tmp_path) -> None:
    uuid = insp.start("V-2024-001")
    insp.set_result(uuid, "WH-01", "compliant")
    insp.set_result(uuid, "WH-02", "compliant")
    _sign_officers(insp, uuid, tmp_path)
    assert signature_states(insp.view(uuid)) == {"13080020001": "valid", "13080020002": "valid"}
    insp.set_note(uuid, "WH-01", "补充说明")
    assert signature_states(insp.view(uuid)) == {"13080020001": "void", "13080020002": "void"}
    text = insp.summary(uuid).text
    assert "张三（签名已失效，须重签）" in text
    assert "张三签名后记录内容有改动，签名已失效，请重新签名" in insp.summary(uuid).problems


def test_refusal_with_reason_and_witness_goes_to_the_server(insp, tmp_path) -> None:
    uuid = insp.start("V-2024-001")
    insp.set_result(uuid, "WH-01", "compliant")
    insp.set_result(uuid, "WH-02", "noncompliant")
    insp.add_hazard(uuid, description="库房未通风", level="general", item_code="WH-02",
                    orders=Order("fixed_on_site"))  # fmt: skip
    _sign_officers(insp, uuid, tmp_path)
    with pytest.raises(CoreError, match="拒签理由"):
        insp.refuse_signature(uuid, name="王五", reason=" ", witness="孙七",
                              image=make_signature(tmp_path / "w.png"))  # fmt: skip
    insp.refuse_signature(uuid, name="王五", reason="不认可检查结论", witness="孙七（门卫）",
                          image=make_signature(tmp_path / "w.png"))  # fmt: skip
    assert "王五拒绝签字，理由：不认可检查结论；见证人：孙七（门卫）" in insp.summary(uuid).text
    payload = insp.finish(uuid)
    ent = next(s for s in payload["signatures"] if s["role"] == "enterprise")
    assert ent["refused"] is True and ent["witness"] == "孙七（门卫）"
    assert RecordSchema().load(json.loads(json.dumps(payload)))["signatures"][2]["refused"]
