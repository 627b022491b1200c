from __future__ import annotations

import hashlib
import io
import os
import struct
import time
import wave
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from mobile.core import evidence
from mobile.core.errors import EvidenceError
from mobile.platform import camera, fonts, storage

from .conftest import BEIJING, make_photo

STAMP = evidence.Stamp(
    enterprise="承德某化工有限公司",
    inspector="张三 13080020001",
    taken_at=datetime(2024, 3, 5, 10, 6, 31, tzinfo=BEIJING),
    location=(40.9512, 117.9634),
)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    d = tmp_path / "files"
    d.mkdir()
    return d


def ingest(src: Path, files: Path, font, kind: str = "photo", stamp=STAMP) -> evidence.Evidence:
    return evidence.ingest(src, files, kind, stamp, font[0], font[1])


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_original_untouched_and_hashed(tmp_path, files, font) -> None:
    src = make_photo(tmp_path / "IMG_0042.JPG", orientation=6)
    before, mtime = sha(src), src.stat().st_mtime_ns
    ev = ingest(src, files, font)
    assert sha(src) == before and src.stat().st_mtime_ns == mtime
    assert ev.original.sha256 == before and ev.original.path.read_bytes() == src.read_bytes()
    assert ev.original.path.parent == files and ev.original_name == "IMG_0042.JPG"
    assert ev.upload.sha256 == sha(ev.upload.path) != before
    assert ev.upload.size == ev.upload.path.stat().st_size


