"""Domain constants as string enums.

The API and the database speak the code (``hazchem_production``); people read
the Chinese label (``危险化学品生产``).  ``parse`` accepts either, so that
spreadsheets filled in by office staff and JSON written by programs both work.
"""

from __future__ import annotations

from enum import Enum


class LabeledEnum(str, Enum):
    """A str enum whose members carry a Chinese label beside their code."""

    label: str

    def __new__(cls, value: str, label: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, text: str | LabeledEnum) -> LabeledEnum:
        """Return the member named by its code or its Chinese label.

        Raises ``ValueError`` with a Chinese message listing the valid labels.
        """
        if isinstance(text, cls):
            return text
        key = str(text).strip()
        member = _lookup(cls).get(key) or _lookup(cls).get(key.lower())
        if member is None:
            choices = "、".join(m.label for m in cls) + _MORE_CHOICES.get(cls.__name__, "")
            raise ValueError(f"“{key}”不是有效的{cls.title()}（可选：{choices}）")
        return member

    @classmethod
    def title(cls) -> str:
        """The Chinese name of the field this enum fills, for messages."""
        return _TITLES.get(cls.__name__, cls.__name__)

    @classmethod
    def choices(cls) -> list[str]:
        return [m.value for m in cls]


def _lookup(cls: type[LabeledEnum]) -> dict[str, LabeledEnum]:
    cache = cls.__dict__.get("_lookup_cache")
    if cache is None:
        cache = {}
        for m in cls:
            cache[m.value] = m
            cache[m.value.lower()] = m
            cache[m.label] = m
            for alias in _ALIASES.get((cls.__name__, m.value), ()):
                cache[alias] = m
        type.__setattr__(cls, "_lookup_cache", cache)
    return cache


class Industry(LabeledEnum):
    COAL_MINE = "coal_mine", "煤矿"
    NON_COAL_MINE = "non_coal_mine", "非煤矿山"
    HAZCHEM_PRODUCTION = "hazchem_production", "危险化学品生产"
    HAZCHEM_TRADING = "hazchem_trading", "危险化学品经营"
    METALLURGY = "metallurgy", "冶金"
    INDUSTRY_TRADE = "industry_trade", "工贸"
    COAL_WASHING = "coal_washing", "洗选煤"
    FIREWORKS = "fireworks", "烟花爆竹"
    SAFETY_SERVICE = "safety_service", "安全评价检测机构"
    TRAINING = "training", "培训机构"


class Scale(LabeledEnum):
    LARGE = "large", "大"
    MEDIUM = "medium", "中"
    SMALL = "small", "小"
    MICRO = "micro", "微"


class RiskLevel(LabeledEnum):
    """安全风险等级, with the colour the bureau uses on maps."""

    MAJOR = "major", "重大"
    SIGNIFICANT = "significant", "较大"
    GENERAL = "general", "一般"
    LOW = "low", "低"


class CreditClass(LabeledEnum):
    """信用风险分类. Internal: never published."""

    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class EnterpriseStatus(LabeledEnum):
    ACTIVE = "active", "正常"
    SUSPENDED = "suspended", "停产"
    CLOSED = "closed", "关闭"
    DEREGISTERED = "deregistered", "注销"


class DutyStatus(LabeledEnum):
    ON_DUTY = "on_duty", "在岗"
    LEAVE = "leave", "休假"
    SECONDED = "seconded", "借调"
    DEPARTED = "departed", "离岗"


class Role(LabeledEnum):
    ADMIN = "admin", "系统管理员"
    DISPATCHER = "dispatcher", "调度员"
    INSPECTOR = "inspector", "执法人员"
    ARCHIVIST = "archivist", "档案员"
    REVIEWER = "reviewer", "法制审核员"
    # Read-only oversight (e.g. the county 司法局): downloads and verifies full
    # draw records, including conflicts and teams; changes nothing.
    AUDITOR = "auditor", "监督"


class CheckMethod(LabeledEnum):
    ON_SITE = "on_site", "现场检查"
    DOCUMENTS = "documents", "查阅资料"
    WRITTEN = "written", "书面检查"
    ONLINE = "online", "网络监测"
    TESTING = "testing", "检验检测"


