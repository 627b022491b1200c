"""marshmallow schemas for what crosses the wire between tablet and server.

The protocol itself is described in ``docs/sync.md``; these schemas are its
executable form.  Both sides import them: the server to validate what arrives
(400 with ``errors``), the tablet to check a record before queuing it.
"""

from shared.schemas import messages  # noqa: F401, I001 – first: Chinese defaults
from shared.schemas.package import PullResponseSchema, TaskPackageSchema
from shared.schemas.record import (
    SCHEMA_VERSION,
    RecordSchema,
    blob_hashes,
    canonical_json,
)
from shared.schemas.sync import (
    ErrorSchema,
    RecordStatusSchema,
    TokenRequestSchema,
    TokenResponseSchema,
)

__all__ = [
    "SCHEMA_VERSION",
    "ErrorSchema",
    "PullResponseSchema",
    "RecordSchema",
    "RecordStatusSchema",
    "TaskPackageSchema",
    "TokenRequestSchema",
    "TokenResponseSchema",
    "blob_hashes",
    "canonical_json",
]
