"""EXIF of evidence photos: the time and place a photo says, and the copy's EXIF."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PIL import ExifTags, Image

from mobile.core.timefmt import local, zone


def exif_time(exif: Image.Exif) -> datetime | None:
    """When the photo says it was taken, if it says: at its OffsetTimeOriginal, else
    in the bureau's zone (a camera's clock is set to the wall clock where it is used,
    whatever zone the tablet is set to)."""
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    raw = sub.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if not raw:
        return None
    try:
        naive = datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = str(sub.get(ExifTags.Base.OffsetTimeOriginal) or "").strip("\x00 ")
    try:
        return datetime.fromisoformat(f"{naive.isoformat()}{offset}") if offset else (
            naive.replace(tzinfo=zone()))
    except ValueError:
        return naive.replace(tzinfo=zone())


def _offset(dt: datetime) -> str:
    """+08:00: EXIF's OffsetTime form."""
    minutes = int(dt.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
    sign, minutes = ("-" if minutes < 0 else "+"), abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _dms(value: Any) -> float:
    d, m, s = (float(x) for x in value)
    return d + m / 60 + s / 3600


def exif_gps(exif: Image.Exif) -> tuple[float, float] | None:
    """Where the photo says it was taken (latitude, longitude), if it says."""
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    try:
        lat, lon = _dms(gps[2]), _dms(gps[4])
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if gps.get(1) == "S":
        lat = -lat
    if gps.get(3) == "W":
        lon = -lon
    return lat, lon


def _to_dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    return float(d), float(m), round((value - d - m / 60) * 3600, 2)


def exif_bytes(exif: Image.Exif, taken_at: datetime | None, where: tuple | None) -> bytes:
    """EXIF for the copy: orientation reset (pixels are upright now), time and GPS kept."""
    try:
        sub = exif.get_ifd(ExifTags.IFD.Exif)
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        exif.get_ifd(ExifTags.IFD.Interop)
        sub.pop(ExifTags.Base.MakerNote, None)
        exif[ExifTags.Base.Orientation] = 1
        if taken_at and ExifTags.Base.DateTimeOriginal not in sub:
            # EXIF times are wall-clock times: the bureau's, with the offset saying so
            shown = local(taken_at)
            sub[ExifTags.Base.DateTimeOriginal] = shown.strftime("%Y:%m:%d %H:%M:%S")
            sub[ExifTags.Base.OffsetTimeOriginal] = _offset(shown)
            exif[ExifTags.IFD.Exif] = sub
        elif taken_at and ExifTags.Base.OffsetTimeOriginal not in sub:
            sub[ExifTags.Base.OffsetTimeOriginal] = _offset(taken_at)  # as exif_time read it
            exif[ExifTags.IFD.Exif] = sub
        if where and 2 not in gps:
            exif[ExifTags.IFD.GPSInfo] = {
                1: "N" if where[0] >= 0 else "S",
                2: _to_dms(where[0]),
                3: "E" if where[1] >= 0 else "W",
                4: _to_dms(where[1]),
            }
        data = exif.tobytes()
    except Exception:  # odd vendor EXIF must not cost the photo
        return b""
    return data if len(data) < 60_000 else b""