@pytest.mark.parametrize(
    ("orientation", "size", "red_at"),
    [(1, (640, 480), "left"), (6, (480, 640), "top"), (8, (480, 640), "bottom"),
     (3, (640, 480), "right")],
)  # fmt: skip
def test_orientation_applied(tmp_path, files, font, orientation, size, red_at) -> None:
    ev = ingest(make_photo(tmp_path / "p.jpg", orientation=orientation), files, font)
    im = Image.open(ev.upload.path)
    assert im.size == size
    assert im.getexif().get(ExifTags.Base.Orientation, 1) == 1
    w, h = im.size
    probe = {"left": (w // 8, h // 8), "right": (w - w // 8, h // 8),
             "top": (w - w // 8, h // 8), "bottom": (w - w // 8, h - h // 3)}  # fmt: skip
    r, g, b = im.convert("RGB").getpixel(probe[red_at])
    assert r > 200 and b < 60, (orientation, red_at, (r, g, b))


@pytest.mark.parametrize(("size", "fmt"), [((4000, 3000), "JPEG"), ((3000, 2100), "PNG")])
def test_long_edge_at_most_2048(tmp_path, files, font, size, fmt) -> None:
    src = tmp_path / f"big.{fmt.lower()}"
    Image.new("RGB", size, (90, 120, 40)).save(src, fmt)
    up = Image.open(ingest(src, files, font).upload.path)
    assert max(up.size) <= 2048 and max(up.size) >= 1536
    assert abs(up.size[0] / up.size[1] - size[0] / size[1]) < 0.01
    assert up.format == "JPEG"


def test_small_photo_not_upscaled(tmp_path, files, font) -> None:
    ev = ingest(make_photo(tmp_path / "s.jpg", size=(320, 240)), files, font)
    assert Image.open(ev.upload.path).size == (320, 240)


def test_burned_text_changes_corner_only(tmp_path, files, font) -> None:
    src = tmp_path / "grey.jpg"
    Image.new("RGB", (1200, 900), (128, 128, 128)).save(src, quality=95)
    im = Image.open(ingest(src, files, font).upload.path).convert("L")
    corner = im.crop((0, 900 - 200, 600, 900))
    far = im.crop((800, 0, 1200, 300))
    lo, hi = corner.getextrema()
    assert lo < 80 and hi > 220  # dark box with white characters
    assert max(abs(v - 128) for v in far.getextrema()) <= 4  # rest untouched


def test_exif_time_and_gps_kept(tmp_path, files, font) -> None:
    ex = Image.Exif()
    ex[ExifTags.IFD.Exif] = {ExifTags.Base.DateTimeOriginal: "2024:03:05 10:00:00"}
    ex[ExifTags.IFD.GPSInfo] = {1: "N", 2: (40.0, 57.0, 4.0), 3: "E", 4: (117.0, 57.0, 48.0)}
    ev = ingest(make_photo(tmp_path / "e.jpg", orientation=6, exif=ex), files, font)
    # A camera's clock without an offset tag is the bureau's wall clock, whatever the
    # tablet's zone; the copy says so with OffsetTimeOriginal.
    assert ev.taken_at == datetime(2024, 3, 5, 10, 0, tzinfo=BEIJING)
    assert ev.location == pytest.approx((40.95111, 117.96333), abs=1e-4)
    out = Image.open(ev.upload.path).getexif()
    assert out.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] == "2024:03:05 10:00:00"
    assert out.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.OffsetTimeOriginal] == "+08:00"
    assert out.get_ifd(ExifTags.IFD.GPSInfo)[1] == "N"


def test_time_without_exif_is_stamped_and_written_in_the_bureau_zone(tmp_path, files, font):
    # The tablet's clock says 13:42:06 UTC (its zone is UTC): Beijing read 21:42:06.
    stamp = evidence.Stamp(enterprise="某洗煤有限公司", inspector="马敏志",
                           taken_at=datetime(2026, 12, 3, 13, 42, 6, tzinfo=UTC))
    assert evidence.stamp_lines(stamp, stamp.taken_at, None)[0] == "2026-12-03 21:42:06"
    ev = ingest(make_photo(tmp_path / "u.jpg"), files, font, stamp=stamp)
    sub = Image.open(ev.upload.path).getexif().get_ifd(ExifTags.IFD.Exif)
    assert sub[ExifTags.Base.DateTimeOriginal] == "2026:12:03 21:42:06"
    assert sub[ExifTags.Base.OffsetTimeOriginal] == "+08:00"
    assert ev.taken_at == stamp.taken_at  # stored as the instant it is


def test_stamp_location_written_when_camera_has_none(tmp_path, files, font) -> None:
    ev = ingest(make_photo(tmp_path / "n.jpg"), files, font)
    assert ev.location == (40.9512, 117.9634) and ev.taken_at == STAMP.taken_at
    gps = Image.open(ev.upload.path).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert gps[3] == "E" and float(gps[2][0]) == 40.0


def _png_claiming(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    Image.new("L", (1, 1)).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


@pytest.mark.parametrize("dims", [(10_000, 7_000), (30_000, 30_000)])
def test_decompression_bomb_rejected(tmp_path, files, font, dims) -> None:
    src = tmp_path / "bomb.png"
    src.write_bytes(_png_claiming(*dims))
    with pytest.raises(EvidenceError, match="像素数过大"):
        ingest(src, files, font)


def test_truncated_jpeg_rejected(tmp_path, files, font) -> None:
    whole = make_photo(tmp_path / "w.jpg", size=(800, 600)).read_bytes()
    src = tmp_path / "cut.jpg"
    src.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(EvidenceError, match="不完整"):
        ingest(src, files, font)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"just some notes\n", "不是可用的证据文件"), (b"\xff\xd8\xff" + b"\x00" * 64, "图片")],
)
def test_non_images_rejected(tmp_path, files, font, content, message) -> None:
    src = tmp_path / "x.jpg"
    src.write_bytes(content)
    with pytest.raises(EvidenceError, match=message):
        ingest(src, files, font)


def test_audio_and_pdf_kept_as_is(tmp_path, files, font) -> None:
    wav = tmp_path / "note.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(8000)
        w.writeframes(b"\x00\x01" * 8000)
    ev = ingest(wav, files, font, kind="audio")
    assert ev.original == ev.upload and ev.upload.mime == "audio/wav"
    pdf = tmp_path / "licence.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert ingest(pdf, files, font, kind="document").upload.mime == "application/pdf"
    with pytest.raises(EvidenceError):
        ingest(pdf, files, font, kind="audio")


