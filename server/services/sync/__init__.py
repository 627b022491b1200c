"""Server side of the sync protocol (docs/sync.md): pull, records, blobs.

Plain functions over the models; the routes in ``server/api/{sync,records,blobs}``
only translate HTTP to calls and ``SyncError`` to the error shape.
"""

from __future__ import annotations

from ..errors import ServiceError


class SyncError(ServiceError):
    """A definite answer for the tablet: HTTP ``status`` and a Chinese ``message``."""

    def __init__(self, status: int, message: str, *, errors: dict | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message, status, errors=errors, headers=headers)


def visit_code(visit_id: int) -> str:
    """The ``visit_id`` string tablets see for a server visit row."""
    return f"V{visit_id:06d}"


def parse_visit_code(code: str) -> int | None:
    if len(code) < 2 or code[0] != "V" or not code[1:].isdigit():
        return None
    return int(code[1:])
