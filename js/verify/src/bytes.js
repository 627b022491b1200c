// Bytes, hashes and canonical JSON: the primitives of docs/draw-spec.md §2.
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

const encoder = new TextEncoder();

export function utf8(text) {
  return encoder.encode(text);
}

export function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function sha256(...parts) {
  return nobleSha256(parts.length === 1 ? parts[0] : concat(...parts));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const NIBBLE = new Map([...'0123456789abcdef'].map((c, i) => [c.charCodeAt(0), i]));

export function hex(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
  return s;
}

const HEX64 = /^[0-9a-f]{64}$/;

export function isHex64(text) {
  return typeof text === 'string' && HEX64.test(text);
}

export function unhex(text) {
  if (typeof text !== 'string' || text.length % 2 || !/^[0-9a-f]*$/.test(text)) {
    throw new Error('不是小写十六进制');
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = (NIBBLE.get(text.charCodeAt(2 * i)) << 4) | NIBBLE.get(text.charCodeAt(2 * i + 1));
  }
  return out;
}

export function be(value, width) {
  // Unsigned big-endian integer of `width` bytes (value: number or BigInt).
  let v = BigInt(value);
  const out = new Uint8Array(width);
  for (let i = width - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

// Python compares str by code point; JS's < compares UTF-16 code units.  The
// two differ only where a surrogate (a character beyond U+FFFF) meets a unit
// in U+E000–U+FFFF: at the first differing unit, surrogates are moved above
// those, which gives code point order.
function unitRank(u) {
  if (u >= 0xd800 && u <= 0xdfff) return u + 0x2000;
  return u >= 0xe000 ? u - 0x800 : u;
}

export function compareText(a, b) {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return unitRank(x) - unitRank(y);
  }
  return a.length - b.length;
}

// Canonical JSON (spec §2.2): keys sorted by code point, no whitespace,
// non-ASCII written as is, integers only.
export function canonicalJson(value) {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error('规范JSON中只允许整数');
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  const keys = Object.keys(value).sort(compareText);
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(value[k])).join(',') + '}';
}
