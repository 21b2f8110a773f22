import { describe, expect, it } from 'vitest';
import { generateDistrict } from '../../../etl/demo/generate-district.ts';
import { gradesOf } from '../../../etl/demo/school-plan.ts';
import { schoolYearOf } from '../../../etl/demo/calendar.ts';
import type { District, ParticipationRow } from '../../../etl/demo/model.ts';

const model: District = generateDistrict({ seed: 20240901, schools: 150 });
const GROUPS = ['left_behind', 'migrant', 'disabled', 'poor'] as const;

describe('generateDistrict: determinism', () => {
  it('gives byte-identical JSON for the same seed', () => {
    expect(JSON.stringify(generateDistrict({ seed: 20240901, schools: 150 }))).toBe(
      JSON.stringify(model),
    );
  });

  it('gives a different district for another seed', () => {
    const other = generateDistrict({ seed: 7, schools: 150 });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(model));
    expect(other.schools.map((s) => s.school_code)).not.toEqual(
      model.schools.map((s) => s.school_code),
    );
  });
});

describe('generateDistrict: shape of the default district', () => {
  it('has 150 schools in 10 townships and 30 inspectors', () => {
    expect(model.schools).toHaveLength(150);
    expect(model.townships).toHaveLength(10);
    expect(model.inspectors).toHaveLength(30);
    expect(model.inspectors[0]).toEqual({ inspector_id: 'DX001', inspector_name: '王建国' });
  });

  it('covers service months only: no February, July or August', () => {
    expect(model.months[0]).toBe('2024-09');
    expect(model.months[model.months.length - 1]).toBe('2026-10');
    expect(model.months).toHaveLength(20);
    for (const m of model.months) expect(['02', '07', '08']).not.toContain(m.slice(5));
    for (const r of model.monthly) expect(model.months).toContain(r.month);
  });

  it('gives unique 10-digit school codes with the province prefix and unique names', () => {
    const codes = model.schools.map((s) => s.school_code);
    for (const c of codes) expect(c).toMatch(/^21410\d{5}$/);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(model.schools.map((s) => s.school_name)).size).toBe(codes.length);
  });

  it('mixes stages, localities and ownership plausibly', () => {
    const count = (f: (s: District['schools'][number]) => boolean): number =>
      model.schools.filter(f).length;
    expect(count((s) => s.stage === '小学')).toBeGreaterThan(80);
    expect(count((s) => s.stage === '初中')).toBeGreaterThan(15);
    expect(count((s) => s.stage === '九年一贯制')).toBeGreaterThan(5);
    expect(count((s) => s.stage === '完全中学')).toBe(2);
    expect(count((s) => s.ownership === '民办')).toBeGreaterThanOrEqual(2);
    expect(count((s) => s.ownership === '民办')).toBeLessThan(10);
    expect(count((s) => s.remote === '是')).toBeGreaterThan(0);
    for (const s of model.schools) {
      const t = model.townships.find((x) => x.name === s.township);
      expect(t).toBeDefined();
      if (t?.kind === 'street' || t?.kind === 'seat') expect(s.locality).toBe('城区');
      if (t?.kind === 'xiang') expect(s.locality).toBe('乡村');
      if (s.remote === '是') expect(s.locality).toBe('乡村');
    }
  });
});

