// The public adjustment files of a draw (spec §12.3), as shared/draw/adjust.py
// check_public_adjustments and shared/draw/check.py check_adjustments.
import { canonicalJson, hex, sha256 } from './bytes.js';

class AdjustmentMismatch extends Error {}

const COMPARED = ['uscc', 'inspectors', 'leader', 'items'];

function same(a, b) {
  return COMPARED.every((k) => canonicalJson(a[k] === undefined ? null : a[k]) === canonicalJson(b[k] === undefined ? null : b[k]));
}

function plain(v) {
  return { uscc: v.uscc, inspectors: v.inspectors.map((m) => m.cert_no), leader: v.leader, items: v.items };
}

function apply(visits, doc) {
  const change = doc.adjustment;
  const before = doc.visit_before;
  const after = doc.visit_after;
  const meta = doc.meta;
  if (!String(meta.reason || '').trim()) throw new AdjustmentMismatch('调整未说明理由');
  if (!meta.actor || !meta.created_at) throw new AdjustmentMismatch('调整未记录调整人或调整时间');
  const current = visits.filter((v) => v.uscc === change.visit);
  if (current.length !== 1) throw new AdjustmentMismatch(`上一记录中没有对检查对象${change.visit}的检查`);
  if (!same(before, current[0])) throw new AdjustmentMismatch(`调整前的检查（${change.visit}）与上一记录不符`);
  let expect;
  if (change.replace === 'inspector') {
    const { old } = change;
    const nw = change.new;
    if (!before.inspectors.includes(old) || before.inspectors.includes(nw)) {
      throw new AdjustmentMismatch(`被替换的执法人员${old}不在检查组中，或替换人员${nw}已在组中`);
    }
    const team = before.inspectors.filter((c) => c !== old).concat([nw]).sort();
    expect = { uscc: before.uscc, inspectors: team, leader: before.leader === old ? nw : before.leader, items: before.items };
  } else if (change.replace === 'enterprise') {
    if (visits.some((v) => v.uscc === change.new)) throw new AdjustmentMismatch(`替换后的检查对象${change.new}已在本任务的检查对象中`);
    expect = { uscc: change.new, inspectors: before.inspectors, leader: before.leader, items: after.items };
  } else {
    throw new AdjustmentMismatch(`未知的调整类型“${change.replace}”`);
  }
  if (!same(after, expect)) {
    const diff = COMPARED.find((k) => canonicalJson(after[k] === undefined ? null : after[k]) !== canonicalJson(expect[k]));
    throw new AdjustmentMismatch(`调整后的检查与声明的调整不符（${diff}）`);
  }
  return visits.map((v) => (v.uscc === change.visit ? { ...after } : v));
}

export function checkAdjustments(drawBytes, adjustmentFiles) {
  try {
    const dec = (b) => JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(b));
    const draw = dec(drawBytes);
    let visits = draw.drawn.map(plain);
    let previous = hex(sha256(drawBytes));
    const done = [];
    for (const bytes of adjustmentFiles) {
      const doc = dec(bytes);
      if (doc.format !== 'suicha-public-adjustment/1') throw new AdjustmentMismatch(`调整说明格式“${doc.format}”无法识别`);
      if (doc.parent_sha256 !== previous) throw new AdjustmentMismatch(`调整${doc.record_id}所依据的公开文件与上一公开文件不符`);
      if (!String(doc.who || '').trim() || !doc.at) throw new AdjustmentMismatch(`调整${doc.record_id}未公布调整人或调整时间`);
      visits = apply(visits, {
        meta: { reason: doc.reason, actor: doc.who, created_at: doc.at }, adjustment: doc.change,
        visit_before: plain(doc.visit_before), visit_after: plain(doc.visit_after),
      });
      done.push(`调整${doc.record_id}（${doc.who}，原因：${doc.reason}）与上一公开文件相符，只改动了所声明的内容`);
      previous = hex(sha256(bytes));
    }
    return { ok: true, message: '一致', details: done };
  } catch (e) {
    if (e instanceof AdjustmentMismatch) return { ok: false, message: `不一致：${e.message}`, details: [] };
    return { ok: false, message: '不一致：文件结构无效', details: [] };
  }
}
