"""文号 under concurrent use: every committed number taken exactly once, no gaps,
even when some issuers roll back after taking a number."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models.document import DocumentSequence
from server.services.case_documents import next_number

WORKERS, ROUNDS = 6, 5


def test_concurrent_issuers_get_unique_gap_free_numbers(app):
    committed: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(WORKERS)

    def issuer(worker: int) -> None:
        try:
            with app.app_context():
                start.wait()
                for r in range(ROUNDS):
                    seq, number = next_number("rectification_order", 2024)
                    assert number.endswith(f"〔2024〕{seq}号")
                    if (worker + r) % 3 == 0:
                        db.session.rollback()  # the document failed: the number goes back
                        continue
                    db.session.commit()
                    with lock:
                        committed.append(seq)
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=issuer, args=(w,)) for w in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(committed) == list(range(1, len(committed) + 1))  # unique, no gaps
    with app.app_context():
        last = db.session.scalar(sa.select(DocumentSequence.last).where(
            DocumentSequence.kind == "rectification_order"))
    assert last == len(committed)
    assert len(committed) == sum((w + r) % 3 != 0 for w in range(WORKERS) for r in range(ROUNDS))


def test_two_dispatchers_acting_at_once_move_the_case_once(app, client):
    """Both issue orders on the same case at the same moment: one wins, the other is
    told to refresh; one set of documents, one event."""
    from datetime import date

    from flask import g

    from server.models.case import Case, CaseEvent
    from server.models.document import CaseDocument
    from server.services import cases, dispatch
    from server.services.followup import FollowupError
    from tests.server import factories as f
    from tests.server.services import test_cases_support as s

    @app.before_request
    def _forget() -> None:
        g.pop("user", None)

    with app.app_context():
        dispatch.today, real = (lambda: date(2024, 3, 4)), dispatch.today
        try:
            a, b = f.make_inspector(), f.make_inspector()
            task = f.make_sync_task()
            visit = f.make_sync_visit(task, [a, b], codes=s.CODES)
            dispatch.dispatch_task(task.task_no, "d")
            rec, blobs = s.inspection_record(visit)
            s.sync(client, s.tablet(a), rec, blobs)
            case_id = cases.all_cases()[0].id
            db.session.remove()
            outcomes: list[str] = []
            start = threading.Barrier(2)

            def act(name: str) -> None:
                with app.app_context():
                    case = cases.get(case_id)  # both read the case before either writes
                    start.wait()
                    try:
                        cases._apply(case, "issue_orders", name, "dispatcher", "", {}, None)
                        db.session.commit()
                        outcomes.append("ok")
                    except Exception as exc:  # noqa: BLE001 - classified below
                        db.session.rollback()
                        outcomes.append(type(exc).__name__)
                    db.session.remove()

            threads = [threading.Thread(target=act, args=(n,)) for n in ("d1", "d2")]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sorted(outcomes) == ["FollowupError", "ok"], outcomes
            orders = db.session.scalar(sa.select(sa.func.count(CaseDocument.id)).where(
                CaseDocument.case_id == case_id, CaseDocument.kind == "rectification_order"))
            moves = db.session.scalar(sa.select(sa.func.count(CaseEvent.id)).where(
                CaseEvent.case_id == case_id, CaseEvent.action == "issue_orders"))
            assert (orders, moves) == (1, 1)
            assert db.session.get(Case, case_id).state == "orders_issued"
            with pytest.raises(FollowupError) as err:
                cases.act(case_id, "issue_orders", "d3", "dispatcher")
            assert err.value.status == 409
        finally:
            dispatch.today = real
