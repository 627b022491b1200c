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
    let team = [];
    if (this.needStreet) team = team.concat(leastLoaded(streetC, this.needStreet, [], this.load, stream));
    if (this.needBureau) team = team.concat(leastLoaded(bureauC, this.needBureau, [], this.load, stream));
    if (team.length < this.teamSize) {
      team = team.concat(leastLoaded(anyone, this.teamSize - team.length, team, this.load, stream));
    }
    team.sort((a, b) => a - b);
    const leader = team[stream.randbelow(team.length)];
    return [team.map((i) => this.officers[i].cert_no), this.officers[leader].cert_no];
  }

  drawExperts(uscc, industry, count, stream) {
    let cands = [...this.experts.keys()];
    if (this.rules.expert_specialty_match) {
      cands = cands.filter((i) => this.experts[i].specialties.includes(industry));
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
