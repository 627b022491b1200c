"""The five enforcement documents, after the 2016 安全生产执法文书式样.

Each ``render_*`` takes its dataclass from ``server.documents.data`` (or a
dict of the same shape) and returns the PDF as bytes.  No database, no Flask:
the server fills the data from its models and stores the bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.platypus import Flowable, Spacer

from server.documents.data import (
    SAFETY_LAW,
    DocumentBase,
    Hazard,
    InspectionRecordData,
    NoticeData,
    OnsiteMeasuresData,
    RectificationOrderData,
    ReinspectionOpinionData,
    coerce,
)
from server.documents.layout import (
    CONTENT_W,
    addressee,
    build_pdf,
    cn_date,
    cn_datetime,
    fields,
    grid,
    header,
    numbered,
    officers_paragraph,
    para,
    signature_block,
    text,
)
from server.documents.numbering import KIND_TITLE
from shared.draw.public import receipt_code

__all__ = [
    "render_inspection_record",
    "render_notice",
    "render_onsite_measures",
    "render_rectification_order",
    "render_reinspection_opinion",
]

ENTERPRISE_SIGNER = "被检查单位负责人"


def _enterprise_fields(d: DocumentBase) -> list[tuple[str, str]]:
    e = d.enterprise
    return [
        ("被检查单位", e.name),
        ("统一社会信用代码", e.uscc),
        ("地址", e.address),
        ("法定代表人（负责人）", e.legal_rep),
        ("联系人", e.contact),
        ("联系电话", e.phone),
    ]


def _hazard_table(hazards: Sequence[Hazard], orders: bool = False) -> Flowable:
    """The hazards; with ``orders`` also what was ordered and by when (the 现场检查记录
    prints the orders the enterprise signed on the tablet)."""
    w = CONTENT_W
    rows: list[list[Any]] = [["序号", "问题（隐患）描述", "部位", "等级", "违反的规定"]]
    widths = [0.08 * w, 0.40 * w, 0.16 * w, 0.08 * w, 0.28 * w]
    if orders:
        rows[0].append("处理措施")
        widths = [0.06 * w, 0.28 * w, 0.12 * w, 0.07 * w, 0.22 * w, 0.25 * w]
    for i, h in enumerate(hazards, 1):
        rows.append([str(i), h.description, h.location, h.level, h.legal_basis]
                    + ([h.measure] if orders else []))
    return grid(rows, widths, header_row=True)


def _remedies(review_authority: str, court: str, what: str) -> Flowable:
    return para(
        f"如果不服本{what}，可以依法在60日内向{text(review_authority)}申请行政复议，"
        f"或者在6个月内依法向{text(court)}提起行政诉讼，但本{what}不停止执行，"
        "法律另有规定的除外。"
    )


def _finish(d: DocumentBase, kind: str, story: list[Flowable]) -> bytes:
    story.append(signature_block(d.signatures, d.officers, d.bureau_name, d.issued_on))
    title = KIND_TITLE[kind]
    return build_pdf(story, title=f"{title} {d.number}", footer_label=d.number,
                     created=d.created_at)


def render_notice(data: NoticeData | Mapping[str, Any]) -> bytes:
    """随机抽查通知书."""
    d = coerce(NoticeData, data)
    story: list[Flowable] = header(d.bureau_name, KIND_TITLE["notice"], d.number)
    story.append(addressee(d.enterprise.name))
    officers = "、".join(f"{text(o.name)}（执法证号：{text(o.cert_no)}）" for o in d.officers)
    story.append(
        para(
            f"根据“{text(d.task_name)}”安排，本机关通过“双随机”方式抽取你单位为检查对象，"
            f"定于{cn_date(d.window_start)}至{cn_date(d.window_end)}期间，由执法人员"
            f"{officers}"
            + (f"会同专家{'、'.join(text(e) for e in d.experts)}" if d.experts else "")
            + "对你单位进行安全生产监督检查。检查事项如下："
        )
    )
    story += numbered(d.items)
    if d.materials:
        story.append(para("请你单位提前准备以下材料，并安排熟悉情况的负责人在场配合："))
        story += numbered(d.materials)
    story.append(
        para(
            "执法人员将出示行政执法证件；你单位应当如实提供有关情况和资料，"
            "不得拒绝、阻挠。执法人员与你单位有利害关系的，你单位有权申请回避。"
        )
    )
    if d.contact_person or d.contact_phone:
        story.append(para(f"联系人：{text(d.contact_person)}　联系电话：{text(d.contact_phone)}"))
    if d.receipt_code:
        code = receipt_code(d.receipt_code)
        story.append(para(
            f"抽取核验回执（仅供你单位使用，请勿外传）：任务编号{text(d.receipt_task_no)}，"
            f"回执码 {code}。你单位可在本机关信息公开网站该任务页面“企业凭回执可以核验”处，"
            "输入统一社会信用代码和回执码，核验你单位是否恰好一次列入抽取对象池、是否应被抽中。",
            "small"))
    return _finish(d, "notice", story)


def render_inspection_record(data: InspectionRecordData | Mapping[str, Any]) -> bytes:
    """现场检查记录."""
    d = coerce(InspectionRecordData, data)
    story: list[Flowable] = header(d.bureau_name, KIND_TITLE["inspection_record"], d.number)
    span = f"{cn_datetime(d.started_at)}至{cn_datetime(d.ended_at)}"
    story.append(fields(_enterprise_fields(d) + [("检查场所", d.place), ("检查时间", span)]))
    story.append(Spacer(1, 8))
    story.append(officers_paragraph(d.bureau_name, d.officers))
    if d.experts:  # drawn with the team; they sign nothing, but the record names them
        story.append(para(f"随同检查的专家：{'、'.join(text(e) for e in d.experts)}。"))
    story.append(para("现依法对你单位进行现场检查，请予配合。"))
    story.append(para("检查情况：", "plain"))
    w = CONTENT_W
    rows: list[list[Any]] = [["序号", "检查事项", "检查结果", "说明"]]
    for i, item in enumerate(d.items, 1):
        name: Any = item.name
        if item.basis:
            name = [para(text(item.name), "cell"), para(f"依据：{text(item.basis)}", "small")]
        rows.append([str(i), name, item.result, item.note])
    story.append(grid(rows, [0.08 * w, 0.50 * w, 0.14 * w, 0.28 * w], header_row=True))
    if d.findings:
        story.append(Spacer(1, 6))
        story.append(para(text(d.findings)))
    story.append(Spacer(1, 6))
    if d.hazards:
        story.append(para(f"检查发现问题（隐患）共{len(d.hazards)}项：", "plain"))
        story.append(_hazard_table(d.hazards, orders=True))
    else:
        story.append(para("本次检查未发现问题（隐患）。"))
    story.append(Spacer(1, 6))
    story.append(para("以上情况经被检查单位现场负责人核对无误。", "plain"))
    return _finish(d, "inspection_record", story)


def render_rectification_order(data: RectificationOrderData | Mapping[str, Any]) -> bytes:
    """责令限期整改指令书."""
    d = coerce(RectificationOrderData, data)
    story: list[Flowable] = header(d.bureau_name, KIND_TITLE["rectification_order"], d.number)
    story.append(addressee(d.enterprise.name))
    ref = f"（见现场检查记录{text(d.record_number)}）" if d.record_number else ""
    story.append(para(f"经{cn_date(d.inspected_on)}检查，你单位存在下列问题{ref}："))
    story.append(_hazard_table(d.hazards))
    story.append(Spacer(1, 6))
    n = len(d.hazards)
    scope = "上述问题" if n == 1 else f"上述第1至{n}项问题"
    story.append(
        para(
            f"依据{text(d.legal_basis)}的规定，现责令你单位对{scope}"
            f"于{cn_date(d.deadline)}前整改完毕，达到有关法律法规规章和标准规定的要求。"
            "由此造成事故的，依法追究有关人员的责任。"
        )
    )
    story.append(
        para(
            "整改期间，你单位应当采取措施，确保安全生产。对安全不能保障的，应当从危险区域内"
            "撤出作业人员，并疏散可能危及的其他人员，设置警戒标志，必要时暂时停产停业或者"
            "停止使用相关设施、设备。"
        )
    )
    story.append(_remedies(d.review_authority, d.court, "指令"))
    return _finish(d, "rectification_order", story)


def render_onsite_measures(data: OnsiteMeasuresData | Mapping[str, Any]) -> bytes:
    """现场处理措施决定书."""
    d = coerce(OnsiteMeasuresData, data)
    story: list[Flowable] = header(d.bureau_name, KIND_TITLE["onsite_measures"], d.number)
    story.append(addressee(d.enterprise.name))
    story.append(para(f"本机关于{cn_date(d.inspected_on)}在现场检查时，发现你单位存在下列问题："))
    story.append(_hazard_table(d.hazards))
    story.append(Spacer(1, 6))
    story.append(para(f"依据{text(d.legal_basis)}的规定，现作出如下现场处理决定："))
    story.append(para(text(d.measures)))
    story.append(_remedies(d.review_authority, d.court, "决定"))
    return _finish(d, "onsite_measures", story)


def render_reinspection_opinion(data: ReinspectionOpinionData | Mapping[str, Any]) -> bytes:
    """整改复查意见书."""
    d = coerce(ReinspectionOpinionData, data)
    story: list[Flowable] = header(d.bureau_name, KIND_TITLE["reinspection_opinion"], d.number)
    story.append(addressee(d.enterprise.name))
    story.append(
        para(
            f"本机关于{cn_date(d.order_date)}作出了责令限期整改指令书（{text(d.order_number)}），"
            f"经于{cn_date(d.reinspected_on)}对你单位整改情况进行复查，提出如下意见："
        )
    )
    w = CONTENT_W
    rows: list[list[Any]] = [["序号", "问题（隐患）", "复查结果", "说明"]]
    for i, r in enumerate(d.results, 1):
        rows.append([str(i), r.hazard, "已整改" if r.rectified else "未整改", r.note])
    story.append(grid(rows, [0.08 * w, 0.50 * w, 0.14 * w, 0.28 * w], header_row=True))
    story.append(Spacer(1, 6))
    open_count = sum(not r.rectified for r in d.results)
    if d.opinion:
        story.append(para(text(d.opinion)))
    elif open_count:
        story.append(
            para(f"尚有{open_count}项问题未整改完毕，本机关将依据{SAFETY_LAW}有关规定依法处理。")
        )
    else:
        story.append(para("经复查，上述问题已整改完毕，予以销号。"))
    return _finish(d, "reinspection_opinion", story)
