"""The one family of refusals a service can give.

A ``ServiceError`` carries an HTTP-like ``status`` and a Chinese ``message``
for the person who asked (optionally field ``errors`` and response
``headers``). Services raise it; ``server/errors.py`` turns it, in one
handler, into the API's error shape or a console message. Routes do not
catch it. The nouns' own subclasses (``SyncError``, ``CaseError`` …) only
keep their historic constructor order.
"""

from __future__ import annotations


class ServiceError(Exception):
    status: int = 409

    def __init__(self, message: str, status: int | None = None, *,
                 errors: dict | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.errors, self.headers = errors, headers or {}

    def __str__(self) -> str:
        return self.message
