"""marshmallow fields that speak the domain's codes and check them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from marshmallow import ValidationError, fields, validate

from shared.enums import LabeledEnum
from shared.uscc import uscc_error


def one_of(choices: list[str], labels: list[str]) -> validate.OneOf:
    """A choice among codes whose refusal lists their Chinese labels (a person
    reads it; the codes are in the OpenAPI contract)."""
    return validate.OneOf(choices, error="应为以下之一：" + "、".join(dict.fromkeys(labels)))


def _choices(enum: type[LabeledEnum]) -> str:
    """The refusal lists the Chinese labels (a person reads it; each is accepted)."""
    return "应为以下之一：" + "、".join(m.label for m in enum)


class CodeOf(fields.String):
    """One of the enum's codes (documented in OpenAPI as the enum); its Chinese
    label, or the code in any case, is read as the code – so the refusal can list
    the labels a person knows and either is accepted."""

    def __init__(self, enum: type[LabeledEnum], **kwargs) -> None:
        self.enum = enum
        super().__init__(validate=validate.OneOf(enum.choices(), error=_choices(enum)),
                         **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return self.enum.parse(text).value
        except ValueError:
            raise ValidationError(_choices(self.enum)) from None


def code_of(enum: type[LabeledEnum], **kwargs) -> fields.String:
    """A string field accepting one of the enum's codes (documented in OpenAPI)."""
    return CodeOf(enum, **kwargs)


def codes_of(enum: type[LabeledEnum], **kwargs) -> fields.List:
    return fields.List(CodeOf(enum), **kwargs)


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
