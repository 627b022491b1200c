// The public files a full record implies (spec §9) – the auditor compares
// them byte for byte with the published ones.
import { canonicalJson, compareText, hex, sha256, utf8 } from './bytes.js';
import { pseudonyms, strata } from './select.js';

export function publicPool(snapshot, snapshotHashHex, commitmentHex) {
  const names = pseudonyms(snapshot);
  const out = strata(snapshot).map(([cls, members]) => ({
    stratum: cls,
    ratio: snapshot.task.ratio[cls],
    size: members.length,
    pseudonyms: members.map((i) => hex(names[i])).sort(compareText),
  }));
  return {
    format: 'suicha-public-pool/1', algorithm: 'suicha-draw/2', task_no: snapshot.task.task_no,
    snapshot_hash: snapshotHashHex, commitment: commitmentHex, strata: out,
  };
}

// /2 writes its times with "Z" (a reader never guesses the zone); /1 files,
// published before, wrote the same UTC times without it and still check.
export const PUBLIC_DRAW_FORMATS = ['suicha-public-draw/1', 'suicha-public-draw/2'];
export const PUBLIC_DRAW_FORMAT = PUBLIC_DRAW_FORMATS[1];

export function utcZ(text) {
  return !text || text.endsWith('Z') ? text : `${text}Z`;
}

export function recordTime(text) {
  return typeof text === 'string' && text.endsWith('Z') ? text.slice(0, -1) : text;
}

function freezeTimes(freeze, change) {
  const out = { ...freeze };
  if ('frozen_at' in out) out.frozen_at = change(out.frozen_at);
  const b = out.beacon;
  if (b && typeof b === 'object' && !Array.isArray(b) && b.draw_time) out.beacon = { ...b, draw_time: change(b.draw_time) };
  return out;
}

export function publicFreeze(freeze, fmt = PUBLIC_DRAW_FORMAT) {
  return fmt === PUBLIC_DRAW_FORMATS[0] ? { ...freeze } : freezeTimes(freeze, utcZ);
}

export function recordFreeze(freeze) {
  return freezeTimes(freeze, recordTime);
}

export function publicDraw(record, poolBytes, fmt = PUBLIC_DRAW_FORMAT) {
  const snapshot = record.snapshot;
  const result = record.result;
  const names = pseudonyms(snapshot);
  const values = snapshot.enterprises.values;
  const byUscc = new Map(values[0].map((u, i) => [u, i]));
  const officers = new Map(snapshot.inspectors.map((o) => [o.cert_no, o.name]));
  const drawnPositions = new Set(result.visits.map((v) => byUscc.get(v.uscc)));
  const outStrata = strata(snapshot).map(([cls, members]) => ({
    stratum: cls,
    size: members.length,
    drawn: result.strata[cls].drawn,
    selected: members.filter((i) => drawnPositions.has(i)).map((i) => hex(names[i])).sort(compareText),
  }));
  const drawn = result.visits.map((v) => ({
    uscc: v.uscc,
    name: values[1][byUscc.get(v.uscc)],
    inspectors: v.inspectors.map((c) => ({ cert_no: c, name: officers.has(c) ? officers.get(c) : '' })),
    leader: v.leader,
    experts: v.experts.slice(),
    items: v.items.slice(),
  })).sort((a, b) => compareText(a.uscc, b.uscc));
  return {
    format: fmt, algorithm: record.algorithm, task_no: snapshot.task.task_no,
    seed: record.seed, commitment: record.commitment, snapshot_hash: record.pool_hash,
    freeze: publicFreeze(record.freeze, fmt),
    beacon: record.beacon,
    public_pool_sha256: hex(sha256(poolBytes)),
    strata: outStrata,
    visit_order: result.visits.map((v) => v.uscc),
    drawn,
  };
}

export function expectedPublic(record, fmt = PUBLIC_DRAW_FORMAT) {
  const pool = utf8(canonicalJson(publicPool(record.snapshot, record.pool_hash, record.commitment)));
  const draw = utf8(canonicalJson(publicDraw(record, pool, fmt)));
  return [pool, draw];
}

// The 回执码 as printed and shown (spec §12.2): the salt's 64 lowercase hex
// digits in eight groups of eight, one space between groups.
export function receiptCode(saltHex) {
  return saltHex.toLowerCase().match(/.{1,8}/g).join(' ');
}

// The salt hex of a 回执码 typed in any grouping (whitespace and case ignored).
export function parseReceiptCode(text) {
  const raw = String(text).replace(/\s+/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(raw)) throw new Error('回执码应为64位十六进制数字（可按每8位分组）');
  return raw;
}
