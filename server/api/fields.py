"""marshmallow fields that speak the domain's codes and check them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from marshmallow import ValidationError, fields, validate

from shared.enums import LabeledEnum
from shared.uscc import uscc_error


def _one_of(enum: type[LabeledEnum]) -> validate.OneOf:
    # The refusal names each code with its Chinese label: a person reads it.
    choices = "、".join(f"{m.value}（{m.label}）" for m in enum)
    return validate.OneOf(enum.choices(), error=f"应为以下之一：{choices}")


def code_of(enum: type[LabeledEnum], **kwargs) -> fields.String:
    """A string field accepting one of the enum's codes (documented in OpenAPI)."""
    return fields.String(validate=_one_of(enum), **kwargs)


def codes_of(enum: type[LabeledEnum], **kwargs) -> fields.List:
    return fields.List(fields.String(validate=_one_of(enum)), **kwargs)


def _check_uscc(value: str) -> None:
    err = uscc_error(value)
    if err:
        raise ValidationError(err)


class USCC(fields.String):
    def __init__(self, **kwargs):
        super().__init__(validate=_check_uscc, **kwargs)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_chars(value: str) -> None:
    """NUL and other control characters break xlsx export, PDFs and PostgreSQL text."""
    if _CONTROL.search(value):
        raise ValidationError("不能包含控制字符")


def bounded(limit: int, **kwargs) -> fields.String:
    return fields.String(validate=[validate.Length(max=limit), no_control_chars], **kwargs)


def clean_text(limit: int, *, min_len: int = 0, **kwargs) -> fields.String:
    """A bounded string without control characters (names, usernames, device ids)."""
    # No minimum unless one is asked for: "长度不能超过64个字符", not "应在0至64…".
    return fields.String(validate=[validate.Length(min=min_len or None, max=limit),
                                   no_control_chars], **kwargs)


class UTCDateTime(fields.DateTime):
    """A server timestamp. Stored naive in UTC (``models._types.utcnow``); sent with
    its offset, as docs/sync.md promises and OpenAPI's ``date-time`` requires."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)
