"""Backup and restore of the database and the evidence store, together.

A backup directory holds::

    manifest.json          written last: a directory without it is incomplete
    db/<table>.jsonl       one JSON object per row, every table of the schema
    evidence/<path>        every complete file under EVIDENCE_DIR (photos and other
                           evidence, dossier PDFs, draw pools)

The dump is logical (JSON lines), so one format serves SQLite and PostgreSQL
and a backup taken on one restores on the other.

Consistency: the rows are read from one snapshot (a REPEATABLE READ READ ONLY
transaction on PostgreSQL; an online copy of the file via SQLite's backup API),
**then** the evidence is copied. Evidence files are content-addressed and never
changed or deleted once complete (a blob row becomes ``complete`` only after
its file is renamed into place; a dossier PDF is stored before its version row
commits), so every file a snapshot row refers to is on disk when the copy
starts. The backup checks this and fails if a referenced file is missing.

Uploads still in progress (``evidence_blobs.complete`` false) are left out:
the tablet keeps every byte until the server says ``complete`` and simply
starts that file again (``HEAD`` answers 404).

Restore goes the other way: check every hash of the backup, copy the evidence
in, then insert the rows in one transaction – a row never points at a file
that is not there yet, and a failed restore leaves the database empty.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from .draw import pools as draw_pools

FORMAT = "suicha-backup"
VERSION = 1
_SKIP_DIRS = {".partial", ".locks"}
_BATCH = 500


class BackupError(RuntimeError):
    """A backup or restore that must not go on; the message is for the operator."""


# -- value encoding ----------------------------------------------------------------

def _encode(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decoder(column: sa.Column):
    t = column.type
    if isinstance(t, sa.LargeBinary):
        return base64.b64decode
    if isinstance(t, sa.DateTime):
        return datetime.fromisoformat
    if isinstance(t, sa.Date):
        return date.fromisoformat
    if isinstance(t, sa.Time):
        return time.fromisoformat
    if isinstance(t, sa.Numeric) and not isinstance(t, sa.Float):
        return Decimal
    return None


def _tables() -> list[sa.Table]:
    return list(db.metadata.sorted_tables)


# -- create -------------------------------------------------------------------------

@contextmanager
def _snapshot() -> Iterator[sa.Connection]:
    """A connection that sees one consistent state of the whole database."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        path = engine.url.database
        if not path or path == ":memory:":
            raise BackupError("内存数据库无法备份")
        with tempfile.TemporaryDirectory(prefix="suicha-backup-") as tmp:
            copy = Path(tmp) / "snapshot.db"
            src, dst = sqlite3.connect(path), sqlite3.connect(copy)
            try:
                src.backup(dst)  # online, page-consistent copy (WAL included)
            finally:
                src.close()
                dst.close()
            snap = sa.create_engine(f"sqlite:///{copy}")
            try:
                with snap.connect() as conn:
                    yield conn
            finally:
                snap.dispose()
        return
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            yield conn


