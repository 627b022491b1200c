// Node runner for tests: loads the vendored browser build (the very file the
// public page serves) and answers a batch of cases read as JSON from stdin.
//   node js/verify/runner.cjs < cases.json > answers.json
// Each case: {"op": "draw" | "check_public" | "check_receipt" | "audit" | "primitives", ...}.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const built = path.join(__dirname, '..', '..', 'server', 'static', 'draw', 'suicha-verify.js');
vm.runInThisContext(fs.readFileSync(built, 'utf8'), { filename: built });
const V = globalThis.SuichaVerify;
const enc = new TextEncoder();

function answer(c) {
  switch (c.op) {
    case 'draw': {
      try {
        const hash = V.snapshotHash(c.snapshot);
        const result = V.runDraw(c.snapshot, V.unhex(c.seed), c.randomness == null ? null : V.unhex(c.randomness), hash);
        return { snapshot_hash: hash, result };
      } catch (e) {
        return { error: true };
      }
    }
    case 'check_public':
      return V.checkPublic(enc.encode(c.pool), enc.encode(c.draw), c.published || null);
    case 'check_receipt':
      return V.checkReceipt(c.receipt, enc.encode(c.pool), enc.encode(c.draw));
    case 'audit':
      return V.audit(c.record, c.pool == null ? null : enc.encode(c.pool), c.draw == null ? null : enc.encode(c.draw));
    case 'public_files': {
      const [pool, draw] = V.expectedPublic(c.record);
      return { pool: new TextDecoder().decode(pool), draw: new TextDecoder().decode(draw) };
    }
    case 'check_adjustments':
      return V.checkAdjustments(enc.encode(c.draw), c.adjustments.map((a) => enc.encode(a)));
    case 'canonical_json':
      return V.canonicalJson(c.value);
    case 'encode_pool':
      return V.hex(V.encodePool(c.pool));
    case 'snapshot_hash':
      return V.snapshotHash(c.snapshot);
    case 'key':
      return V.hex(V.drawKey(V.unhex(c.seed), c.randomness == null ? null : V.unhex(c.randomness), c.snapshot_hash));
    case 'beacon':
      try {
        return V.hex(V.checkValue(c.promise, c.value, c.frozen_at));
      } catch (e) {
        if (e instanceof V.BeaconError) return { error: e.message };
        throw e;
      }
    case 'stream': {
      const s = new V.Stream(V.unhex(c.key), c.label);
      return c.below.map((n) => s.randbelow(n));
    }
    case 'shuffle':
      return V.partialShuffle(c.items, c.k, new V.Stream(V.unhex(c.key), c.label));
    case 'pseudonym': {
      const salt = V.salt(V.unhex(c.secret), c.uscc);
      const p = V.pseudonym(salt, c.uscc);
      return { salt: V.hex(salt), pseudonym: V.hex(p), ticket: V.hex(V.ticket(V.unhex(c.key), p)),
               order_tag: V.hex(V.orderTag(V.unhex(c.key), c.uscc)), receipt_code: V.receiptCode(V.hex(salt)) };
    }
    case 'select':
      return V.select(V.unhex(c.key), c.pseudonyms.map(V.unhex), c.k).map(V.hex);
    case 'visit_order':
      return V.visitOrder(V.unhex(c.key), c.usccs);
    case 'ceil_ratio':
      return c.sizes.map((n) => V.ceilRatio(c.ratio, n));
    case 'merkle': {
      const leaves = c.entries.map((e) => V.leafHash(V.utf8(e)));
      return leaves.map((leaf, i) => V.verifyInclusion(leaf, i, leaves.length, c.proofs[i].map(V.unhex), V.unhex(c.root)));
    }
    case 'consistency':
      return c.firsts.map((m, i) => V.verifyConsistency(m, c.entries.length, c.proofs[i].map(V.unhex), V.unhex(c.roots[i]), V.unhex(c.root)));
    case 'head':
      return V.verifyHead(c.head, c.key);
    default:
      return { unknown_op: c.op };
  }
}

const cases = JSON.parse(fs.readFileSync(0, 'utf8'));
process.stdout.write(V.canonicalJson(cases.map(answer)));
