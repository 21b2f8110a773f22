/**
 * Months without service and schools without a report (test/fixtures/api): reports exist
 * for 2024-10 (001 only), 2025-09 (all four) and 2025-10 (001, 002; 003 served 0 days;
 * 004 sent nothing). The default policy has no service in February, July and August.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

let api: ApiFixture;
beforeAll(async () => {
  api = await openApiFixture();
});
afterAll(async () => {
  await api.close();
});

const FIELDS = `month serviceMonth schoolsInScope schoolsReporting schoolsOffering
  schoolsNotOffering schoolsNotReported schoolCoverageRate fivePlusTwoRate reportTimelinessRate`;
const CHANGES = `changes { metric value previousMonth sameMonthLastYear monthOnMonth yearOnYear
  monthOnMonthComparable yearOnYearComparable }`;

type Change = Record<string, unknown> & { metric: string };

describe('coverage by month', () => {
  it('has no coverage in a month without service, and counts missing reports as 未报送', async () => {
    const { data, errors } = await api.run(
      VIEWERS.bureau,
      `{ trend(from: "2025-06", to: "2025-10") { ${FIELDS} } }`,
    );
    expect(errors).toBeUndefined();
    const byMonth = Object.fromEntries(
      (data?.trend as Record<string, unknown>[]).map((o) => [o.month, o]),
    );
    // June: service expected, nobody reported yet: no coverage (not 0 %), four 未报送.
    expect(byMonth['2025-06']).toEqual({
      month: '2025-06',
      serviceMonth: true,
      schoolsInScope: 4,
      schoolsReporting: 0,
      schoolsOffering: 0,
      schoolsNotOffering: 0,
      schoolsNotReported: 4,
      schoolCoverageRate: null,
      fivePlusTwoRate: null,
      reportTimelinessRate: 0,
    });
    // July and August: no service expected, so nothing is 未报送 and no rate applies.
    for (const month of ['2025-07', '2025-08'])
      expect(byMonth[month]).toEqual({
        month,
        serviceMonth: false,
        schoolsInScope: 4,
        schoolsReporting: 0,
        schoolsOffering: 0,
        schoolsNotOffering: 0,
        schoolsNotReported: null,
        schoolCoverageRate: null,
        fivePlusTwoRate: null,
        reportTimelinessRate: null,
      });
    // September: all four reported and served.
    expect(byMonth['2025-09']).toMatchObject({ schoolsOffering: 4, schoolCoverageRate: 1 });
    // October: 001 and 002 served, 003 reported 0 days, 004 is 未报送: 2 / 3, not 2 / 4.
    expect(byMonth['2025-10']).toMatchObject({
      schoolsReporting: 3,
      schoolsOffering: 2,
      schoolsNotOffering: 1,
      schoolsNotReported: 1,
    });
    expect(byMonth['2025-10']?.schoolCoverageRate).toBeCloseTo(2 / 3, 12);
  });

  it('compares report figures only with months that had service and reports', async () => {
    const { data } = await api.run(
      VIEWERS.bureau,
      `{ sep: overview(month: "2025-09") { ${CHANGES} } oct: overview(month: "2025-10") { ${CHANGES} }
         jul: overview(month: "2025-07") { ${CHANGES} } }`,
    );
    const pick = (key: string, metric: string) =>
      (data?.[key] as { changes: Change[] }).changes.find((c) => c.metric === metric);
    // 2025-09 against August (no service) and 2024-09 (before any report): no change at all.
    expect(pick('sep', 'SCHOOL_COVERAGE_RATE')).toEqual({
      metric: 'SCHOOL_COVERAGE_RATE',
      value: 1,
      previousMonth: null,
      sameMonthLastYear: null,
      monthOnMonth: null,
      yearOnYear: null,
      monthOnMonthComparable: false,
      yearOnYearComparable: false,
    });
    // Participants 235 were not "up 235" on an August of 0.
    expect(pick('sep', 'PARTICIPANTS')).toMatchObject({
      value: 235,
      monthOnMonth: null,
      yearOnYear: null,
    });
    // Open flags are counted as of now (the flags page's definition), so every month reads
    // the same 42 and compares: no change.
    expect(pick('sep', 'OPEN_FLAGS')).toMatchObject({
      value: 42,
      previousMonth: 42,
      monthOnMonth: 0,
      monthOnMonthComparable: true,
    });
    // 2025-10 against September (4 of 4) and 2024-10 (001 alone reported: 1 of 1).
    const oct = pick('oct', 'SCHOOL_COVERAGE_RATE') as Record<string, number>;
    expect(oct).toMatchObject({
      previousMonth: 1,
      sameMonthLastYear: 1,
      monthOnMonthComparable: true,
      yearOnYearComparable: true,
    });
    expect(oct.monthOnMonth).toBeCloseTo(2 / 3 - 1, 12);
    expect(oct.yearOnYear).toBeCloseTo(2 / 3 - 1, 12);
    // July itself compares with nothing (its June had no reports either).
    expect(pick('jul', 'PARTICIPATION_RATE')).toMatchObject({
      value: null,
      monthOnMonth: null,
      monthOnMonthComparable: false,
      yearOnYearComparable: false,
    });
  });
});
