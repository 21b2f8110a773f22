/**
 * The differencing attack on small-cell protection (issue 15): a leader collects every
 * priority-group figure the API gives them for the cells district (test/fixtures/cells:
 * 8 schools in 3 townships, 2 months, 2 grades each) — the district, each township,
 * stage and locality, every school, every pair of schools and every school left out, by
 * month, semester and year, township overviews, the trend, the schools list, each
 * school's page, series and grades — and writes each exact answer as a linear equation
 * over the grade-level cells. No withheld school-month count and no small cell may lie in
 * the span of those equations (rank test), while bureau and 督学 still get exact figures.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIORITY_GROUPS } from '../../../../server/db/vocabulary/priority-groups.ts';
import { ATOM_KEYS, type AtomKey } from '../../../../server/graphql/scope/small-cells.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

const DISTRICT = fileURLToPath(new URL('../../../fixtures/cells/', import.meta.url));
const N = 10;

interface SchoolInfo {
  code: string;
  township: string;
  stage: string;
  locality: string;
}

const STAGES: Record<string, string> = { 小学: 'PRIMARY', 初中: 'JUNIOR', 九年一贯制: 'NINE_YEAR' };
const LOCALITIES: Record<string, string> = { 城区: 'URBAN', 镇区: 'TOWN', 乡村: 'RURAL' };

function csv(name: string): string[][] {
  return readFileSync(`${DISTRICT}${name}`, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
}

const SCHOOLS: SchoolInfo[] = csv('学校名录.csv').map(([code, , township, stage, locality]) => ({
  code: code as string,
  township: township as string,
  stage: STAGES[stage as string] as string,
  locality: LOCALITIES[locality as string] as string,
}));

/** Grade-level cells: the unknowns of the attack. */
interface GradeCell {
  school: string;
  month: string;
  grade: number;
  values: Record<AtomKey, number>;
}

const CELLS: GradeCell[] = csv('分年级参与情况.csv').map((r) => ({
  school: r[0] as string,
  month: r[1] as string,
  grade: Number(r[2]),
  values: Object.fromEntries(ATOM_KEYS.map((k, i) => [k, Number(r[6 + i])])) as Record<
    AtomKey,
    number
  >,
}));

const GROUP_FIELDS =
  'priorityGroups { group enrolled participants rate gap suppressed suppressedBelow }';

interface GroupAnswer {
  group: string;
  enrolled: number | null;
  participants: number | null;
  rate: number | null;
  gap: number | null;
  suppressed: boolean;
  suppressedBelow: number | null;
}

/** One answer: the cells it sums and the group figures given for them. */
interface Answer {
  what: string;
  cells: Set<number>;
  groups: GroupAnswer[];
}

const PERIODS = ['2025-09', '2025-10', '2025-2026-1', '2025-2026'];

function cellsOf(schools: readonly string[], months: readonly string[], grade?: number) {
  const out = new Set<number>();
  CELLS.forEach((c, i) => {
    if (schools.includes(c.school) && months.includes(c.month) && (grade ?? c.grade) === c.grade)
      out.add(i);
  });
  return out;
}

function sumOf(cells: Set<number>, key: AtomKey): number {
  let s = 0;
  for (const i of cells) s += (CELLS[i] as GradeCell).values[key];
  return s;
}

function keyOf(group: string, kind: 'enrolled' | 'participants'): AtomKey {
  const column = PRIORITY_GROUPS.find((g) => g.group === group)?.column as string;
  return `${column}_${kind}` as AtomKey;
}

/** Rank of 0/1 rows by Gaussian elimination (the matrices here are at most ~1000 × 32). */
function rank(rows: readonly number[][]): number {
  const m = rows.map((r) => [...r]);
  let r = 0;
  const width = m[0]?.length ?? 0;
  for (let c = 0; c < width && r < m.length; c += 1) {
    let pivot = r;
    for (let i = r + 1; i < m.length; i += 1)
      if (Math.abs((m[i] as number[])[c] as number) > Math.abs((m[pivot] as number[])[c] as number))
        pivot = i;
    if (Math.abs((m[pivot] as number[])[c] as number) < 1e-9) continue;
    [m[r], m[pivot]] = [m[pivot] as number[], m[r] as number[]];
    const top = m[r] as number[];
    for (let i = 0; i < m.length; i += 1) {
      if (i === r) continue;
      const row = m[i] as number[];
      const f = (row[c] as number) / (top[c] as number);
      if (f !== 0)
        for (let j = c; j < width; j += 1) row[j] = (row[j] as number) - f * (top[j] as number);
    }
    r += 1;
  }
  return r;
}

