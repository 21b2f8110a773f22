import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../helpers/api-fixture.ts';

let api: ApiFixture;
beforeAll(async () => {
  api = await openApiFixture();
});
afterAll(async () => {
  await api.close();
});

const PAGE = `query ($sort: SchoolSort, $dir: SortDirection, $first: Int, $after: String, $group: PriorityGroup) {
  schools(month: "2025-10", sort: $sort, direction: $dir, first: $first, after: $after, group: $group) {
    total endCursor
    items { school { code township stage } reported offering participationRate priorityGap satisfactionScore satisfactionResponses }
  }
}`;

type Page = {
  total: number;
  endCursor: string | null;
  items: {
    school: { code: string };
    participationRate: number | null;
    priorityGap: number | null;
  }[];
};

async function page(vars: Record<string, unknown>): Promise<Page> {
  const { data, errors } = await api.run(VIEWERS.bureau, PAGE, vars);
  expect(errors).toBeUndefined();
  return data?.schools as Page;
}

const codes = (p: Page) => p.items.map((i) => i.school.code.slice(-1));

describe('schools', () => {
  it('sorts by participation rate with nulls last, both directions', async () => {
    expect(codes(await page({ sort: 'PARTICIPATION_RATE', dir: 'DESC' }))).toEqual([
      '1',
      '2',
      '3',
      '4',
    ]);
    expect(codes(await page({ sort: 'PARTICIPATION_RATE', dir: 'ASC' }))).toEqual([
      '3',
      '2',
      '1',
      '4',
    ]);
  });

  it('sorts by the most negative priority gap, or one group’s gap', async () => {
    const p = await page({ sort: 'PRIORITY_GAP', dir: 'ASC' });
    expect(codes(p)).toEqual(['2', '1', '3', '4']);
    expect(p.items[0]?.priorityGap).toBeCloseTo(0 - 0.8, 12);
    expect(p.items[1]?.priorityGap).toBeCloseTo(0.5 - 0.84, 12);
    expect(p.items[2]?.priorityGap).toBeNull();
    const lb = await page({ sort: 'PRIORITY_GAP', dir: 'ASC', group: 'LEFT_BEHIND' });
    // 002: 0.5 − 0.8 = −0.3; 001: 0.7 − 0.84 = −0.14
    expect(codes(lb)).toEqual(['2', '1', '3', '4']);
  });

  it('names each school’s largest priority-group shortfall and sorts by it', async () => {
    const SHORTFALL = `query ($month: String!, $dir: SortDirection) {
      schools(month: $month, sort: PRIORITY_SHORTFALL, direction: $dir) {
        items { school { code } priorityGap priorityShortfall
          priorityShortfallGroup { group label enrolled participants rate gap } }
      }
    }`;
    type Item = {
      school: { code: string };
      priorityGap: number | null;
      priorityShortfall: number | null;
      priorityShortfallGroup: { group: string; label: string; enrolled: number } | null;
    };
    const items = async (month: string, dir: string) => {
      const { data, errors } = await api.run(VIEWERS.bureau, SHORTFALL, { month, dir });
      expect(errors).toBeUndefined();
      return (data?.schools as { items: Item[] }).items;
    };
    // 2025-10 — 001: 168/200 = 0.84; 留守 14/20 −0.14, 随迁 15/20 −0.09, 残疾 1/2 −0.34,
    // 困难 8/10 −0.04 → 残疾儿童 0.34. 002: 40/50 = 0.8; 留守 10/20 −0.3, 残疾 0/1 −0.8,
    // 困难 4/10 −0.4 → 残疾儿童 0.8. 003 enrols no group pupils, 004 did not report.
    const oct = await items('2025-10', 'DESC');
    expect(oct.map((i) => i.school.code.slice(-1))).toEqual(['2', '1', '3', '4']);
    expect(oct[0]?.priorityShortfall).toBeCloseTo(0.8, 12);
    expect(oct[0]?.priorityShortfallGroup).toMatchObject({
      group: 'DISABLED',
      label: '残疾儿童',
      enrolled: 1,
      participants: 0,
      rate: 0,
    });
    expect(oct[1]?.priorityShortfall).toBeCloseTo(0.34, 12);
    expect(oct[1]?.priorityShortfallGroup?.label).toBe('残疾儿童');
    expect(oct[2]).toMatchObject({ priorityShortfall: null, priorityShortfallGroup: null });
    expect(oct[3]).toMatchObject({ priorityShortfall: null, priorityShortfallGroup: null });
    // 2025-09 — 001: 70/100; 留守, 随迁, 残疾 all 0.5 (−0.2, the first in order wins);
    // 002: 45/50 = 0.9, 留守 15/20 −0.15; 003: 90/200 = 0.45, 留守 10/30 −0.1167;
    // 004: 30/30, every group 100 % → no shortfall (0, no group).
    const sep = await items('2025-09', 'DESC');
    expect(sep.map((i) => i.school.code.slice(-1))).toEqual(['1', '2', '3', '4']);
    expect(sep.map((i) => i.priorityShortfallGroup?.group ?? null)).toEqual([
      'LEFT_BEHIND',
      'LEFT_BEHIND',
      'LEFT_BEHIND',
      null,
    ]);
    expect(sep[0]?.priorityShortfall).toBeCloseTo(0.2, 12);
    expect(sep[1]?.priorityShortfall).toBeCloseTo(0.15, 12);
    expect(sep[2]?.priorityShortfall).toBeCloseTo(0.45 - 10 / 30, 12);
    expect(sep[3]).toMatchObject({ priorityGap: 0, priorityShortfall: 0 });
    const asc = await items('2025-09', 'ASC');
    expect(asc.map((i) => i.school.code.slice(-1))).toEqual(['4', '3', '2', '1']);
  });

  it('counts each school’s open flags up to the month and sorts by them', async () => {
    const { data, errors } = await api.run(
      VIEWERS.bureau,
      `{ schools(month: "2025-10", sort: OPEN_FLAGS, direction: DESC) { items { school { code } openFlags } } }`,
    );
    expect(errors).toBeUndefined();
    const items = (data?.schools as { items: { school: { code: string }; openFlags: number }[] })
      .items;
    // 001: 4 report flags + 7 missing (2024-11 … 2025-06); 002 and 003: 3 + 8 (also 2024-10);
    // 004: no report flag, 9 missing (2024-10, 2024-11 … 2025-06, 2025-10).
    expect(items.map((i) => [i.school.code.slice(-1), i.openFlags])).toEqual([
      ['1', 11],
      ['2', 11],
      ['3', 11],
      ['4', 9],
    ]);
  });

  it('pages with an opaque cursor', async () => {
    const first = await page({ sort: 'CODE', first: 3 });
    expect(first.total).toBe(4);
    expect(codes(first)).toEqual(['1', '2', '3']);
    expect(first.endCursor).not.toBeNull();
    const second = await page({ sort: 'CODE', first: 3, after: first.endCursor });
    expect(codes(second)).toEqual(['4']);
    expect(second.endCursor).toBeNull();
    const bad = await api.run(VIEWERS.bureau, PAGE, { after: 'not-a-cursor' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const big = await api.run(VIEWERS.bureau, PAGE, { first: 1000 });
    expect(big.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('costs the same number of SQL queries for 1 or 100 schools', async () => {
    const one = await api.run(VIEWERS.bureau, PAGE, { first: 1 });
    const all = await api.run(VIEWERS.bureau, PAGE, { first: 100 });
    expect(one.queries).toBeGreaterThan(0);
    expect(all.queries).toBe(one.queries);
  });

  it('gives each school’s parent satisfaction for the semester to date', async () => {
    const p = await page({ sort: 'CODE' });
    expect(
      p.items.map((i) => [
        (i as never as { satisfactionScore: number | null }).satisfactionScore,
        (i as never as { satisfactionResponses: number }).satisfactionResponses,
      ]),
    ).toEqual([
      [(100 + 75 + 25) / 3, 3],
      [50, 1],
      [0, 1],
      [null, 0],
    ]);
  });
});

describe('school', () => {
  const SCHOOL = `query ($code: String!, $month: String) {
    school(code: $code, month: $month) {
      school { code name township stage locality remote teachersTotal }
      month
      current { reported serviceDays latestEndTime teachersServing teacherParticipationRate participants participationRate fiveDayShare }
      series(from: "2024-10", to: "2025-10") { month reported participants }
      grades { grade enrolled participants participationRate priorityGroups { group rate } }
      surveyItems { itemText isOverall respondent responses score distribution { level count } }
      inspectors { id name }
    }
  }`;

  it('shows a school’s month, series, grades, survey items and inspectors', async () => {
    const { data, errors } = await api.run(VIEWERS.bureau, SCHOOL, {
      code: '1000000001',
      month: '2025-10',
    });
    expect(errors).toBeUndefined();
    const s = data?.school as Record<string, unknown>;
    expect(s.school).toEqual({
      code: '1000000001',
      name: '东城第一小学',
      township: '东城镇',
      stage: 'PRIMARY',
      locality: 'URBAN',
      remote: false,
      teachersTotal: 40,
    });
    expect(s.current).toMatchObject({
      reported: true,
      serviceDays: 20,
      latestEndTime: '17:50',
      teachersServing: 30,
      participants: 168,
    });
    expect((s.current as Record<string, number>).teacherParticipationRate).toBeCloseTo(30 / 40, 12);
    expect((s.current as Record<string, number>).fiveDayShare).toBeCloseTo(130 / 168, 12);
    const series = s.series as { month: string; reported: boolean; participants: number | null }[];
    expect(series).toHaveLength(13);
    expect(series[0]).toEqual({ month: '2024-10', reported: true, participants: 54 });
    expect(series[1]).toEqual({ month: '2024-11', reported: false, participants: null });
    expect(series.at(-1)).toEqual({ month: '2025-10', reported: true, participants: 168 });
    const grades = s.grades as {
      grade: number;
      enrolled: number;
      participants: number;
      participationRate: number;
    }[];
    expect(grades.map((g) => [g.grade, g.enrolled, g.participants])).toEqual([
      [1, 100, 78],
      [2, 100, 90],
    ]);
    const items = s.surveyItems as {
      itemText: string;
      isOverall: boolean;
      respondent: string;
      responses: number;
      score: number;
      distribution: { level: number; count: number }[];
    }[];
    const overallParents = items.find((i) => i.isOverall && i.respondent === 'parent');
    expect(overallParents?.responses).toBe(3);
    expect(overallParents?.distribution.map((d) => d.count)).toEqual([1, 1, 0, 1, 0]);
    const content = items.find((i) => !i.isOverall && i.respondent === 'parent');
    expect(content?.score).toBeCloseTo((75 + 50 + 25) / 3, 12);
    expect(s.inspectors).toEqual([{ id: 'DX01', name: '张督学' }]);
  });

  it('follows the assignment history: 西山中学 moves from DX01 to DX02 in 2025-10', async () => {
    const sep = await api.run(VIEWERS.bureau, SCHOOL, { code: '1000000003', month: '2025-09' });
    expect((sep.data?.school as { inspectors: unknown }).inspectors).toEqual([
      { id: 'DX01', name: '张督学' },
    ]);
    const oct = await api.run(VIEWERS.bureau, SCHOOL, { code: '1000000003', month: '2025-10' });
    expect((oct.data?.school as { inspectors: unknown }).inspectors).toEqual([
      { id: 'DX02', name: '李督学' },
    ]);
  });

  it('lists townships and report months', async () => {
    const { data } = await api.run(
      VIEWERS.bureau,
      `{ townships(month: "2025-10") { name schools } reportMonths }`,
    );
    expect(data?.townships).toEqual([
      { name: '东城镇', schools: 2 },
      { name: '西山乡', schools: 2 },
    ]);
    expect(data?.reportMonths).toEqual(['2025-10', '2025-09', '2024-10']);
  });
});

describe('satisfaction', () => {
  it('reports by respondent, item and lowest schools over a month range', async () => {
    const { data, errors } = await api.run(
      VIEWERS.bureau,
      `{ satisfaction(from: "2025-09", to: "2025-10") {
          byRespondent { respondent responses score satisfiedShare }
          items { itemText isOverall respondent responses }
          lowestSchools(respondent: "parent", minResponses: 1) { school { code } responses score }
        } }`,
    );
    expect(errors).toBeUndefined();
    const r = data?.satisfaction as Record<string, never[]>;
    expect(r.byRespondent?.[0]).toEqual({
      respondent: 'parent',
      responses: 5,
      score: 50,
      satisfiedShare: 0.4,
    });
    expect(r.lowestSchools).toEqual([
      { school: { code: '1000000003' }, responses: 1, score: 0 },
      { school: { code: '1000000002' }, responses: 1, score: 50 },
      { school: { code: '1000000001' }, responses: 3, score: 200 / 3 },
    ]);
  });
});