def _revision(conn: sa.Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _copy_hashed(src: Path, dst: Path) -> str:
    """Copy *src* to *dst* (fsynced), returning the SHA-256 of what was written."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    tmp = dst.with_name(dst.name + ".tmp")
    with open(src, "rb") as fin, open(tmp, "wb") as fout:
        for chunk in iter(lambda: fin.read(1 << 20), b""):
            h.update(chunk)
            fout.write(chunk)
        fout.flush()
        os.fsync(fout.fileno())
    os.replace(tmp, dst)
    return h.hexdigest()


def evidence_files(root: Path) -> Iterator[Path]:
    """Complete evidence files (not partial uploads, lock files or temporaries)."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        for name in sorted(filenames):
            if not name.endswith(".tmp"):
                yield Path(dirpath) / name


def referenced_files(rows: dict[str, list[dict]]) -> set[str]:
    """Evidence paths (relative to EVIDENCE_DIR) that database rows point at."""
    wanted = {f"{r['sha256'][:2]}/{r['sha256']}" for r in rows.get("evidence_blobs", [])
              if r.get("complete")}
    wanted |= {f"dossiers/{r['pdf_sha256'][:2]}/{r['pdf_sha256']}.pdf"
               for r in rows.get("dossier_versions", [])}
    wanted |= {draw_pools.relative_path(r["pool_hash"]) for r in rows.get("draw_pools", [])}
    # The public draw files (issue 15), named by their SHA-256 like the blobs.
    wanted |= {f"draw-public/{r['sha256'][:2]}/{r['sha256']}.json"
               for r in rows.get("public_draw_files", [])}
    return wanted


def create(target: str | os.PathLike[str]) -> dict:
    out = Path(target)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"备份目录不是空的：{out}")
    (out / "db").mkdir(parents=True, exist_ok=True)
    tables: dict[str, dict] = {}
    refs: dict[str, list[dict]] = {"evidence_blobs": [], "dossier_versions": [], "draw_pools": [],
                                   "public_draw_files": []}
    skipped = 0
    with _snapshot() as conn:
        revision = _revision(conn)
        dialect = db.engine.dialect.name
        for table in _tables():
            path = out / "db" / f"{table.name}.jsonl"
            count = 0
            with open(path, "w", encoding="utf-8") as f:
                order = list(table.primary_key.columns) or list(table.columns)
                for row in conn.execute(sa.select(table).order_by(*order)).mappings():
                    if table.name == "evidence_blobs" and not row["complete"]:
                        skipped += 1
                        continue
                    record = {k: _encode(v) for k, v in row.items()}
                    if table.name in refs:
                        refs[table.name].append(record)
                    f.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
                    count += 1
                f.flush()
                os.fsync(f.fileno())
            tables[table.name] = {"rows": count, "sha256": _sha256_file(path)}
    # Only now the files: everything the snapshot refers to already exists.
    root = Path(current_app.config["EVIDENCE_DIR"])
    evidence: dict[str, dict] = {}
    for src in evidence_files(root):
        rel = src.relative_to(root).as_posix()
        evidence[rel] = {"sha256": _copy_hashed(src, out / "evidence" / rel),
                         "size": src.stat().st_size}
    missing = sorted(referenced_files(refs) - set(evidence))
    if missing:
        raise BackupError("证据存储缺少数据库引用的文件，备份无效：" + "、".join(missing[:10]))
    corrupt = [rel for rel, meta in evidence.items() if _content_addressed(rel)
               and _content_addressed(rel) != meta["sha256"]]
    if corrupt:
        raise BackupError("证据文件内容与其哈希名不符：" + "、".join(corrupt[:10]))
    manifest = {"format": FORMAT, "version": VERSION, "dialect": dialect,
                "alembic_revision": revision,
                "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
                "tables": tables, "evidence": evidence,
                "skipped_partial_uploads": skipped}
    tmp = out / "manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True),
                   encoding="utf-8")
    os.replace(tmp, out / "manifest.json")
    return manifest


def _inside(rel: str) -> bool:
    """A relative path that stays inside the directory it is joined to."""
    parts = rel.split("/")
    return (bool(rel) and not rel.startswith("/") and "\\" not in rel and "\x00" not in rel
            and all(p not in ("", ".", "..") for p in parts) and ":" not in parts[0])


def _content_addressed(rel: str) -> str | None:
    """The hash a file's path promises (blobs: ab/<sha>; dossiers: ab/<sha>.pdf;
    public draw files: draw-public/ab/<sha>.json)."""
    name = rel.rsplit("/", 1)[-1].removesuffix(".pdf").removesuffix(".json")
    return name if len(name) == 64 and all(c in "0123456789abcdef" for c in name) else None


# -- verify / restore ------------------------------------------------------------------

