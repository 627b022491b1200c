// What a citizen and an enterprise with its receipt can check from the
// published files alone (spec §12).  Mirrors shared/draw/check.py; the
// differential test holds the two to the same answers.
import { canonicalJson, compareText, hex, isHex64, sha256, unhex } from './bytes.js';
import { BeaconError, checkValue } from './beacon.js';
import { deriveKey } from './rng.js';
import { PUBLIC_DRAW_FORMATS, recordFreeze } from './public.js';
import { ceilRatio, pseudonym, select, visitOrder } from './select.js';

class Mismatch extends Error {}

function need(cond, message) {
  if (!cond) throw new Mismatch(message);
}

function hex64(value, what) {
  need(isHex64(value), `${what}应为64位小写十六进制`);
  return unhex(value);
}

function parse(bytes, what) {
  let doc;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new Mismatch(`${what}无法解析`);
  }
  need(doc && typeof doc === 'object' && !Array.isArray(doc), `${what}不是一个JSON对象`);
  return doc;
}

function ratioK(ratio, size) {
  try {
    return ceilRatio(ratio, size);
  } catch (e) {
    throw new Mismatch(e.message);
  }
}

function poolStrata(pool) {
  need(pool.format === 'suicha-public-pool/1', `公开对象池文件格式“${pool.format}”无法识别`);
  const seen = new Set();
  const out = new Map();
  for (const s of pool.strata) {
    const label = s.stratum;
    const names = s.pseudonyms;
    need(!out.has(label), `公开对象池中分层“${label}”重复`);
    for (const p of names) hex64(p, `分层“${label}”的化名`);
    for (let i = 1; i < names.length; i++) {
      need(compareText(names[i - 1], names[i]) <= 0, `公开对象池分层“${label}”的化名未按升序排列`);
    }
    need(Number.isInteger(s.size) && names.length === s.size,
      `公开对象池分层“${label}”公布${s.size}户，实有化名${names.length}个`);
    const before = seen.size;
    names.forEach((p) => seen.add(p));
    need(seen.size === before + names.length, `公开对象池中有重复的化名（分层“${label}”）`);
    out.set(label, s);
  }
  return out;
}

export function beaconRandomness(draw) {
  const freeze = draw.freeze;
  const beacon = draw.beacon;
  const isObj = (v) => v && typeof v === 'object' && !Array.isArray(v);
  need(isObj(freeze) && isObj(beacon), '缺少冻结信息或公共随机数');
  try {
    const plain = recordFreeze(freeze); // the record's form: "Z" dropped
    return checkValue(plain.beacon, beacon, plain.frozen_at);
  } catch (e) {
    if (e instanceof BeaconError) throw new Mismatch(`公共随机数未通过核验：${e.message}`);
    throw e;
  }
}

export function keyOf(draw) {
  const seed = hex64(draw.seed, '随机种子');
  hex64(draw.snapshot_hash, '快照哈希');
  return deriveKey(seed, beaconRandomness(draw), draw.snapshot_hash);
}

