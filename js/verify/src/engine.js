// The whole draw from a snapshot, a seed and the beacon randomness (spec §10),
// and the auditor's check of a full record (spec §11).
import { canonicalJson, hex, isHex64, sha256, unhex } from './bytes.js';
import { BeaconError, checkValue } from './beacon.js';
import { drawKey, Stream } from './rng.js';
import { drawTargets } from './select.js';
import { snapshotHash } from './snapshot.js';
import { DrawFailure, ItemPicker, TeamBuilder } from './teams.js';

export function runDraw(snapshot, seed, beaconRandomness, poolHash) {
  if (snapshot.format !== 'suicha-snapshot/2') throw new Error(`本实现只复算suicha-snapshot/2快照，收到${snapshot.format}`);
  const hash = poolHash || snapshotHash(snapshot);
  const key = drawKey(seed, beaconRandomness, hash);
  const [strata, order] = drawTargets(snapshot, key);
  const [uscc, , , industry, street, needsExpert] = snapshot.enterprises.values;
  const task = snapshot.task;
  const staff = new TeamBuilder(snapshot);
  const items = new ItemPicker(snapshot);
  const visits = order.map((i) => {
    const u = uscc[i];
    const stream = new Stream(key, 'visit:' + u);
    const [inspectors, leader] = staff.staff(u, industry[i], street[i], stream);
    const picked = items.pick(u, industry[i], stream);
    let experts = [];
    if (task.experts_required || needsExpert[i]) {
      experts = staff.drawExperts(u, industry[i], task.experts_per_visit, stream);
    }
    const visit = { uscc: u, inspectors, leader, experts, items: picked };
    // snapshot/2 names each visit's 主办科室: by industry, else the 发起科室.
    const hosts = snapshot.rules.host_departments;
    visit.host_department = (Object.hasOwn(hosts, industry[i]) && hosts[industry[i]]) || task.department;
    return visit;
  });
  return {
    pool_size: uscc.length,
    excluded: snapshot.excluded.map((e) => ({ uscc: e.uscc, reason: e.reason })),
    strata,
    visits,
  };
}

const LABELS = {
  uscc: '统一社会信用代码', inspectors: '执法人员', leader: '组长', experts: '专家', items: '检查事项',
  pool_size: '可抽取对象数', excluded: '排除对象', strata: '分层抽取数', visits: '检查对象',
  eligible: '可抽取数', drawn: '抽取数', ratio: '比例', reason: '排除原因',
};

function show(v) {
  const t = canonicalJson(v);
  return t.length <= 80 ? t : t.slice(0, 77) + '…';
}

// The first place `actual` departs from `expected`, in Chinese.
export function firstDifference(expected, actual, path = '') {
  const kind = (v) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  if (kind(expected) !== kind(actual)) return `${path || '结果'}应为${show(expected)}，记录为${show(actual)}`;
  if (kind(expected) === 'object') {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    for (const k of keys) {
      const where = path ? `${path}的${LABELS[k] || k}` : (LABELS[k] || k);
      if (!(k in actual)) return `${where}缺失`;
      if (!(k in expected)) return `${where}不应存在`;
      const d = firstDifference(expected[k], actual[k], where);
      if (d) return d;
    }
    return null;
  }
  if (kind(expected) === 'array') {
    const n = Math.min(expected.length, actual.length);
    for (let i = 0; i < n; i++) {
      const a = expected[i];
      const where = a && typeof a === 'object' && 'uscc' in a
        ? (path === '检查对象' ? `第${i + 1}个检查对象（${a.uscc}）` : `${path}第${i + 1}项（${a.uscc}）`)
        : `${path}第${i + 1}项`;
      const d = firstDifference(a, actual[i], where);
      if (d) return d;
    }
    if (expected.length !== actual.length) return `${path}应有${expected.length}项，记录有${actual.length}项`;
    return null;
  }
  return expected === actual ? null : `${path}应为${show(expected)}，记录为${show(actual)}`;
}

// The auditor's check: commitment, snapshot hash, the whole draw re-run.
export function verifyRecord(record) {
  try {
    if (record.format !== 'suicha-draw-record/2') return `记录格式“${record.format}”不是本实现复算的suicha-draw-record/2`;
    if (record.algorithm !== 'suicha-draw/2') return `算法版本“${record.algorithm}”与记录格式${record.format}（suicha-draw/2）不符`;
    if (!isHex64(record.seed)) return '随机种子应为64位小写十六进制';
    const seed = unhex(record.seed);
    if (hex(sha256(seed)) !== record.commitment) return '随机种子与种子承诺值不符（种子或承诺值被改动）';
    let computed;
    try {
      computed = snapshotHash(record.snapshot);
    } catch (e) {
      return `抽取对象池无法计算哈希（快照内容被改动：${e.message}）`;
    }
    if (computed !== record.pool_hash) return '抽取对象池哈希不符（快照内容被改动）';
    let randomness;
    try {
      randomness = checkValue(record.freeze.beacon, record.beacon, record.freeze.frozen_at);
    } catch (e) {
      if (e instanceof BeaconError) return `公共随机数未通过核验：${e.message}`;
      throw e;
    }
    let rerun;
    try {
      rerun = runDraw(record.snapshot, seed, randomness, computed);
    } catch (e) {
      if (e instanceof DrawFailure) return `重新执行抽取失败：${e.message}`;
      throw e;
    }
    if (canonicalJson(rerun) === canonicalJson(record.result)) return null;
    return firstDifference(rerun, record.result) || '结果的编码与重新执行的结果不同';
  } catch (e) {
    return `记录结构无效（${e.message}）`;
  }
}
