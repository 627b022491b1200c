"""``GET /api/v1/sync/pull``, ``POST /api/v1/tasks/<task_no>/dispatch`` and
``POST /api/v1/visits/<visit_id>/withdraw``."""

from flask import g
from flask_smorest import abort

from shared.enums import Role

from ...auth import OFFICE, actor_name, roles_required
from ...services import dispatch as dispatch_service
from ...services.sync import parse_visit_code, visit_code
from ...services.sync.pull import pull as pull_packages
from .. import Blueprint
from .schemas import (
    DispatchResultSchema,
    PullQuery,
    PullSchema,
    WithdrawResultSchema,
    WithdrawSchema,
)

blp = Blueprint("sync", __name__, url_prefix="/api/v1", description="离线同步：任务下发")


@blp.route("/sync/pull")
@roles_required(Role.INSPECTOR)
@blp.arguments(PullQuery, location="query")
@blp.response(200, PullSchema)
def pull(args):
    """The task packages changed for the calling inspector since ``cursor``."""
    if g.user.inspector_id is None:
        abort(403, message="该账号未关联执法人员，不能接收检查任务")
    return pull_packages(g.user.inspector_id, args["cursor"])


@blp.route("/tasks/<task_no>/dispatch", methods=["POST"])
@roles_required(*OFFICE)
@blp.response(200, DispatchResultSchema)
def dispatch(task_no: str):
    """Send a drawn task's current visits to their teams (again: only what changed)."""
    result = dispatch_service.dispatch_task(task_no, actor_name())
    return {"task_no": result.task_no, "events": result.events,
            "dispatched": [visit_code(i) for i in result.dispatched],
            "withdrawn": [visit_code(i) for i in result.withdrawn],
            "reassigned": [visit_code(i) for i in result.reassigned]}


@blp.route("/visits/<visit_id>/withdraw", methods=["POST"])
@roles_required(*OFFICE)
@blp.arguments(WithdrawSchema)
@blp.response(200, WithdrawResultSchema)
def withdraw(args, visit_id: str):
    """Take a dispatched visit back from its team's tablets (task suspended, the
    enterprise found closed …): their next pull lists it as withdrawn; records
    already made stay. Dispatching the task again sends it again – to replace the
    enterprise for good, adjust the draw (which is recorded)."""
    number = parse_visit_code(visit_id)
    if number is None or number > 2**31 - 1:
        abort(404, message=f"检查对象编号“{visit_id}”无效（应为V加数字）")
    events = dispatch_service.withdraw_visit(number, actor_name(), args["reason"])
    return {"visit_id": visit_code(number), "events": events}
