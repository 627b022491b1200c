"""What kind of file an evidence blob is, from its first bytes (never its name).

The tablet checks files before it keeps them and the server checks uploads
before it accepts them; both use this one table so they can never disagree.
"""

from __future__ import annotations

SNIFF_BYTES = 16  # enough for every signature below


def sniff_mime(head: bytes) -> str | None:
    """The MIME type from a file's first ``SNIFF_BYTES`` bytes, or None if unknown."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"#!AMR"):
        return "audio/amr"
    if head[4:8] == b"ftyp":
        return "audio/mp4"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    return None
