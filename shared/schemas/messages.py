"""marshmallow's stock messages, in Chinese, for every schema on both sides.

A validation message reaches a person: the tablet shows the server's refusal to
an inspector, the console shows it to office staff. marshmallow's defaults are
English ("Length must be between 1 and 64."), so they are replaced here, once,
at the classes (marshmallow's documented way to change a default message
globally) instead of in each schema or by translating answers afterwards.

Fields copy their class's ``default_error_messages`` when constructed and
``Range`` formats its messages in ``__init__``: this module must be imported
before any schema is defined. ``shared/schemas/__init__.py`` and
``server/__init__.py`` import it first.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

FIELD_MESSAGES: dict[type, dict[str, str]] = {
    fields.Field: {"required": "必填项", "null": "不能为空", "validator_failed": "取值无效"},
    fields.String: {"invalid": "应为文字", "invalid_utf8": "不是有效的UTF-8文字"},
    fields.Number: {"invalid": "应为数字", "too_large": "数值过大"},
    fields.Integer: {"invalid": "应为整数"},
    fields.Float: {"special": "不允许非数值或无穷大"},
    fields.Decimal: {"special": "不允许非数值或无穷大"},
    fields.Boolean: {"invalid": "应为“是”或“否”（true/false）"},
    fields._TemporalField: {
        "invalid": "不是有效的日期或时间",
        "invalid_awareness": "日期时间的时区信息不符合要求",
        "format": "“{input}”无法按日期时间格式输出",
    },
    fields.Date: {"invalid": "不是有效的日期（应为YYYY-MM-DD）",
                  "format": "“{input}”无法按日期格式输出"},
    fields.DateTime: {"invalid": "不是有效的日期时间（应为ISO 8601格式）"},
    fields.Time: {"invalid": "不是有效的时间"},
    fields.TimeDelta: {"invalid": "不是有效的时间长度", "format": "无法按时间长度格式输出"},
    fields.List: {"invalid": "应为列表"},
    fields.Tuple: {"invalid": "应为固定长度的列表"},
    fields.Mapping: {"invalid": "应为键值对象"},
    fields.Nested: {"type": "应为对象"},
    fields.UUID: {"invalid_uuid": "不是有效的UUID"},
    fields.Url: {"invalid": "不是有效的网址"},
    fields.Email: {"invalid": "不是有效的电子邮件地址"},
    fields.IP: {"invalid_ip": "不是有效的IP地址"},
    fields.IPv4: {"invalid_ip": "不是有效的IPv4地址"},
    fields.IPv6: {"invalid_ip": "不是有效的IPv6地址"},
    fields.IPInterface: {"invalid_ip_interface": "不是有效的IP网段"},
    fields.IPv4Interface: {"invalid_ip_interface": "不是有效的IPv4网段"},
    fields.IPv6Interface: {"invalid_ip_interface": "不是有效的IPv6网段"},
    fields.Enum: {"unknown": "应为以下取值之一：{choices}"},
}

VALIDATOR_MESSAGES: dict[type, dict[str, str]] = {
    validate.Length: {
        "message_min": "长度不能少于{min}个字符",
        "message_max": "长度不能超过{max}个字符",
        "message_all": "长度应在{min}至{max}个字符之间",
        "message_equal": "长度应为{equal}个字符",
    },
    validate.Range: {
        "message_min": "应{min_op}{{min}}",
        "message_max": "应{max_op}{{max}}",
        "message_all": "应{min_op}{{min}}且{max_op}{{max}}",
        "message_gte": "不小于",
        "message_gt": "大于",
        "message_lte": "不大于",
        "message_lt": "小于",
    },
    validate.OneOf: {"default_message": "应为以下取值之一：{choices}"},
    validate.ContainsOnly: {"default_message": "含有不允许的取值（允许：{choices}）"},
    validate.ContainsNoneOf: {"default_message": "不能含有以下取值：{values}"},
    validate.NoneOf: {"default_message": "取值无效"},
    validate.Equal: {"default_message": "应等于{other}"},
    validate.Predicate: {"default_message": "取值无效"},
    validate.Regexp: {"default_message": "格式不正确"},
    validate.URL: {"default_message": "不是有效的网址"},
    validate.Email: {"default_message": "不是有效的电子邮件地址"},
}

SCHEMA_MESSAGES = {"type": "输入类型错误，应为对象", "unknown": "不允许的字段"}


def install() -> None:
    for cls, messages in FIELD_MESSAGES.items():
        cls.default_error_messages = {**cls.__dict__.get("default_error_messages", {}),
                                      **messages}
    for cls, messages in VALIDATOR_MESSAGES.items():
        for name, text in messages.items():
            setattr(cls, name, text)
    # Schema.error_messages is the public class-level override; subclasses that set
    # their own still inherit these keys (marshmallow merges along the MRO).
    Schema.error_messages = {**Schema.error_messages, **SCHEMA_MESSAGES}


install()
