"""Content-Disposition for files with Chinese names (RFC 6266 with RFC 5987).

A header is Latin-1 on the wire: gunicorn refuses a raw Chinese file name with
a 500, the dev server hangs on it. So the header carries an ASCII ``filename``
for old clients and the real name percent-encoded in ``filename*``.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote


def disposition(name: str, fallback: str | None = None, *, inline: bool = False) -> str:
    """``attachment; filename="…"; filename*=UTF-8''…``; *fallback* is the ASCII
    name (defaults to *name* with everything non-ASCII dropped)."""
    if fallback is None:
        fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "-", fallback).strip("-")
    if not re.match(r"[A-Za-z0-9]", fallback):  # nothing left of the name but its suffix
        fallback = "download" + (fallback if fallback.startswith(".") else "")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def attachment(name: str, fallback: str | None = None, *, inline: bool = False) -> dict[str, str]:
    """Response headers for a download named *name*."""
    return {"Content-Disposition": disposition(name, fallback, inline=inline)}
