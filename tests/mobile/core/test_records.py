from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from mobile.core.errors import CoreError, IncompleteRecordError, RecordLockedError
from mobile.core.outbox import Outbox
from mobile.core.records import Inspections, Order
from mobile.core.store import Store
from shared.schemas import RecordSchema, blob_hashes

from .conftest import fill_record, make_photo, make_signature


def test_start_records_time_and_is_idempotent(insp: Inspections, store: Store) -> None:
    uuid = insp.start("V-2024-001")
    assert insp.start("V-2024-001") == uuid
    rec = insp.view(uuid)
    assert rec["started_at"].startswith("2024-03-05T09:30")
    assert rec["location"] == {"lat": 40.95, "lon": 117.96, "accuracy_m": 8.0}
    assert [i["code"] for i in rec["items"]] == ["WH-01", "WH-02"]
    assert Outbox(store).get(uuid).state == "draft"
    assert [t["action"] for t in rec["trail"]] == ["start"]


def test_start_unknown_visit(insp: Inspections) -> None:
    with pytest.raises(CoreError, match="请先同步任务"):
        insp.start("nope")


def test_every_change_lands_in_the_trail(insp: Inspections) -> None:
    uuid = insp.start("V-2024-001")
    insp.set_result(uuid, "WH-01", "符合")
    insp.set_result(uuid, "WH-01", "compliant")  # no change, no entry
    insp.set_result(uuid, "WH-01", "not_applicable")
    insp.set_note(uuid, "WH-01", "仓库停用")
    trail = insp.trail(uuid)
    assert [(t["action"], t["old"], t["new"]) for t in trail[1:]] == [
        ("set_result", None, "compliant"),
        ("set_result", "compliant", "not_applicable"),
        ("set_note", "", "仓库停用"),
    ]
    assert all(t["by"] == "zhangsan" and t["target"] == "WH-01" for t in trail[1:])
    assert trail[1]["at"] < trail[2]["at"]


def test_item_outside_the_list_is_refused(insp: Inspections) -> None:
    uuid = insp.start("V-2024-001")
    with pytest.raises(CoreError, match="清单之外无检查"):
        insp.set_result(uuid, "XX-99", "compliant")


def test_hazard_orders_validated_and_updates_trailed(insp: Inspections) -> None:
    uuid = insp.start("V-2024-001")
    with pytest.raises(CoreError, match="整改期限"):
        insp.add_hazard(uuid, description="x", level="general", orders=Order("deadline"))
    with pytest.raises(CoreError, match="移送机关"):
        insp.add_hazard(uuid, description="x", level="general", orders=Order("移送"))
    hz = insp.add_hazard(uuid, description="配电箱无防护", level="重大", orders=[Order("当场整改")])
    insp.update_hazard(
        uuid,
        hz,
        orders=[Order("deadline", deadline=date(2024, 3, 9)), Order("立案处罚")],
    )
    rec = insp.view(uuid)
    assert rec["hazards"][0]["level"] == "major"
    assert [o["kind"] for o in rec["hazards"][0]["orders"]] == ["deadline", "penalty_case"]
    upd = [t for t in rec["trail"] if t["action"] == "update_hazard"]
    assert len(upd) == 1 and upd[0]["field"] == "orders"
    assert upd[0]["old"][0]["kind"] == "fixed_on_site"
    insp.remove_hazard(uuid, hz)
    assert insp.view(uuid)["hazards"] == []


def test_signature_must_be_team_member(insp: Inspections, tmp_path: Path) -> None:
    uuid = insp.start("V-2024-001")
    with pytest.raises(CoreError, match="不是本次检查组成员"):
        insp.add_signature(uuid, role="inspector", name="某某", cert_no="999",
                           image=make_signature(tmp_path / "x.png"))  # fmt: skip


def test_finish_lists_what_is_missing(insp: Inspections, store: Store) -> None:
    uuid = insp.start("V-2024-001")
    insp.set_result(uuid, "WH-02", "noncompliant")
    with pytest.raises(IncompleteRecordError) as err:
        insp.finish(uuid)
    text = "\n".join(err.value.problems)
    assert "第1项「安全生产责任制」未填写检查结果" in text
    assert "不符合，但未登记隐患" in text
    assert "张三" in text and "李四" in text and "被检查单位负责人" in text
    assert Outbox(store).get(uuid).state == "draft"
    assert insp.view(uuid)["locked"] is False


def test_finish_locks_builds_valid_payload_and_queues(
    insp: Inspections, store: Store, tmp_path: Path
) -> None:
    uuid = fill_record(insp, tmp_path)
    summary = insp.summary(uuid)
    assert summary.ready, summary.problems
    assert "被检查单位：承德某化工有限公司" in summary.text
    assert "责令限期整改，期限至2024年3月20日" in summary.text
    payload = insp.finish(uuid)
    RecordSchema().load(payload)  # what the server will check
    assert payload["outcome"] == "pending"
    assert payload["trail"][-1]["action"] == "finish"
    assert [t["seq"] for t in payload["trail"]] == list(range(1, len(payload["trail"]) + 1))
    assert len(blob_hashes(payload)) == 5  # copy + original + 3 signatures
    entry = Outbox(store).get(uuid)
    assert entry.state == "queued"
    assert json.loads(entry.payload) == payload
    with pytest.raises(RecordLockedError):
        insp.set_note(uuid, "WH-01", "late edit")
    with pytest.raises(RecordLockedError):
        insp.add_attachment(uuid, make_photo(tmp_path / "late.jpg"))


