// Strata, pseudonyms, tickets, selection and visit order (spec §6–§7).
import { sha256 as sha256Stream } from '@noble/hashes/sha2.js';
import { compareBytes, compareText, concat, hex, sha256, unhex, utf8 } from './bytes.js';

const D = 'suicha-draw/2\0';

export function salt(secret, uscc) {
  return sha256(utf8(D + 'salt\0'), secret, utf8(uscc));
}

export function pseudonym(saltBytes, uscc) {
  return sha256(utf8(D + 'pseudonym\0'), saltBytes, utf8(uscc));
}

export function ticket(key, pseudonymBytes) {
  return sha256(utf8(D + 'ticket\0'), key, pseudonymBytes);
}

export function orderTag(key, uscc) {
  return sha256(utf8(D + 'order\0'), key, utf8(uscc));
}

// The k members with the smallest tickets; ties by the pseudonym's bytes.
export function select(key, members, k) {
  if (k < 0 || k > members.length) throw new Error(`cannot take ${k} of ${members.length}`);
  if (k === 0) return [];
  const base = sha256Stream.create().update(concat(utf8(D + 'ticket\0'), key)); // the key's part once
  const keyed = members.map((p) => [base.clone().update(p).digest(), p]);
  keyed.sort((a, b) => compareBytes(a[0], b[0]) || compareBytes(a[1], b[1]));
  return keyed.slice(0, k).map((x) => x[1]);
}

export function visitOrder(key, usccs) {
  const keyed = usccs.map((u) => [orderTag(key, u), u]);
  keyed.sort((a, b) => compareBytes(a[0], b[0]) || compareText(a[1], b[1]));
  return keyed.map((x) => x[1]);
}

// Canonical ratio text → [numerator, denominator] as BigInt.
const RATIO = /^(?:(0|[1-9][0-9]*)(?:\.([0-9]*[1-9]))?|([1-9][0-9]*)\/([1-9][0-9]*))$/;

export function parseRatio(text) {
  const m = typeof text === 'string' ? RATIO.exec(text) : null;
  if (!m) throw new Error(`比例“${text}”不是规范写法`);
  let num;
  let den;
  if (m[3]) {
    num = BigInt(m[3]);
    den = BigInt(m[4]);
  } else {
    const frac = m[2] || '';
    num = BigInt(m[1] + frac);
    den = 10n ** BigInt(frac.length);
  }
  if (!(num > 0n && num <= den)) throw new Error(`比例“${text}”应大于0且不超过1`);
  return [num, den];
}

export function ceilRatio(text, n) {
  const [num, den] = parseRatio(text);
  const x = num * BigInt(n);
  return Number((x + den - 1n) / den);
}

// Pool positions per stratum, each ascending; strata in label order.
export function strata(snapshot) {
  const ratio = snapshot.task.ratio;
  const values = snapshot.enterprises.values;
  const n = values[0].length;
  if (Object.hasOwn(ratio, '*')) {
    if (Object.keys(ratio).length !== 1) throw new Error('抽查比例不能同时设定统一比例和分类比例');
    return [['*', [...Array(n).keys()]]];
  }
  const by = new Map();
  values[2].forEach((cls, i) => {
    if (!by.has(cls)) by.set(cls, []);
    by.get(cls).push(i);
  });
  for (const [cls, members] of by) {
    if (!Object.hasOwn(ratio, cls)) {
      if (cls === '') throw new Error(`检查对象${values[0][members[0]]}缺少信用风险分类`);
      throw new Error(`信用风险分类为${cls}的检查对象有${members.length}户，但未设定该类抽查比例`);
    }
  }
  for (const cls of Object.keys(ratio)) if (!by.has(cls)) by.set(cls, []);
  return [...by.entries()].sort((a, b) => compareText(a[0], b[0]));
}

export function pseudonyms(snapshot) {
  const secret = unhex(snapshot.privacy.pseudonym_secret);
  if (secret.length !== 32) throw new Error('化名密钥应为32字节');
  return snapshot.enterprises.values[0].map((u) => pseudonym(salt(secret, u), u));
}

// → [strata info, drawn positions in visit order, pseudonyms]
export function drawTargets(snapshot, key) {
  const uscc = snapshot.enterprises.values[0];
  const names = pseudonyms(snapshot);
  const position = new Map(names.map((p, i) => [hex(p), i]));
  const info = {};
  const drawn = [];
  for (const [cls, members] of strata(snapshot)) {
    const ratio = snapshot.task.ratio[cls];
    const k = ceilRatio(ratio, members.length);
    for (const p of select(key, members.map((i) => names[i]), k)) drawn.push(position.get(hex(p)));
    info[cls] = { eligible: members.length, ratio, drawn: k };
  }
  const byUscc = new Map(drawn.map((i) => [uscc[i], i]));
  const order = visitOrder(key, [...byUscc.keys()]).map((u) => byUscc.get(u));
  return [info, order, names];
}

export { concat };
