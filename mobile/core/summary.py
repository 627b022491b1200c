"""The 现场检查记录 text the inspector reviews (and the enterprise reads) before
signing, and the list of what still blocks finishing the record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mobile.core.timefmt import local
from shared.enums import CheckMethod, HazardLevel, ItemCategory, ItemResult, OrderKind
from shared.orders import describe_order

CONTENT_ACTIONS = frozenset(
    {"set_result", "set_note", "add_attachment", "remove_attachment", "add_hazard",
     "update_hazard", "remove_hazard"}
)  # fmt: skip


@dataclass(frozen=True)
class Summary:
    title: str
    text: str
    problems: list[str]

    @property
    def ready(self) -> bool:
        return not self.problems


def _cn_time(value: str | None) -> str:
    if not value:
        return "____年__月__日__时__分"
    dt = local(value)  # the bureau's zone, whatever the tablet's clock zone
    return f"{dt.year}年{dt.month}月{dt.day}日{dt.hour:02d}时{dt.minute:02d}分"


def _label(enum: type, code: str | None, default: str = "") -> str:
    if not code:
        return default
    try:
        return enum.parse(code).label
    except ValueError:
        return code


def problems(rec: dict[str, Any]) -> list[str]:
    """What must still be done before the record can be finished, one line each."""
    out = content_problems(rec)
    states = signature_states(rec)
    for m in rec["package"].get("team", []):
        if m["cert_no"] not in states:
            out.append(f"缺少执法人员{m['name']}（证号{m['cert_no']}）的签名")
    if "enterprise" not in states:
        out.append("缺少被检查单位负责人的签名（或拒签记录）")
    out += stale_signatures(rec)
    return out


def content_problems(rec: dict[str, Any]) -> list[str]:
    """What the record itself still lacks: nobody signs a record with these open
    (a signature attests to a complete record)."""
    out: list[str] = []
    hazard_items = {h["item_code"] for h in rec["hazards"] if h["item_code"]}
    for n, item in enumerate(rec["items"], start=1):
        if not item["result"]:
            out.append(f"第{n}项「{item['name']}」未填写检查结果")
        elif item["result"] == ItemResult.NONCOMPLIANT and item["code"] not in hazard_items:
            out.append(f"第{n}项「{item['name']}」不符合，但未登记隐患及处理措施")
    started = (rec["started_at"] or "")[:10]
    for h in rec["hazards"]:
        for o in h["orders"]:
            if o["kind"] == OrderKind.DEADLINE and o.get("deadline") and o["deadline"] < started:
                out.append(f"隐患「{h['description'][:20]}」的整改期限早于检查日期")
    return out


def signature_states(rec: dict[str, Any]) -> dict[str, str]:
    """Per signer key: ``valid``, or ``void`` (the record changed after signing: the
    screens say so and the person signs again). Unsigned keys are absent."""
    stale = set(_stale_keys(rec))
    return {s["signer_key"]: "void" if s["signer_key"] in stale else "valid"
            for s in rec["signatures"]}  # fmt: skip


def stale_signatures(rec: dict[str, Any]) -> list[str]:
    """A signature attests to what the signer read: content changed after it, on
    site, means that person must sign again. Amendments after a ``reopen`` (the
    enterprise is no longer at hand) are instead justified by the reason in the
    trail and judged by legal review."""
    names = {s["signer_key"]: s["name"] for s in rec["signatures"]}
    return [f"{names[key]}签名后记录内容有改动，签名已失效，请重新签名" for key in _stale_keys(rec)]


def _stale_keys(rec: dict[str, Any]) -> list[str]:
    reopened = min((t["seq"] for t in rec["trail"] if t["action"] == "reopen"), default=None)
    last_change = max(
        (
            t["seq"]
            for t in rec["trail"]
            if t["action"] in CONTENT_ACTIONS and (reopened is None or t["seq"] < reopened)
        ),
        default=0,
    )
    held = {s["signer_key"] for s in rec["signatures"]}
    signed_at: dict[str, int] = {}
    for t in rec["trail"]:
        if t["action"] in ("add_signature", "refuse_signature"):
            signed_at[t["target"]] = t["seq"]
    return [key for key, seq in signed_at.items() if key in held and seq < last_change]


def build_summary(rec: dict[str, Any]) -> Summary:
    pkg = rec["package"]
    ent = pkg.get("enterprise", {})
    team = pkg.get("team", [])
    task = pkg.get("task", {})
    lines = [
        f"被检查单位：{ent.get('name', '')}",
        f"统一社会信用代码：{ent.get('uscc', '')}",
        f"地址：{ent.get('address') or ''}",
        f"法定代表人（负责人）：{ent.get('legal_rep') or ''}",
        f"检查时间：{_cn_time(rec['started_at'])}至{_cn_time(rec['finished_at'])}",
        "检查人员及执法证号：" + "、".join(f"{m['name']}（{m['cert_no']}）" for m in team),
        *([f"随同检查的专家：{'、'.join(pkg['experts'])}"] if pkg.get("experts") else []),
        f"抽查任务：{task.get('name', '')}（{task.get('task_no', '')}）",
        "",
        "检查情况：",
    ]
    for n, item in enumerate(rec["items"], start=1):
        key = "【重点】" if item.get("category") == ItemCategory.KEY else ""
        method = _label(CheckMethod, item.get("method"))
        result = _label(ItemResult, item["result"], "（未检查）")
        line = f"{n}. {key}{item['name']}"
        if item.get("sub_item"):
            line += f"—{item['sub_item']}"
        if method:
            line += f"（{method}）"
        line += f"：{result}。"
        if item["note"]:
            line += item["note"]
        lines.append(line)
    lines += ["", "发现的问题及处理："]
    if not rec["hazards"]:
        lines.append("未发现安全生产违法行为和事故隐患。")
    for n, h in enumerate(rec["hazards"], start=1):
        level = _label(HazardLevel, h["level"])
        line = f"{n}. 【{level}隐患】{h['description']}"
        if h["location"]:
            line += f"（{h['location']}）"
        if h["legal_basis"]:
            line += f"。依据：{h['legal_basis']}"
        line += "。处理：" + "；".join(describe_order(o) for o in h["orders"]) + "。"
        lines.append(line)
    kinds = [a["kind"] for a in rec["attachments"]]
    lines += [
        "",
        f"现场证据：照片{kinds.count('photo')}张，录音{kinds.count('audio')}段，"
        f"文件{kinds.count('document')}份。",
        "",
    ]
    signed = {s["signer_key"]: s for s in rec["signatures"]}
    states = signature_states(rec)
    word = {"valid": "（已签名）", "void": "（签名已失效，须重签）"}
    officers = "、".join(m["name"] + word.get(states.get(m["cert_no"], ""), "（未签名）")
                         for m in team)  # fmt: skip
    ent_sig = signed.get("enterprise")
    lines.append(f"检查人员签名：{officers}")
    if ent_sig and ent_sig.get("refused"):
        lines.append(
            f"被检查单位负责人：{ent_sig['name']}拒绝签字，理由：{ent_sig['refusal_reason']}；"
            f"见证人：{ent_sig['witness']}"
            + ("（拒签记录已失效，须重新处理）" if states.get("enterprise") == "void" else "")
        )
    else:
        signed_by = ent_sig["name"] + word[states["enterprise"]] if ent_sig else "（未签名）"
        lines.append("被检查单位负责人签名：" + signed_by)
    return Summary("现场检查记录", "\n".join(lines), problems(rec))


HAZARD_NAME_MAX = 40  # characters of a hazard's description a header can hold


def hazard_target(hazard: dict[str, Any] | None, items: dict[str, tuple[int, str]]) -> str:
    """隐患（第3项）：description… – the hazard named so that the confirmation that
    prevents wrong targets names it, and a cut shows it is cut."""
    if hazard is None:
        return "隐患"
    text = hazard["description"]
    if len(text) > HAZARD_NAME_MAX:
        text = text[: HAZARD_NAME_MAX - 1].rstrip() + "…"
    item = items.get(hazard.get("item_code") or "")
    return (f"隐患（第{item[0]}项）：" if item else "隐患：") + text
