/**
 * The default demo district's ground truth looks like a district a bureau runs: flags at
 * every step of 整改, visits by several 责任督学, schools that under-serve migrant or
 * disabled children, answers in the newest month and exactly one missing report there.
 * The pinned figures are the default seed's; a change to them is a change to the demo.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDistrict } from '../../../etl/demo/generate-district.ts';
import type { CaseOutcome, District, ParticipationRow } from '../../../etl/demo/model.ts';
import { FEATURED_USERNAME, Remit } from '../../../etl/demo/plan-casework.ts';

let d: District;
let featuredSchools: Set<string>;
const newest = '2026-10';
const asOfDay = '2026-11-25';

beforeAll(() => {
  d = generateDistrict();
  featuredSchools = new Set(
    new Remit(d.assignments).current().get(d.casework.featuredInspector) ?? [],
  );
}, 60_000);

function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of items) out[key(t)] = (out[key(t)] ?? 0) + 1;
  return out;
}

describe('demo casework: flags at every step of 整改', () => {
  it('is as of 2026-11-25, after the newest month’s reports were due', () => {
    expect(d.months.at(-1)).toBe(newest);
    expect(d.casework.asOf).toBe('2026-11-25T18:00:00+08:00');
  });

  it('gives each report flag and each visit finding one case, counted per outcome', () => {
    const keys = new Set(d.ruleBreaks.map((b) => `${b.school_code}|${b.month}|${b.rule}`));
    const report = d.casework.cases.filter((c) => c.source === 'report');
    expect(report.map((c) => `${c.school_code}|${c.month}|${c.code}`).sort()).toEqual(
      [...keys].sort(),
    );
    const counts = countBy(d.casework.cases, (c) => c.outcome);
    expect(counts).toEqual({
      OPEN: 7,
      REQUESTED: 3,
      OVERDUE: 6,
      RECTIFIED: 4,
      CLOSED: 37,
      DISMISSED: 5,
    } satisfies Record<CaseOutcome, number>);
    expect(d.casework.cases.filter((c) => c.source === 'inspection')).toHaveLength(6);
  });

  it('takes exactly the steps of each outcome, in order, before asOf and after the month', () => {
    const shapes: Record<CaseOutcome, string> = {
      OPEN: '',
      REQUESTED: 'REQUEST_RECTIFICATION',
      OVERDUE: 'REQUEST_RECTIFICATION',
      RECTIFIED: 'REQUEST_RECTIFICATION RECORD_RECTIFICATION',
      CLOSED: 'REQUEST_RECTIFICATION RECORD_RECTIFICATION CLOSE',
      DISMISSED: 'DISMISS',
    };
    for (const c of d.casework.cases) {
      expect(c.steps.map((s) => s.step).join(' '), `${c.school_code} ${c.month}`).toBe(
        shapes[c.outcome],
      );
      const times = c.steps.map((s) => Date.parse(s.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      for (const s of c.steps) {
        expect(s.at < d.casework.asOf).toBe(true);
        // Report flags are worked after their month's report; visit findings from the visit on.
        if (c.source === 'report') expect(s.at.slice(0, 7) > c.month).toBe(true);
        else expect(s.at.slice(0, 7) >= c.month).toBe(true);
      }
      const deadline = c.steps[0]?.deadline ?? null;
      if (c.outcome === 'REQUESTED') expect(deadline! >= asOfDay).toBe(true);
      if (c.outcome === 'OVERDUE') expect(deadline! < asOfDay).toBe(true);
    }
  });

  it('leaves the newest month’s missing report open and no other newest-month case closed', () => {
    const missing = d.casework.cases.filter(
      (c) => c.code === 'MISSING_REPORT' && c.month === newest,
    );
    expect(missing).toHaveLength(1);
    expect(missing[0]!.outcome).toBe('OPEN');
    for (const c of d.casework.cases.filter((c) => c.month === newest))
      expect(['OPEN', 'REQUESTED', 'RECTIFIED']).toContain(c.outcome);
  });
});

describe('demo casework: visits by several 责任督学', () => {
  it('has visits by the featured inspector and three others, of every kind', () => {
    expect(countBy(d.casework.visits, (v) => v.by)).toEqual({
      [FEATURED_USERNAME]: 16,
      dx003: 13,
      dx013: 9,
      dx018: 11,
    });
    expect(countBy(d.casework.visits, (v) => v.kind)).toEqual({
      ROUTINE: 18,
      UNANNOUNCED: 10,
      FOLLOW_UP: 21,
    });
  });

  it('visits only schools in the visitor’s remit that month, on or before asOf', () => {
    const remit = new Remit(d.assignments);
    const inspectorOf = new Map(d.casework.accounts.map((a) => [a.username, a.inspector_id]));
    for (const v of d.casework.visits) {
      expect(remit.ownerOf(v.school_code, v.date.slice(0, 7))).toBe(inspectorOf.get(v.by));
      expect(v.date <= asOfDay && v.at.startsWith(v.date)).toBe(true);
    }
  });

  it('raises flags at some visits and closes rectified flags after follow-up visits', () => {
    const raising = d.casework.visits.filter((v) => v.flags.length > 0);
    expect(raising.length).toBe(6);
    for (const v of raising) expect(v.checklist.some((c) => c.result === 'PROBLEM')).toBe(true);
    const byRef = new Map(d.casework.visits.map((v) => [v.ref, v]));
    const closes = d.casework.cases.flatMap((c) =>
      c.steps.filter((s) => s.step === 'CLOSE').map((s) => ({ c, s })),
    );
    const cited = closes.filter(({ s }) => s.visit !== null);
    expect(cited.length).toBe(21);
    expect(closes.length - cited.length).toBe(16); // closed by 督导科 on the school's papers
    for (const { c, s } of cited) {
      const v = byRef.get(s.visit!)!;
      const rectified = c.steps.find((x) => x.step === 'RECORD_RECTIFICATION')!;
      expect(v.kind).toBe('FOLLOW_UP');
      expect(v.school_code).toBe(c.school_code);
      expect(v.date > rectified.at.slice(0, 10) && v.at < s.at).toBe(true);
    }
  });
});

describe('demo district: what the bureau sees', () => {
  function totals(rows: readonly ParticipationRow[], group: 'migrant' | 'disabled') {
    const sum = (f: (r: ParticipationRow) => number) => rows.reduce((n, r) => n + f(r), 0);
    return {
      rate: sum((r) => r.participants) / sum((r) => r.enrolled),
      enrolled: sum((r) => r[`${group}_enrolled`]),
      served: sum((r) => r[`${group}_participants`]),
    };
  }

  it('has schools that serve migrant or disabled children below their own rate, quietly', () => {
    expect(countBy(d.underServed, (u) => u.group)).toEqual({ migrant: 14, disabled: 12 });
    const rows = new Map<string, ParticipationRow[]>();
    for (const p of d.participation) {
      const key = `${p.school_code}|${p.month}`;
      rows.set(key, [...(rows.get(key) ?? []), p]);
    }
    for (const u of d.underServed) {
      let shown = 0;
      for (const month of d.months) {
        const t = totals(rows.get(`${u.school_code}|${month}`) ?? [], u.group);
        if (t.enrolled === 0 || !(t.rate > 0)) continue;
        const gap = t.served / t.enrolled - t.rate;
        expect(gap, `${u.school_code} ${month} ${u.group}`).toBeLessThan(0);
        // Under the priority-gap rule's 10 points wherever the rule looks (20+ pupils).
        if (t.enrolled >= 20) expect(gap).toBeGreaterThan(-0.1);
        shown++;
      }
      expect(shown).toBeGreaterThan(0);
    }
    expect(d.ruleBreaks.filter((b) => b.rule === 'PRIORITY_GAP')).toHaveLength(5);
  });

  it('has the district’s disabled children below its overall rate in the newest month', () => {
    const t = totals(
      d.participation.filter((p) => p.month === newest),
      'disabled',
    );
    expect(t.served).toBe(476);
    expect(t.enrolled).toBe(604);
    expect(t.served / t.enrolled).toBeLessThan(t.rate);
  });

  it('has survey answers in the newest month', () => {
    const answers = d.surveys.filter((s) => s.submitted_at.startsWith(newest));
    expect(answers.length).toBe(3937);
    expect(new Set(answers.map((s) => s.semester))).toEqual(new Set(['2026秋季']));
  });

  it('misses exactly one report in the newest month', () => {
    const missing = d.ruleBreaks.filter((b) => b.rule === 'MISSING_REPORT' && b.month === newest);
    expect(missing).toHaveLength(1);
    const code = missing[0]!.school_code;
    expect(d.monthly.filter((r) => r.month === newest)).toHaveLength(d.schools.length - 1);
    expect(d.monthly.some((r) => r.month === newest && r.school_code === code)).toBe(false);
  });

  it('turns away at most 2 % of applicants except where no service is planned (NOT_OFFERED)', () => {
    const notOffered = d.ruleBreaks.filter((b) => b.rule === 'NOT_OFFERED');
    expect(notOffered).toHaveLength(1);
    const planned = new Set(notOffered.map((b) => `${b.school_code}|${b.month}`));
    const sums = new Map<string, [number, number]>();
    for (const p of d.participation) {
      const key = `${p.school_code}|${p.month}`;
      const [a, n] = sums.get(key) ?? [0, 0];
      sums.set(key, [a + p.applicants, n + p.participants]);
    }
    for (const [key, [applicants, participants]] of sums)
      if (!planned.has(key)) expect(participants, key).toBeGreaterThanOrEqual(applicants * 0.98);
  });

  it('gives the demo’s 责任督学 schools with these cases', () => {
    const outcomes = new Set(
      d.casework.cases.filter((c) => featuredSchools.has(c.school_code)).map((c) => c.outcome),
    );
    expect(outcomes.size).toBeGreaterThanOrEqual(4);
    expect(
      d.ruleBreaks.some(
        (b) =>
          b.rule === 'MISSING_REPORT' && b.month === newest && featuredSchools.has(b.school_code),
      ),
    ).toBe(true);
    expect(d.underServed.some((u) => featuredSchools.has(u.school_code))).toBe(true);
    expect(d.casework.visits.some((v) => v.by === FEATURED_USERNAME && v.flags.length > 0)).toBe(
      true,
    );
  });
});
