"""The public draw log: append a published file, sign the new tree head.

Configuration: ``SUICHA_LOG_SIGNING_KEY`` (app config ``LOG_SIGNING_KEY``) – the
Ed25519 private key as 64 hex characters (32 bytes; ``python -c "import secrets;
print(secrets.token_hex(32))"``).  When it is unset, the key file
``LOG_SIGNING_KEY_FILE`` (default ``instance/log-signing.key``) is read; ``flask
setup`` creates that file (mode 0600) when neither exists, so a default install
signs its log.  Production reads only what the operator set (several hosts
must share one key).  With no key at all heads are recorded unsigned, and the
citizen's check says so (a caveat, not a difference: see docs/draw-spec.md §13).

A tree head signs the canonical JSON ``{"log": "suicha-draw-log/1",
"root_hash", "timestamp", "tree_size"}``; the public key's SHA-256 is its key
id.  Ed25519 comes from ``cryptography`` (never hand-written crypto).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import current_app

from shared.draw import merkle
from shared.draw.snapshot import canonical_json

from ..extensions import db
from ..models import LogHead, PublicDrawFile
from ..models._types import utcnow

LOG_ID = "suicha-draw-log/1"
KEY_ENV = "SUICHA_LOG_SIGNING_KEY"


def _key_file() -> Path | None:
    name = str(current_app.config.get("LOG_SIGNING_KEY_FILE") or "").strip()
    return Path(name) if name else None


def _key_text() -> str:
    text = str(current_app.config.get("LOG_SIGNING_KEY") or "").strip()
    path = _key_file()
    if not text and path is not None and path.is_file():
        text = path.read_text("ascii").strip()
    return text


def ensure_key_file() -> Path | None:
    """``flask setup``: create the key file when no key is configured.

    Returns the file created, or None (a key is set, or the file exists, or
    no file is configured).  Created with mode 0600 and never overwritten:
    a lost key only means later heads carry a new key id; a replaced one
    would make the public doubt every head signed before.
    """
    if str(current_app.config.get("LOG_SIGNING_KEY") or "").strip():
        return None
    path = _key_file()
    if path is None or path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32) + "\n")
    return path


def _private_key() -> Ed25519PrivateKey | None:
    text = _key_text()
    if not text:
        return None
    try:
        raw = bytes.fromhex(text)
        if len(raw) != 32:
            raise ValueError
    except ValueError:
        raise RuntimeError(f"{KEY_ENV}应为64位十六进制（32字节Ed25519私钥）") from None
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key() -> dict[str, str] | None:
    key = _private_key()
    if key is None:
        return None
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {"algorithm": "Ed25519", "public_key": raw.hex(),
            "key_id": hashlib.sha256(raw).hexdigest()}


def _leaves() -> list[bytes]:
    rows = db.session.execute(sa.select(PublicDrawFile.entry_json)
                              .order_by(PublicDrawFile.leaf_index)).scalars()
    return [merkle.leaf_hash(e.encode("utf-8")) for e in rows]


def _lock() -> None:
    """One appender at a time: leaf indexes are dense and heads sequential."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(915015)"))


def append(task_id: int, freeze_id: int | None, record_id: int | None, kind: str,
           sha256: str, size: int, task_no: str, attempt: int | None, *,
           public_size: bool = True) -> PublicDrawFile:
    """Add one leaf and a new signed head, in the caller's transaction.
    *public_size* False: the entry's size is null (the row keeps it)."""
    _lock()
    index = db.session.scalar(sa.select(sa.func.count()).select_from(PublicDrawFile))
    now = utcnow()
    entry = canonical_json({"kind": kind, "task_no": task_no, "attempt": attempt,
                            "record_id": record_id,
                            "sha256": sha256, "size": size if public_size else None,
                            "published_at": now.isoformat(timespec="seconds") + "Z",
                            "leaf_index": index})
    row = PublicDrawFile(leaf_index=index, task_id=task_id, freeze_id=freeze_id,
                         record_id=record_id, kind=kind,
                         sha256=sha256, size=size, entry_json=entry, created_at=now)
    db.session.add(row)
    db.session.flush()
    leaves = _leaves()
    head = {"log": LOG_ID, "tree_size": len(leaves), "root_hash": merkle.root(leaves).hex(),
            "timestamp": now.isoformat(timespec="seconds") + "Z"}
    signed = canonical_json(head)
    key = _private_key()
    sig = key.sign(signed.encode("utf-8")).hex() if key else None
    pub = public_key()
    db.session.add(LogHead(tree_size=len(leaves), root_hash=head["root_hash"],
                           signed_json=signed, signature=sig,
                           key_id=pub["key_id"] if pub else None, created_at=now))
    return row


def latest_head() -> dict[str, Any] | None:
    head = db.session.execute(sa.select(LogHead).order_by(LogHead.tree_size.desc())
                              .limit(1)).scalar_one_or_none()
    if head is None:
        return None
    return {"signed": head.signed_json, "signature": head.signature, "key_id": head.key_id,
            "tree_size": head.tree_size, "root_hash": head.root_hash}


def proof(leaf_index: int, tree_size: int) -> dict[str, Any]:
    leaves = _leaves()[:tree_size]
    if not 0 <= leaf_index < len(leaves) or tree_size > len(leaves):
        raise ValueError("日志序号或树大小超出范围")
    return {"leaf_index": leaf_index, "tree_size": tree_size,
            "path": [h.hex() for h in merkle.inclusion_proof(leaf_index, leaves)]}


def entries() -> list[str]:
    return list(db.session.execute(sa.select(PublicDrawFile.entry_json)
                                   .order_by(PublicDrawFile.leaf_index)).scalars())


def consistency(first: int, second: int) -> dict[str, Any]:
    """RFC 9162 consistency proof between two tree sizes of the log, so a
    reader who kept an older signed head can check nothing was rewritten."""
    leaves = _leaves()
    if not 0 < first <= second <= len(leaves):
        raise ValueError("树大小超出范围")
    return {"first": first, "second": second,
            "path": [h.hex() for h in merkle.consistency_proof(first, leaves[:second])]}
