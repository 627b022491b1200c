"""``HEAD``/``PUT /api/v1/blobs/<sha256>``: resumable evidence upload (docs/sync.md §3);
``GET``: an earlier hazard's photo for a 复查 package."""

from flask import current_app, g, request, send_file
from flask.views import MethodView
from flask_smorest import abort

from shared.enums import Role
from shared.schemas.common import SHA256_RE

from ...auth import roles_required
from ...services.followup import evidence_path
from ...services.sync import SyncError
from ...services.sync import blobs as service
from ...services.sync.pull import reference_photo
from .. import Blueprint
from .schemas import BLOB_BODY_DOC, BlobStateSchema

blp = Blueprint("blobs", __name__, url_prefix="/api/v1/blobs",
                description="离线同步：证据文件上传（可断点续传）")


def _check_hash(sha256: str) -> None:
    if not SHA256_RE.fullmatch(sha256):
        abort(400, message="文件标识应为64位小写十六进制SHA-256值")


@blp.route("/<sha256>")
class BlobView(MethodView):
    # One rule for HEAD, GET and PUT (HEAD is defined itself, not a GET's shadow);
    # the role check wraps the whole view, before anything is read.
    decorators = [roles_required(Role.INSPECTOR)]

    @blp.response(200)
    def head(self, sha256: str):
        """200 with ``Blob-Status``/``Blob-Offset``, or 404 when nothing is held."""
        _check_hash(sha256)
        state = service.head(sha256)
        if state is None:
            abort(404, message="服务器上没有该文件")
        return "", 200, state.headers()

    @blp.response(200)
    def get(self, sha256: str):
        """The bytes of a photo of an open hazard in one of the caller's task packages
        (a 复查 shows the earlier finding's photos); 404 for anything else."""
        _check_hash(sha256)
        if g.user.inspector_id is None or not reference_photo(g.user.inspector_id, sha256):
            abort(404, message="没有可下载的该文件")
        path = evidence_path(sha256)
        if not path.is_file():
            abort(404, message="没有可下载的该文件")
        return send_file(path, mimetype="image/jpeg", max_age=0)

    @blp.doc(**BLOB_BODY_DOC)
    @blp.response(201, BlobStateSchema)
    @blp.alt_response(200, schema=BlobStateSchema, description="文件已完整，无需再传")
    @blp.alt_response(202, schema=BlobStateSchema, description="已追加，文件尚未完整")
    def put(self, sha256: str):
        """Append bytes START…END at the server's offset; the last chunk completes."""
        _check_hash(sha256)
        length = request.content_length
        if length is not None and length > current_app.config["MAX_CONTENT_LENGTH"]:
            limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
            raise SyncError(413, f"单次上传内容过大（上限{limit}MB），请分段上传")
        state = service.put_chunk(sha256, request.headers.get("Content-Range"), length,
                                  request.stream)
        body = {"sha256": sha256, "status": "complete" if state.complete else "partial",
                "offset": state.offset}
        return body, state.status, state.headers()