const vector = (cells: Set<number>) => CELLS.map((_, i) => (cells.has(i) ? 1 : 0));

/** Whether the value of `target` (a sum of cells) follows from the equations `rows`. */
function determined(rows: readonly number[][], target: Set<number>): boolean {
  return rank([...rows, vector(target)]) === rank(rows);
}

let api: ApiFixture;
const answers: Answer[] = [];

async function ask(query: string, variables: Record<string, unknown>) {
  const { data, errors } = await api.run(VIEWERS.leader, query, variables);
  expect(errors).toBeUndefined();
  return data as Record<string, unknown>;
}

const OVERVIEW = `query ($period: String!, $scope: ScopeInput) {
  overview(period: $period, scope: $scope) { months ${GROUP_FIELDS} } }`;

async function collect(): Promise<void> {
  const codes = SCHOOLS.map((s) => s.code);
  const filters: { scope: Record<string, unknown>; schools: string[] }[] = [
    { scope: {}, schools: codes },
  ];
  const by = (field: keyof SchoolInfo, name: string) => {
    for (const value of new Set(SCHOOLS.map((s) => s[field])))
      filters.push({
        scope: { [name]: value },
        schools: SCHOOLS.filter((s) => s[field] === value).map((s) => s.code),
      });
  };
  by('township', 'township');
  by('stage', 'stage');
  by('locality', 'locality');
  codes.forEach((a, i) => {
    filters.push({ scope: { schoolCodes: [a] }, schools: [a] });
    const rest = codes.filter((c) => c !== a);
    filters.push({ scope: { schoolCodes: rest }, schools: rest });
    for (const b of codes.slice(i + 1))
      filters.push({ scope: { schoolCodes: [a, b] }, schools: [a, b] });
  });
  for (const period of PERIODS) {
    for (const f of filters) {
      const { overview } = await ask(OVERVIEW, { period, scope: f.scope });
      const o = overview as { months: string[]; priorityGroups: GroupAnswer[] };
      answers.push({
        what: `overview ${period} ${JSON.stringify(f.scope)}`,
        cells: cellsOf(f.schools, o.months),
        groups: o.priorityGroups,
      });
    }
    const { overviewByTownship } = await ask(
      `query ($period: String!) { overviewByTownship(period: $period) {
        township overview { months ${GROUP_FIELDS} } } }`,
      { period },
    );
    for (const t of overviewByTownship as {
      township: string;
      overview: { months: string[]; priorityGroups: GroupAnswer[] };
    }[])
      answers.push({
        what: `overviewByTownship ${period} ${t.township}`,
        cells: cellsOf(
          SCHOOLS.filter((s) => s.township === t.township).map((s) => s.code),
          t.overview.months,
        ),
        groups: t.overview.priorityGroups,
      });
    for (const sort of ['CODE', 'PRIORITY_GAP']) {
      const { schools } = await ask(
        `query ($period: String!, $sort: SchoolSort) { schools(period: $period, sort: $sort, first: 200) {
          months items { school { code } ${GROUP_FIELDS} } } }`,
        { period, sort },
      );
      const page = schools as {
        months: string[];
        items: { school: { code: string }; priorityGroups: GroupAnswer[] }[];
      };
      for (const item of page.items)
        answers.push({
          what: `schools ${period} ${sort} ${item.school.code}`,
          cells: cellsOf([item.school.code], page.months),
          groups: item.priorityGroups,
        });
    }
    const months = ((await ask(OVERVIEW, { period, scope: {} })).overview as { months: string[] })
      .months;
    for (const code of codes) {
      const { school } = await ask(
        `query ($code: String!, $period: String!) { school(code: $code, period: $period) {
          current { ${GROUP_FIELDS} }
          series(from: "2025-09", to: "2025-10") { month ${GROUP_FIELDS} }
          grades { grade ${GROUP_FIELDS} } } }`,
        { code, period },
      );
      const detail = school as {
        current: { priorityGroups: GroupAnswer[] };
        series: { month: string; priorityGroups: GroupAnswer[] }[];
        grades: { grade: number; priorityGroups: GroupAnswer[] }[];
      };
      answers.push({
        what: `school ${code} ${period}`,
        cells: cellsOf([code], months),
        groups: detail.current.priorityGroups,
      });
      for (const s of detail.series)
        answers.push({
          what: `series ${code} ${s.month}`,
          cells: cellsOf([code], [s.month]),
          groups: s.priorityGroups,
        });
      for (const g of detail.grades)
        answers.push({
          what: `grade ${code} ${period} ${g.grade}`,
          cells: cellsOf([code], months, g.grade),
          groups: g.priorityGroups,
        });
    }
  }
  const { trend } = await ask(
    `query { trend(from: "2025-09", to: "2025-10") { month ${GROUP_FIELDS} } }`,
    {},
  );
  for (const t of trend as { month: string; priorityGroups: GroupAnswer[] }[])
    answers.push({
      what: `trend ${t.month}`,
      cells: cellsOf(codes, [t.month]),
      groups: t.priorityGroups,
    });
}