describe('generateDistrict: invariants', () => {
  const teachers = new Map(model.schools.map((s) => [s.school_code, s.teachers_total]));

  it('keeps monthly figures consistent', () => {
    const bad: string[] = [];
    for (const r of model.monthly) {
      const where = `${r.school_code} ${r.month}`;
      if (r.service_days > r.school_days) bad.push(`${where}: service_days > school_days`);
      if (r.school_days < 10 || r.school_days > 23)
        bad.push(`${where}: school_days ${r.school_days}`);
      if (r.providers_unapproved > r.providers) bad.push(`${where}: unapproved > providers`);
      if (r.teachers_serving > (teachers.get(r.school_code) ?? -1))
        bad.push(`${where}: teachers_serving`);
      if (r.waived_but_charged > r.fee_waived)
        bad.push(`${where}: waived_but_charged > fee_waived`);
      const endOk =
        r.service_days === 0
          ? r.latest_end_time === null
          : /^\d{2}:\d{2}$/.test(r.latest_end_time ?? '');
      if (!endOk) bad.push(`${where}: latest_end_time ${r.latest_end_time}`);
    }
    expect(bad).toEqual([]);
  });

  it('keeps participation within enrolment and groups within grades', () => {
    // Collected, then asserted once: 18,000 rows × 15 expects would dominate the run.
    const bad: string[] = [];
    for (const p of model.participation) {
      const where = `${p.school_code} ${p.month} grade ${p.grade}`;
      if (p.applicants > p.enrolled) bad.push(`${where}: applicants > enrolled`);
      if (p.participants > p.enrolled) bad.push(`${where}: participants > enrolled`);
      if (p.five_day_participants > p.participants) bad.push(`${where}: five-day > participants`);
      for (const g of GROUPS) {
        if (p[`${g}_enrolled`] > p.enrolled) bad.push(`${where}: ${g} enrolled > grade`);
        if (p[`${g}_participants`] > p[`${g}_enrolled`])
          bad.push(`${where}: ${g} participants > enrolled`);
        if (p[`${g}_participants`] > p.participants)
          bad.push(`${where}: ${g} participants > participants`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('has participants ≤ applicants except where forced participation is planned', () => {
    const forced = new Set(
      model.ruleBreaks
        .filter((b) => b.rule === 'FORCED_PARTICIPATION')
        .map((b) => `${b.school_code}|${b.month}`),
    );
    const over = model.participation.filter((p) => p.participants > p.applicants);
    expect(over.length).toBeGreaterThan(0);
    for (const p of over) expect(forced.has(`${p.school_code}|${p.month}`)).toBe(true);
  });

  it('reports exactly the grades of each school stage, once per school-month', () => {
    const stage = new Map(model.schools.map((s) => [s.school_code, s.stage]));
    const grades = new Map<string, number[]>();
    for (const p of model.participation) {
      const k = `${p.school_code}|${p.month}`;
      grades.set(k, [...(grades.get(k) ?? []), p.grade]);
    }
    expect(grades.size).toBe(model.monthly.length);
    for (const [k, list] of grades) {
      const code = k.split('|')[0] ?? '';
      expect(list).toEqual(gradesOf(stage.get(code) ?? '小学'));
    }
    for (const r of model.monthly) expect(grades.has(`${r.school_code}|${r.month}`)).toBe(true);
  });

  it('keeps enrolment stable within a school year and moves cohorts up each September', () => {
    const byKey = new Map<string, ParticipationRow>();
    for (const p of model.participation) byKey.set(`${p.school_code}|${p.month}|${p.grade}`, p);
    let checkedShift = 0;
    const bad: string[] = [];
    for (const p of model.participation) {
      const year = schoolYearOf(p.month);
      const october = byKey.get(`${p.school_code}|${year}-10|${p.grade}`);
      if (october && october.enrolled !== p.enrolled)
        bad.push(`${p.school_code} ${p.month} grade ${p.grade}`);
      const next = byKey.get(`${p.school_code}|${year + 1}-09|${p.grade + 1}`);
      // Grade 6 → 7 is a change of school section (nine-year schools take in more).
      if (next && p.grade !== 6 && p.month.endsWith('-10')) {
        const ratio = next.enrolled / p.enrolled;
        if (ratio < 0.85 || ratio > 1.15)
          bad.push(`${p.school_code} ${p.month} grade ${p.grade}: ×${ratio.toFixed(2)}`);
        checkedShift++;
      }
    }
    expect(bad).toEqual([]);
    expect(checkedShift).toBeGreaterThan(100);
  });

  it('puts left-behind children in the villages and migrant children in the city', () => {
    const locality = new Map(model.schools.map((s) => [s.school_code, s.locality]));
    const share = (loc: string, g: 'left_behind' | 'migrant'): number => {
      let n = 0;
      let e = 0;
      for (const p of model.participation) {
        if (locality.get(p.school_code) !== loc) continue;
        n += p[`${g}_enrolled`];
        e += p.enrolled;
      }
      return n / e;
    };
    expect(share('乡村', 'left_behind')).toBeGreaterThan(3 * share('城区', 'left_behind'));
    expect(share('城区', 'migrant')).toBeGreaterThan(3 * share('乡村', 'migrant'));
  });

  it('lands national-level rates: participation 70-95%, five-day share about 70%', () => {
    const sum = (k: keyof ParticipationRow): number =>
      model.participation.reduce((s, p) => s + (p[k] as number), 0);
    const rate = sum('participants') / sum('enrolled');
    expect(rate).toBeGreaterThan(0.7);
    expect(rate).toBeLessThan(0.95);
    const five = sum('five_day_participants') / sum('participants');
    expect(five).toBeGreaterThan(0.6);
    expect(five).toBeLessThan(0.85);
  });
});

describe('generateDistrict: inspectors', () => {
  it('assigns every school exactly one inspector in each version', () => {
    const versions = [...new Set(model.assignments.map((a) => a.effective_month))];
    expect(versions).toEqual(['2024-09', '2025-09']);
    for (const v of versions) {
      const rows = model.assignments.filter((a) => a.effective_month === v);
      const codes = rows.map((a) => a.school_code);
      expect(new Set(codes).size).toBe(codes.length);
      expect(new Set(codes)).toEqual(new Set(model.schools.map((s) => s.school_code)));
      const load = new Map<string, number>();
      for (const a of rows) load.set(a.inspector_id, (load.get(a.inspector_id) ?? 0) + 1);
      for (const n of load.values()) expect(n).toBeLessThanOrEqual(8);
    }
  });

  it('moves about a tenth of the schools in the 2025-09 version', () => {
    const first = new Map(
      model.assignments
        .filter((a) => a.effective_month === '2024-09')
        .map((a) => [a.school_code, a.inspector_id]),
    );
    const moved = model.assignments.filter(
      (a) => a.effective_month === '2025-09' && first.get(a.school_code) !== a.inspector_id,
    );
    expect(moved.length).toBeGreaterThanOrEqual(10);
    expect(moved.length).toBeLessThanOrEqual(20);
  });
});

describe('generateDistrict: rule breaks', () => {
  const breakers = new Set(model.ruleBreaks.map((b) => b.school_code));

  it('makes 10-15% of schools break rules', () => {
    expect(breakers.size / model.schools.length).toBeGreaterThanOrEqual(0.1);
    expect(breakers.size / model.schools.length).toBeLessThanOrEqual(0.15);
  });

  it('shows every kind of break at least once, in some months only', () => {
    const rules = new Set(model.ruleBreaks.map((b) => b.rule));
    for (const r of [
      'LATE_END',
      'SHORT_SERVICE',
      'ILLEGAL_FEES',
      'UNAPPROVED_PROVIDER',
      'EXCESS_HOMEWORK',
      'OVERSIZED_GROUP',
      'SAFETY_INCIDENT',
      'FORCED_PARTICIPATION',
      'PRIORITY_GAP',
      'MISSING_REPORT',
      'NOT_OFFERED',
    ]) {
      expect(rules, r).toContain(r);
    }
    for (const code of breakers) {
      const months = new Set(
        model.ruleBreaks.filter((b) => b.school_code === code).map((b) => b.month),
      );
      expect(months.size).toBeLessThan(model.months.length);
    }
  });

  it('shows each rule in its different forms (days and minutes, fee cap and waivers …)', () => {
    const details = model.ruleBreaks.map((b) => b.detail);
    for (const start of [
      'service_days',
      'daily_minutes',
      'fee_per_period',
      'waived_but_charged',
      'fees_published',
      'homework_periods',
      'written_homework_g12',
      'migrant',
      'left_behind',
    ]) {
      expect(
        details.some((d) => d.startsWith(start)),
        start,
      ).toBe(true);
    }
  });

  it('backs each break with the data a flagger would see', () => {
    const monthly = new Map(model.monthly.map((r) => [`${r.school_code}|${r.month}`, r]));
    const stage = new Map(model.schools.map((s) => [s.school_code, s.stage]));
    for (const b of model.ruleBreaks) {
      const r = monthly.get(`${b.school_code}|${b.month}`);
      if (b.rule === 'MISSING_REPORT') {
        expect(r).toBeUndefined();
        expect(
          model.participation.some((p) => p.school_code === b.school_code && p.month === b.month),
        ).toBe(false);
        continue;
      }
      expect(r).toBeDefined();
      if (!r) continue;
      if (b.rule === 'LATE_END') {
        expect(stage.get(b.school_code)).toBe('小学');
        expect(r.latest_end_time! > '18:00').toBe(true);
      }
      if (b.rule === 'SHORT_SERVICE')
        expect(r.service_days < r.school_days || r.daily_minutes < 120).toBe(true);
      if (b.rule === 'ILLEGAL_FEES') {
        expect(
          r.fee_per_period > 2.3 || r.waived_but_charged > 0 || r.fees_published === '否',
        ).toBe(true);
      }
      if (b.rule === 'UNAPPROVED_PROVIDER') expect(r.providers_unapproved).toBeGreaterThan(0);
      if (b.rule === 'EXCESS_HOMEWORK')
        expect(r.homework_periods > 1 || r.written_homework_g12 === '是').toBe(true);
      if (b.rule === 'OVERSIZED_GROUP') expect(r.largest_group).toBeGreaterThan(45);
      if (b.rule === 'SAFETY_INCIDENT') expect(r.incidents).toBeGreaterThan(0);
      if (b.rule === 'NOT_OFFERED') {
        expect(r.service_days).toBe(0);
        expect(r.latest_end_time).toBeNull();
      }
    }
  });

  it('keeps rule-abiding schools within the default policy', () => {
    const flagged = new Set(model.ruleBreaks.map((b) => `${b.school_code}|${b.month}`));
    const stage = new Map(model.schools.map((s) => [s.school_code, s.stage]));
    for (const r of model.monthly) {
      if (flagged.has(`${r.school_code}|${r.month}`)) continue;
      const junior = stage.get(r.school_code) === '初中' || stage.get(r.school_code) === '完全中学';
      expect(r.service_days).toBe(r.school_days);
      expect(r.daily_minutes).toBeGreaterThanOrEqual(120);
      expect(r.latest_end_time! <= (junior ? '18:30' : '18:00')).toBe(true);
      expect(r.fee_per_period).toBeLessThanOrEqual(2.3);
      expect(r.waived_but_charged).toBe(0);
      expect(r.fees_published).toBe('是');
      expect(r.providers_unapproved).toBe(0);
      expect(r.homework_periods).toBeLessThanOrEqual(1);
      expect(r.written_homework_g12).toBe('否');
      expect(r.largest_group).toBeLessThanOrEqual(45);
      expect(r.incidents).toBe(0);
    }
  });

  it('makes satisfaction lower at rule-breaking schools', () => {
    const mean = (f: (code: string) => boolean): number => {
      const list = model.surveys.filter((s) => f(s.school_code));
      return list.reduce((sum, s) => sum + (s.scores[0] ?? 0), 0) / list.length;
    };
    expect(mean((c) => breakers.has(c))).toBeLessThan(mean((c) => !breakers.has(c)) - 0.15);
  });
});

describe('generateDistrict: surveys', () => {
  it('has one response row per respondent with five-level answers', () => {
    expect(model.surveyItems.some((i) => i.includes('总体'))).toBe(true);
    const semesters = [...new Set(model.surveys.map((s) => s.semester))];
    // The newest semester (2026秋季) is surveyed in the newest month, October.
    expect(semesters).toEqual(['2024秋季', '2025春季', '2025秋季', '2026春季', '2026秋季']);
    const roles = new Map<string, number>();
    const bad: string[] = [];
    for (const s of model.surveys) {
      roles.set(s.role, (roles.get(s.role) ?? 0) + 1);
      if (s.scores.length !== model.surveyItems.length) bad.push(`items ${s.scores.length}`);
      if (s.scores.some((x) => ![1, 2, 3, 4, 5].includes(x))) bad.push(`scores ${s.scores.join()}`);
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/.test(s.submitted_at))
        bad.push(s.submitted_at);
    }
    expect(bad).toEqual([]);
    expect(roles.get('家长')!).toBeGreaterThan(roles.get('学生')!);
    expect(roles.get('学生')!).toBeGreaterThan(0);
    expect(roles.get('教师')!).toBeGreaterThan(0);
  });
});

describe('generateDistrict: scaling', () => {
  it('works for a tiny district of 5 schools', () => {
    const small = generateDistrict({ seed: 1, schools: 5 });
    expect(small.schools).toHaveLength(5);
    expect(small.inspectors.length).toBeGreaterThanOrEqual(1);
    expect(new Set(small.ruleBreaks.map((b) => b.school_code)).size).toBeGreaterThanOrEqual(1);
    expect(small.monthly.length).toBeGreaterThan(0);
  });

  it('scales the registry to 2,000 schools with unique codes and names', () => {
    const big = generateDistrict({
      seed: 2,
      schools: 2000,
      fromMonth: '2025-09',
      toMonth: '2025-10',
    });
    expect(big.schools).toHaveLength(2000);
    expect(new Set(big.schools.map((s) => s.school_code)).size).toBe(2000);
    expect(new Set(big.schools.map((s) => s.school_name)).size).toBe(2000);
    expect(big.inspectors).toHaveLength(400);
    const share = new Set(big.ruleBreaks.map((b) => b.school_code)).size / 2000;
    expect(share).toBeGreaterThanOrEqual(0.1);
    expect(share).toBeLessThanOrEqual(0.15);
  });

  it('rejects bad options', () => {
    expect(() => generateDistrict({ schools: 0 })).toThrow();
    expect(() => generateDistrict({ fromMonth: '2024-13' })).toThrow();
    expect(() => generateDistrict({ fromMonth: '2025-09', toMonth: '2025-03' })).toThrow();
  });
});
