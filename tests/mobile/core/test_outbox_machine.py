"""The outbox against a model: any sequence of calls keeps the state machine legal."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from mobile.core.outbox import Outbox, StateError
from mobile.core.store import Store

ALLOWED = {  # operation → states it may leave, and where it goes
    "queue": ({"draft"}, "queued"),
    "take": ({"queued"}, "sending"),
    "sent": ({"sending"}, "sent"),
    "retry_later": ({"sending"}, "queued"),
    "reject": ({"sending"}, "rejected"),
    "user_retry": ({"rejected"}, "queued"),
    "reopen": ({"queued", "rejected", "sent"}, "draft"),
}


class OutboxMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.TemporaryDirectory()
        self.store = Store(Path(self.dir.name))
        self.box = Outbox(self.store, wall=lambda: 0.0)
        with self.store.tx() as c:
            c.execute(
                "INSERT INTO packages (visit_id, body, received_at) VALUES ('v', '{}', 'now')"
            )
            c.execute("INSERT INTO records (uuid, visit_id, created_by, started_at)"
                      " VALUES ('r', 'v', 'me', 'now')")  # fmt: skip
        self.box.create_draft("r")
        self.model = "draft"
        self.attempts = 0

    def teardown(self) -> None:
        self.store.close()
        self.dir.cleanup()

    def _apply(self, op: str, call) -> None:
        sources, target = ALLOWED[op]
        try:
            call()
        except StateError:
            assert self.model not in sources, (op, self.model)
            return
        assert self.model in sources, (op, self.model)
        self.model = target

    @rule()
    def queue(self) -> None:
        before = self.model
        self._apply("queue", lambda: self.box.queue("r", b"{}"))
        if before == "draft":
            self.attempts = 0

    @rule()
    def take(self) -> None:
        self._apply("take", lambda: self.box.take("r"))

    @rule(version=st.integers(1, 5))
    def sent(self, version: int) -> None:
        self._apply("sent", lambda: self.box.mark_sent("r", version))

    @rule(count=st.booleans())
    def retry_later(self, count: bool) -> None:
        before = self.model
        self._apply("retry_later", lambda: self.box.mark_retry("r", "x", 5, count=count))
        if before == "sending" and count:
            self.attempts += 1

    @rule()
    def reject(self) -> None:
        self._apply("reject", lambda: self.box.mark_rejected("r", "bad", 400))

    @rule()
    def user_retry(self) -> None:
        before = self.model
        self._apply("user_retry", lambda: self.box.retry("r"))
        if before == "rejected":
            self.attempts = 0

    @rule()
    def reopen(self) -> None:
        self._apply("reopen", lambda: self.box.reopen("r"))

    @invariant()
    def matches_model(self) -> None:
        entry = self.box.get("r")
        assert entry.state == self.model
        assert (entry.payload is None) == (self.model == "draft")
        assert entry.attempts == self.attempts
        assert sum(self.box.counts().values()) == 1


TestOutboxMachine = OutboxMachine.TestCase
TestOutboxMachine.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)
