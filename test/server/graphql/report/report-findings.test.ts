import { describe, expect, it } from 'vitest';
import type { SchoolMonth } from '../../../../server/graphql/__generated__/resolvers-types.ts';
import type { OverviewCore } from '../../../../server/graphql/overview/overview.types.ts';
import {
  buildFindings,
  type FindingInput,
} from '../../../../server/graphql/report/report-findings.ts';
import type { ReportRules } from '../../../../server/graphql/report/report-rules.ts';
import { schoolMonth } from './school-month.ts';

const RULES: ReportRules = {
  version: '1',
  demandFloor: 0.95,
  gapPoints: 10,
  minGroupEnrolled: 20,
  gapGroups: ['LEFT_BEHIND', 'MIGRANT', 'DISABLED', 'POOR'],
  reportDue: { date: '2025-11-05', passed: true },
};

/** The overview figures the findings read, summed from the schools as the overview sums them. */
function overviewOf(schools: readonly SchoolMonth[], parentScore: number | null): OverviewCore {
  const sum = (pick: (s: SchoolMonth) => number | null) =>
    schools.reduce((n, s) => n + (pick(s) ?? 0), 0);
  return {
    month: '2025-10',
    schoolsInScope: schools.length,
    schoolsReporting: schools.filter((s) => s.reported).length,
    schoolsOffering: schools.filter((s) => s.offering).length,
    enrolled: sum((s) => s.enrolled),
    participants: sum((s) => s.participants),
    applicants: sum((s) => s.applicants),
    openFlags: 0,
    overdueFlags: 0,
    satisfaction: [
      {
        respondent: 'parent',
        responses: parentScore === null ? 0 : 40,
        score: parentScore,
        satisfiedShare: null,
      },
    ],
  } as OverviewCore;
}

function input(schools: SchoolMonth[], changes: Partial<FindingInput> = {}): FindingInput {
  return {
    scope: { zh: '全区', en: 'in the district' },
    overview: overviewOf(schools, 82.5),
    participationChange: 0.012,
    parentScoreChange: -1.5,
    schools,
    rules: RULES,
    newFlags: [],
    overdue: [],
    flagAges: { longOpen: 0, longOpenDays: 180, oldestSince: null },
    ...changes,
  };
}

const codes = (findings: { code: string; severity: string }[]) =>
  findings.map((f) => `${f.severity} ${f.code}`);

