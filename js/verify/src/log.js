// The public draw log: RFC 9162 Merkle inclusion and the Ed25519 tree head.
import { ed25519 } from '@noble/curves/ed25519.js';
import { concat, hex, sha256, unhex, utf8 } from './bytes.js';

export function leafHash(entry) {
  return sha256(concat(Uint8Array.of(0), entry));
}

export function nodeHash(left, right) {
  return sha256(concat(Uint8Array.of(1), left, right));
}

// RFC 9162 §2.1.3.2.
export function verifyInclusion(leaf, index, size, proof, root) {
  if (!(index >= 0 && index < size)) return false;
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r = leaf;
  for (const p of proof) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && hex(r) === hex(root);
}

// RFC 9162 §2.1.4.2: the log of size `second` extends the one of size `first`.
export function verifyConsistency(first, second, proof, firstRoot, secondRoot) {
  if (!(first > 0 && first <= second)) return false;
  if (first === second) return proof.length === 0 && hex(firstRoot) === hex(secondRoot);
  const path = proof.slice();
  if ((first & (first - 1)) === 0) path.unshift(firstRoot);
  if (!path.length) return false;
  let fn = BigInt(first - 1);
  let sn = BigInt(second - 1);
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return hex(fr) === hex(firstRoot) && hex(sr) === hex(secondRoot) && sn === 0n;
}

// The signed tree head: its bytes, the signature, the bureau's public key.
// An unsigned head while no key is published (an install that set none) is
// a caveat, not a difference: the files are still in the log under its root,
// and a head kept from an earlier visit still catches a rewrite; what is
// lost is proof that the bureau issued the head.  Unsigned while a key is
// published is a difference (someone dropped the signature).
export function verifyHead(head, key) {
  if (!head) return { ok: false, message: '未公布日志树头' };
  if (!head.signature && !key) {
    return { ok: false, unsigned: true, message: '日志树头未签名：本局未配置日志签名密钥。各文件是否列入日志仍可核验，本机保存的树头仍能发现日后的改写，但无法证明该树头确由本局发出' };
  }
  if (!head.signature) return { ok: false, message: '日志树头未签名，但本局已公布签名公钥（签名被去掉）' };
  if (!key) return { ok: false, message: '未公布日志签名公钥' };
  const pub = unhex(key.public_key);
  if (hex(sha256(pub)) !== key.key_id || head.key_id !== key.key_id) {
    return { ok: false, message: '日志签名公钥与树头的密钥标识不符' };
  }
  const ok = ed25519.verify(unhex(head.signature), utf8(head.signed), pub);
  if (!ok) return { ok: false, message: '日志树头签名无效' };
  const signed = JSON.parse(head.signed);
  if (signed.tree_size !== head.tree_size || signed.root_hash !== head.root_hash) {
    return { ok: false, message: '日志树头内容与签名的内容不符' };
  }
  return { ok: true, message: '日志树头签名有效' };
}

// A published file is in the log: its entry names its SHA-256, and the
// entry's leaf is included under the signed root.
export function verifyFileInLog(fileBytes, entryText, proof, head) {
  const entry = JSON.parse(entryText);
  if (entry.sha256 !== hex(sha256(fileBytes))) return '文件的SHA-256与日志条目记载的不符';
  const ok = verifyInclusion(leafHash(utf8(entryText)), entry.leaf_index, head.tree_size,
    proof.path.map(unhex), unhex(head.root_hash));
  return ok ? null : '日志包含证明无效（文件不在已签名的日志中）';
}