def test_font_lookup(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    with pytest.raises(fonts.FontNotFoundError) as err:
        fonts.find_cjk_font(candidates=((str(tmp_path / "none.ttc"), 0),))
    assert "未找到可显示中文的字体" in str(err.value) and "No CJK font" in str(err.value)
    f = tmp_path / "f.ttf"
    f.write_bytes(b"x")
    assert fonts.find_cjk_font(candidates=((str(f), 2),)) == fonts.FontSpec(f, 2)


def test_storage_dir_private(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(storage.ENV_VAR, str(tmp_path / "suicha"))
    d = storage.data_dir()
    assert d == tmp_path / "suicha" and d.stat().st_mode & 0o777 == 0o700


def test_import_folder_returns_new_photos_once(tmp_path) -> None:
    card = tmp_path / "DCIM" / "100EXCAM"
    card.mkdir(parents=True)
    make_photo(card / "A.JPG")
    (card / "notes.txt").write_text("x")
    (card / "B.jpg").mkdir()  # not a file
    later = [time.time() + 60]  # every file written a minute ago: settled
    folder = camera.ImportFolder(tmp_path / "DCIM", clock=lambda: later[0])
    assert [p.name for p in folder.new_files()] == ["A.JPG"]
    make_photo(card / "C.jpg")
    os.utime(card / "C.jpg", (later[0] - 30, later[0] - 30))
    assert [p.name for p in folder.new_files()] == ["C.jpg"]
    assert folder.new_files() == []
    skipping = camera.ImportFolder(tmp_path / "DCIM", skip={"A.JPG"}, clock=lambda: later[0])
    assert [p.name for p in skipping.new_files()] == ["C.jpg"]  # A is attached already


def test_import_folder_waits_for_a_photo_being_copied(tmp_path) -> None:
    now = time.time()
    folder = camera.ImportFolder(tmp_path, clock=lambda: now)  # the copy runs now
    whole = make_photo(tmp_path / "w.jpg.part").read_bytes()
    (tmp_path / "w.jpg.part").unlink()
    copying = tmp_path / "IMG_0001.JPG"
    copying.write_bytes(whole[:1000])
    assert folder.new_files() == []  # just written: wait for the next scan
    with open(copying, "ab") as f:
        f.write(whole[1000:])
    os.utime(copying, (now + 1, now + 1))  # the copy went on
    assert folder.new_files() == []  # changed since the last scan: still not settled
    assert folder.new_files() == [copying]  # unchanged for a scan: settled
    assert folder.new_files() == []


def test_import_folder_offers_a_failed_photo_again_only_once_it_changes(tmp_path) -> None:
    later = time.time() + 60
    folder = camera.ImportFolder(tmp_path, clock=lambda: later)
    bad = tmp_path / "IMG_0002.JPG"
    bad.write_bytes(b"\xff\xd8\xff" + b"\x00" * 100)
    assert folder.new_files() == [bad]
    folder.failed(bad)
    assert folder.new_files() == []  # the same damaged file: not again
    make_photo(bad)  # copied again, whole this time
    os.utime(bad, (later - 10, later - 10))
    assert folder.new_files() == [bad]


def test_device_facades_fall_back_on_a_desktop(tmp_path, monkeypatch) -> None:
    from mobile.platform import audio, gps

    monkeypatch.delenv("ANDROID_ARGUMENT", raising=False)
    tracker = gps.GpsTracker()
    assert tracker.start() is False and tracker.locate() is None
    assert gps.current_fix(tracker) is None
    recorder = audio.AudioRecorder()
    assert recorder.start(tmp_path / "a.m4a") is False and recorder.stop() is None
    assert camera.take_photo(tmp_path / "c.jpg", lambda p: None) is False
    with pytest.raises(FileNotFoundError, match="文件不存在"):
        camera.pick_file(tmp_path / "missing.jpg")


def test_concurrent_imports(tmp_path, files, font) -> None:
    from concurrent.futures import ThreadPoolExecutor

    srcs = [
        make_photo(tmp_path / f"c{i}.jpg", size=(900 + i, 700), orientation=6) for i in range(8)
    ]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda p: ingest(p, files, font), srcs))
    assert len({r.upload.sha256 for r in results}) == 8
    for i, (src, r) in enumerate(zip(srcs, results, strict=True)):
        assert r.original.sha256 == sha(src)
        assert Image.open(r.upload.path).size == (700, 900 + i)  # upright (orientation 6)


# -- captures the app made itself: moved in, not copied --------------------------


def capture(tmp_path: Path, name: str = "capture.jpg", **kw) -> Path:
    (tmp_path / "captures").mkdir(exist_ok=True)
    return make_photo(tmp_path / "captures" / name, **kw)