function checkAll(poolBytes, drawBytes, published) {
  const done = [];
  const pool = parse(poolBytes, '公开对象池文件');
  const draw = parse(drawBytes, '公开抽取结果文件');
  need(PUBLIC_DRAW_FORMATS.includes(draw.format), `公开抽取结果文件格式“${draw.format}”无法识别`);
  need(draw.algorithm === 'suicha-draw/2' && pool.algorithm === 'suicha-draw/2', '算法版本应为suicha-draw/2');
  const strata = poolStrata(pool);
  done.push('公开对象池文件格式正确、化名无重复');
  need(hex(sha256(poolBytes)) === draw.public_pool_sha256,
    '公开对象池文件的SHA-256与抽取结果文件记载的不符（对象池文件被改动）');
  for (const [field, label] of [['snapshot_hash', '快照哈希'], ['commitment', '种子承诺值'], ['task_no', '任务编号']]) {
    need(pool[field] === draw[field], `两个文件的${label}不一致`);
    if (published && field in published) {
      need(published[field] === draw[field], `${label}与冻结时公布的不符（公布：${published[field]}）`);
    }
  }
  done.push('两个文件相互对应，快照哈希与种子承诺值与冻结时公布的一致');
  const seed = hex64(draw.seed, '随机种子');
  need(hex(sha256(seed)) === draw.commitment, 'SHA-256(随机种子)与种子承诺值不符');
  done.push('SHA-256(随机种子) = 种子承诺值');
  if (published && 'freeze' in published) {
    need(canonicalJson(published.freeze) === canonicalJson(draw.freeze), '冻结时约定的随机源与公布的不符');
  }
  const key = keyOf(draw);
  const source = draw.beacon.source;
  done.push('公共随机数与冻结时约定的随机源相符' + (source === 'drand' ? '（drand签名已用链公钥验证）'
    : source === 'local' ? '（本地随机数，仅用于演示和测试，不具公信力）' : '（请与彩票官方公告的开奖号码核对）'));
  done.push('由随机种子、公共随机数和快照哈希算出抽取密钥');
  const drawn = new Map(draw.strata.map((s) => [s.stratum, s]));
  need(canonical([...drawn.keys()]) === canonical([...strata.keys()]), '抽取结果的分层与公开对象池的分层不一致');
  let total = 0;
  for (const [label, s] of strata) {
    const k = ratioK(s.ratio, s.size);
    const d = drawn.get(label);
    need(d.size === s.size && d.drawn === k && Number.isInteger(d.drawn),
      `分层“${label}”：${s.size}户按比例${s.ratio}应抽${k}户，记载为${d.drawn}户`);
    const expect = select(key, s.pseudonyms.map(unhex), k).map(hex).sort(compareText);
    if (canonical(d.selected) !== canonical(expect)) {
      const a = new Set(d.selected);
      const b = new Set(expect);
      const wrong = [...a].filter((x) => !b.has(x)).concat([...b].filter((x) => !a.has(x))).sort(compareText);
      throw new Mismatch(wrong.length
        ? `分层“${label}”抽中的化名与重新计算的不符（如${wrong[0].slice(0, 16)}…）`
        : `分层“${label}”抽中的化名排列不符`);
    }
    total += k;
  }
  done.push('每一分层按比例抽取的户数和抽中的化名与重新计算的一致');
  const usccs = draw.drawn.map((d) => d.uscc);
  need(usccs.length === total, `公开名单有${usccs.length}户，按各分层应抽${total}户`);
  const sorted = [...new Set(usccs)].sort(compareText);
  need(canonical(usccs) === canonical(sorted), '公开名单未按统一社会信用代码升序排列或有重复');
  need(canonical(draw.visit_order) === canonical(visitOrder(key, usccs)), '检查顺序与由抽取密钥重新计算的顺序不符');
  done.push('公开名单户数相符，检查顺序只由抽取密钥和信用代码决定');
  return done;
}

function canonical(list) {
  return JSON.stringify(list);
}

function wrap(fn) {
  try {
    const details = fn();
    return { ok: true, message: '一致', details };
  } catch (e) {
    if (e instanceof Mismatch) return { ok: false, message: `不一致：${e.message}`, details: [] };
    return { ok: false, message: '不一致：文件结构无效', details: [] };
  }
}

export function checkPublic(poolBytes, drawBytes, published = null) {
  return wrap(() => checkAll(poolBytes, drawBytes, published));
}

export function checkReceipt(receipt, poolBytes, drawBytes) {
  return wrap(() => {
    need(receipt.format === 'suicha-draw-receipt/1', '回执格式无法识别');
    const pool = parse(poolBytes, '公开对象池文件');
    const draw = parse(drawBytes, '公开抽取结果文件');
    need(receipt.snapshot_hash === pool.snapshot_hash, '回执所属的快照哈希与公开对象池的不符（回执不属于本次抽取）');
    const mine = hex(pseudonym(hex64(receipt.salt, '回执码'), receipt.uscc));
    const hits = [];
    for (const s of pool.strata) for (const p of s.pseudonyms) if (p === mine) hits.push(s);
    need(hits.length === 1, `本单位的化名在公开对象池中出现${hits.length}次（应恰好1次）`);
    const stratum = hits[0];
    const k = ratioK(stratum.ratio, stratum.size);
    const chosen = new Set(select(keyOf(draw), stratum.pseudonyms.map(unhex), k).map(hex));
    const should = chosen.has(mine);
    const listed = draw.drawn.some((d) => d.uscc === receipt.uscc);
    need(should === listed, '按抽取规则本单位' + (should ? '应被抽中，但不在公开名单中' : '不应被抽中，却在公开名单中'));
    return ['本单位在对象池中恰好出现一次；按抽取规则' + (should
      ? '应被抽中，公开名单中有本单位' : '不应被抽中，公开名单中没有本单位')];
  });
}
