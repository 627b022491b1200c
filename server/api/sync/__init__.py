"""Sync API: pull and dispatch (records and blobs have their own packages)."""

from __future__ import annotations

from typing import NoReturn

from flask_smorest import abort

from ...services.sync import SyncError


def abort_sync(exc: SyncError) -> NoReturn:
    """A service's ``SyncError`` as the one error shape (with its headers)."""
    kwargs: dict = {"message": exc.message}
    if exc.errors:
        kwargs["errors"] = exc.errors
    if exc.headers:
        kwargs["headers"] = exc.headers
    abort(exc.status, **kwargs)
