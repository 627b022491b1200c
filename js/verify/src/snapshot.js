// The snapshot hash (spec §3).
import { be, canonicalJson, compareText, concat, hex, sha256, utf8 } from './bytes.js';

export const POOL_COLUMNS = ['uscc', 'name', 'credit_class', 'industry', 'street', 'needs_expert'];
export const SNAPSHOT_FORMATS = ['suicha-snapshot/1', 'suicha-snapshot/2'];

export function checkPool(pool) {
  if (canonicalJson(pool.columns) !== canonicalJson(POOL_COLUMNS)) {
    throw new Error('检查对象库的列不符');
  }
  const values = pool.values;
  if (!Array.isArray(values) || values.length !== POOL_COLUMNS.length) {
    throw new Error('检查对象库的列数不符');
  }
  const n = values[0].length;
  values.forEach((col, c) => {
    if (!Array.isArray(col) || col.length !== n) throw new Error(`检查对象库“${POOL_COLUMNS[c]}”列长度不符`);
    for (const v of col) {
      const ok = c === 5 ? typeof v === 'boolean' : typeof v === 'string';
      if (!ok) throw new Error(`检查对象库“${POOL_COLUMNS[c]}”列类型不符`);
      if (c !== 5 && v.includes('\0')) throw new Error(`检查对象库“${POOL_COLUMNS[c]}”列含有非法字符（NUL）`);
    }
  });
  for (let i = 1; i < n; i++) {
    if (compareText(values[0][i - 1], values[0][i]) >= 0) {
      throw new Error('检查对象库未按统一社会信用代码严格升序排列（或有重复）');
    }
  }
  return n;
}

export function encodePool(pool) {
  const n = checkPool(pool);
  const parts = [];
  pool.values.forEach((col, c) => {
    const data = c === 5
      ? concat(utf8('b'), Uint8Array.from(col.map((v) => (v ? 1 : 0))))
      : concat(utf8('s'), utf8(col.join('\0')));
    parts.push(be(n, 8), be(data.length, 8), data);
  });
  return concat(...parts);
}

export function snapshotHash(snapshot) {
  if (!SNAPSHOT_FORMATS.includes(snapshot.format)) throw new Error(`不支持的快照格式：${snapshot.format}`);
  const head = {};
  for (const k of Object.keys(snapshot)) if (k !== 'enterprises') head[k] = snapshot[k];
  const ent = {};
  for (const k of Object.keys(snapshot.enterprises)) if (k !== 'values') ent[k] = snapshot.enterprises[k];
  head.enterprises = ent;
  const raw = utf8(canonicalJson(head));
  return hex(sha256(utf8(snapshot.format + '\n'), be(raw.length, 8), raw, encodePool(snapshot.enterprises)));
}
