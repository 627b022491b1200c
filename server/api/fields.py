"""marshmallow fields that speak the domain's codes and check them."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate

from shared.enums import LabeledEnum
from shared.uscc import uscc_error


def code_of(enum: type[LabeledEnum], **kwargs) -> fields.String:
    """A string field accepting one of the enum's codes (documented in OpenAPI)."""
    return fields.String(validate=validate.OneOf(enum.choices()), **kwargs)


def codes_of(enum: type[LabeledEnum], **kwargs) -> fields.List:
    return fields.List(fields.String(validate=validate.OneOf(enum.choices())), **kwargs)


def _check_uscc(value: str) -> None:
    err = uscc_error(value)
    if err:
        raise ValidationError(err)


class USCC(fields.String):
    def __init__(self, **kwargs):
        super().__init__(validate=_check_uscc, **kwargs)


def bounded(limit: int, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(max=limit), **kwargs)
