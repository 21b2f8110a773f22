/**
 * The monthly report under small-cell protection, fixture district test/fixtures/api,
 * 2025-10 (n = 10). 东城第一小学 has 残疾儿童 1 of 2: a leader's report withholds them in
 * the overview and in the ranked schools' groups; its findings are judged on the exact
 * figures (the same schools the flags name) and their sentences carry no pupil counts of
 * a group, so they read the same for the bureau and the leader.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

let fx: ApiFixture;

beforeAll(async () => {
  fx = await openApiFixture({ now: new Date('2025-11-20T12:00:00+08:00') });
}, 60_000);
afterAll(async () => {
  await fx?.close();
});

interface Group {
  group: string;
  enrolled: number | null;
  participants: number | null;
  rate: number | null;
  suppressed: boolean;
  suppressedBelow: number | null;
}

const REPORT = `{
  monthlyReport(period: "2025-10") {
    overview { priorityGroups { group enrolled participants rate suppressed suppressedBelow } }
    topSchools(first: 10) {
      school { code }
      priorityGap
      priorityGroups { group enrolled participants rate suppressed suppressedBelow }
    }
    findings { code text textEn }
  }
}`;

async function reportAs(who: keyof typeof VIEWERS) {
  const { data, errors } = await fx.run(VIEWERS[who], REPORT);
  expect(errors).toBeUndefined();
  return (
    data as {
      monthlyReport: {
        overview: { priorityGroups: Group[] };
        topSchools: {
          school: { code: string };
          priorityGap: number | null;
          priorityGroups: Group[];
        }[];
        findings: { code: string; text: string; textEn: string }[];
      };
    }
  ).monthlyReport;
}

const disabled = (groups: Group[]) => groups.find((g) => g.group === 'DISABLED');

describe('monthly report under small-cell protection', () => {
  it('withholds the small group from a leader in the overview and the ranked schools', async () => {
    const report = await reportAs('leader');
    expect(disabled(report.overview.priorityGroups)).toEqual({
      group: 'DISABLED',
      enrolled: null,
      participants: null,
      rate: null,
      suppressed: true,
      suppressedBelow: 10,
    });
    const first = report.topSchools.find((s) => s.school.code === '1000000001');
    expect(disabled(first?.priorityGroups ?? [])).toMatchObject({ rate: null, suppressed: true });
    // Its largest shown gap is 留守儿童's 14 of 20 against 168 of 200, not 残疾's −0.34.
    expect(first?.priorityGap).toBeCloseTo(0.7 - 0.84, 12);
  });

  it('keeps the bureau’s work view exact', async () => {
    const report = await reportAs('bureau');
    expect(disabled(report.overview.priorityGroups)).toMatchObject({
      enrolled: 3,
      participants: 1,
      suppressed: false,
    });
    const first = report.topSchools.find((s) => s.school.code === '1000000001');
    expect(disabled(first?.priorityGroups ?? [])).toMatchObject({ enrolled: 2, participants: 1 });
  });

  it('writes the same findings for both, none citing a group’s pupils', async () => {
    const [leader, bureau] = [await reportAs('leader'), await reportAs('bureau')];
    expect(leader.findings).toEqual(bureau.findings);
    for (const f of leader.findings.filter((x) => x.code.startsWith('PRIORITY_GAP')))
      expect(f.text).toMatch(/^\d+所学校.+参与率低于本校学生参与率超过\d+个百分点。$/u);
  });
});
