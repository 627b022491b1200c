"""``GET /api/v1/sync/pull`` and ``POST /api/v1/tasks/<task_no>/dispatch``."""

from flask import g
from flask_smorest import abort

from shared.enums import Role

from ...auth import OFFICE, actor_name, roles_required
from ...services import dispatch as dispatch_service
from ...services.sync import SyncError, visit_code
from ...services.sync.pull import pull as pull_packages
from .. import Blueprint
from . import abort_sync
from .schemas import DispatchResultSchema, PullQuery, PullSchema

blp = Blueprint("sync", __name__, url_prefix="/api/v1", description="离线同步：任务下发")


@blp.route("/sync/pull")
@roles_required(Role.INSPECTOR)
@blp.arguments(PullQuery, location="query")
@blp.response(200, PullSchema)
def pull(args):
    """The task packages changed for the calling inspector since ``cursor``."""
    if g.user.inspector_id is None:
        abort(403, message="该账号未关联执法人员，不能接收检查任务")
    try:
        return pull_packages(g.user.inspector_id, args["cursor"])
    except SyncError as exc:
        abort_sync(exc)


@blp.route("/tasks/<task_no>/dispatch", methods=["POST"])
@roles_required(*OFFICE)
@blp.response(200, DispatchResultSchema)
def dispatch(task_no: str):
    """Send a drawn task's current visits to their teams (again: only what changed)."""
    try:
        result = dispatch_service.dispatch_task(task_no, actor_name())
    except dispatch_service.DispatchError as exc:
        abort(exc.status, message=exc.message)
    return {"task_no": result.task_no, "events": result.events,
            "dispatched": [visit_code(i) for i in result.dispatched],
            "withdrawn": [visit_code(i) for i in result.withdrawn],
            "reassigned": [visit_code(i) for i in result.reassigned]}
