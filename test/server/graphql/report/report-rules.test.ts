import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { reportRules } from '../../../../server/graphql/report/report-rules.ts';
import { parsePolicy } from '../../../../server/policy/policy.ts';

const POLICY = parsePolicy(
  stringify({
    district: '测试区',
    versions: [
      { version: '1', effective_from: '2021-09', source: '国家默认' },
      {
        version: '2',
        effective_from: '2025-10',
        source: '测试区文件',
        participation: { min_demand_met_rate: 0.9 },
        priority_gap: { max_gap_points: 15, min_group_enrolled: 30 },
        reports: { deadline_day: 10 },
        disabled_rules: ['PRIORITY_GAP.disabled', 'NOT_OFFERED'],
      },
      {
        version: '3',
        effective_from: '2026-03',
        source: '测试区文件二',
        priority_gap: { max_gap_points: null },
        disabled_rules: ['MISSING_REPORT'],
      },
    ],
  }),
);

describe('reportRules', () => {
  it('takes the thresholds of the version in force for the month', () => {
    expect(reportRules(POLICY, '2025-09', new Date('2025-11-20T12:00:00+08:00'))).toEqual({
      version: '1',
      // Version 1 sets no floor of its own: the national default, 愿留尽留 = 100 %.
      demandFloor: 1,
      gapPoints: 10,
      minGroupEnrolled: 20,
      gapGroups: ['LEFT_BEHIND', 'MIGRANT', 'DISABLED', 'POOR'],
      reportDue: { date: '2025-10-05', passed: true },
    });
  });

  it('leaves out what the version disables, by rule id or by code', () => {
    expect(reportRules(POLICY, '2025-10', new Date('2025-11-10T12:00:00+08:00'))).toEqual({
      version: '2',
      demandFloor: null,
      gapPoints: 15,
      minGroupEnrolled: 30,
      gapGroups: ['LEFT_BEHIND', 'MIGRANT', 'POOR'],
      reportDue: { date: '2025-11-10', passed: false },
    });
    const march = reportRules(POLICY, '2026-03', new Date('2026-05-01T00:00:00+08:00'));
    expect([march.gapPoints, march.reportDue]).toEqual([null, null]);
  });

  it('expects no report in a month without service', () => {
    expect(reportRules(POLICY, '2025-08', new Date('2025-11-20T00:00:00Z')).reportDue).toBeNull();
  });

  it('counts the deadline as passed only after its last second', () => {
    const due = reportRules(POLICY, '2025-10', new Date('2025-11-10T23:59:59+08:00'));
    expect(due.reportDue?.passed).toBe(false);
    const after = reportRules(POLICY, '2025-10', new Date('2025-11-11T00:00:00+08:00'));
    expect(after.reportDue?.passed).toBe(true);
  });
});
