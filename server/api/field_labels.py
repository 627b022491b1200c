"""The Chinese name of an API field, for the one sentence a person reads when a
request is refused (server/errors.py): “计划编号：长度应在1至64个字符之间”, not
“plan_no：…”.  The machine-readable field keys stay in the answer's ``errors``.

The names are the spreadsheet column headers (the plan table and the registry
specs, which the console's forms use too), so a field is called the same
wherever a person meets it; a few fields exist only in the API and are named
here.  ``name`` and a few others mean different things in different schemas:
the schema a refusal came from picks the table first.
"""

from __future__ import annotations

import functools

# Fields no spreadsheet has.
API_ONLY = {
    "name": "名称", "status": "状态", "state": "状态", "id": "编号", "year": "年度",
    "reason": "理由", "note": "备注", "q": "关键词", "page": "页码", "per_page": "每页条数",
    "username": "用户名", "password": "密码", "display_name": "姓名", "role": "角色",
    "inspector_cert": "执法证号", "device_id": "设备编号", "token": "令牌",
    "old": "原密码", "new": "新密码", "active": "是否启用",
    "kind": "类型", "source": "公共随机数来源", "beacon": "公共随机数",
    "numbers": "开奖号码", "lottery_draw": "彩票期号", "lottery_time": "开奖时间",
    "item_codes": "抽查事项编号", "rules": "抽取规则", "printed": "计划原文",
    "approve": "是否通过", "outcome": "审核结果", "action": "操作", "to": "去向",
    "transfer_to": "移送机关", "due_on": "期限", "inspected_on": "检查日期",
    "issued_on": "签发日期", "reported_on": "报告日期", "valid_on": "有效日期",
    "cursor": "同步位置", "file": "文件", "format": "文件格式", "registry": "名录库",
    "replace": "替换对象", "team": "检查组", "visit_id": "检查记录", "version": "版本",
    "revision": "修订号", "field": "执法领域", "entity": "对象类型", "entity_key": "对象编号",
    "actor": "操作人", "tasks": "抽查任务", "plan_name": "计划名称", "specialty": "专业",
}


@functools.cache
def _tables() -> tuple[dict[str, str], tuple[tuple[str, dict[str, str]], ...]]:
    # Imported here: the specs import the services, which need the app's modules.
    from ..services.plan_table import PLAN_SPEC
    from ..services.registry_io.specs import ENTERPRISES, EXPERTS, INSPECTORS, ITEMS

    def of(spec) -> dict[str, str]:
        return {c.attr: c.header for c in spec.columns}

    plan = of(PLAN_SPEC)
    general = {**of(ITEMS), **of(EXPERTS), **of(INSPECTORS), **of(ENTERPRISES), **plan,
               **API_ONLY}
    # The schema's class name says which table a field belongs to (TaskSchema,
    # EnterpriseUpdateSchema, CheckItemSchema …); the first match wins.
    by_schema = (("Task", plan), ("Plan", {**plan, "name": "计划名称"}),
                 ("Enterprise", of(ENTERPRISES)), ("Inspector", of(INSPECTORS)),
                 ("Expert", of(EXPERTS)), ("Item", of(ITEMS)))
    return general, by_schema


def field_label(key: str, schema: object | None = None) -> str:
    """The Chinese name of *key* (a field of *schema*, when known); the key itself
    when no table names it."""
    general, by_schema = _tables()
    cls = type(schema).__name__ if schema is not None else ""
    for word, table in by_schema:
        if word in cls and key in table:
            return table[key]
    return general.get(key, key)
