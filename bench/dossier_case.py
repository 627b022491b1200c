"""Benchmark: a real case with 50 photos, archived and exported through the full service.

    .venv/bin/python bench/dossier_case.py [--photos 50] [--size 2048] [--repeat 3]
                                           [--images docs/img]

A fresh SQLite database and evidence store; the case is built the way the
server sees one (blobs and records uploaded through the sync API, orders,
复查 synced, 销号, result approved). Then, timed:

* archive – completeness check, 文号, assembly from the database (draw
  record, notice, issued documents, photos from the evidence store), the
  volume, content-addressed storage, the manifest;
* export  – ``flask dossier export``'s service: re-assembly of the archived
  version, check of every file against the archived manifest, BagIt bag;
* verify  – ``flask dossier verify``.

Baseline, same run: writing the bag's payload bytes to disk and hashing each
(what any export costs at least). Goal: export under 5 s.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

GOAL_SECONDS = 5.0


def camera_pair(size: int):
    from tests.server.dossier.cases import synthetic_jpeg

    def make(seed: int) -> tuple[bytes, bytes]:
        # The camera original is larger than the ≤2048 px upload copy the tablet makes.
        return synthetic_jpeg(seed, size=size * 3 // 2, quality=90), synthetic_jpeg(seed, size=size)

    return make


def baseline(out: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        hashlib.sha256(path.read_bytes()).hexdigest()


def build_case(app, photos: int, size: int) -> int:
    from flask import g

    from tests.server.services import test_cases_support as support

    client = app.test_client()

    @app.before_request
    def _forget() -> None:
        g.pop("user", None)

    return support.closed_case(client, photos=photos, archive=False, make_photo=camera_pair(size))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--photos", type=int, default=50)
    ap.add_argument("--size", type=int, default=2048, help="upload copy width in pixels")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--images", type=Path, help="write sample page PNGs to this folder")
    args = ap.parse_args()

    from server import TestConfig, create_app
    from server.extensions import db
    from server.models.case import Case
    from server.services import dossiers

    work = Path(tempfile.mkdtemp(prefix="dossier-case-bench-"))
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config |= {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'bench.db'}",
               "EVIDENCE_DIR": str(work / "evidence")}
    app = create_app(config)
    best: dict[str, float] = {}
    try:
        with app.app_context():
            db.create_all()
            t = time.perf_counter()
            case_id = build_case(app, args.photos, args.size)
            print(f"case built through the sync API with {args.photos} photos "
                  f"({args.size}px copies + originals) in {time.perf_counter() - t:.1f} s")
            t0 = time.perf_counter()
            dossiers.archive(case_id, "archivist")
            best["archive"] = time.perf_counter() - t0
            case = db.session.get(Case, case_id)
            version = dossiers.versions(case)[-1]
            for run in range(args.repeat):
                db.session.expire_all()
                t1 = time.perf_counter()
                bag = dossiers.export(case_id, work / f"bag-{run}")
                t2 = time.perf_counter()
                ok, problems = dossiers.verify(bag)
                t3 = time.perf_counter()
                assert ok, problems
                files = {p.relative_to(bag / "data").as_posix(): p.read_bytes()
                         for p in (bag / "data").rglob("*") if p.is_file()}
                t4 = time.perf_counter()
                baseline(work / f"copy-{run}", files)
                t5 = time.perf_counter()
                for key, value in (("export", t2 - t1), ("verify", t3 - t2),
                                   ("baseline", t5 - t4)):
                    best[key] = min(best.get(key, value), value)
            payload_mb = sum(len(v) for v in files.values()) / 1e6
            pages = version.pages
            print(f"dossier v{version.version}: {pages} pages, bag of {len(files)} files "
                  f"({payload_mb:.1f} MB); best of {args.repeat} exports:")
            print(f"  archive (assemble + store)  {best['archive']:.3f} s")
            print(f"  export (full service)       {best['export']:.3f} s  "
                  f"({pages / best['export']:.0f} pages/s; goal < {GOAL_SECONDS:.0f} s: "
                  f"{'met' if best['export'] < GOAL_SECONDS else 'MISSED'})")
            print(f"  verify                      {best['verify']:.3f} s")
            print(f"  baseline copy+hash          {best['baseline']:.3f} s  -> export is "
                  f"{best['export'] / best['baseline']:.1f}x the baseline")
            if args.images:
                pdf = work / "dossier.pdf"
                pdf.write_bytes(dossiers.pdf_of(case))
                args.images.mkdir(parents=True, exist_ok=True)
                built = dossiers.assemble(case)
                start = {e.title.split("（共")[0]: built.front_pages + e.first_page
                         for e in built.toc}
                for name, page in (("case-cover", 1), ("case-toc", 2),
                                   ("case-record", start["现场检查记录"]),
                                   ("case-photos", start["现场照片证据"]),
                                   ("case-reinspection", start["整改复查意见书"])):
                    stem = args.images / f"dossier-{name}"
                    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", "-f",
                                    str(page), "-l", str(page), str(pdf), str(stem)], check=True)
                    print(f"wrote {stem}.png")
            db.session.remove()
            db.engine.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if best["export"] < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
