"""Enforcement documents (执法文书) as PDF bytes: pure functions, data in, bytes out."""

from server.documents.data import (
    CheckItem,
    Enterprise,
    Hazard,
    InspectionRecordData,
    NoticeData,
    Officer,
    OnsiteMeasuresData,
    RectificationOrderData,
    ReinspectionOpinionData,
    ReinspectionResult,
    Signature,
)
from server.documents.fonts import FontNotFoundError, find_cjk_font
from server.documents.numbering import KIND_ABBR, KIND_TITLE, document_number
from server.documents.render import (
    render_inspection_record,
    render_notice,
    render_onsite_measures,
    render_rectification_order,
    render_reinspection_opinion,
)

__all__ = [
    "KIND_ABBR",
    "KIND_TITLE",
    "CheckItem",
    "Enterprise",
    "FontNotFoundError",
    "Hazard",
    "InspectionRecordData",
    "NoticeData",
    "Officer",
    "OnsiteMeasuresData",
    "RectificationOrderData",
    "ReinspectionOpinionData",
    "ReinspectionResult",
    "Signature",
    "document_number",
    "find_cjk_font",
    "render_inspection_record",
    "render_notice",
    "render_onsite_measures",
    "render_rectification_order",
    "render_reinspection_opinion",
]
