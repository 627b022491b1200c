// The "在本机核验" panel of a public task page.  Everything is computed here,
// in the reader's browser, from files the page fetches; the server computes
// nothing for it.

async function bytesOf(url) {
  const resp = await fetch(url, { cache: 'no-store' });
  if (!resp.ok) throw new Error(`无法下载${url}（${resp.status}）`);
  return new Uint8Array(await resp.arrayBuffer());
}

async function jsonOf(url) {
  const resp = await fetch(url, { cache: 'no-store' });
  if (!resp.ok) throw new Error(`无法下载${url}（${resp.status}）`);
  return resp.json();
}

// ok: true (passed), false (a difference) or 'caveat' (holds, with a limit).
function say(list, text, ok) {
  const li = document.createElement('li');
  li.textContent = text;
  li.className = ok === 'caveat' ? 'caveat' : (ok ? 'ok' : 'bad');
  list.appendChild(li);
}

// The task's attempts whose pool file (published at the freeze) and draw
// file (published at the draw) are both served, oldest first.
function drawsOf(index) {
  const byAttempt = new Map();
  for (const f of index.files) {
    if (f.attempt == null) continue;
    if (!byAttempt.has(f.attempt)) byAttempt.set(f.attempt, { adjustments: [] });
    const entry = byAttempt.get(f.attempt);
    if (f.kind === 'adjustment') entry.adjustments.push(f); // files come in log order
    else entry[f.kind] = f;
  }
  return [...byAttempt.values()].filter((f) => f.pool && f.draw && f.pool.url && f.draw.url)
    .map((f) => ({ id: f.draw.record_id, pool: f.pool, draw: f.draw,
      adjustments: f.adjustments.filter((a) => a.url) }));
}

async function citizen(root, lib, out, verdict) {
  const index = await jsonOf(root.dataset.index);
  const problems = [];
  const fail = (text) => {
    say(out, text, false);
    problems.push(text);
  };
  const head = index.log.head;
  const headCheck = lib.verifyHead(head, index.log.key);
  // A head whose content can be relied on: signed, or unsigned on an install without a key.
  const usable = headCheck.ok || headCheck.unsigned;
  if (headCheck.ok) say(out, `${headCheck.message}（共${head.tree_size}条）`, true);
  else if (headCheck.unsigned) say(out, `${headCheck.message}（共${head.tree_size}条）`, 'caveat');
  else fail(headCheck.message);
  // The head this browser verified last time: the log must extend it (RFC 9162
  // consistency), or something already published was rewritten.
  const KEPT = 'suicha-draw-log-head';
  let kept = null;
  try {
    kept = JSON.parse(window.localStorage.getItem(KEPT) || 'null');
  } catch (e) {
    kept = null;
  }
  if (usable && kept && kept.key_id === head.key_id && kept.tree_size <= head.tree_size) {
    const proof = await jsonOf(`${root.dataset.log}/consistency/${kept.tree_size}/${head.tree_size}.json`);
    if (lib.verifyConsistency(kept.tree_size, head.tree_size, proof.path.map(lib.unhex),
      lib.unhex(kept.root_hash), lib.unhex(head.root_hash))) {
      say(out, `日志是本机上次核验时（共${kept.tree_size}条）的延续，已公开的内容未被改写`, true);
    } else {
      fail(`日志与本机上次核验时（共${kept.tree_size}条）不一致：已公开的内容被改写`);
    }
  } else if (usable && kept && kept.key_id === head.key_id) {
    fail(`日志比本机上次核验时（共${kept.tree_size}条）还短：已公开的内容被删除`);
  }
  const cache = new Map();
  const bytes = async (f) => {
    if (!cache.has(f.url)) cache.set(f.url, await bytesOf(f.url));
    return cache.get(f.url);
  };
  const draws = drawsOf(index);
  // A credit-class scope: the files' sizes would count that class, so only
  // auditors get them (the log still holds their hashes).
  const withheld = index.internal_scope && index.files.some((f) => f.kind === 'draw');
  if (withheld) say(out, '本任务对象范围含内部分类条件：对象池文件和抽取结果文件中的户数会暴露该分类的企业数，因此只提供给监督机关核验；两文件的哈希已列入公开日志', 'caveat');
  else if (!draws.length) say(out, '本任务尚无已公开的抽取结果文件（未抽取，或暗查任务检查完成前不公开）', true);
  for (const d of draws) {
    const r = lib.checkPublic(await bytes(d.pool), await bytes(d.draw), d.draw.published || null);
    for (const line of r.details) say(out, `记录${d.id}：${line}`, true);
    if (!r.ok) fail(`记录${d.id}：${r.message.replace(/^不一致：/, '')}`);
    if (d.adjustments.length) {
      const adj = lib.checkAdjustments(await bytes(d.draw), await Promise.all(d.adjustments.map(bytes)));
      for (const line of adj.details) say(out, line, true);
      if (!adj.ok) fail(adj.message.replace(/^不一致：/, ''));
    }
  }
  // Every served file of the task is in the signed log.
  for (const f of index.files) {
    if (!f.url || !head) continue;
    const label = `${{ pool: '对象池文件', draw: '抽取结果文件', adjustment: '调整说明' }[f.kind] || f.kind}（第${f.leaf_index + 1}条）`;
    const proof = await jsonOf(`${root.dataset.log}/proof/${f.leaf_index}/${head.tree_size}.json`);
    const diff = lib.verifyFileInLog(await bytes(f), f.entry, proof, head);
    if (diff) fail(`${label}：${diff}`);
    else say(out, `${label}已列入${headCheck.ok ? '签名' : ''}日志`, true);
  }
  if (usable && !problems.length) {
    window.localStorage.setItem(KEPT, JSON.stringify({ tree_size: head.tree_size, root_hash: head.root_hash, key_id: head.key_id }));
  }
  // Every difference found, the files' content first, then the log.
  // The headline says what the lines under it say: an unsigned head is a
  // caveat under 一致, never a 不一致 of its own.
  if (problems.length) {
    verdict.textContent = `不一致：${problems.join('；')}`;
    verdict.className = 'bad';
  } else if (withheld) {
    verdict.textContent = '抽取结果文件只提供给监督机关核验（见下方说明）';
    verdict.className = 'caveat';
  } else {
    verdict.textContent = headCheck.ok ? '一致' : '一致（日志树头未签名，见下方说明）';
    verdict.className = 'ok';
  }
}

