// The public randomness check (spec §4.2): the beacon value against what the
// freeze promised.  Mirrors shared/draw/beacon.py check_value, message for
// message; drand's BLS12-381 signatures are verified with @noble/curves.
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';
import { be, canonicalJson, hex, sha256, unhex, utf8 } from './bytes.js';

export class BeaconError extends Error {}

const CHAINED = 'pedersen-bls-chained';
const CHAINS = [
  {
    hash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971', name: 'quicknet',
    scheme: 'bls-unchained-g1-rfc9380', period: 3, genesis: 1692803367,
    publicKey: '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a57'
      + '76a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4'
      + 'bc09e76eae8991ef5ece45a',
  },
  {
    hash: '8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce', name: 'default',
    scheme: CHAINED, period: 30, genesis: 1595431050,
    publicKey: '868f005eb8e6e4ca0a47c8a77ceaa5309a47978a7c71bc5cce96366b5d7a569937c529eeda66c729378'
      + '4a9402801af31',
  },
];
const SOURCE_LABELS = {
  drand: 'drand 公共随机信标（League of Entropy）', lottery: '彩票开奖结果',
  local: '本地随机数（仅用于演示和测试，不具公信力）',
};
const DST_G2 = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_';
const DST_G1 = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';

function chain(ref) {
  const found = CHAINS.find((c) => c.hash === ref || c.name === ref);
  if (!found) throw new BeaconError(`未知的drand链“${ref}”（支持：${CHAINS.map((c) => c.name).join('、')}）`);
  return found;
}

function hexBytes(value, what, size) {
  if (typeof value !== 'string' || !/^(?:[0-9a-f]{2})+$/.test(value)) throw new BeaconError(`${what}应为小写十六进制文字`);
  const raw = unhex(value);
  if (size != null && raw.length !== size) throw new BeaconError(`${what}应为${size}字节，实际${raw.length}字节`);
  return raw;
}

function blsValid(c, round, signature, previous) {
  try {
    if (c.scheme === CHAINED) { // public key on G1, signature on G2
      const msg = sha256(previous, be(round, 8));
      return bls.longSignatures.verify(signature, bls.longSignatures.hash(msg, DST_G2), unhex(c.publicKey));
    }
    const msg = sha256(be(round, 8)); // public key on G2, signature on G1
    return bls.shortSignatures.verify(signature, bls.shortSignatures.hash(msg, DST_G1), unhex(c.publicKey));
  } catch (e) {
    return false; // not a point of the group
  }
}

function verifyDrand(ref, data) {
  const c = chain(ref);
  const round = data.round;
  if (typeof round !== 'number' || !Number.isSafeInteger(round) || round < 1) throw new BeaconError('drand轮次应为正整数');
  const signature = hexBytes(data.signature, 'drand签名', c.scheme === CHAINED ? 96 : 48);
  let previous = new Uint8Array(0);
  if (c.scheme === CHAINED) previous = hexBytes(data.previous_signature, 'drand上一轮签名', 96);
  else if (data.previous_signature) throw new BeaconError(`drand链${c.name}的轮次不含上一轮签名`);
  const randomness = hex(sha256(signature));
  if (data.randomness != null && data.randomness !== randomness) {
    throw new BeaconError('drand随机数与签名不符（随机数应为签名的SHA-256）');
  }
  if (!blsValid(c, round, signature, previous)) {
    throw new BeaconError(`drand第${round}轮的签名未通过链${c.name}公钥的验证（签名、轮次或链被改动）`);
  }
  const out = { source: 'drand', chain: c.hash, round, signature: hex(signature), randomness };
  if (c.scheme === CHAINED) out.previous_signature = hex(previous);
  return out;
}

function isoUtc(unix) {
  return new Date(unix * 1000).toISOString().replace(/\.000Z$/, '');
}

function parseNumbers(value) {
  const parts = typeof value === 'string' ? value.trim().split(/[\s,，、]+/) : Array.from(value);
  const numbers = parts.map((p) => String(p).trim()).filter((p) => p);
  if (!numbers.length || !numbers.every((n) => /^\d{1,3}$/.test(n))) throw new BeaconError('开奖号码应为以空格或逗号分隔的数字');
  return numbers;
}

function lotteryValue(id, drawNo, numbers) {
  const nums = parseNumbers(numbers);
  const text = `${id}\n${drawNo}\n${nums.join(',')}`;
  return { source: 'lottery', id, draw_no: drawNo, numbers: nums, randomness: hex(sha256(utf8(text))) };
}

// → the 32 randomness bytes; BeaconError otherwise.
export function checkValue(promise, value, frozenAt) {
  const source = promise.source;
  if (value.source !== source) throw new BeaconError(`随机数来源应为${SOURCE_LABELS[source] || source}`);
  if (source === 'drand') {
    const c = chain(promise.chain);
    if (value.chain !== c.hash) throw new BeaconError(`drand链不符：冻结时约定的是${c.name}（${c.hash.slice(0, 12)}…）`);
    if (value.round !== promise.round) {
      throw new BeaconError(`drand轮次不符：冻结时约定第${promise.round}轮，提供的是第${value.round === undefined ? 'None' : value.round}轮`);
    }
    if (isoUtc(c.genesis + (promise.round - 1) * c.period) <= frozenAt) {
      throw new BeaconError(`drand第${promise.round}轮在冻结（${frozenAt}）时已经公布，不能作为本次抽取的随机数`);
    }
    const checked = verifyDrand(c.hash, value);
    const extra = Object.keys(value).some((k) => !(k in checked));
    const same = Object.keys(checked).every((k) => k in value && canonicalJson(value[k]) === canonicalJson(checked[k]));
    if (!same || extra) throw new BeaconError('drand轮次数据与验证结果不一致');
    return unhex(checked.randomness);
  }
  if (source === 'lottery') {
    if (value.id !== promise.id || value.draw_no !== promise.draw_no) {
      throw new BeaconError(`彩票期号不符：冻结时约定${promise.name || promise.id}第${promise.draw_no}期`);
    }
    if (String(promise.draw_time || '') <= frozenAt) {
      throw new BeaconError('约定的彩票开奖时间不晚于冻结时间，不能作为本次抽取的随机数');
    }
    const expect = lotteryValue(promise.id, promise.draw_no, value.numbers || []);
    if (canonicalJson(expect) !== canonicalJson(value)) throw new BeaconError('彩票随机数与开奖号码不符');
    return unhex(expect.randomness);
  }
  if (source === 'local') return hexBytes(value.randomness, '本地随机数', 32);
  throw new BeaconError(`未知的随机数来源“${source}”`);
}
