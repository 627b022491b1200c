// Teams, leaders, experts and items (spec §8–§9): least-loaded picks with
// ties broken by the visit's stream, read in a fixed sequence.

const BARRED = Infinity;

// `count` picks from `cands` (pool indices), each a least-loaded one; members
// of `taken` are never picked.  Ties: stream.randbelow over the tied
// candidates in `cands` order.
export function leastLoaded(cands, count, taken, load, stream) {
  const takenSet = new Set(taken);
  const loads = cands.map((i) => (takenSet.has(i) ? BARRED : load[i]));
  const out = [];
  for (let s = 0; s < count; s++) {
    const low = Math.min(...loads);
    const ties = [];
    loads.forEach((l, j) => { if (l === low) ties.push(j); });
    const j = ties[stream.randbelow(ties.length)];
    const pick = cands[j];
    load[pick] += 1;
    loads[j] = BARRED;
    out.push(pick);
  }
  return out;
}

export class DrawFailure extends Error {}

function cmpText(a, b) {
  return a < b ? -1 : a > b ? 1 : 0; // department names: BMP text, code-unit order = code-point order
}

// Can `slots` more officers be picked from `cells` ([pool, department, count],
// pool 's' street, 'b' bureau, 'o' other) so that at least street/bureau come
// from those pools and every department in `departments` is represented?
function completable(cells, street, bureau, departments, slots) {
  const total = cells.reduce((a, c) => a + c[2], 0);
  if (!departments.length) {
    const haveS = cells.filter((c) => c[0] === 's').reduce((a, c) => a + c[2], 0);
    const haveB = cells.filter((c) => c[0] === 'b').reduce((a, c) => a + c[2], 0);
    return haveS >= street && haveB >= bureau && street + bureau <= slots && total >= slots;
  }
  if (slots < departments.length) return false;
  const dept = departments.slice().sort(cmpText)[0];
  for (let k = 0; k < cells.length; k++) {
    const [p, d, n] = cells[k];
    if (d === dept && n) {
      const rest = cells.slice();
      rest[k] = [p, d, n - 1];
      if (completable(rest, Math.max(0, street - (p === 's' ? 1 : 0)), Math.max(0, bureau - (p === 'b' ? 1 : 0)),
        departments.filter((x) => x !== dept), slots - 1)) return true;
    }
  }
  return false;
}

