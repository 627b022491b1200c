"""Record API, evidence part: photos, audio notes, documents and signatures."""

from __future__ import annotations

import json
import uuid as uuidlib
from pathlib import Path
from typing import Any

from mobile.core import evidence
from mobile.core.errors import CoreError, IncompleteRecordError, RecordLockedError
from mobile.core.record_base import Location, RecordBase, loc_dict


class EvidenceOps(RecordBase):
    # -- evidence -----------------------------------------------------------

    def add_attachment(
        self,
        uuid: str,
        path: str | Path,
        *,
        kind: str = "photo",
        item_code: str | None = None,
        hazard_id: str | None = None,
        location: Location | None = None,
        capture: bool = False,
    ) -> str:
        """Import a photo / audio note / document; returns the attachment id. With
        *capture*, *path* is what the app's own camera or microphone wrote (see
        :meth:`Store.new_capture`): it is moved into the store, not copied.
        Raises :class:`~mobile.core.errors.EvidenceError` for unusable files."""
        rec = self.store.one("SELECT * FROM records WHERE uuid = ?", (uuid,))
        if rec is None:
            raise KeyError(uuid)
        if rec["locked"]:
            raise RecordLockedError()
        with self.store.tx() as c:  # check the links before the slow part
            self._check_links(c, uuid, item_code, hazard_id)
        pkg = self.store.package(rec["visit_id"]) or {}
        where = location or self.locate()
        stamp = evidence.Stamp(
            enterprise=pkg.get("enterprise", {}).get("name", ""),
            inspector=self.inspector_label,
            taken_at=self.store.clock(),
            location=(where[0], where[1]) if where else None,
        )
        font_path, font_index = self.font if self.font else (None, 0)
        ev = evidence.ingest(
            Path(path), self.store.files_dir, kind, stamp, font_path, font_index, move=capture
        )
        att_id = str(uuidlib.uuid4())
        taken = ev.taken_at.replace(microsecond=0).isoformat() if ev.taken_at else None
        # the fix's accuracy only describes the fix, not a position the camera wrote
        from_fix = where is not None and ev.location == stamp.location
        accuracy = where[2] if from_fix and len(where) > 2 else None
        gps = loc_dict((*ev.location, accuracy)) if ev.location else None
        with self.store.tx() as c:
            self._editable(c, uuid)
            self._check_links(c, uuid, item_code, hazard_id)
            if c.execute(
                "SELECT 1 FROM attachments WHERE record_uuid = ? AND original_sha256 = ?"
                " AND item_code IS ? AND hazard_id IS ?",
                (uuid, ev.original.sha256, item_code, hazard_id),
            ).fetchone():
                raise CoreError("这份证据已经添加过了")
            c.execute(
                "INSERT INTO attachments (id, record_uuid, item_code, hazard_id, kind,"
                " original_path, original_sha256, original_size, original_mime, original_name,"
                " upload_path, sha256, size, mime, taken_at, location, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    att_id,
                    uuid,
                    item_code,
                    hazard_id,
                    kind,
                    str(ev.original.path),
                    ev.original.sha256,
                    ev.original.size,
                    ev.original.mime,
                    ev.original_name,
                    str(ev.upload.path),
                    ev.upload.sha256,
                    ev.upload.size,
                    ev.upload.mime,
                    taken,
                    json.dumps(gps) if gps else None,
                    self.store.now(),
                ),
            )
            self._log(
                c,
                uuid,
                "add_attachment",
                att_id,
                kind,
                None,
                {
                    "sha256": ev.upload.sha256,
                    "original_sha256": ev.original.sha256,
                    "item_code": item_code,
                    "hazard_id": hazard_id,
                },
            )
        return att_id

    def _check_links(self, c: Any, uuid: str, item_code: str | None, hazard_id: str | None) -> None:
        self._editable(c, uuid)
        if item_code is not None:
            self._item(c, uuid, item_code)
        if (
            hazard_id is not None
            and not c.execute(
                "SELECT 1 FROM hazards WHERE id = ? AND record_uuid = ?", (hazard_id, uuid)
            ).fetchone()
        ):
            raise KeyError(f"no hazard {hazard_id}")

    def remove_attachment(self, uuid: str, attachment_id: str) -> None:
        """Detach evidence from the record (the file stays until the record is sent)."""
        with self.store.tx() as c:
            self._editable(c, uuid)
            row = c.execute(
                "SELECT * FROM attachments WHERE id = ? AND record_uuid = ?", (attachment_id, uuid)
            ).fetchone()
            if row is None:
                raise KeyError(attachment_id)
            c.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,))
            self._log(
                c,
                uuid,
                "remove_attachment",
                attachment_id,
                row["kind"],
                {"sha256": row["sha256"], "original_sha256": row["original_sha256"]},
                None,
            )

    # -- signatures ---------------------------------------------------------

    def add_signature(
        self,
        uuid: str,
        *,
        role: str,
        name: str,
        image: str | Path,
        cert_no: str | None = None,
        refusal: tuple[str, str] | None = None,
    ) -> None:
        """A signature image from the signing pad. Officers sign with their cert_no
        (they must be on the team); the enterprise's responsible person without.
        Signing again replaces the earlier signature (both stay in the trail)."""
        if role not in ("inspector", "enterprise"):
            raise ValueError(role)
        rec = self.store.one("SELECT visit_id, locked FROM records WHERE uuid = ?", (uuid,))
        if rec is None:
            raise KeyError(uuid)
        if rec["locked"]:
            raise RecordLockedError()
        if role == "inspector":
            team = {m["cert_no"] for m in (self.store.package(rec["visit_id"]) or {})["team"]}
            if cert_no not in team:
                raise CoreError(f"执法证号{cert_no}不是本次检查组成员")
        if not name.strip():
            raise CoreError("请填写签名人姓名")
        self._signable(uuid)
        stored = evidence.store_signature(Path(image), self.store.files_dir)
        key = cert_no if role == "inspector" else "enterprise"
        with self.store.tx() as c:
            self._editable(c, uuid)
            self._signable(uuid)
            old = c.execute(
                "SELECT sha256 FROM signatures WHERE record_uuid = ? AND signer_key = ?",
                (uuid, key),
            ).fetchone()
            c.execute(
                "INSERT OR REPLACE INTO signatures (record_uuid, signer_key, role, name, cert_no,"
                " path, sha256, size, mime, signed_at, refused, refusal_reason, witness)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    uuid,
                    key,
                    role,
                    name.strip(),
                    cert_no if role == "inspector" else None,
                    str(stored.path),
                    stored.sha256,
                    stored.size,
                    stored.mime,
                    self.store.now(),
                    1 if refusal else 0,
                    refusal[0] if refusal else None,
                    refusal[1] if refusal else None,
                ),
            )
            self._log(
                c,
                uuid,
                "refuse_signature" if refusal else "add_signature",
                key,
                role,
                old["sha256"] if old else None,
                {"name": name, "sha256": stored.sha256}
                | ({"reason": refusal[0], "witness": refusal[1]} if refusal else {}),
            )

    def refuse_signature(
        self, uuid: str, *, name: str, reason: str, witness: str, image: str | Path
    ) -> None:
        """拒签: the enterprise's responsible person refuses to sign. The record keeps
        who refused, why, and a witness, whose signature *image* stands in the
        enterprise's place (the law lets a refusal be noted and witnessed)."""
        if not reason.strip():
            raise CoreError("请填写拒签理由（负责人所说的原因）")
        if not witness.strip():
            raise CoreError("请填写见证人姓名，并由见证人签名")
        self.add_signature(uuid, role="enterprise", name=name, image=image,
                           refusal=(reason.strip(), witness.strip()))  # fmt: skip

    def _signable(self, uuid: str) -> None:
        """A signature attests to a complete record: nobody signs while results are
        missing or a 不符合 has no hazard (fixing it later would void the signature)."""
        from mobile.core.record_view import load_record
        from mobile.core.summary import content_problems

        missing = content_problems(load_record(self.store, uuid))
        if missing:
            raise IncompleteRecordError(missing, "记录尚不完整，请先完成后再签名")
