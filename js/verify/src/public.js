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

export function publicDraw(record, poolBytes) {
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
    format: 'suicha-public-draw/1', algorithm: record.algorithm, task_no: snapshot.task.task_no,
    seed: record.seed, commitment: record.commitment, snapshot_hash: record.pool_hash,
    freeze: record.freeze,
    beacon: record.beacon,
    public_pool_sha256: hex(sha256(poolBytes)),
    strata: outStrata,
    visit_order: result.visits.map((v) => v.uscc),
    drawn,
  };
}

export function expectedPublic(record) {
  const pool = utf8(canonicalJson(publicPool(record.snapshot, record.pool_hash, record.commitment)));
  const draw = utf8(canonicalJson(publicDraw(record, pool)));
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