class ItemCategory(LabeledEnum):
    KEY = "key", "重点"
    GENERAL = "general", "一般"


class DrawType(LabeledEnum):
    DIRECTED = "directed", "定向"
    UNDIRECTED = "undirected", "不定向"


class DrawAttemptStatus(LabeledEnum):
    """A freeze (冻结) of a task's draw and what became of it; every one is public."""

    PENDING = "pending", "已冻结，等待公共随机数"
    DRAWN = "drawn", "已抽取"
    FAILED = "failed", "抽取失败（本次冻结作废）"
    VOID = "void", "已作废（重新冻结）"


class ItemResult(LabeledEnum):
    COMPLIANT = "compliant", "符合"
    NONCOMPLIANT = "noncompliant", "不符合"
    NOT_APPLICABLE = "not_applicable", "不适用"


class HazardLevel(LabeledEnum):
    GENERAL = "general", "一般"
    MAJOR = "major", "重大"


class OrderKind(LabeledEnum):
    FIXED_ON_SITE = "fixed_on_site", "当场整改"
    DEADLINE = "deadline", "责令限期整改"
    ON_SITE_MEASURES = "on_site_measures", "现场处理措施"
    PENALTY_CASE = "penalty_case", "立案处罚"
    TRANSFER = "transfer", "移送"


class Outcome(LabeledEnum):
    """Published result category (一公开)."""

    NO_PROBLEM = "no_problem", "未发现问题"
    CORRECTED = "corrected", "发现问题已责令改正"
    PENDING = "pending", "发现问题待后续处理"
    PENALTY = "penalty", "立案查处"


_ALIASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("Industry", "coal_washing"): ("洗煤", "洗储煤", "洗（储）煤", "洗(储)煤"),
    ("Industry", "hazchem_production"): ("危化品生产",),
    ("Industry", "hazchem_trading"): ("危化品经营",),
    ("Industry", "safety_service"): ("安全评价", "检测检验机构"),
    ("Scale", "large"): ("大型",),
    ("Scale", "medium"): ("中型",),
    ("Scale", "small"): ("小型",),
    ("Scale", "micro"): ("微型",),
    ("RiskLevel", "major"): ("重大风险", "红", "红色"),
    ("RiskLevel", "significant"): ("较大风险", "橙", "橙色"),
    ("RiskLevel", "general"): ("一般风险", "黄", "黄色"),
    ("RiskLevel", "low"): ("低风险", "蓝", "蓝色"),
    ("CreditClass", "A"): ("a", "A类", "低"),
    ("CreditClass", "B"): ("b", "B类"),
    ("CreditClass", "C"): ("c", "C类", "较高"),
    ("CreditClass", "D"): ("d", "D类", "高"),
    ("ItemCategory", "key"): ("重点事项",),
    ("ItemCategory", "general"): ("一般事项",),
    ("DrawType", "undirected"): ("不定项",),
}


# Other spellings worth naming when a value is refused (the bureau's maps
# colour 安全风险等级 red to blue, and offices fill the column that way).
_MORE_CHOICES: dict[str, str] = {
    "RiskLevel": "；也可填颜色：红（重大）、橙（较大）、黄（一般）、蓝（低）",
}


_TITLES: dict[str, str] = {
    "Industry": "行业领域",
    "Scale": "规模",
    "RiskLevel": "安全风险等级",
    "CreditClass": "信用风险分类",
    "EnterpriseStatus": "经营状态",
    "DutyStatus": "在岗状态",
    "Role": "角色",
    "CheckMethod": "抽查方式",
    "ItemCategory": "事项类别",
    "DrawType": "抽查类型",
    "DrawAttemptStatus": "抽取尝试状态",
    "ItemResult": "检查结果",
    "HazardLevel": "隐患等级",
    "OrderKind": "处理措施",
    "Outcome": "检查结果",
    "DeadlineStatus": "期限状态",  # shared/workdays.py
    # shared/lifecycle.py
    "PlanStatus": "计划状态",
    "TaskStatus": "任务状态",
    "DrawKind": "抽取类别",
    "VisitStatus": "检查对象状态",
    "CaseState": "案件状态",
    "ResultStatus": "结果公开状态",
    "OutboxState": "上传状态",
}
