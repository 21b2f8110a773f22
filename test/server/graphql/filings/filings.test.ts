/**
 * 学期备案 through the API on the fixture district (2025-2026学年第一学期; 1000000002 东城村小
 * had 50 pupils enrolled in 2025-10, its latest participation month of the semester).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';
import { query } from '../../../helpers/with-warehouse.ts';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openApiFixture({ now: new Date('2025-09-20T04:00:00Z') });
});
afterAll(async () => {
  await fx.close();
});

const SEMESTER = '2025-2026-1';
const PLAN = {
  document: '东城村小课后服务实施方案（2025秋）',
  daysPerWeek: 4,
  startTime: '16:00',
  endTime: '18:00',
  contentMix: [
    { kind: 'HOMEWORK', periodsPerWeek: 4 },
    { kind: 'SPORTS', periodsPerWeek: 4 },
  ],
  teachers: 8,
  externalStaff: 1,
  thirdPartyProviders: 0,
  feePerPeriod: 0,
  priorityArrangements: '留守儿童优先',
};
const FILE_PLAN = `mutation($s: String!, $sem: String!, $i: PlanFilingInput!) {
  filePlan(schoolCode: $s, semester: $sem, input: $i) {
    id schoolCode kind kindLabel status statusLabel deviations { check message } filedBy } }`;
const FILE_SURVEY = `mutation($s: String!, $sem: String!, $i: SurveyFilingInput!) {
  fileDemandSurvey(schoolCode: $s, semester: $sem, input: $i) { id coverage deviations { check } } }`;
const GRID = `query($sem: String!) { semesterFilings(semester: $sem) {
  semesterLabel startDate planDue surveyDue feesDue minDemandSurveys
  schools { schoolCode deviationCount plan { kind } surveys { coverage } } } }`;
const SCHOOL = `query($s: String!, $sem: String!) { schoolFilings(schoolCode: $s, semester: $sem) {
  schoolCode plan { id status } history { id kind status statusLabel reviewNote reviewedBy } } }`;
const REVIEW = `mutation($id: ID!, $d: FilingDecision!, $n: String) {
  reviewFiling(id: $id, decision: $d, note: $n) { id status statusLabel reviewNote } }`;

const filingRows = () =>
  query(fx.warehouse, `SELECT school_code, kind, status FROM semester_filings ORDER BY filing_id`);

describe('filing', () => {
  let planId = '';

  it('a school reporter files its own plan, with each deviation from the policy named', async () => {
    const { data, errors } = await fx.run(VIEWERS.school, FILE_PLAN, {
      s: '1000000002',
      sem: SEMESTER,
      i: PLAN,
    });
    expect(errors).toBeUndefined();
    const filed = data?.filePlan as Record<string, unknown>;
    planId = String(filed.id);
    expect(filed).toMatchObject({
      schoolCode: '1000000002',
      kind: 'PLAN',
      kindLabel: '一校一案',
      status: 'FILED',
      statusLabel: '已备案',
      deviations: [
        {
          check: 'days_per_week',
          message:
            '每周服务 4 天，少于规定的 5 天 / 4 service days a week, fewer than the required 5',
        },
      ],
    });
    const audit = await query(
      fx.warehouse,
      `SELECT action, outcome, target FROM audit_log WHERE action = 'filings.file'`,
    );
    expect(audit).toEqual([
      { action: 'filings.file', outcome: 'ok', target: `filing:1000000002:${SEMESTER}:PLAN` },
    ]);
  });

  it("refuses another school's filing alike for a known and an unknown school", async () => {
    const foreign = await fx.run(VIEWERS.school, FILE_PLAN, {
      s: '1000000003',
      sem: SEMESTER,
      i: PLAN,
    });
    const unknown = await fx.run(VIEWERS.school, FILE_PLAN, {
      s: '1999999999',
      sem: SEMESTER,
      i: PLAN,
    });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(foreign.errors?.[0]?.message).toBe(
      '只能为本人负责的学校备案 / you may file only for your own school',
    );
    expect(unknown.errors).toEqual(foreign.errors);
    for (const viewer of [VIEWERS.township, VIEWERS.dx02, VIEWERS.leader, VIEWERS.otherSchool]) {
      const r = await fx.run(viewer, FILE_PLAN, { s: '1000000002', sem: SEMESTER, i: PLAN });
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await filingRows()).toEqual([
      { school_code: '1000000002', kind: 'PLAN', status: 'FILED' },
    ]);
  });

  it('refuses malformed fields and semesters bilingually', async () => {
    const bad = await fx.run(VIEWERS.school, FILE_SURVEY, {
      s: '1000000002',
      sem: SEMESTER,
      i: { date: '2025/09/15', respondents: 40, demandByGrade: [] },
    });
    expect(bad.errors?.[0]?.message).toBe(
      '备案内容有误 / the filing is invalid: date: 日期格式应为 YYYY-MM-DD / expected YYYY-MM-DD',
    );
    const month = await fx.run(VIEWERS.school, GRID, { sem: '2025-09' });
    expect(month.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('computes a survey coverage as respondents / enrolled: 40 / 50 = 0.8', async () => {
    const { data, errors } = await fx.run(VIEWERS.school, FILE_SURVEY, {
      s: '1000000002',
      sem: SEMESTER,
      i: { date: '2025-09-15', respondents: 40, demandByGrade: [{ grade: 1, demand: 30 }] },
    });
    expect(errors).toBeUndefined();
    expect(data?.fileDemandSurvey).toMatchObject({ coverage: 0.8, deviations: [] });
  });

  it('shows each role the schools of its remit only', async () => {
    const codes = async (viewer: (typeof VIEWERS)[keyof typeof VIEWERS]) => {
      const { data, errors } = await fx.run(viewer, GRID, { sem: SEMESTER });
      expect(errors).toBeUndefined();
      const grid = data?.semesterFilings as { schools: { schoolCode: string }[] };
      return grid.schools.map((s) => s.schoolCode);
    };
    expect(await codes(VIEWERS.bureau)).toEqual([
      '1000000001',
      '1000000002',
      '1000000003',
      '1000000004',
    ]);
    expect(await codes(VIEWERS.township)).toEqual(['1000000001', '1000000002']);
    expect(await codes(VIEWERS.school)).toEqual(['1000000002']);
    expect(await codes(VIEWERS.otherSchool)).toEqual(['1000000003']);
    expect(await codes(VIEWERS.unlinked)).toEqual([]);
    const { data } = await fx.run(VIEWERS.school, GRID, { sem: SEMESTER });
    expect(data?.semesterFilings).toEqual({
      semesterLabel: '2025-2026学年第一学期',
      startDate: '2025-09-01',
      planDue: '2025-10-01',
      surveyDue: '2025-10-31',
      feesDue: '2025-10-01',
      minDemandSurveys: 1,
      schools: [
        {
          schoolCode: '1000000002',
          deviationCount: 1,
          plan: { kind: 'PLAN' },
          surveys: [{ coverage: 0.8 }],
        },
      ],
    });
    const other = await fx.run(VIEWERS.otherSchool, SCHOOL, { s: '1000000002', sem: SEMESTER });
    expect(other).toMatchObject({ data: { schoolFilings: null }, errors: undefined });
  });

  it('the bureau alone reviews; a return needs a reason and takes the plan out of force', async () => {
    const township = await fx.run(VIEWERS.township, REVIEW, { id: planId, d: 'ACCEPT' });
    expect(township.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bare = await fx.run(VIEWERS.bureau, REVIEW, { id: planId, d: 'RETURN' });
    expect(bare.errors?.[0]?.message).toBe('退回须写明原因 / a return needs a reason');
    const missing = await fx.run(VIEWERS.bureau, REVIEW, { id: '99999', d: 'ACCEPT' });
    expect(missing.errors?.[0]?.message).toBe('备案不存在 / filing not found');
    const returned = await fx.run(VIEWERS.bureau, REVIEW, {
      id: planId,
      d: 'RETURN',
      n: '每周服务天数不足',
    });
    expect(returned.data?.reviewFiling).toEqual({
      id: planId,
      status: 'RETURNED',
      statusLabel: '已退回',
      reviewNote: '每周服务天数不足',
    });
    const again = await fx.run(VIEWERS.bureau, REVIEW, { id: planId, d: 'ACCEPT' });
    expect(again.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const { data } = await fx.run(VIEWERS.school, SCHOOL, { s: '1000000002', sem: SEMESTER });
    const school = data?.schoolFilings as {
      plan: unknown;
      history: { kind: string; status: string }[];
    };
    expect(school.plan).toBeNull();
    expect(school.history.map((h) => `${h.kind} ${h.status}`)).toEqual([
      'SURVEY FILED',
      'PLAN RETURNED',
    ]);
    const events = await query(
      fx.warehouse,
      `SELECT action, note FROM semester_filing_events ORDER BY event_id`,
    );
    expect(events).toEqual([
      { action: 'FILE', note: null },
      { action: 'FILE', note: null },
      { action: 'RETURN', note: '每周服务天数不足' },
    ]);
  });
});
