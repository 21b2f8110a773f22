/**
 * schoolTrends against the fixture district (test/fixtures/api/): reports for 2024-10
 * (1000000001 only), 2025-09 (all four) and 2025-10 (001 to 003); DX01 has 001 and 003
 * in 2025-09, then only 001 once 003 moves to DX02 in 2025-10.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../../../server/auth/viewer.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

let api: ApiFixture;
beforeAll(async () => {
  api = await openApiFixture();
});
afterAll(async () => {
  await api.close();
});

const CODES = ['1000000001', '1000000002', '1000000003', '1000000004'];
const POINT = 'month participationRate demandMetRate priorityGap satisfactionScore';

const TRENDS = `query ($codes: [String!]!, $from: String!, $to: String!) {
  schoolTrends(codes: $codes, from: $from, to: $to) { code points { ${POINT} } }
}`;

const SERIES = `query ($code: String!, $month: String, $from: String!, $to: String!) {
  school(code: $code, month: $month) { series(from: $from, to: $to) { ${POINT} } }
}`;

type Point = { month: string } & Record<string, number | null>;
type Trend = { code: string; points: Point[] };

async function trends(viewer: Viewer, codes: string[], from: string, to: string) {
  const { data, errors, queries } = await api.run(viewer, TRENDS, { codes, from, to });
  expect(errors).toBeUndefined();
  return { trends: data?.schoolTrends as Trend[], queries };
}

async function series(viewer: Viewer, code: string, month: string, from: string, to: string) {
  const { data, errors } = await api.run(viewer, SERIES, { code, month, from, to });
  expect(errors).toBeUndefined();
  return (data?.school as { series: Point[] } | null)?.series;
}

describe('schoolTrends', () => {
  it('gives each school’s rates month by month, oldest first', async () => {
    const { trends: [one] = [] } = await trends(VIEWERS.bureau, [CODES[0]!], '2025-09', '2025-10');
    expect(one?.code).toBe('1000000001');
    expect(one?.points.map((p) => p.month)).toEqual(['2025-09', '2025-10']);
    const [sept, oct] = one?.points ?? [];
    // 2025-09: 70 of 100 enrolled, every applicant served; no parent answered yet.
    expect(sept).toMatchObject({
      participationRate: 0.7,
      demandMetRate: 1,
      satisfactionScore: null,
    });
    // Lowest gap 2025-09: disabled 1/2 − 0.7.
    expect(sept?.priorityGap).toBeCloseTo(0.5 - 0.7, 12);
    // 2025-10: 168 of 200, 168 of 170 applicants; disabled 1/2 − 0.84; parents 100, 75, 25.
    expect(oct?.participationRate).toBeCloseTo(0.84, 12);
    expect(oct?.demandMetRate).toBeCloseTo(168 / 170, 12);
    expect(oct?.priorityGap).toBeCloseTo(0.5 - 0.84, 12);
    expect(oct?.satisfactionScore).toBeCloseTo(200 / 3, 12);
  });

  const cases: [string, Viewer][] = [
    ['a bureau inspector', VIEWERS.bureau],
    ['a supervising inspector', VIEWERS.dx01],
  ];
  for (const [who, viewer] of cases) {
    it(`equals school(code).series for the same months, as ${who}`, async () => {
      const { trends: all } = await trends(viewer, CODES, '2024-09', '2025-10');
      let compared = 0;
      for (const code of CODES) {
        // Ask for the page in the month the school is visible in (DX01 loses 003 in 2025-10).
        const pages = await Promise.all(
          ['2025-10', '2025-09'].map((m) => series(viewer, code, m, '2024-09', '2025-10')),
        );
        const expected = pages.find((p) => p !== undefined);
        const trend = all.find((t) => t.code === code);
        if (expected === undefined) expect(trend).toBeUndefined();
        else {
          expect(trend?.points).toEqual(expected);
          compared += expected.length;
        }
      }
      expect(compared).toBeGreaterThanOrEqual(2);
    });
  }

  it('gives a supervising inspector only the months each school is theirs', async () => {
    const { trends: dx01 } = await trends(VIEWERS.dx01, CODES, '2025-09', '2025-10');
    expect(dx01.map((t) => [t.code, t.points.map((p) => p.month)])).toEqual([
      ['1000000001', ['2025-09', '2025-10']],
      ['1000000003', ['2025-09']],
    ]);
    // 003 is DX02's only from 2025-10; 001 is never theirs.
    const { trends: dx02 } = await trends(
      VIEWERS.dx02,
      ['1000000001', '1000000003'],
      '2025-09',
      '2025-10',
    );
    expect(dx02.map((t) => [t.code, t.points.map((p) => p.month)])).toEqual([
      ['1000000003', ['2025-10']],
    ]);
    const { trends: none } = await trends(VIEWERS.unlinked, CODES, '2025-09', '2025-10');
    expect(none).toEqual([]);
  });

  it('keeps the order asked, once per code, and leaves out unknown codes silently', async () => {
    const asked = ['1000000004', '1000000001', '1000000001', '9999999999', 'not-a-code'];
    const { trends: got } = await trends(VIEWERS.bureau, asked, '2025-09', '2025-09');
    expect(got.map((t) => t.code)).toEqual(['1000000004', '1000000001']);
    // 004 reported 2025-09: 30 of 30; no priority group below the overall rate.
    expect(got[0]?.points).toEqual([
      {
        month: '2025-09',
        participationRate: 1,
        demandMetRate: 1,
        priorityGap: 0,
        satisfactionScore: null,
      },
    ]);
  });

  it('costs one statement for 200 codes and 24 months', async () => {
    const codes = Array.from({ length: 200 }, (_, i) => String(1000000001 + i));
    const { trends: got, queries } = await trends(VIEWERS.bureau, codes, '2023-11', '2025-10');
    expect(got.map((t) => t.code)).toEqual(CODES);
    expect(queries).toBe(1);
    expect((await trends(VIEWERS.bureau, [], '2025-09', '2025-10')).queries).toBe(0);
  });

  it('rejects more than 200 codes or 24 months, from after to, and malformed months', async () => {
    const bad = async (codes: string[], from: string, to: string) => {
      const { data, errors } = await api.run(VIEWERS.bureau, TRENDS, { codes, from, to });
      expect(data).toBeNull();
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      return errors?.[0]?.message;
    };
    const many = Array.from({ length: 201 }, (_, i) => String(1000000001 + i));
    expect(await bad(many, '2025-09', '2025-10')).toBe(
      'codes 最多 200 个 / at most 200 school codes',
    );
    expect(await bad(CODES, '2023-10', '2025-10')).toBe('最多 24 个月 / at most 24 months');
    expect(await bad(CODES, '2025-10', '2025-09')).toBe(
      'from 不能晚于 to / from must not be after to',
    );
    expect(await bad(CODES, '2025-9', '2025-10')).toBe(
      'from 应为 YYYY-MM 格式 / from must be YYYY-MM',
    );
    expect(await bad(CODES, '2025-09', '2025-13')).toBe(
      'to 应为 YYYY-MM 格式 / to must be YYYY-MM',
    );
  });
});