describe('buildFindings', () => {
  it('orders alerts, then warnings, then information', () => {
    const schools = [
      schoolMonth('0001', {
        enrolled: 200,
        participants: 168,
        applicants: 170,
        groups: { LEFT_BEHIND: [20, 14] },
      }),
      schoolMonth('0002', { applicants: 100, participants: 90 }),
      schoolMonth('0003', { reported: false }),
    ];
    const findings = buildFindings(
      input(schools, {
        newFlags: [
          { code: 'SHORT_SERVICE', count: 1 },
          { code: 'PRIORITY_GAP', count: 2 },
        ],
        overdue: [{ schoolCode: '0002', flags: 2 }],
      }),
    );
    expect(codes(findings)).toEqual([
      'ALERT FLAGS.NEW',
      'ALERT FLAGS.OVERDUE',
      'ALERT REPORTS.MISSING',
      'WARNING COVERAGE',
      'WARNING DEMAND_MET.BELOW_FLOOR',
      'WARNING PRIORITY_GAP.LEFT_BEHIND',
      'WARNING SATISFACTION.PARENT',
      'INFO PARTICIPATION',
    ]);
    expect(findings[0]?.text).toBe(
      '本月新增违规预警3条，其中优先群体保障不足2条、服务时间不足1条。',
    );
    expect(findings.find((f) => f.code === 'FLAGS.OVERDUE')?.schools.map((s) => s.code)).toEqual([
      '0002',
    ]);
    expect(findings.find((f) => f.code === 'COVERAGE')?.text).toBe(
      '全区3所学校中2所报送月报，其中2所开展课后服务，覆盖率100.0%。未报送：学校0003。',
    );
    expect(
      findings.find((f) => f.code === 'DEMAND_MET.BELOW_FLOOR')?.schools.map((s) => s.code),
    ).toEqual(['0002']);
  });

  it('names the lagging schools of a group worst first, then by code', () => {
    const schools = [
      schoolMonth('0003', { enrolled: 100, participants: 80, groups: { MIGRANT: [20, 12] } }), // −20
      schoolMonth('0001', { enrolled: 100, participants: 80, groups: { MIGRANT: [20, 8] } }), // −40
      schoolMonth('0002', { enrolled: 100, participants: 80, groups: { MIGRANT: [20, 12] } }), // −20
      schoolMonth('0004', { enrolled: 100, participants: 80, groups: { MIGRANT: [20, 14] } }), // −10: not beyond
    ];
    const gap = buildFindings(input(schools)).find((f) => f.code === 'PRIORITY_GAP.MIGRANT');
    expect(gap?.text).toBe('3所学校随迁子女参与率低于本校学生参与率超过10个百分点。');
    expect(gap?.schools.map((s) => s.code)).toEqual(['0001', '0002', '0003']);
  });

  it('leaves out findings with nothing to say', () => {
    const findings = buildFindings(
      input([schoolMonth('0001'), schoolMonth('0002')], { parentScoreChange: 0.2 }),
    );
    expect(codes(findings)).toEqual([
      'INFO COVERAGE',
      'INFO PARTICIPATION',
      'INFO SATISFACTION.PARENT',
    ]);
    expect(findings.map((f) => f.text)).toEqual([
      '全区2所学校中2所开展课后服务，覆盖率100.0%。',
      '学生参与率80.0%，较上月上升1.2个百分点。',
      '家长满意度82.5分（40份答卷），较上月上升0.2分。',
    ]);
  });

  it('judges only what the month’s policy judges', () => {
    const schools = [
      schoolMonth('0001', {
        applicants: 100,
        participants: 90,
        groups: { POOR: [20, 2], DISABLED: [20, 2] },
      }),
      schoolMonth('0002', {
        reported: false,
        enrolled: null,
        participants: null,
        applicants: null,
      }),
    ];
    const strict = buildFindings(input(schools)).map((f) => f.code);
    expect(strict).toContain('DEMAND_MET.BELOW_FLOOR');
    expect(strict).toContain('PRIORITY_GAP.POOR');
    expect(strict).toContain('PRIORITY_GAP.DISABLED');
    const lenient = buildFindings(
      input(schools, {
        rules: { ...RULES, demandFloor: null, gapGroups: ['POOR'], reportDue: null },
      }),
    ).map((f) => f.code);
    expect(lenient).toEqual([
      'COVERAGE',
      'PRIORITY_GAP.POOR',
      'SATISFACTION.PARENT',
      'PARTICIPATION',
    ]);
    const noGap = buildFindings(input(schools, { rules: { ...RULES, gapPoints: null } }));
    expect(noGap.some((f) => f.code.startsWith('PRIORITY_GAP'))).toBe(false);
  });

  it('says a report is pending before the deadline and missing after it', () => {
    const schools = [schoolMonth('0001'), schoolMonth('0002', { reported: false })];
    const before = buildFindings(
      input(schools, { rules: { ...RULES, reportDue: { date: '2025-11-05', passed: false } } }),
    ).find((f) => f.code.startsWith('REPORTS.'));
    expect(before).toMatchObject({
      code: 'REPORTS.PENDING',
      severity: 'INFO',
      text: '1所学校尚未报送本月月报，截止日期为2025年11月5日。',
    });
    const after = buildFindings(input(schools)).find((f) => f.code.startsWith('REPORTS.'));
    expect(after).toMatchObject({ code: 'REPORTS.MISSING', severity: 'ALERT' });
    expect(after?.schools.map((s) => s.code)).toEqual(['0002']);
  });

  it('warns when participation or satisfaction falls', () => {
    const findings = buildFindings(
      input([schoolMonth('0001')], { participationChange: -0.0151, parentScoreChange: -3 }),
    );
    expect(findings.filter((f) => f.severity === 'WARNING').map((f) => f.text)).toEqual([
      '学生参与率80.0%，较上月下降1.5个百分点。',
      '家长满意度82.5分（40份答卷），较上月下降3.0分。',
    ]);
  });

  it('names at most 20 schools', () => {
    const schools = Array.from({ length: 25 }, (_, i) =>
      schoolMonth(String(i).padStart(4, '0'), { reported: false }),
    );
    const coverage = buildFindings(input(schools)).find((f) => f.code === 'COVERAGE');
    expect(coverage?.schools).toHaveLength(20);
    expect(coverage?.text).toContain('等25所。');
  });

  it('returns one DATA.NONE finding for a month without reports, participation or flags', () => {
    const empty = schoolMonth('0001', {
      reported: false,
      enrolled: null,
      participants: null,
      applicants: null,
    });
    expect(buildFindings(input([empty]))).toEqual([
      {
        code: 'DATA.NONE',
        severity: 'INFO',
        text: '本月暂无数据。',
        textEn: 'No data for this month yet.',
        schools: [],
      },
    ]);
    expect(buildFindings(input([]))[0]?.code).toBe('DATA.NONE');
    const flagged = buildFindings(
      input([empty], { newFlags: [{ code: 'MISSING_REPORT', count: 1 }], parentScoreChange: null }),
    );
    expect(codes(flagged)).toEqual([
      'ALERT FLAGS.NEW',
      'ALERT REPORTS.MISSING',
      'WARNING COVERAGE',
      'INFO SATISFACTION.PARENT',
    ]);
  });

  it('counts open flags with the overdue and long-open ones among them', () => {
    const schools = [schoolMonth('0001', {})];
    const open = (openFlags: number, overdueFlags: number, longOpen: number) => {
      const base = input(schools);
      return buildFindings({
        ...base,
        overview: { ...base.overview, openFlags, overdueFlags },
        flagAges: { longOpen, longOpenDays: 180, oldestSince: longOpen ? '2024-06-01' : null },
      }).find((f) => f.code === 'FLAGS.OPEN');
    };
    expect(open(57, 3, 12)).toMatchObject({
      severity: 'ALERT',
      text: '57条违规预警未销号，其中3条整改逾期、12条超过180天未销号（最早自2024年6月1日起）。',
      textEn:
        '57 violation flags still open: 3 past the rectification deadline, 12 open for more than 180 days (the oldest since 2024-06-01).',
    });
    expect(open(4, 0, 1)?.text).toBe(
      '4条违规预警未销号，其中1条超过180天未销号（最早自2024年6月1日起）。',
    );
    expect(open(2, 0, 0)).toMatchObject({ severity: 'WARNING', text: '2条违规预警未销号。' });
    expect(open(0, 0, 0)).toBeUndefined();
  });
});
