"""文号 under concurrent use: every committed number taken exactly once, no gaps,
even when some issuers roll back after taking a number."""

from __future__ import annotations

import threading

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