function cellsOf(officers, streetC, bureauC, anyone, exclude) {
  const inStreet = new Set(streetC);
  const inBureau = new Set(bureauC);
  const counts = new Map();
  for (const i of anyone) {
    if (exclude.has(i)) continue;
    const pool = inStreet.has(i) ? 's' : inBureau.has(i) ? 'b' : 'o';
    const key = JSON.stringify([pool, officers[i].department]);
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  return [...counts.entries()].map(([k, n]) => [...JSON.parse(k), n])
    .sort((a, b) => cmpText(a[0], b[0]) || cmpText(a[1], b[1]) || a[2] - b[2]);
}

export class TeamBuilder {
  constructor(snapshot) {
    const task = snapshot.task;
    const rules = snapshot.rules;
    this.rules = rules;
    this.teamSize = task.team_size;
    this.needStreet = rules.composition.street_pool;
    this.needBureau = rules.composition.bureau_pool;
    if (this.needStreet + this.needBureau > this.teamSize) {
      throw new DrawFailure('组队规则要求的人数超过每户检查人数（规则：组队规则）');
    }
    this.departments = (task.departments || []).slice().sort(cmpText);
    this.officers = snapshot.inspectors;
    const end = task.window_end;
    this.base = [];
    this.officers.forEach((o, i) => {
      if (o.cert_no && !o.auxiliary && o.duty === 'on_duty' && o.cert_expiry && o.cert_expiry >= end) {
        this.base.push(i);
      }
    });
    const index = new Map();
    this.officers.forEach((o, i) => { if (o.cert_no) index.set(o.cert_no, i); });
    this.barred = new Map();
    const bar = (u, i) => {
      if (!this.barred.has(u)) this.barred.set(u, new Set());
      this.barred.get(u).add(i);
    };
    this.officers.forEach((o, i) => o.conflicts.forEach((u) => bar(u, i)));
    if (rules.recuse_previous) {
      for (const [u, certs] of Object.entries(snapshot.enterprises.previous_inspectors)) {
        for (const c of certs) if (index.has(c)) bar(u, index.get(c));
      }
    }
    this.load = this.officers.map(() => 0);
    this.experts = snapshot.experts;
    this.specialtyMap = snapshot.specialty_map || {};
    this.expertLoad = this.experts.map(() => 0);
  }

  candidates(industry, street) {
    let pool = this.base;
    const o = this.officers;
    if (this.rules.field_match) pool = pool.filter((i) => o[i].fields.includes(industry));
    if (this.rules.recuse_own_street && street) pool = pool.filter((i) => o[i].street !== street);
    const streetC = pool.filter((i) => street && o[i].street === street);
    const bureauC = pool.filter((i) => !o[i].street);
    return [streetC, bureauC, pool];
  }

  staff(uscc, industry, street, stream) {
    let [streetC, bureauC, anyone] = this.candidates(industry, street);
    const barred = this.barred.get(uscc);
    if (barred) {
      streetC = streetC.filter((i) => !barred.has(i));
      bureauC = bureauC.filter((i) => !barred.has(i));
      anyone = anyone.filter((i) => !barred.has(i));
    }
    if (streetC.length < this.needStreet || bureauC.length < this.needBureau
        || anyone.length < this.teamSize) {
      throw new DrawFailure(`无法为检查对象${uscc}组成检查组`);
    }
    if (this.departments.length && !completable(cellsOf(this.officers, streetC, bureauC, anyone, new Set()),
      this.needStreet, this.needBureau, this.departments, this.teamSize)) {
      throw new DrawFailure(`无法为检查对象${uscc}组成检查组（规则：联合检查（各部门至少1人））`);
    }
    let team = [];
    let needStreet = this.needStreet;
    let needBureau = this.needBureau;
    if (this.departments.length) {
      team = this.departmentSlots(streetC, bureauC, anyone, stream);
      const inStreet = new Set(streetC);
      const inBureau = new Set(bureauC);
      needStreet = Math.max(0, needStreet - team.filter((i) => inStreet.has(i)).length);
      needBureau = Math.max(0, needBureau - team.filter((i) => inBureau.has(i)).length);
      streetC = streetC.filter((i) => !team.includes(i));
      bureauC = bureauC.filter((i) => !team.includes(i));
    }
    if (needStreet) team = team.concat(leastLoaded(streetC, needStreet, team, this.load, stream));
    if (needBureau) team = team.concat(leastLoaded(bureauC, needBureau, [], this.load, stream));
    if (team.length < this.teamSize) {
      team = team.concat(leastLoaded(anyone, this.teamSize - team.length, team, this.load, stream));
    }
    team.sort((a, b) => a - b);
    const leader = team[stream.randbelow(team.length)];
    return [team.map((i) => this.officers[i].cert_no), this.officers[leader].cert_no];
  }

  // One officer per required department, in department order, each the least
  // loaded of those after whom the team can still be completed.
  departmentSlots(streetC, bureauC, anyone, stream) {
    const o = this.officers;
    const team = [];
    let missing = this.departments.slice();
    for (const dept of this.departments) {
      const fits = [];
      for (const i of anyone) {
        if (team.includes(i) || o[i].department !== dept) continue;
        const taken = team.concat([i]);
        const cells = cellsOf(o, streetC, bureauC, anyone, new Set(taken));
        const streetLeft = Math.max(0, this.needStreet - taken.filter((j) => streetC.includes(j)).length);
        const bureauLeft = Math.max(0, this.needBureau - taken.filter((j) => bureauC.includes(j)).length);
        if (completable(cells, streetLeft, bureauLeft, missing.filter((d) => d !== dept), this.teamSize - taken.length)) {
          fits.push(i);
        }
      }
      team.push(...leastLoaded(fits, 1, [], this.load, stream));
      missing = missing.filter((d) => d !== dept);
    }
    return team;
  }

  covers(specialties, industry) {
    return specialties.includes(industry)
      || specialties.some((s) => Object.hasOwn(this.specialtyMap, s) && this.specialtyMap[s].includes(industry));
  }

  drawExperts(uscc, industry, count, stream) {
    let cands = [...this.experts.keys()];
    if (this.rules.expert_specialty_match) {
      cands = cands.filter((i) => this.covers(this.experts[i].specialties, industry));
    }
    cands = cands.filter((i) => !this.experts[i].conflicts.includes(uscc));
    if (cands.length < count) throw new DrawFailure(`无法为检查对象${uscc}抽取专家（规则：专家库）`);
    const chosen = leastLoaded(cands, count, [], this.expertLoad, stream);
    return chosen.sort((a, b) => a - b).map((i) => this.experts[i].id);
  }
}

export class ItemPicker {
  constructor(snapshot) {
    this.items = snapshot.items.list;
    this.generalCount = snapshot.task.general_items;
  }

  pick(uscc, industry, stream) {
    const fits = this.items.filter((it) => !it.industries.length || it.industries.includes(industry));
    const keyItems = fits.filter((it) => it.category === 'key').map((it) => it.no);
    const general = fits.filter((it) => it.category === 'general').map((it) => it.no);
    if (!keyItems.length && !general.length) {
      throw new DrawFailure(`检查对象${uscc}：事项清单中没有适用的检查事项（规则：随机抽查事项清单）`);
    }
    const k = this.generalCount;
    const n = general.length;
    if (k >= n) return keyItems.concat(general);
    const work = [...Array(n).keys()];
    for (let i = 0; i < k; i++) {
      const j = i + stream.randbelow(n - i);
      [work[i], work[j]] = [work[j], work[i]];
    }
    const chosen = work.slice(0, k).sort((a, b) => a - b);
    return keyItems.concat(chosen.map((i) => general[i]));
  }
}
