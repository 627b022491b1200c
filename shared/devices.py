"""A tablet's number as people say it: the console's tablet list and the tablet's
own sync screen show the same four characters, so the office can tell which
tablet to revoke without reading a UUID."""

from __future__ import annotations


def device_number(device_id: str) -> str:
    """F9DC for f9dc3a0f-5fde-…."""
    return device_id.replace("-", "")[:4].upper()