beforeAll(async () => {
  api = await openApiFixture({ district: DISTRICT });
  await collect();
}, 600_000);
afterAll(async () => {
  await api.close();
});

/** The equations a leader holds about `key`: every exact answer's cell set. */
function equations(key: AtomKey): number[][] {
  const kind = key.endsWith('_enrolled') ? 'enrolled' : 'participants';
  const rows: number[][] = [];
  for (const a of answers)
    for (const g of a.groups) {
      if (keyOf(g.group, kind) !== key || g[kind] === null) continue;
      rows.push(vector(a.cells));
    }
  return rows;
}

/** School-month atoms (all grades of a school in a month). */
const ATOMS = [...new Set(CELLS.map((c) => `${c.school}|${c.month}`))].map((id) => {
  const [school, month] = id.split('|') as [string, string];
  return { school, month, cells: cellsOf([school], [month]) };
});

describe('small-cell protection against differencing', () => {
  it('gives only figures that are the true sums, and withholds rates built on withheld counts', () => {
    expect(answers.length).toBeGreaterThan(400);
    for (const a of answers)
      for (const g of a.groups) {
        for (const kind of ['enrolled', 'participants'] as const) {
          const value = g[kind];
          if (value !== null)
            expect(value, `${a.what} ${g.group} ${kind}`).toBe(
              sumOf(a.cells, keyOf(g.group, kind)),
            );
        }
        if (g.enrolled === null || g.participants === null) {
          expect(g.rate).toBeNull();
          expect(g.gap).toBeNull();
        }
        expect(g.suppressed).toBe(g.enrolled === null || g.participants === null);
        expect(g.suppressedBelow).toBe(g.suppressed ? N : null);
      }
  });

  it('never shows a count of 1..n−1 at any level', () => {
    for (const a of answers)
      for (const g of a.groups)
        for (const kind of ['enrolled', 'participants'] as const) {
          const value = g[kind];
          if (value !== null)
            expect(value === 0 || value >= N, `${a.what} ${g.group} ${kind}`).toBe(true);
        }
  });

  it('leaves no small or withheld school-month count and no small grade cell determined', () => {
    let checked = 0;
    for (const key of ATOM_KEYS) {
      const rows = equations(key);
      const kind = key.endsWith('_enrolled') ? 'enrolled' : 'participants';
      const group = PRIORITY_GROUPS.find((g) => key.startsWith(`${g.column}_`))?.group;
      // Withheld atoms: those a leader sees withheld on the school's own month.
      const withheld = ATOMS.filter((atom) =>
        answers.some(
          (a) =>
            a.what === `series ${atom.school} ${atom.month}` &&
            a.groups.some((g) => g.group === group && g[kind] === null),
        ),
      );
      const small = ATOMS.filter((atom) => {
        const v = sumOf(atom.cells, key);
        return v >= 1 && v < N;
      });
      for (const atom of small) expect(withheld).toContain(atom);
      for (const atom of withheld) {
        expect(determined(rows, atom.cells), `${key} ${atom.school} ${atom.month}`).toBe(false);
        checked += 1;
      }
      CELLS.forEach((c, i) => {
        if (c.values[key] >= 1 && c.values[key] < N) {
          expect(
            determined(rows, new Set([i])),
            `${key} ${c.school} ${c.month} grade ${c.grade}`,
          ).toBe(false);
          checked += 1;
        }
      });
    }
    // The fixture has small cells in every group: the test is not vacuous.
    expect(checked).toBeGreaterThan(50);
  });

  it('still answers some sums exactly (blocks are whole in townships or the district)', () => {
    const exact = answers.filter((a) => a.what.startsWith('overview 2025-09 {}'));
    expect(exact.flatMap((a) => a.groups).some((g) => !g.suppressed)).toBe(true);
  });

  it('would be caught leaking without complements: primary-only suppression is recoverable', () => {
    // The same questions answered with only the small school-months withheld: the
    // district total minus the shown schools gives a lone small school away.
    const key: AtomKey = 'disabled_enrolled';
    const codes = SCHOOLS.map((s) => s.code);
    const naive: number[][] = [vector(cellsOf(codes, ['2025-09']))];
    const small = ATOMS.filter((a) => a.month === '2025-09').filter((a) => {
      const v = sumOf(a.cells, key);
      return v >= 1 && v < N;
    });
    for (const a of ATOMS.filter((x) => x.month === '2025-09' && !small.includes(x)))
      naive.push(vector(a.cells));
    expect(small.length).toBeGreaterThan(0);
    if (small.length === 1)
      expect(determined(naive, (small[0] as (typeof ATOMS)[number]).cells)).toBe(true);
    else {
      // With several small schools, a township sum with one of them alone does it.
      const lone = small.find((s) => {
        const town = SCHOOLS.find((x) => x.code === s.school)?.township;
        return (
          small.filter((o) => SCHOOLS.find((x) => x.code === o.school)?.township === town)
            .length === 1
        );
      });
      if (lone) {
        const town = SCHOOLS.find((x) => x.code === lone.school)?.township;
        naive.push(
          vector(
            cellsOf(
              SCHOOLS.filter((s) => s.township === town).map((s) => s.code),
              ['2025-09'],
            ),
          ),
        );
        expect(determined(naive, lone.cells)).toBe(true);
      }
    }
  });
});

