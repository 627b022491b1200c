"""年度抽查计划 and 抽查任务: list, create, import, change with a reason, publish."""

from __future__ import annotations

import sqlalchemy as sa
from flask import request
from flask_smorest import abort

from ...auth import OFFICE, STAFF, actor_name, roles_required
from ...extensions import db
from ...models import Plan, Task
from ...services import plans as svc
from ...services.registry_io import ImportFailed
from .. import Blueprint
from .schemas import (
    PlanImportResultSchema,
    PlanQuery,
    PlanSchema,
    PlanSummarySchema,
    PlanUpdateSchema,
    TaskQuery,
    TaskSchema,
    TaskUpdateSchema,
    UploadSchema,
)

blp = Blueprint("plans", __name__, url_prefix="/api/v1", description="抽查计划与抽查任务")


@blp.route("/plans")
@roles_required(*STAFF)
@blp.arguments(PlanQuery, location="query")
@blp.response(200, PlanSummarySchema(many=True))
def list_plans(args):
    query = sa.select(Plan).order_by(Plan.year.desc(), Plan.plan_no)
    for name in ("status", "year"):
        if name in args:
            query = query.where(getattr(Plan, name) == args[name])
    return db.session.execute(query).scalars().all()


@blp.route("/plans", methods=["POST"])
@roles_required(*OFFICE)
@blp.arguments(PlanSchema)
@blp.response(201, PlanSchema)
def create_plan(data):
    return svc.create_plan(data, actor_name())


@blp.route("/plans/import", methods=["POST"])
@roles_required(*OFFICE)
@blp.arguments(UploadSchema, location="files")
@blp.response(200, PlanImportResultSchema)
@blp.alt_response(422, description="文件中有错误行；整个文件未导入")
def import_plans(form):
    upload = request.files["file"]
    try:
        result = svc.import_plans(upload.read(), upload.filename or "plans.xlsx", actor_name(),
                                  form.get("reason"), plan_no=form.get("plan_no"),
                                  plan_name=form.get("plan_name"))
    except ImportFailed as exc:
        abort(422, message=f"导入失败，文件未作任何更改（{len(exc.errors)}处错误）",
              errors={"rows": exc.errors})
    return {**result.__dict__, "message": result.summary()}


@blp.route("/plans/<plan_no>")
@roles_required(*STAFF)
@blp.response(200, PlanSchema)
def get_plan(plan_no):
    return svc.get_plan(plan_no)


@blp.route("/plans/<plan_no>", methods=["PATCH"])
@roles_required(*OFFICE)
@blp.arguments(PlanUpdateSchema)
@blp.response(200, PlanSchema)
def update_plan(data, plan_no):
    reason = data.pop("reason", None)
    return svc.update_plan(svc.get_plan(plan_no), data, actor_name(), reason)


@blp.route("/plans/<plan_no>/publish", methods=["POST"])
@roles_required(*OFFICE)
@blp.response(200, PlanSchema)
def publish_plan(plan_no):
    return svc.publish_plan(svc.get_plan(plan_no), actor_name())


@blp.route("/plans/<plan_no>/tasks", methods=["POST"])
@roles_required(*OFFICE)
@blp.arguments(TaskSchema)
@blp.response(201, TaskSchema)
def create_task(data, plan_no):
    reason = data.pop("reason", None)
    return svc.create_task(svc.get_plan(plan_no), data, actor_name(), reason)


@blp.route("/tasks")
@roles_required(*STAFF)
@blp.arguments(TaskQuery, location="query")
@blp.response(200, TaskSchema(many=True))
def list_tasks(args):
    query = sa.select(Task).join(Plan).order_by(Task.task_no)
    if "plan_no" in args:
        query = query.where(Plan.plan_no == args["plan_no"])
    if "status" in args:
        query = query.where(Task.status == args["status"])
    return db.session.execute(query).scalars().all()


@blp.route("/tasks/<task_no>")
@roles_required(*STAFF)
@blp.response(200, TaskSchema)
def get_task(task_no):
    return svc.get_task(task_no)


@blp.route("/tasks/<task_no>", methods=["PATCH"])
@roles_required(*OFFICE)
@blp.arguments(TaskUpdateSchema(partial=True))
@blp.response(200, TaskSchema)
def update_task(data, task_no):
    reason = data.pop("reason", None)
    return svc.update_task(svc.get_task(task_no), data, actor_name(), reason)