async function enterprise(root, lib, verdict) {
  const index = await jsonOf(root.dataset.index);
  const draws = drawsOf(index);
  if (!draws.length) throw new Error('本任务尚无已公开的抽取结果文件');
  const d = draws[draws.length - 1];
  const pool = await bytesOf(d.pool.url);
  const draw = await bytesOf(d.draw.url);
  const code = lib.parseReceiptCode(root.querySelector('#receipt-code').value);
  const uscc = root.querySelector('#receipt-uscc').value.trim().toUpperCase();
  const poolDoc = JSON.parse(new TextDecoder().decode(pool));
  const receipt = { format: 'suicha-draw-receipt/1', snapshot_hash: poolDoc.snapshot_hash, uscc, salt: code };
  const r = lib.checkReceipt(receipt, pool, draw);
  verdict.textContent = r.ok ? `一致：${r.details[0]}` : r.message;
  verdict.className = r.ok ? 'ok' : 'bad';
}

async function auditor(root, lib, out, verdict) {
  const input = root.querySelector('#audit-file');
  if (!input.files.length) throw new Error('请先选择完整记录文件');
  const record = JSON.parse(await input.files[0].text());
  const index = await jsonOf(root.dataset.index);
  const d = drawsOf(index).find((x) => String(x.id) === String(record.meta && record.meta.record_id));
  const pool = d ? await bytesOf(d.pool.url) : null;
  const draw = d ? await bytesOf(d.draw.url) : null;
  const r = lib.audit(record, pool, draw);
  for (const line of r.details) say(out, line, true);
  // meta is in no hash and no signature (spec §11.2): say so beside the result.
  say(out, '未核验：记录中的操作人、操作时间和原因不在复算范围内（不参与任何哈希或签名），以本局系统中的记录为准', 'caveat');
  if (!d) say(out, '本页未找到该记录的公开文件，只复算了完整记录', false);
  verdict.textContent = r.ok && d ? '一致' : (r.ok ? '一致（未与公开文件比对）' : r.message);
  verdict.className = r.ok ? 'ok' : 'bad';
}

export function mountPanel(root, lib) {
  const run = (button, work) => {
    const btn = root.querySelector(button);
    if (!btn) return;
    btn.addEventListener('click', async () => {
      const out = root.querySelector(btn.dataset.out);
      const verdict = root.querySelector(btn.dataset.verdict);
      if (out) out.textContent = '';
      verdict.textContent = '正在本机计算……';
      verdict.className = '';
      try {
        await work(out, verdict);
      } catch (e) {
        verdict.textContent = `无法核验：${e.message}`;
        verdict.className = 'bad';
      }
    });
  };
  run('#verify-public', (out, verdict) => citizen(root, lib, out, verdict));
  run('#verify-receipt', (out, verdict) => enterprise(root, lib, verdict));
  run('#verify-audit', (out, verdict) => auditor(root, lib, out, verdict));
  root.dataset.ready = '1';
}
