"""``PUT``/``GET /api/v1/records/<uuid>`` (docs/sync.md §4).

The body is read as raw bytes, not through ``@blp.arguments``: the protocol
compares repeat uploads byte for byte, and the 2 MiB limit applies before parsing.
"""

from flask import g, request

from shared.enums import Role
from shared.schemas.record import MAX_RECORD_BYTES

from ...auth import OFFICE, roles_required
from ...services.sync import SyncError
from ...services.sync import records as service
from .. import Blueprint
from .schemas import RECORD_BODY_DOC, RecordStatusOut

blp = Blueprint("records", __name__, url_prefix="/api/v1/records",
                description="离线同步：检查记录上传")

@blp.route("/<uuid>", methods=["PUT"])
@roles_required(Role.INSPECTOR)
@blp.doc(**RECORD_BODY_DOC)
@blp.response(201, RecordStatusOut)
@blp.alt_response(200, schema=RecordStatusOut, description="重复上传或修订")
def put_record(uuid: str):
    if (request.content_length or 0) > MAX_RECORD_BYTES:
        raise SyncError(413, "记录过大（上限2MB），证据文件应单独上传")
    body = request.get_data(cache=False)
    token = g.get("device_token")
    result = service.put_record(uuid, body, g.user, token.device_id if token else None)
    return result.body(), 201 if result.created else 200


@blp.route("/<uuid>")
@roles_required(Role.INSPECTOR, *OFFICE)
@blp.response(200, RecordStatusOut)
def get_record(uuid: str):
    return service.get_record(uuid, g.user, office=g.user.role != Role.INSPECTOR).body()
