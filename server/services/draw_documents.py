"""The two documents of the draw a case carries: its 随机抽取记录 (the draw
that chose it, laid out with the documents' page furniture) and the
随机抽查通知书 of an announced visit. Filled from the case like the other
enforcement documents (``case_documents``)."""

from __future__ import annotations

import hashlib
from datetime import date

import sqlalchemy as sa
from reportlab.platypus import Spacer

from shared.lifecycle import DrawKind

from .. import documents as docs
from ..documents.layout import build_pdf, fields, header, para, text
from ..extensions import db
from ..localtime import SECONDS, local_time
from ..models import DrawRecord
from ..models.case import Case
from ..models.sync import Dispatch
from .accounts import person_name
from .case_documents import TITLES, bureau_name, enterprise, item_names, notice_items, officers
from .draw import export_record
from .draw_public import receipt_for_visit


def _beacon_text(rec: DrawRecord) -> str:
    """The public value the draw used, as the record names it (older records: none)."""
    from shared.draw import load_record

    # The record's head (without the pool) holds the beacon value.
    beacon = (load_record(rec.record_json).get("beacon") or {}) if rec.freeze_id else {}
    if beacon.get("source") == "drand":
        return f"公共随机数（drand 信标）第{beacon['round']}轮（链 {beacon['chain'][:16]}…）"
    if beacon.get("source") == "lottery":
        return f"彩票开奖结果 {beacon['id']} 第{beacon['draw_no']}期 {' '.join(beacon['numbers'])}"
    if beacon.get("source") == "local":
        return "本地随机数（仅用于演示和测试，不具公信力）"
    return "无（旧版记录，仅种子承诺）"


def render_draw_record(case: Case) -> bytes:
    """随机抽取记录: what the draw record says about this visit, with its hashes."""
    rec = db.session.get(DrawRecord, case.visit.draw_record_id)
    task = case.task
    story = header(bureau_name(), TITLES["draw_record"], f"抽取记录第{rec.id}号")
    story.append(fields([
        ("抽查计划", f"{task.plan.plan_no} {task.plan.name}"),
        ("抽查任务", f"{task.task_no} {task.name}"),
        ("抽取类型", DrawKind(rec.kind).label),
        ("抽取时间", local_time(rec.created_at, SECONDS)),
        ("操作人", person_name(rec.actor)),
        ("对象池数量", str(rec.pool_size)),
        ("算法版本", rec.algorithm_version),
        ("种子承诺值", rec.seed_commitment),
        ("随机种子", rec.seed),
        ("公共随机数", _beacon_text(rec)),
        ("对象池哈希", rec.pool_hash),
        ("记录文件SHA-256", hashlib.sha256(export_record(rec)).hexdigest()),
    ]))
    story.append(Spacer(1, 8))
    story.append(para(f"抽中检查对象：{text(case.enterprise.name)}"
                      f"（统一社会信用代码：{text(case.enterprise.uscc)}）"))
    team = "、".join(f"{text(m.inspector.name)}（{text(m.inspector.cert_no)}）"
                     + ("（组长）" if m.leader else "") for m in case.visit.members)
    story.append(para(f"随机选派执法人员：{team}"))
    if case.visit.expert_names:
        story.append(para(f"随机抽取专家：{text('、'.join(case.visit.expert_names))}"))
    if case.visit.host_department:
        story.append(para(f"主办科室：{text(case.visit.host_department)}"))
    names = item_names(case.visit.item_version, case.visit.item_codes)
    story.append(para(f"抽取检查事项：{text('、'.join(names))}"))
    story.append(para("任何人可用随机种子核对种子承诺值，并以公开的摇号记录核验本次抽取结果；"
                      "完整记录可向本机关申请复算。", "small"))
    # Rendered again for every dossier: dated by the draw, so its bytes stay the same.
    return build_pdf(story, title=TITLES["draw_record"], footer_label=f"抽取记录{rec.id}",
                     created=rec.created_at)


def render_notice(case: Case) -> tuple[str, date, bytes] | None:
    d = db.session.scalar(sa.select(Dispatch).where(Dispatch.visit_id == case.visit_id))
    if d is None or d.notice_no is None or case.task.unannounced:
        return None  # not dispatched, or 暗查: an unannounced inspection has no notice
    task = case.task
    receipt = receipt_for_visit(case.visit.draw_record_id, case.enterprise.uscc)
    pdf = docs.render_notice(docs.NoticeData(
        bureau_name=bureau_name(), number=d.notice_no, issued_on=d.notice_sent_on,
        enterprise=enterprise(case), officers=officers(case), task_name=task.name,
        window_start=task.window_start, window_end=task.window_end,
        **notice_items(case.visit.item_version, case.visit.item_codes),
        experts=list(case.visit.expert_names or []),
        receipt_code=receipt["salt"] if receipt else "", receipt_task_no=task.task_no,
        created_at=d.dispatched_at))
    return d.notice_no, d.notice_sent_on, pdf
