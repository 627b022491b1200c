"""A task's 抽查事项: the item numbers the plan names, read from the cell as written.

清单之外无检查: a visit checks only items of its task.  The plan's 抽查事项 cell
either names items – numbers (“WH-01、WH-02、AQ-11”) or names of the latest
随机抽查事项清单 – and then the draw picks each visit's items among those only
(the ones that apply to the enterprise's industry: every 重点 item, and the
task's 一般事项抽取数 of its 一般 items); or it is empty or a sentence
(“重点事项”), and then each visit gets every 重点 item of the whole list for its
industry plus a random sample of 一般 items – and every page that shows the
task says so (:func:`describe`).

The cell is resolved where it is entered (plan import, console, API), so a
number that is not on the list is refused there, not found out at the draw; and
so are items that leave an industry the task's 抽查对象范围 names with nothing
to check (:func:`check_fits`).
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from shared.draw.parse import parse_filter
from shared.enums import Industry

from ..extensions import db
from ..models import CheckItem, ItemListVersion, Task

_SEPARATORS = re.compile(r"[、，,;；\s]+")
# What an item number looks like (AQ-01, WH-02, YH-1.2): a word of letters and
# digits with no Chinese – a token like this that is not on the list is a typo,
# never prose.
_CODE_LIKE = re.compile(r"^[A-Za-z]{1,10}[-_]?\d+(?:[-._]\d+)*$")
DEFAULT_GENERAL = 3  # policy.TASK_PARAMS["general_items"]; kept here to avoid a cycle


def latest_items() -> dict[str, str]:
    """{事项编号: 事项名称} of the latest item list (empty when none imported)."""
    # Read while a task is being built (not yet in the session): no autoflush.
    with db.session.no_autoflush:
        number = db.session.scalar(sa.select(sa.func.max(ItemListVersion.number)))
        if number is None:
            return {}
        rows = db.session.execute(sa.select(CheckItem.code, CheckItem.name)
                                  .join(ItemListVersion)
                                  .where(ItemListVersion.number == number)
                                  .order_by(CheckItem.code))
        return dict(rows.all())


def resolve(item_scope: str | None) -> list[str]:
    """The item numbers the cell names (list order of the cell, no repeats);
    ``[]`` for an empty cell or a sentence.  ``ValueError`` in Chinese when it
    names an item the latest list does not have."""
    tokens = [t for t in _SEPARATORS.split((item_scope or "").strip()) if t]
    if not tokens:
        return []
    known = latest_items()
    by_code = {c.upper(): c for c in known}
    by_name = {name: code for code, name in known.items()}
    codes: list[str] = []
    unknown: list[str] = []
    for token in tokens:
        code = by_code.get(token.upper()) or by_name.get(token)
        if code is None:
            unknown.append(token)
        elif code not in codes:
            codes.append(code)
    if not codes and not any(_CODE_LIKE.match(t) for t in unknown):
        return []  # a sentence: the whole list applies, as describe() says
    if unknown:
        where = "最新的随机抽查事项清单" if known else "随机抽查事项清单（尚未导入）"
        raise ValueError(f"抽查事项中的“{'、'.join(unknown)}”不在{where}中"
                         "（请填写事项编号，以、分隔，如 WH-01、AQ-11；"
                         "或只写文字说明，按事项清单抽取）")
    return codes


def check_fits(codes: list[str], target_filter: str | None) -> None:
    """``ValueError`` in Chinese when the task names items and its 抽查对象范围
    names an industry none of them applies to: every enterprise of that industry
    would be drawn with nothing to check, and the freeze would refuse it.  (A scope
    that names no industry is left to the freeze, which sees the pool.)"""
    if not codes:
        return
    wanted = [i for c in parse_filter(target_filter) if c.key == "industry" for i in c.values]
    if not wanted:
        return
    with db.session.no_autoflush:
        number = db.session.scalar(sa.select(sa.func.max(ItemListVersion.number)))
        rows = db.session.execute(sa.select(CheckItem.code, CheckItem.name, CheckItem.industries)
                                  .join(ItemListVersion)
                                  .where(ItemListVersion.number == number,
                                         CheckItem.code.in_(codes))).all()
    # An item with no 适用行业 applies to every industry (shared/draw/items.py).
    covered = {i for _c, _n, inds in rows for i in (inds or [])}
    if any(not inds for _c, _n, inds in rows):
        return
    bare = [i for i in wanted if i not in covered]
    if bare:
        names = dict((c, n) for c, n, _i in rows)
        items = "、".join(f"{c}（{names[c]}）" if c in names else c for c in codes)
        labels = "、".join(f"“{Industry(i).label}”" for i in bare)
        raise ValueError(f"抽查事项{items}中没有适用于{labels}的检查事项，抽查对象范围内"
                         f"这些行业的企业将无事可查：请增加适用于这些行业的事项，"
                         f"或从抽查对象范围中去掉这些行业")


def describe(task: Task) -> str:
    """The task's 抽查事项 as a person reads it, saying what each visit checks."""
    general = (task.rules or {}).get("general_items", DEFAULT_GENERAL)
    if task.item_codes:
        names = latest_items()
        listed = "、".join(f"{c} {names[c]}" if c in names else c for c in task.item_codes)
        return (f"{listed}（每户检查其中适用于本行业的重点事项，"
                f"一般事项多于{general}项时随机抽取{general}项）")
    said = (task.item_scope or "").strip()
    rule = (f"按随机抽查事项清单：每户检查适用于本行业的全部重点事项，"
            f"并随机抽取{general}项一般事项")
    return f"{said}（{rule}）" if said else rule