describe('who gets exact figures', () => {
  const ALL = `query { overview(month: "2025-09") { ${GROUP_FIELDS} } }`;
  const truth = (group: string, kind: 'enrolled' | 'participants') =>
    sumOf(
      cellsOf(
        SCHOOLS.map((s) => s.code),
        ['2025-09'],
      ),
      keyOf(group, kind),
    );

  it('gives bureau inspectors exact figures, and protects their exports', async () => {
    const exact = await api.run(VIEWERS.bureau, ALL);
    const groups = (exact.data?.overview as { priorityGroups: GroupAnswer[] }).priorityGroups;
    for (const g of groups) {
      expect(g.suppressed).toBe(false);
      expect(g.enrolled).toBe(truth(g.group, 'enrolled'));
    }
    const single = `query { schools(month: "2025-09", first: 200) { items { ${GROUP_FIELDS} } } }`;
    const bureau = await api.run(VIEWERS.bureau, single);
    const exported = await api.run(VIEWERS.bureau, single, undefined, { exportRequest: true });
    const flat = (r: typeof bureau) =>
      (r.data?.schools as { items: { priorityGroups: GroupAnswer[] }[] }).items.flatMap(
        (i) => i.priorityGroups,
      );
    expect(flat(bureau).every((g) => !g.suppressed)).toBe(true);
    expect(flat(bureau).some((g) => g.enrolled !== null && g.enrolled > 0 && g.enrolled < N)).toBe(
      true,
    );
    expect(flat(exported).some((g) => g.suppressed)).toBe(true);
    expect(
      flat(exported).every((g) => g.enrolled === null || g.enrolled === 0 || g.enrolled >= N),
    ).toBe(true);
  });
});
