"""Field helpers shared by the payload schemas."""

from __future__ import annotations

import re

from marshmallow import fields, validate

from shared.enums import LabeledEnum
from shared.uscc import uscc_error

# Not $: in Python "$" also matches before a trailing newline ("<64 hex>\n"
# passed). Nor \Z: the OpenAPI document publishes these patterns, and an
# ECMA-262 regex has no \Z. "(?![\s\S])" (nothing follows) means the same in both.
_END = r"(?![\s\S])"
SHA256_RE = re.compile(r"^[0-9a-f]{64}" + _END)
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}" + _END)

REQUIRED = {"required": "必填项", "null": "不能为空"}


def sha256_field(**kwargs) -> fields.String:
    """A lowercase hex SHA-256 digest."""
    return fields.String(
        validate=validate.Regexp(SHA256_RE, error="应为64位小写十六进制SHA-256值"),
        error_messages=REQUIRED,
        **kwargs,
    )


def uuid_field(**kwargs) -> fields.String:
    """A canonical lowercase UUID string (kept a string on both sides)."""
    return fields.String(
        validate=validate.Regexp(UUID_RE, error="应为小写UUID"),
        error_messages=REQUIRED,
        **kwargs,
    )


def enum_field(enum: type[LabeledEnum], **kwargs) -> fields.String:
    """A code of *enum* (the code, not the Chinese label, travels on the wire)."""
    choices = "、".join(f"{m.value}（{m.label}）" for m in enum)
    return fields.String(
        validate=validate.OneOf(enum.choices(), error=f"应为以下之一：{choices}"),
        error_messages=REQUIRED,
        **kwargs,
    )


def text(max_len: int, *, min_len: int = 0, **kwargs) -> fields.String:
    return fields.String(
        validate=validate.Length(min=min_len, max=max_len, error=f"长度应为{min_len}–{max_len}字"),
        error_messages=REQUIRED,
        **kwargs,
    )


def aware_datetime(**kwargs) -> fields.AwareDateTime:
    """ISO 8601 with a UTC offset; naive times are refused (a tablet's clock zone is not
    the server's business to guess)."""
    return fields.AwareDateTime(
        format="iso",
        error_messages={
            **REQUIRED,
            "invalid": "应为带时区的ISO 8601时间",
            "invalid_awareness": "时间必须带时区",
        },
        **kwargs,
    )


def validate_uscc(value: str) -> None:
    err = uscc_error(value)
    if err:
        from marshmallow import ValidationError

        raise ValidationError(err)
