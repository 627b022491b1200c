"""Console: a registry import is previewed, then applied.

The uploaded file waits in a staging folder (``IMPORT_STAGING_DIR``, default
``suicha-import-staging`` in the system's temporary folder, which every worker
process shares) under a random name, with the person who
uploaded it; the preview page lists what would be created and changed field by
field, and its button applies exactly that (the preview's token) or reports
that the registry changed in between.  Staged files are removed when applied,
and after a day in any case.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import time
from pathlib import Path

from flask import Response, current_app, flash, g, redirect, render_template, request, url_for

from shared.enums import Role

from ..services.registry_io import (
    SPECS,
    ImportFailed,
    ImportStale,
    import_registry,
    preview_registry,
)
from ..services.registry_io.template import registry_template
from .console import bp, login_required

KINDS = "<any(enterprises,inspectors,experts,items):kind>"
OFFICE = (Role.ADMIN, Role.DISPATCHER)
KEEP_SECONDS = 24 * 3600
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _staging() -> Path:
    folder = Path(current_app.config.get("IMPORT_STAGING_DIR")
                  or os.environ.get("IMPORT_STAGING_DIR")
                  or Path(tempfile.gettempdir()) / "suicha-import-staging").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _stage(data: bytes, filename: str, kind: str) -> str:
    folder = _staging()
    _sweep(folder)
    key = secrets.token_urlsafe(18)
    (folder / f"{key}.bin").write_bytes(data)
    (folder / f"{key}.json").write_text(json.dumps(
        {"user": g.user.username, "filename": filename, "kind": kind}), encoding="utf-8")
    return key


def _staged(key: str, kind: str) -> tuple[bytes, str] | None:
    if not key or not key.replace("-", "").replace("_", "").isalnum():
        return None
    folder = _staging()
    meta_path, data_path = folder / f"{key}.json", folder / f"{key}.bin"
    if not meta_path.is_file() or not data_path.is_file():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta["user"] != g.user.username or meta["kind"] != kind:
        return None
    return data_path.read_bytes(), meta["filename"]


def _drop(key: str) -> None:
    for suffix in (".bin", ".json"):
        (_staging() / f"{key}{suffix}").unlink(missing_ok=True)


@bp.route(f"/registries/{KINDS}/template.xlsx")
@login_required(*OFFICE)
def registry_template_file(kind: str):
    return Response(registry_template(kind), mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename={kind}-template.xlsx"})


@bp.route(f"/registries/{KINDS}/import/preview", methods=["POST"])
@login_required(*OFFICE)
def registry_import_preview(kind: str):
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("请选择要导入的文件")
        return redirect(url_for("console.registries", kind=kind))
    data = upload.read()
    try:
        preview = preview_registry(kind, data, upload.filename)
    except ImportFailed as exc:
        return render_template("console/import_preview.html", kind=kind, spec=SPECS[kind],
                               preview=None, errors=exc.errors, filename=upload.filename), 422
    key = _stage(data, upload.filename, kind)
    return render_template("console/import_preview.html", kind=kind, spec=SPECS[kind],
                           preview=preview, errors=[], key=key, filename=upload.filename)


@bp.route(f"/registries/{KINDS}/import/apply", methods=["POST"])
@login_required(*OFFICE)
def registry_import_apply(kind: str):
    key = request.form.get("key", "")
    staged = _staged(key, kind)
    if staged is None:
        flash("预览已过期或不存在，请重新上传文件")
        return redirect(url_for("console.registries", kind=kind))
    data, filename = staged
    try:
        result = import_registry(kind, data, filename, g.user.username,
                                 expect=request.form.get("token", ""))
    except ImportStale as exc:
        _drop(key)
        flash(exc.message)
        return redirect(url_for("console.registries", kind=kind))
    except ImportFailed as exc:
        _drop(key)
        flash(f"导入失败，文件未作任何更改（{len(exc.errors)}处错误）")
        return redirect(url_for("console.registries", kind=kind))
    _drop(key)
    flash(result.summary())
    return redirect(url_for("console.registries", kind=kind))


@bp.route(f"/registries/{KINDS}/import/cancel", methods=["POST"])
@login_required(*OFFICE)
def registry_import_cancel(kind: str):
    if _staged(request.form.get("key", ""), kind) is not None:
        _drop(request.form["key"])
    flash("已取消导入，名录库未作任何更改")
    return redirect(url_for("console.registries", kind=kind))
