"""文号 – the number every enforcement document carries.

The 2016 式样 writes it as ``（ ）安监检记〔 〕 号``: the bureau's one-character
abbreviation in full-width brackets, the issuing body (应急, since the 2018
reform replaced 安监), the document kind, the year in 六角括号 and the
sequence number.  The per-bureau, per-kind, per-year sequence lives in the
server's database; this module only formats.
"""

from __future__ import annotations

# Document kind code -> abbreviation used in the 文号.
KIND_ABBR: dict[str, str] = {
    "notice": "抽通",
    "inspection_record": "检记",
    "rectification_order": "责改",
    "onsite_measures": "现决",
    "reinspection_opinion": "复查",
}

# Document kind code -> title printed on the document.
KIND_TITLE: dict[str, str] = {
    "notice": "随机抽查通知书",
    "inspection_record": "现场检查记录",
    "rectification_order": "责令限期整改指令书",
    "onsite_measures": "现场处理措施决定书",
    "reinspection_opinion": "整改复查意见书",
}


def document_number(bureau_abbr: str, kind: str, year: int, seq: int, issuer: str = "应急") -> str:
    """Format a 文号, e.g. ``document_number("承", "inspection_record", 2024, 12)``
    → ``（承）应急检记〔2024〕12号``.

    ``kind`` is a code from ``KIND_ABBR`` or an abbreviation itself (``"检记"``).
    """
    abbr = bureau_abbr.strip()
    if not abbr:
        raise ValueError("执法机关简称不能为空")
    if seq < 1:
        raise ValueError("文号序号必须从 1 开始")
    if not 1900 <= year <= 2999:
        raise ValueError(f"年份不正确：{year}")
    kind_abbr = KIND_ABBR.get(kind, kind).strip()
    if not kind_abbr:
        raise ValueError("文书种类不能为空")
    return f"（{abbr}）{issuer}{kind_abbr}〔{year}〕{seq}号"
