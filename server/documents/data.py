"""Input shapes of the enforcement documents.

Every renderer takes either one of these dataclasses or a plain dict with the
same keys (nested dicts for nested dataclasses; dates as ``date`` objects or
ISO strings; images as PNG ``bytes``).  ``coerce`` does the conversion and
names the missing or unknown key in Chinese.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

T = TypeVar("T")

SAFETY_LAW = "《中华人民共和国安全生产法》"


@dataclass
class Officer:
    """A certified enforcement officer (执法人员)."""

    name: str
    cert_no: str  # 执法证号


@dataclass
class Enterprise:
    name: str
    uscc: str = ""  # 统一社会信用代码
    address: str = ""
    legal_rep: str = ""  # 法定代表人（负责人）
    contact: str = ""
    phone: str = ""


@dataclass
class Signature:
    """One signature line: who signs in what capacity, optionally the image."""

    role: str  # e.g. 执法人员 / 被检查单位负责人
    name: str
    image_png: bytes | None = None
    signed_on: date | None = None


@dataclass
class CheckItem:
    name: str
    result: str = "符合"  # 符合 / 不符合 / 不适用
    note: str = ""
    basis: str = ""  # 抽查依据 from the item list, printed under the name


@dataclass
class Hazard:
    description: str
    location: str = ""
    level: str = "一般"  # 一般 / 重大
    legal_basis: str = ""  # the rule broken, e.g. 《安全生产法》第四十一条
    measure: str = ""  # 当场整改 / 责令限期整改 / …


@dataclass
class ReinspectionResult:
    hazard: str
    rectified: bool
    note: str = ""


@dataclass(kw_only=True)
class DocumentBase:
    """Fields every document has."""

    bureau_name: str  # e.g. 承德市应急管理局
    number: str  # 文号, see numbering.document_number
    issued_on: date
    enterprise: Enterprise
    officers: list[Officer]
    signatures: list[Signature] = field(default_factory=list)
    # When the document was made (the PDF's creation date); now if not given.
    # A document rendered again from stored data passes its stored time.
    created_at: datetime | None = None


@dataclass(kw_only=True)
class NoticeData(DocumentBase):
    """随机抽查通知书: tells the enterprise it was drawn."""

    task_name: str
    window_start: date
    window_end: date
    items: list[str]  # the drawn check items
    experts: list[str] = field(default_factory=list)  # drawn experts: name（单位）
    materials: list[str] = field(default_factory=list)  # what to prepare
    contact_person: str = ""
    contact_phone: str = ""
    # The enterprise's private draw receipt (回执码 = its salt, spec §12.2):
    # lets it check on the public task page that it was in the pool once.
    receipt_code: str = ""
    receipt_task_no: str = ""


@dataclass(kw_only=True)
class InspectionRecordData(DocumentBase):
    """现场检查记录."""

    place: str
    started_at: datetime
    ended_at: datetime
    items: list[CheckItem]
    findings: str = ""  # free-text 检查情况
    hazards: list[Hazard] = field(default_factory=list)
    experts: list[str] = field(default_factory=list)  # drawn experts: name（单位）


@dataclass(kw_only=True)
class RectificationOrderData(DocumentBase):
    """责令限期整改指令书."""

    inspected_on: date
    hazards: list[Hazard]
    deadline: date
    review_authority: str  # 行政复议机关, e.g. 承德市人民政府
    court: str  # 行政诉讼法院
    legal_basis: str = SAFETY_LAW + "第六十五条第一款第（二）项、第（三）项"
    record_number: str = ""  # 文号 of the 现场检查记录 it follows


@dataclass(kw_only=True)
class OnsiteMeasuresData(DocumentBase):
    """现场处理措施决定书."""

    inspected_on: date
    hazards: list[Hazard]
    measures: str  # the decision: 停产停业 / 查封 / 扣押 …
    review_authority: str
    court: str
    legal_basis: str = SAFETY_LAW + "第六十五条第一款第（三）项、第（四）项"


@dataclass(kw_only=True)
class ReinspectionOpinionData(DocumentBase):
    """整改复查意见书."""

    order_number: str  # 文号 of the 责令限期整改指令书 being checked
    order_date: date
    reinspected_on: date
    results: list[ReinspectionResult]
    opinion: str = ""


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def _convert(tp: Any, value: Any, where: str) -> Any:
    tp, optional = _unwrap_optional(tp)
    if value is None:
        if optional:
            return None
        raise ValueError(f"字段“{where}”不能为空")
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return coerce(tp, value, where)
    if typing.get_origin(tp) is list:
        (inner,) = typing.get_args(tp)
        return [_convert(inner, v, f"{where}[{i}]") for i, v in enumerate(value)]
    if tp is datetime and isinstance(value, str):
        return datetime.fromisoformat(value)
    if tp is date and isinstance(value, str):
        return date.fromisoformat(value)
    if tp is date and isinstance(value, datetime):
        return value.date()
    return value


def coerce(cls: type[T], data: T | Mapping[str, Any], where: str = "") -> T:
    """Return ``data`` as a ``cls`` instance, building it from a dict if needed."""
    if isinstance(data, cls):
        return data
    if not isinstance(data, Mapping):
        raise TypeError(f"“{where or cls.__name__}”应为 {cls.__name__} 或 dict")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValueError(f"{cls.__name__} 不认识的字段：{'、'.join(unknown)}")
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        path = f"{where}.{f.name}" if where else f.name
        if f.name not in data:
            no_default = f.default is dataclasses.MISSING
            if no_default and f.default_factory is dataclasses.MISSING:
                raise ValueError(f"缺少字段“{path}”")
            continue
        kwargs[f.name] = _convert(hints[f.name], data[f.name], path)
    return cls(**kwargs)
