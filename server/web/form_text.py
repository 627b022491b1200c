"""Console and public forms: no control characters in any field, checked once.

The API refuses them in its argument parser (server/api/__init__.py); a form is
checked here, before any view reads it, with the field's Chinese name in the
message (a refused form changes nothing and goes back to its page).
"""

from __future__ import annotations

import calendar
import re
from typing import Any

from flask import request
from marshmallow import Schema, ValidationError

from shared.text import CONTROL_MESSAGE, control_paths

from ..services.errors import ServiceError

# The form fields' names as the pages label them; an unknown name is "输入内容".
LABELS = {
    "authority": "发布机关", "beacon": "信标数据", "cert_no": "执法证号", "department": "科室",
    "display_name": "姓名", "draw_type": "抽查类型", "due_on": "期限", "findings": "检查发现",
    "from": "起始日期",
    "general_items": "一般事项", "holidays": "节假日", "industries": "行业领域",
    "item_codes": "抽查事项", "item_scope": "事项范围", "joint_departments": "联合部门",
    "key": "密钥", "kind": "类别", "late": "逾期说明", "license_expiry": "许可证有效期",
    "lottery_draw": "彩票期号", "lottery_time": "开奖时间", "name": "名称", "note": "备注",
    "number": "编号", "numbers": "开奖号码", "outcome": "检查结果", "password": "密码",
    "plan_name": "计划名称", "plan_no": "计划编号", "q": "搜索内容", "ratio": "抽查比例",
    "reason": "理由", "reported_on": "报告日期", "review": "审核意见", "role": "角色",
    "source": "随机数来源", "target_filter": "抽查对象范围", "task": "任务", "task_no": "任务编号",
    "team": "检查组", "team_size": "每户检查人数", "to": "去向", "token": "令牌",
    "transfer_to": "移送机关",
    "username": "用户名", "uscc": "统一社会信用代码", "window_end": "结束日期",
    "window_start": "开始日期", "word": "文号", "workdays": "工作日", "year": "年度",
}


def check_form() -> None:
    """Refuse a form (or query string) in which any field holds a control character."""
    if request.path.startswith("/api/"):
        return
    places = control_paths(request.args)
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        places += control_paths(request.form)
    if places:
        names = dict.fromkeys(LABELS.get(str(p[0]), "输入内容") for p in places if p)
        raise ServiceError(f"“{'”“'.join(names)}”{CONTROL_MESSAGE}；未作任何更改", 400)


def load_form(schema: Schema, values: dict[str, Any]) -> dict[str, Any]:
    """A form's values through the API's own schema, so a bound the API keeps
    (年度 2000–2100, 编号至多64字…) is kept by the console too, in one place.
    A refusal names each field as the page labels it, by the one handler."""
    try:
        return schema.load(values)
    except ValidationError as exc:
        problems = [f"{LABELS.get(name, '输入内容')}：{_first(texts)}"
                    for name, texts in exc.normalized_messages().items()]
        raise ServiceError("；".join(problems), 422) from None


def _first(texts: Any) -> str:
    """The first message of a field (a list's errors are keyed by position)."""
    while isinstance(texts, dict | list) and texts:
        texts = next(iter(texts.values())) if isinstance(texts, dict) else texts[0]
    return texts if isinstance(texts, str) else "取值无效"


_DAY_SHAPE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def day_problem(text: str, label: str) -> str:
    """Why a date field could not be read, naming the real cause: left empty,
    not written as 年-月-日, or a day that does not exist (2026-02-30)."""
    text = text.strip()
    if not text:
        return f"请填写{label}（年-月-日）"
    shape = _DAY_SHAPE.fullmatch(text)
    if not shape:
        return f"{label}“{text}”格式不正确，应为年-月-日"
    year, month, day = (int(x) for x in shape.groups())
    if not 1 <= month <= 12:
        return f"{label}“{text}”不存在：月份应为1至12"
    last = calendar.monthrange(year, month)[1] if year else 31
    if not 1 <= day <= last:
        return f"{label}“{text}”不存在：{year}年{month}月只有{last}天"
    return f"{label}“{text}”不是有效的日期"