def test_drafts_survive_a_killed_app(store: Store, font: tuple[str, int], tmp_path: Path) -> None:
    insp = Inspections(store, font=font)
    uuid = insp.start("V-2024-001")
    insp.set_result(uuid, "WH-01", "compliant")
    insp.add_attachment(uuid, make_photo(tmp_path / "p.jpg"), item_code="WH-01")
    # no close(), no commit call: reopen the file as a fresh process would
    again = Store(store.data_dir)
    rec = Inspections(again, font=font).view(uuid)
    assert rec["items"][0]["result"] == "compliant"
    assert len(rec["attachments"]) == 1
    assert Path(rec["attachments"][0]["original_path"]).is_file()
    assert len(rec["trail"]) == 3
    again.close()


def test_reopen_sent_record_is_amendment(insp: Inspections, store: Store, tmp_path: Path) -> None:
    uuid = fill_record(insp, tmp_path)
    first = insp.finish(uuid)
    box = Outbox(store)
    box.take(uuid)
    box.mark_sent(uuid, version=1)
    with pytest.raises(CoreError, match="理由"):
        insp.reopen(uuid, " ")
    insp.reopen(uuid, "企业负责人姓名写错")
    insp.set_note(uuid, "WH-01", "补充说明")
    payload = insp.finish(uuid)
    assert payload["base_version"] == 1
    assert payload["finished_at"] == first["finished_at"]  # the on-site end time stays
    assert [t["action"] for t in payload["trail"]][-3:] == ["reopen", "set_note", "finish"]


def test_attachment_links_checked_and_duplicates_refused(insp: Inspections, tmp_path: Path) -> None:
    uuid = insp.start("V-2024-001")
    photo = make_photo(tmp_path / "p.jpg")
    with pytest.raises(CoreError, match="清单之外"):
        insp.add_attachment(uuid, photo, item_code="NOPE")
    assert list(insp.store.files_dir.iterdir()) == []  # refused before any work
    att = insp.add_attachment(uuid, photo, item_code="WH-01")
    with pytest.raises(CoreError, match="已经添加过"):
        insp.add_attachment(uuid, photo, item_code="WH-01")
    insp.add_attachment(uuid, photo, item_code="WH-02")  # same photo, other item: fine
    rec = insp.view(uuid)
    assert rec["attachments"][0]["location"] == {"lat": 40.95, "lon": 117.96, "accuracy_m": 8.0}
    insp.remove_attachment(uuid, att)
    actions = [t["action"] for t in insp.trail(uuid)]
    assert actions == ["start", "add_attachment", "add_attachment", "remove_attachment"]


def test_overview_for_the_task_list(insp: Inspections, store: Store) -> None:
    from .conftest import make_package

    store.apply_pull([make_package("V-0")], [], "c2")
    uuid = insp.start("V-2024-001")
    rows = {r["visit_id"]: r for r in insp.overview()}
    assert rows["V-0"]["state"] is None and rows["V-0"]["record_uuid"] is None
    assert rows["V-2024-001"]["state"] == "draft" and rows["V-2024-001"]["record_uuid"] == uuid
    assert rows["V-2024-001"]["enterprise"] == "承德某化工有限公司"
    assert rows["V-2024-001"]["items"] == 2 and rows["V-2024-001"]["withdrawn"] is False


def test_camera_capture_is_moved_into_the_store(insp: Inspections, store: Store) -> None:
    uuid = insp.start("V-2024-001")
    shot = make_photo(store.new_capture(".jpg"), size=(1000, 750))
    data = shot.read_bytes()
    insp.add_attachment(uuid, shot, item_code="WH-01", capture=True)
    (att,) = insp.view(uuid)["attachments"]
    assert Path(att["original_path"]).read_bytes() == data
    assert Path(att["original_path"]).parent == store.files_dir
    assert list(store.captures_dir.iterdir()) == []  # stored once, nothing left behind


def test_drawn_experts_are_on_the_summary_and_the_enterprise_file(
    insp: Inspections, store: Store, tmp_path: Path
) -> None:
    # The draw sends the experts with the team; the inspector sees them in the
    # enterprise file, and the enterprise reads them on the summary it signs.
    from mobile.ui.enterprise import enterprise_text

    from .conftest import make_package

    pkg = make_package("V-E", experts=["赵静强（太原理工大学）"], host_department="执法监察科")
    store.apply_pull([pkg], [], "c2")
    uuid = fill_record(insp, tmp_path, visit_id="V-E")
    assert "随同检查的专家：赵静强（太原理工大学）" in insp.summary(uuid).text
    team = enterprise_text(store.package("V-E"))["team"]
    assert "专家：赵静强（太原理工大学）" in team and "主办科室：执法监察科" in team
    plain = fill_record(insp, tmp_path)  # the usual package: no experts, no line
    assert "专家" not in insp.summary(plain).text
