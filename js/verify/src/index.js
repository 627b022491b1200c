// Entry point: the library (window.SuichaVerify / the node runner) and, in a
// browser page that has a #draw-verify element, the "在本机核验" panel.
import { checkAdjustments } from './adjust.js';
import { BeaconError, checkValue } from './beacon.js';
import { canonicalJson, hex, sha256, unhex, utf8 } from './bytes.js';
import { checkPublic, checkReceipt, keyOf } from './check.js';
import { runDraw, verifyRecord } from './engine.js';
import { leafHash, nodeHash, verifyConsistency, verifyFileInLog, verifyHead, verifyInclusion } from './log.js';
import { expectedPublic, parseReceiptCode, PUBLIC_DRAW_FORMAT, PUBLIC_DRAW_FORMATS, publicDraw, publicPool, receiptCode } from './public.js';
import { deriveKey, drawKey, partialShuffle, Stream, streamKey } from './rng.js';
import { ceilRatio, drawTargets, orderTag, pseudonym, salt, select, strata, ticket, visitOrder } from './select.js';
import { encodePool, snapshotHash } from './snapshot.js';
import { mountPanel } from './ui.js';

export {
  checkAdjustments, BeaconError, checkValue, canonicalJson, ceilRatio, checkPublic, checkReceipt, deriveKey, drawKey, drawTargets, encodePool,
  expectedPublic, hex, keyOf, parseReceiptCode, receiptCode, leafHash, nodeHash, orderTag, partialShuffle, pseudonym, publicDraw,
  publicPool, runDraw, salt, select, sha256, snapshotHash, strata, Stream, streamKey, ticket, unhex,
  utf8, verifyConsistency, verifyFileInLog, verifyHead, verifyInclusion, verifyRecord, visitOrder,
};

// The version the published draw file claims (re-derived in that version).
function formatOf(drawBytes) {
  let fmt = null;
  try {
    fmt = drawBytes == null ? null : JSON.parse(new TextDecoder().decode(drawBytes)).format;
  } catch (e) {
    fmt = null;
  }
  return PUBLIC_DRAW_FORMATS.includes(fmt) ? fmt : PUBLIC_DRAW_FORMAT;
}

// The auditor: the full record re-run, then the published files re-derived.
export function audit(record, poolBytes, drawBytes) {
  const diff = verifyRecord(record);
  if (diff) return { ok: false, message: `不一致：完整记录复算不符：${diff}`, details: [] };
  const details = ['完整记录复算一致（种子承诺值、快照哈希、公共随机数、分层抽取、检查组、组长、专家、检查事项）'];
  const [pool, draw] = expectedPublic(record, formatOf(drawBytes));
  for (const [what, published, expected] of [['公开对象池文件', poolBytes, pool], ['公开抽取结果文件', drawBytes, draw]]) {
    if (published == null) continue;
    if (hex(sha256(published)) !== hex(sha256(expected))) {
      return { ok: false, message: `不一致：${what}与完整记录推出的内容不同`, details };
    }
    details.push(`${what}与完整记录推出的内容逐字节相同`);
  }
  const pub = checkPublic(pool, draw);
  if (!pub.ok) return { ok: false, message: pub.message, details };
  return { ok: true, message: '一致', details: details.concat(pub.details) };
}

if (typeof document !== 'undefined') {
  const start = () => {
    const el = document.getElementById('draw-verify');
    if (el) mountPanel(el, { audit, checkAdjustments, checkPublic, checkReceipt, parseReceiptCode, receiptCode, unhex, verifyConsistency, verifyHead, verifyFileInLog });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}