def test_capture_is_moved_in_after_its_copy_is_made(tmp_path, files, font) -> None:
    src = capture(tmp_path, size=(1200, 900), orientation=6)
    data = src.read_bytes()
    ev = evidence.ingest(src, files, "photo", STAMP, *font, move=True)
    assert not src.exists()  # nothing left behind in captures/
    assert ev.original.path.read_bytes() == data
    assert ev.original.sha256 == hashlib.sha256(data).hexdigest() == ev.original.path.stem
    assert Image.open(ev.upload.path).size == (900, 1200)
    assert sorted(p.name for p in files.iterdir()) == sorted(
        [ev.original.path.name, ev.upload.path.name]
    )  # no temporary files


def test_capture_that_cannot_be_decoded_stays_where_it_is(tmp_path, files, font) -> None:
    whole = make_photo(tmp_path / "w.jpg", size=(800, 600)).read_bytes()
    src = tmp_path / "captures" / "cut.jpg"
    src.parent.mkdir()
    src.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(EvidenceError, match="不完整"):
        evidence.ingest(src, files, "photo", STAMP, *font, move=True)
    assert src.read_bytes() == whole[: len(whole) // 2]
    assert list(files.iterdir()) == []


def test_capture_of_a_photo_already_stored_is_removed(tmp_path, files, font) -> None:
    first = ingest(make_photo(tmp_path / "a.jpg"), files, font)
    src = capture(tmp_path)  # the same bytes again
    again = evidence.ingest(src, files, "photo", STAMP, *font, move=True)
    assert again.original == first.original and not src.exists()


def test_audio_capture_is_moved_in(tmp_path, files, font) -> None:
    src = tmp_path / "captures" / "note.wav"
    src.parent.mkdir()
    with wave.open(str(src), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(8000)
        w.writeframes(b"\x00\x01" * 8000)
    data = src.read_bytes()
    ev = evidence.ingest(src, files, "audio", STAMP, *font, move=True)
    assert not src.exists() and ev.original.path.read_bytes() == data
    assert ev.upload == ev.original and ev.original.sha256 == hashlib.sha256(data).hexdigest()


def test_capture_on_another_file_system_is_copied_then_removed(
    tmp_path, files, font, monkeypatch
) -> None:
    import errno
    import os

    from mobile.core import evidence_files

    real = os.replace

    def replace(a, b):
        if "captures" in str(a):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real(a, b)

    monkeypatch.setattr(evidence_files.os, "replace", replace)
    src = capture(tmp_path)
    data = src.read_bytes()
    ev = evidence.ingest(src, files, "photo", STAMP, *font, move=True)
    assert not src.exists() and ev.original.path.read_bytes() == data


def test_capture_changed_while_importing_is_refused(tmp_path) -> None:
    from mobile.core import evidence_files

    src = capture(tmp_path)
    with pytest.raises(EvidenceError, match="被改动"):
        evidence_files.on_disk(src, src.stat().st_size - 1)


def test_names_are_synced_after_both_files_exist(tmp_path, files, font, monkeypatch) -> None:
    from mobile.core import evidence_files

    seen = []
    sync = evidence_files.sync_dir
    monkeypatch.setattr(
        evidence_files, "sync_dir", lambda d: seen.append(sorted(d.iterdir())) or sync(d)
    )
    ev = ingest(make_photo(tmp_path / "p.jpg", size=(900, 700)), files, font)
    assert seen == [sorted([ev.original.path, ev.upload.path])]


# -- thumbnails for the evidence list ----------------------------------------------


def test_thumbnail_is_small_upright_and_made_once(tmp_path, files, font) -> None:
    from mobile.core import thumbnails

    ev = ingest(make_photo(tmp_path / "p.jpg", size=(2400, 1800), orientation=6), files, font)
    thumbs = tmp_path / "thumbs"
    thumbs.mkdir()
    made = thumbnails.make(thumbs, ev.upload.path, ev.upload.sha256)
    assert made == thumbnails.path_for(thumbs, ev.upload.sha256)
    with Image.open(made) as im:
        assert im.size == (240, 320)  # the copy is upright: portrait
        r, g, b = im.convert("RGB").getpixel((120, 20))  # the red half is on top now
        assert r > 200 and g < 60 and b < 60
    stamp = made.stat().st_mtime_ns
    assert thumbnails.make(thumbs, ev.upload.path, ev.upload.sha256) == made
    assert made.stat().st_mtime_ns == stamp  # not made again
    assert [p.name for p in thumbs.iterdir()] == [made.name]  # no temporary file left
