"""The OpenAPI contract, completed in one place for every route.

Each operation gets an ``operationId`` (its endpoint), a Chinese summary
(``SUMMARIES``, else its docstring's first line) and the error answers the server
gives it: 401/403 where ``roles_required`` guards it, 404 where the path names
a record, 409/422 where it changes state.  Route files need no decorators for
this; ``tests/server/api/test_openapi.py`` checks every operation and runs
openapi-spec-validator over the document.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from flask import Flask

# Summaries for routes without a docstring, by endpoint.
SUMMARIES: dict[str, str] = {
    "health.healthz": "服务健康检查",
    "auth.issue_token": "登录并领取访问令牌",
    "auth.revoke_own_token": "注销当前访问令牌",
    "auth.whoami": "当前用户",
    "users.list_users": "用户列表",
    "users.add_user": "新建用户",
    "users.list_devices": "已登记的平板设备",
    "users.revoke": "吊销平板设备",
    "enterprises.list_enterprises": "检查对象名录（筛选、分页）",
    "enterprises.create_enterprise": "新增检查对象",
    "enterprises.get_enterprise": "查看检查对象",
    "enterprises.update_enterprise": "修改检查对象",
    "inspectors.list_inspectors": "执法检查人员名录（筛选、分页）",
    "inspectors.create_inspector": "新增执法检查人员",
    "inspectors.get_inspector": "查看执法检查人员",
    "inspectors.update_inspector": "修改执法检查人员",
    "experts.list_experts": "专家名录",
    "experts.create_expert": "新增专家",
    "experts.update_expert": "修改专家",
    "items.list_items": "随机抽查事项清单（最新版本）",
    "items.list_versions": "事项清单的各个版本",
    "registries.preview_file": "预览名录库导入（不作更改）",
    "registries.import_file": "按预览导入名录库文件",
    "registries.export_file": "导出名录库",
    "registries.template_file": "下载名录库导入模板",
    "audit.list_audit": "审计日志",
    "sync.pull": "平板拉取派发给本组的检查任务",
    "sync.dispatch": "派发已抽取任务到检查组平板",
    "sync.withdraw": "撤回已派发的检查",
    "blobs.BlobView": "证据文件分块上传与续传",
    "records.put_record": "上传检查记录",
    "records.get_record": "查看检查记录",
    "plans.list_plans": "抽查计划列表",
    "plans.create_plan": "新建抽查计划",
    "plans.import_plans": "导入抽查计划表",
    "plans.get_plan": "查看抽查计划",
    "plans.update_plan": "修改抽查计划（已发布的须说明理由）",
    "plans.publish_plan": "发布抽查计划",
    "plans.create_task": "新增抽查任务",
    "plans.list_tasks": "抽查任务列表",
    "plans.get_task": "查看抽查任务",
    "plans.update_task": "修改抽查任务",
    "plans.review_plan": "计划审核：各任务的结构化比例、范围和事项",
    "plans.review_task": "确认任务的结构化比例、范围和事项",
    "draws.run_draw": "执行随机抽取",
    "draws.commit": "公布随机种子承诺值",
    "draws.record_file": "下载抽取记录文件（可离线核验）",
    "draws.list_draws": "任务的抽取记录",
    "draws.get_draw": "查看抽取记录",
    "draws.add_adjustment": "调整抽取结果（须说明理由）",
    "publication.list_results": "待公示和已公示的检查结果",
    "publication.propose": "提交检查结果待审核公示",
    "publication.approve": "审核通过并公示",
    "publication.reject": "退回检查结果",
    "cases.list_cases": "案件列表",
    "cases.list_overdue": "逾期案件",
    "cases.get_case": "查看案件",
    "cases.transition": "案件状态流转",
    "cases.review": "法制审核",
    "cases.archive": "案件归档",
    "cases.correct": "更正已归档案件（生成新版本案卷）",
    "cases.versions": "案卷的各个版本",
    "cases.proposals": "黑名单提议",
    "cases.decide": "审核黑名单提议",
    "dossiers.case_pdf": "案卷 PDF（PDF/A-2b）",
    "dossiers.document_pdf": "执法文书 PDF（PDF/A-2b）",
    "dossiers.enterprise_pdf": "企业检查档案 PDF（PDF/A-2b）",
}

ERRORS = {
    401: "未登录或令牌已失效",
    403: "当前角色无权执行此操作",
    404: "所指的记录不存在",
    409: "与当前状态冲突（如已发布、已抽取、已归档），未作更改",
    422: "内容不符合业务规则，未作更改",
}
_CHANGES = {"post", "put", "patch", "delete"}


def register_error_responses(spec) -> None:
    """Named responses the operations refer to (flask-smorest adds only some)."""
    present = spec.to_dict().get("components", {}).get("responses", {})
    for status, text in ERRORS.items():
        name = HTTPStatus(status).name
        if name not in present:
            spec.components.response(name, {
                "description": text,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            })


def _summary(endpoint: str, view) -> str:
    if endpoint in SUMMARIES:
        return SUMMARIES[endpoint]
    doc = (view.__doc__ or "").strip().splitlines()
    if doc:
        return doc[0].strip()
    return endpoint.split(".")[-1].replace("_", " ")


def complete_operation(app: Flask, rule, method: str, operation: dict[str, Any],
                       several_methods: bool) -> None:
    view = app.view_functions[rule.endpoint]
    op_id = rule.endpoint.replace(".", "_")
    operation.setdefault("operationId", f"{op_id}_{method}" if several_methods else op_id)
    if rule.endpoint in SUMMARIES:
        # The Chinese summary is what people read; a developer's docstring
        # (its first line went to ``summary``) stays as the description.
        first = operation.get("summary")
        if first and first != SUMMARIES[rule.endpoint]:
            rest = operation.get("description")
            operation["description"] = first + (f"\n\n{rest}" if rest else "")
        operation["summary"] = SUMMARIES[rule.endpoint]
    elif not operation.get("summary"):
        operation["summary"] = _summary(rule.endpoint, view)
    responses = operation.setdefault("responses", {})
    wanted: list[int] = []
    if getattr(view, "_roles", None):
        wanted += [401, 403]
    if rule.arguments:
        wanted.append(404)
    if method in _CHANGES:
        wanted += [409, 422]
    for status in wanted:
        responses.setdefault(str(status), HTTPStatus(status).name)


class ContractSpec:
    """Stands in for the APISpec while a blueprint registers its paths."""

    def __init__(self, spec, app: Flask) -> None:
        self._spec = spec
        self._app = app

    def path(self, *, rule, operations: dict, parameters=None, **kwargs):
        methods = [m for m in operations if m != "parameters"]
        for method in methods:
            complete_operation(self._app, rule, method, operations[method], len(methods) > 1)
        return self._spec.path(rule=rule, operations=operations, parameters=parameters,
                               **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._spec, name)