def verify(source: str | os.PathLike[str]) -> dict:
    """Check every hash of a backup; return its manifest or raise :class:`BackupError`."""
    src = Path(source)
    try:
        manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{src} 没有 manifest.json：不是完整的备份") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError("不是本系统的备份格式")
    known = {t.name for t in _tables()}
    strange = [n for n in manifest["tables"] if n not in known]
    strange += [f"evidence/{rel}" for rel in manifest["evidence"] if not _inside(rel)]
    if strange:
        # A manifest names files by path: one that leaves the backup (or, on
        # restore, EVIDENCE_DIR) is refused before anything is read or written.
        raise BackupError("备份清单中有不合法的路径（可能被篡改）：" + "、".join(strange[:10]))
    problems = []
    for name, meta in manifest["tables"].items():
        path = src / "db" / f"{name}.jsonl"
        if not path.exists() or _sha256_file(path) != meta["sha256"]:
            problems.append(f"db/{name}.jsonl")
    for rel, meta in manifest["evidence"].items():
        path = src / "evidence" / rel
        if not path.exists() or _sha256_file(path) != meta["sha256"]:
            problems.append(f"evidence/{rel}")
    if problems:
        raise BackupError("备份已损坏（哈希不符或缺失）：" + "、".join(problems[:10]))
    return manifest


def _database_is_empty() -> bool:
    inspector = sa.inspect(db.engine)
    with db.engine.connect() as conn:
        for table in _tables():
            if inspector.has_table(table.name) and conn.execute(
                    sa.select(sa.func.count()).select_from(table)).scalar():
                return False
    return True


def _ensure_schema(revision: str | None) -> None:
    inspector = sa.inspect(db.engine)
    present = [t.name for t in _tables() if inspector.has_table(t.name)]
    if not present:
        from flask_migrate import upgrade

        upgrade(directory=current_app.extensions["migrate"].directory)
        return
    if len(present) != len(_tables()):
        raise BackupError("目标数据库只有部分表，请先 flask db upgrade 或使用全新数据库")
    with db.engine.connect() as conn:
        current = _revision(conn)
    if revision and current and current != revision:
        raise BackupError(f"数据库结构版本 {current} 与备份的 {revision} 不同："
                          "请用与备份时相同版本的程序恢复，再升级")


def restore(source: str | os.PathLike[str]) -> dict:
    src = Path(source)
    manifest = verify(src)
    if not _database_is_empty():
        raise BackupError("目标数据库不是空的：恢复只能在空数据库上进行")
    root = Path(current_app.config["EVIDENCE_DIR"])
    if root.exists() and any(evidence_files(root)):
        raise BackupError(f"证据目录不是空的：{root}")
    _ensure_schema(manifest.get("alembic_revision"))
    base = root.resolve()
    for rel in manifest["evidence"]:  # belt and braces after verify(): no symlink games
        if not (base / rel).resolve().is_relative_to(base):
            raise BackupError(f"备份清单中的路径指向证据目录之外：{rel}")
    for rel, meta in manifest["evidence"].items():  # files first, rows after
        if _copy_hashed(src / "evidence" / rel, root / rel) != meta["sha256"]:
            raise BackupError(f"复制后哈希不符：{rel}")
    try:
        with db.engine.begin() as conn:
            for table in _tables():
                _insert_rows(conn, table, src / "db" / f"{table.name}.jsonl",
                             manifest["tables"].get(table.name, {}).get("rows", 0))
            if conn.dialect.name == "postgresql":
                _reset_sequences(conn)
    except BaseException:
        for rel in manifest["evidence"]:  # leave the store as empty as we found it
            (root / rel).unlink(missing_ok=True)
        raise
    return manifest


def _insert_rows(conn: sa.Connection, table: sa.Table, path: Path, expected: int) -> None:
    if not path.exists():
        if expected:
            raise BackupError(f"缺少 {path.name}")
        return  # a table added after the backup was taken
    decoders = {c.name: _decoder(c) for c in table.columns}
    batch: list[dict] = []
    count = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            for key, dec in decoders.items():
                if dec is not None and row.get(key) is not None:
                    row[key] = dec(row[key])
            batch.append(row)
            if len(batch) >= _BATCH:
                conn.execute(table.insert(), batch)
                count += len(batch)
                batch = []
    if batch:
        conn.execute(table.insert(), batch)
        count += len(batch)
    if count != expected:
        raise BackupError(f"{table.name}: 读到{count}行，清单记载{expected}行")


def _reset_sequences(conn: sa.Connection) -> None:
    """Explicit ids were inserted: move each serial past the largest one."""
    for table in _tables():
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and isinstance(pk[0].type, sa.Integer) and pk[0].autoincrement:
            conn.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"))
