"""Freezing before, and drawing after, a real published drand round (server tests).

The services take the clock as ``now=``: a freeze is placed just before the
round's publication time in 2023, the draw after it, so that the round in
tests/shared/draw/data – really published then – is the future round the
freeze promised.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app

from server.services import draw as svc
from shared.draw.beacon import chain, iso_utc

ROUNDS = json.loads((Path(__file__).parents[2] / "shared" / "draw" / "data"
                     / "drand_rounds.json").read_text())
QUICKNET = ROUNDS["quicknet"][0]
DEFAULT = ROUNDS["default"][1]


def publication(name: str, rnd: dict) -> datetime:
    return datetime.fromisoformat(iso_utc(chain(name).round_time(rnd["round"])))


def freeze_before(task_no: str, rnd: dict = QUICKNET, name: str = "quicknet", **kwargs):
    """Freeze *task_no* so that the promised round is *rnd* of chain *name*."""
    current_app.config["DRAND_CHAIN"] = name
    lead = timedelta(minutes=current_app.config["DRAND_LEAD_MINUTES"])
    now = publication(name, rnd) - lead - timedelta(seconds=1)
    return svc.freeze_task(task_no, "clerk", now=now, source="drand", **kwargs)


def draw_after(task_no: str, rnd: dict = QUICKNET, name: str = "quicknet", **kwargs):
    return svc.draw_frozen(task_no, "clerk", beacon=dict(rnd),
                           now=publication(name, rnd) + timedelta(seconds=30), **kwargs)
