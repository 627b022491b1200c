"""schemathesis against ``/api/openapi.json`` through the WSGI app (issue 7, must-show 2).

Every operation gets a bounded number of generated requests (``EXAMPLES``: 10,
or ``SUICHA_FUZZ_EXAMPLES`` for a longer run), as an admin, or as an inspector
with a dispatched visit for the sync routes.
Two checks: no response is a server error (5xx), and every response whose
status the document declares matches its declared schema. Failures are
collected over all operations so one run names every broken route.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import schemathesis
from flask import g
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from server.extensions import db
from server.services.dispatch import dispatch_task
from shared.enums import Role
from tests.server import factories as f
from tests.server.services import test_cases_support as case_support

EXAMPLES = int(os.environ.get("SUICHA_FUZZ_EXAMPLES", "10"))
INSPECTOR_PATHS = ("/api/v1/sync/", "/api/v1/records/", "/api/v1/blobs/")
CHECKS = [not_a_server_error, response_schema_conformance]


def seed(app) -> tuple[dict, dict, object]:
    with app.app_context():
        # An archived case with its documents, dossier and published result, so that
        # the case, dossier and publication routes answer with real rows (ids 1, 2 …
        # are what hypothesis tries first).
        case_support.closed_case(app.test_client(), photos=1, archive=True)
        for n in range(3):
            f.make_enterprise(name=f"种子企业{n}")
        f.make_item_version(("WH-01", "WH-02", "WH-03"))
        inspector = f.make_inspector(name="张三")
        task = f.make_sync_task()
        f.make_sync_visit(task, [inspector, f.make_inspector(name="李四")])
        with f.bureau_day():  # before the records the catalogue sends
            dispatch_task(task.task_no, "dispatcher")
        admin = f.make_token(Role.ADMIN)
        tablet = f.make_token(Role.INSPECTOR, inspector=inspector)
        db.session.remove()
    return ({"Authorization": f"Bearer {admin}"}, {"Authorization": f"Bearer {tablet}"},
            inspector)


def describe(exc: BaseException) -> str:
    """The first lines of each check failure (schemathesis groups them)."""
    subs = getattr(exc, "exceptions", None) or [exc]
    parts = []
    for sub in subs:
        lines = [ln for ln in str(sub).splitlines() if ln.strip()]
        parts.append(f"{type(sub).__name__}: " + " | ".join(lines[:4])[:400])
    curl = [ln for ln in str(exc).splitlines() if "curl " in ln]
    return "; ".join(parts) + (f" [{curl[0].strip()}]" if curl else "")


def fuzz(op, headers: Callable[[], dict]) -> Callable[[], None]:
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    @given(case=op.as_strategy())
    def run(case) -> None:
        case.call_and_validate(headers=headers(), checks=CHECKS)

    return run


def test_api_fuzzing_finds_no_server_error_and_no_schema_violation(app):
    @app.before_request
    def _fresh_caller() -> None:  # a stale g.user must not leak between generated calls
        g.pop("user", None)
        g.pop("device_token", None)

    admin, tablet, _ = seed(app)
    # Found by this test: the 复查 companion task made the task list a 500.
    tasks = app.test_client().get("/api/v1/tasks", headers=admin)
    assert tasks.status_code == 200, tasks.json
    assert any(t["task_no"].endswith("-FC") for t in tasks.json), tasks.json

    def headers_for(label: str, path: str) -> dict:
        if label == "DELETE /api/v1/auth/token":  # would revoke the shared token
            with app.app_context():
                return {"Authorization": f"Bearer {f.make_token(Role.ADMIN)}"}
        return tablet if path.startswith(INSPECTOR_PATHS) else admin

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        op = result.ok()
        operations += 1
        label = f"{op.method.upper()} {op.path}"

        run = fuzz(op, lambda label=label, path=op.path: headers_for(label, path))
        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # collect; report all at the end
            failures.append(f"{label}: {describe(exc)}")
    assert operations >= 60
    assert not failures, "\n\n".join(failures)
