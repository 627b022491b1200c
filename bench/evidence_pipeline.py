"""Benchmark: the tablet's evidence pipeline on a 12-megapixel camera photo.

    .venv/bin/python bench/evidence_pipeline.py [--repeat 9] [--font PATH]

A synthetic 4000×3000 JPEG (quality 92, EXIF orientation 6, photo-like noise)
goes through ``mobile.core.evidence.ingest``: copy + SHA-256 of the original,
DCT-scaled decode (into the buffer the previous photo of that size used),
resize to ≤ 2048 px, orientation, burned-in CJK stamp, EXIF,
save, hash. The baseline, measured in the same run on the same file, is the
plain way: ``Image.open(...).convert('RGB').resize(...)`` + save.
Measured beside it: the first photo of a size, which has no buffer to
reuse, and a capture of the app's own camera, which is moved into the store
rather than copied (an SD card's photo is always copied).
Goal: at least 3× faster than the baseline and under 300 ms per photo.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mobile.core import evidence  # noqa: E402
from mobile.core.evidence_memory import DECODE_BUFFERS  # noqa: E402
from mobile.platform.fonts import find_cjk_font  # noqa: E402

GOAL_RATIO = 3.0
GOAL_MS = 300.0


def make_photo(path: Path) -> Path:
    """A 12 MP JPEG that compresses like a photo (noise + shapes), orientation 6."""
    noise = Image.effect_noise((1000, 750), 60).resize((4000, 3000), Image.Resampling.BICUBIC)
    im = Image.merge("RGB", (noise, noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise))
    draw = ImageDraw.Draw(im)
    for i in range(0, 4000, 160):
        draw.rectangle((i, 300 + i // 3, i + 120, 900 + i // 2), fill=(i % 255, 90, 200 - i % 200))
    im = im.filter(ImageFilter.SMOOTH)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8769] = {0x9003: "2024:03:05 10:06:31"}
    im.save(path, "JPEG", quality=92, exif=exif.tobytes())
    return path


def medians_ms(steps: list[tuple[str | None, Callable[[], None]]], repeat: int
               ) -> dict[str, tuple[float, float]]:  # fmt: skip
    """(wall, CPU) median milliseconds of each named step, over *repeat* rounds of
    *steps* (a step named None runs untimed). Rounds interleave the contenders so that
    background load on the machine hits every one alike; CPU time (all threads of the
    process) is the steadier figure on a busy machine."""
    for _, fn in steps:
        fn()  # warm up (font load, page cache)
    walls: dict[str, list[float]] = {name: [] for name, _ in steps if name}
    cpus: dict[str, list[float]] = {name: [] for name, _ in steps if name}
    for _ in range(repeat):
        for name, fn in steps:
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            if name:
                walls[name].append((time.perf_counter() - t0) * 1000)
                cpus[name].append((time.process_time() - c0) * 1000)
    return {name: (statistics.median(walls[name]), statistics.median(cpus[name])) for name in walls}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--font", help="CJK font file (default: find_cjk_font())")
    args = ap.parse_args()
    if args.font:
        font_path, font_index = args.font, 0
    else:
        spec = find_cjk_font()
        font_path, font_index = str(spec.path), spec.index
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        src = make_photo(tmpdir / "IMG_0001.JPG")
        stamp = evidence.Stamp(
            enterprise="承德某化工有限公司",
            inspector="张三 13080020001",
            taken_at=datetime.now().astimezone(),
            location=(40.9512, 117.9634),
        )

        def ours() -> None:
            files = tmpdir / f"files-{time.perf_counter_ns()}"
            files.mkdir()
            evidence.ingest(src, files, "photo", stamp, font_path, font_index)

        data = src.read_bytes()
        captures = tmpdir / "captures"
        captures.mkdir()
        shot: list[Path] = []

        def camera_writes() -> None:
            """What the tablet's camera does before the import (not timed)."""
            shot[:] = [captures / f"{time.perf_counter_ns()}.jpg"]
            shot[0].write_bytes(data)

        def capture() -> None:
            files = tmpdir / f"files-{time.perf_counter_ns()}"
            files.mkdir()
            evidence.ingest(shot[0], files, "photo", stamp, font_path, font_index, move=True)
        copy_dir = tmpdir / "copy-only"
        copy_dir.mkdir()

        def copy_only() -> None:
            evidence.make_upload_copy(io.BytesIO(data), copy_dir, stamp, font_path, font_index)

        def baseline() -> None:
            im = Image.open(src).convert("RGB").resize((2048, 1536))
            im.save(tmpdir / "baseline.jpg", "JPEG", quality=85)

        with Image.open(src) as im:
            print(f"input: {src.stat().st_size / 1e6:.1f} MB, {im.size[0]}×{im.size[1]} JPEG q92")
        # Each pipeline run follows a baseline run, which has used the heap (and the
        # allocator has handed much of it back), as the screens would between photos.
        # Every round starts with no decode buffer kept, as the first photo of a size.
        times = medians_ms(
            [(None, DECODE_BUFFERS.release), ("baseline", baseline), ("first", ours),
             ("baseline", baseline), ("ours", ours), (None, camera_writes),
             ("baseline", baseline), ("capture", capture), ("copy", copy_only)],
            args.repeat,
        )  # fmt: skip
    (ours_ms, ours_cpu), (first_ms, first_cpu) = times["ours"], times["first"]
    (copy_ms, copy_cpu), (base_ms, base_cpu) = times["copy"], times["baseline"]
    cap_ms, cap_cpu = times["capture"]
    ratio, cpu_ratio = base_ms / ours_ms, base_cpu / ours_cpu
    print(
        f"pipeline (ingest), median of {args.repeat}: {ours_ms:6.1f} ms wall {ours_cpu:6.1f} ms CPU"
    )
    print(f"  first photo of its size (no kept buffer): {first_ms:6.1f} ms wall {first_cpu:6.1f} ms"
          f" CPU ({base_ms / first_ms:.2f}×)")  # fmt: skip
    print(f"  the app's own camera capture (moved in): {cap_ms:6.1f} ms wall {cap_cpu:6.1f} ms"
          f" CPU ({base_ms / cap_ms:.2f}×)")  # fmt: skip
    print(f"  stamped copy alone (no original kept): {copy_ms:6.1f} ms wall {copy_cpu:6.1f} ms CPU")
    print(f"baseline (decode + resize + save):    {base_ms:6.1f} ms wall {base_cpu:6.1f} ms CPU")
    print(f"ratio: {ratio:.2f}× (wall), {cpu_ratio:.2f}× (CPU);"
          f" stamped copy alone {base_ms / copy_ms:.2f}× (wall)")  # fmt: skip
    # Wall-clock ratios need a quiet machine: the pipeline works on two cores.
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load} (1, 5, 15 min)")
    met = ratio >= GOAL_RATIO and ours_ms < GOAL_MS
    print(
        f"goal (≥ {GOAL_RATIO:.0f}× and < {GOAL_MS:.0f} ms wall): " + ("met" if met else "NOT met")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
