"""What an import would do to the registry: the records it creates, the fields
it changes, the records it leaves as they are – from one read of the registry.

The plan's ``token`` fingerprints the file and every record it touches as
they are now: the preview hands it out, and the import applies only if the
registry still gives the same token (``ImportStale`` otherwise).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ...extensions import db
from ...models import Enterprise, Expert, Inspector, ItemListVersion
from .parsing import Parsed
from .specs import RegistrySpec

MODELS = {"enterprises": Enterprise, "inspectors": Inspector, "experts": Expert}


@dataclass
class Plan:
    parsed: Parsed
    existing: dict[str, dict]          # key → current values (+ id)
    olds: list[dict | None]            # each file row's current record, if any
    inserts: list[int] = field(default_factory=list)  # rows (indexes) that are new
    updates: list[tuple[dict, dict]] = field(default_factory=list)  # (old, changed values)
    unchanged: int = 0

    def token(self) -> str:
        """File and every touched record as they are now: a concurrent change to
        any of them gives another token (a record created, changed or deleted
        in between adds, alters or drops one entry)."""
        h = hashlib.sha256(self.parsed.digest.encode())
        present = self.parsed.present
        for i, old in enumerate(self.olds):
            if old is not None:
                # repr of str, None, bool, date and lists of str is exact and stable.
                h.update(repr((i, [old[a] for a in present])).encode())
        return h.hexdigest()[:32]


def latest_items() -> ItemListVersion | None:
    return db.session.execute(
        sa.select(ItemListVersion).order_by(ItemListVersion.number.desc()).limit(1)
    ).scalar_one_or_none()


def current(kind: str, spec: RegistrySpec) -> dict[str, dict]:
    """The registry as key → values, in one query."""
    attrs = [col.attr for col in spec.columns]
    if kind == "items":
        latest = latest_items()
        return {i.code: {a: getattr(i, a) for a in attrs}
                for i in (latest.items if latest else [])}
    table = MODELS[kind].__table__
    names = ["id", *attrs]
    query = sa.select(*[table.c[n] for n in names])
    key_of = spec.key_of
    existing: dict[str, dict] = {}
    for values in db.session.execute(query):
        rec = dict(zip(names, values, strict=True))
        existing[key_of(rec)] = rec
    return existing


def make_plan(kind: str, parsed: Parsed) -> Plan:
    existing = current(kind, parsed.spec)
    olds: list[Any] = (list(map(existing.get, parsed.keys)) if existing
                       else [None] * len(parsed))
    plan = Plan(parsed, existing, olds)
    plan.inserts = [i for i, old in enumerate(olds) if old is None]
    if len(plan.inserts) == len(olds):
        return plan
    columns = [(a, parsed.columns[a]) for a in parsed.present]
    for i, old in enumerate(olds):
        if old is None:
            continue
        changed = {a: values[i] for a, values in columns if values[i] != old[a]}
        if changed:
            plan.updates.append((old, changed))
        else:
            plan.unchanged += 1
    return plan
