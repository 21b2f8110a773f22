/**
 * Query.monthlyReport on the fixture district (test/fixtures/api, default policy: demand
 * met ≥ 95%, priority gap ≤ 10 points for groups of ≥ 20, reports due on the 5th), judged
 * on 2025-11-20. Every sentence and school list below is worked out by hand from its rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../../server/graphql/apollo.ts';
import { shanghaiIso } from '../../../../server/db/calendar.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';
import { query, scalar } from '../../../helpers/with-warehouse.ts';

const NOW = new Date('2025-11-20T12:00:00+08:00');
let api: ApiFixture;

/** flag_id of the fixture's flag for (school, month, rule). */
async function flagId(school: string, month: string, rule: string): Promise<number> {
  return Number(
    await scalar(
      api.warehouse,
      `SELECT flag_id FROM flags WHERE school_code = '${school}' AND month = '${month}' AND rule = '${rule}'`,
    ),
  );
}

beforeAll(async () => {
  api = await openApiFixture({ now: NOW });
  const shortDays = await flagId('1000000002', '2025-10', 'SHORT_SERVICE.days');
  const shortMinutes = await flagId('1000000001', '2025-09', 'SHORT_SERVICE.minutes');
  const turnedAway = await flagId('1000000003', '2025-09', 'NOT_OFFERED.turned_away');
  const gap = await flagId('1000000002', '2025-09', 'PRIORITY_GAP.left_behind');
  await api.writer.write(async ({ conn }) => {
    // One rectification overdue since 2025-11-10.
    await conn.run(
      `UPDATE flags SET status = 'RECTIFYING', rectify_deadline = DATE '2025-11-10' WHERE flag_id = $1`,
      [shortDays],
    );
    const event = (flag: number, action: string, at: string) =>
      conn.run(
        `INSERT INTO flag_events (flag_id, action, from_status, to_status, username, user_name, occurred_at)
         VALUES ($1, $2, 'OPEN', 'CLOSED', 'bureau', '督导科', $3::TIMESTAMPTZ)`,
        [flag, action, at],
      );
    await event(shortMinutes, 'DISMISSED', '2025-10-01T00:10:00+08:00'); // 2025-09-30 in UTC
    await event(turnedAway, 'AUTO_RESOLVED', '2025-10-31T23:30:00+08:00');
    await event(gap, 'CLOSED', '2025-11-01T00:30:00+08:00'); // still 2025-10-31 in UTC
    await event(shortDays, 'RECTIFIED', '2025-10-15T10:00:00+08:00'); // not a closing step
  });
});
afterAll(async () => {
  await api.close();
});

const FINDINGS = `query ($month: String!, $scope: ScopeInput) {
  monthlyReport(month: $month, scope: $scope) {
    findings { code severity text textEn schools { code } }
  }
}`;

interface Finding {
  code: string;
  severity: string;
  text: string;
  textEn: string;
  schools: { code: string }[];
}

async function findings(
  viewer: (typeof VIEWERS)[keyof typeof VIEWERS],
  month: string,
  scope?: object,
): Promise<Finding[]> {
  const { data, errors } = await api.run(viewer, FINDINGS, { month, scope });
  expect(errors).toBeUndefined();
  return (data?.monthlyReport as { findings: Finding[] }).findings;
}

const brief = (list: Finding[]) =>
  list.map((f) => [f.severity, f.code, f.text, f.schools.map((s) => s.code)]);

describe('Query.monthlyReport', () => {
  it('writes the district’s findings for 2025-10, alerts first', async () => {
    const list = await findings(VIEWERS.bureau, '2025-10');
    expect(brief(list)).toEqual([
      [
        'ALERT',
        'FLAGS.NEW',
        '本月新增违规预警5条，其中优先群体保障不足2条、服务时间不足1条、未开展服务或未满足需求1条、月报未按时报送1条。',
        [],
      ],
      // Open flags of 2025-10 or earlier: 4 a month in 2024-10..2025-01, 2025-03..06 (3 missing
      // reports + 1 turned away in 2024-10, then 4 missing reports a month) = 32, and 5 each in
      // 2025-09 and 2025-10 = 42. Those about 2024-10..2025-04 have been open since the 1st of
      // the next month, more than 180 days (the default policy's long_open_days) before
      // 2025-11-20: 6 × 4 = 24; the oldest since 2024-11-01. 1 rectification is overdue.
      [
        'ALERT',
        'FLAGS.OPEN',
        '42条违规预警未销号，其中1条整改逾期、24条超过180天未销号（最早自2024年11月1日起）。',
        [],
      ],
      ['ALERT', 'FLAGS.OVERDUE', '1条整改逾期未完成，涉及1所学校。', ['1000000002']],
      ['ALERT', 'REPORTS.MISSING', '1所学校未在2025年11月5日截止前报送本月月报。', ['1000000004']],
      [
        'WARNING',
        'COVERAGE',
        '全区4所学校中3所报送月报，其中2所开展课后服务，覆盖率66.7%。未开展：西山中学。未报送：西山九年一贯制学校。',
        ['1000000003', '1000000004'],
      ],
      // 208 / 450 = 46.2% against 235 / 380 = 61.8% in 2025-09.
      ['WARNING', 'PARTICIPATION', '学生参与率46.2%，较上月下降15.6个百分点。', []],
      // 东城村小 50% vs 80% (−30), 东城第一小学 70% vs 84% (−14); groups under 20 pupils are not judged.
      [
        'WARNING',
        'PRIORITY_GAP.LEFT_BEHIND',
        '2所学校留守儿童参与率低于本校学生参与率超过10个百分点。',
        ['1000000002', '1000000001'],
      ],
      // Parents' overall item this semester: (100 + 75 + 25 + 50 + 0) / 5; 2025-09: 0.
      ['INFO', 'SATISFACTION.PARENT', '家长满意度50.0分（5份答卷），较上月上升50.0分。', []],
    ]);
    expect(list[1]?.textEn).toBe(
      '42 violation flags still open: 1 past the rectification deadline, 24 open for more than 180 days (the oldest since 2024-11-01).',
    );
    expect(list[4]?.textEn).toBe(
      '3 of 4 schools in the district reported; 2 of them ran after-school services (coverage 66.7%). Not offering: 西山中学. Not reported: 西山九年一贯制学校.',
    );
  });

  it('names the schools below the demand floor and each lagging group in 2025-09', async () => {
    const list = await findings(VIEWERS.bureau, '2025-09');
    expect(brief(list).filter(([severity]) => severity === 'WARNING')).toEqual([
      // 西山中学 served 90 of 100 applicants.
      ['WARNING', 'DEMAND_MET.BELOW_FLOOR', '1所学校需求满足率低于95%。', ['1000000003']],
      [
        'WARNING',
        'PRIORITY_GAP.LEFT_BEHIND',
        '2所学校留守儿童参与率低于本校学生参与率超过10个百分点。',
        ['1000000002', '1000000003'],
      ],
      [
        'WARNING',
        'PRIORITY_GAP.MIGRANT',
        '1所学校随迁子女参与率低于本校学生参与率超过10个百分点。',
        ['1000000001'],
      ],
    ]);
    expect(list.map((f) => f.code)).not.toContain('REPORTS.MISSING');
  });

  it('names the same schools as the month’s PRIORITY_GAP and NOT_OFFERED flags', async () => {
    for (const month of ['2025-09', '2025-10']) {
      const list = await findings(VIEWERS.bureau, month);
      const flagged = await query(
        api.warehouse,
        `SELECT rule, list(school_code ORDER BY school_code) AS schools FROM flags
         WHERE month = '${month}' AND rule IN ('PRIORITY_GAP.left_behind', 'PRIORITY_GAP.migrant',
           'NOT_OFFERED.turned_away') GROUP BY rule ORDER BY rule`,
      );
      const named = (code: string) =>
        list
          .find((f) => f.code === code)
          ?.schools.map((s) => s.code)
          .sort();
      expect(
        flagged.map((r) => [r.rule, r.schools]),
        month,
      ).toEqual(
        [
          ['NOT_OFFERED.turned_away', named('DEMAND_MET.BELOW_FLOOR')],
          ['PRIORITY_GAP.left_behind', named('PRIORITY_GAP.LEFT_BEHIND')],
          ['PRIORITY_GAP.migrant', named('PRIORITY_GAP.MIGRANT')],
        ].filter(([, schools]) => schools !== undefined),
      );
    }
  });

  it('covers only a supervising inspector’s schools of the month', async () => {
    // DX01 has 东城第一小学 in 2025-10 (西山中学 moved to DX02); in 2025-09 it had both.
    expect(brief(await findings(VIEWERS.dx01, '2025-10'))).toEqual([
      ['ALERT', 'FLAGS.NEW', '本月新增违规预警1条，均为优先群体保障不足。', []],
      // 东城第一小学's open flags: 2024-10 turned away, 7 missing reports (2024-11..2025-06),
      // 2 of 2025-09, 1 of 2025-10 = 11; those of 2024-10..2025-04: 1 + 5 = 6.
      [
        'ALERT',
        'FLAGS.OPEN',
        '13条违规预警未销号，其中6条超过180天未销号（最早自2024年11月1日起）。',
        [],
      ],
      [
        'WARNING',
        'PRIORITY_GAP.LEFT_BEHIND',
        '1所学校留守儿童参与率低于本校学生参与率超过10个百分点。',
        ['1000000001'],
      ],
      ['INFO', 'COVERAGE', '本辖区1所学校中1所开展课后服务，覆盖率100.0%。', []],
      // 168 / 200 against (70 + 90) / (100 + 200) in 2025-09.
      ['INFO', 'PARTICIPATION', '学生参与率84.0%，较上月上升30.7个百分点。', []],
      ['INFO', 'SATISFACTION.PARENT', '家长满意度66.7分（3份答卷），较上月上升66.7分。', []],
    ]);
    const dx02 = brief(await findings(VIEWERS.dx02, '2025-10'));
    expect(dx02.map(([, code, , schools]) => [code, schools])).toEqual([
      ['FLAGS.NEW', []],
      ['FLAGS.OPEN', []],
      ['FLAGS.OVERDUE', ['1000000002']],
      ['REPORTS.MISSING', ['1000000004']],
      ['COVERAGE', ['1000000003', '1000000004']],
      ['PARTICIPATION', []],
      ['PRIORITY_GAP.LEFT_BEHIND', ['1000000002']],
      ['SATISFACTION.PARENT', []],
    ]);
    // Equal counts are named in the catalogue's order.
    expect(dx02[0]?.[2]).toBe(
      '本月新增违规预警4条，其中服务时间不足1条、未开展服务或未满足需求1条、优先群体保障不足1条、月报未按时报送1条。',
    );
    expect(dx02[4]?.[2]).toBe(
      '本辖区3所学校中2所报送月报，其中1所开展课后服务，覆盖率50.0%。未开展：西山中学。未报送：西山九年一贯制学校。',
    );
  });

  it('speaks of the township a district-wide user narrows to', async () => {
    const list = await findings(VIEWERS.leader, '2025-10', { township: '西山乡' });
    expect(list.find((f) => f.code === 'COVERAGE')?.text).toBe(
      '西山乡2所学校中1所报送月报，其中0所开展课后服务，覆盖率0.0%。未开展：西山中学。未报送：西山九年一贯制学校。',
    );
    const staged = await findings(VIEWERS.leader, '2025-10', { stage: 'PRIMARY' });
    expect(staged.find((f) => f.code === 'COVERAGE')?.text).toBe(
      '所选范围内2所学校中2所开展课后服务，覆盖率100.0%。',
    );
  });

  it('says 本月暂无数据 for a month without reports, participation or flags', async () => {
    expect(brief(await findings(VIEWERS.bureau, '2025-12'))).toEqual([
      ['INFO', 'DATA.NONE', '本月暂无数据。', []],
    ]);
    expect(brief(await findings(VIEWERS.unlinked, '2025-10'))).toEqual([
      ['INFO', 'DATA.NONE', '本月暂无数据。', []],
    ]);
  });

  it('rejects a malformed month and an oversized ranking', async () => {
    const month = await api.run(VIEWERS.bureau, FINDINGS, { month: '2025-13' });
    expect(month.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const first = await api.run(
      VIEWERS.bureau,
      `{ monthlyReport(month: "2025-10") { topSchools(first: 101) { month } } }`,
    );
    expect(first.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

const OVERVIEW_FIELDS = `month schoolsInScope schoolsReporting schoolsOffering schoolCoverageRate
  enrolled applicants participants participationRate demandMetRate teacherParticipationRate
  teachersServing teachersTotal openFlags overdueFlags fiveDayShare fivePlusTwoRate
  policyMinDailyMinutes externalStaff providers providersUnapproved reportTimelinessRate
  priorityGroups { group enrolled participants rate gap }
  satisfaction { respondent responses score satisfiedShare }
  changes { metric value previousMonth sameMonthLastYear monthOnMonth yearOnYear }`;

describe('MonthlyReport.overview', () => {
  it('is the overview of the same month and scope', async () => {
    const cases = [
      [VIEWERS.bureau, null],
      [VIEWERS.dx02, null],
      [VIEWERS.leader, { township: '东城镇' }],
    ] as const;
    for (const [viewer, scope] of cases) {
      const { data, errors } = await api.run(
        viewer,
        `query ($scope: ScopeInput) {
          r: monthlyReport(month: "2025-10", scope: $scope) { overview { ${OVERVIEW_FIELDS} } }
          o: overview(month: "2025-10", scope: $scope) { ${OVERVIEW_FIELDS} }
        }`,
        { scope },
      );
      expect(errors).toBeUndefined();
      expect((data?.r as { overview: unknown }).overview).toEqual(data?.o);
    }
  });
});

const SCHOOL_MONTH = `school { code name } reported participationRate demandMetRate priorityGap
  enrolled participants openFlags satisfactionScore`;

describe('MonthlyReport.topSchools', () => {
  it('ranks reporting schools as schools(sort: PARTICIPATION_RATE) does, with its figures', async () => {
    const { data, errors } = await api.run(
      VIEWERS.bureau,
      `{ monthlyReport(month: "2025-10") {
          topSchools { ${SCHOOL_MONTH} } bottomSchools(first: 2) { ${SCHOOL_MONTH} } }
        desc: schools(month: "2025-10", sort: PARTICIPATION_RATE, direction: DESC) { items { ${SCHOOL_MONTH} } }
        asc: schools(month: "2025-10", sort: PARTICIPATION_RATE, direction: ASC) { items { ${SCHOOL_MONTH} } } }`,
    );
    expect(errors).toBeUndefined();
    const report = data?.monthlyReport as Record<string, { school: { code: string } }[]>;
    // 东城第一小学 168/200, 东城村小 40/50, 西山中学 0/200; 西山九年一贯制学校 sent no report.
    // Three ranked schools: the better two on top, the third at the bottom, none twice.
    expect(report.topSchools?.map((s) => s.school.code)).toEqual(['1000000001', '1000000002']);
    expect(report.bottomSchools?.map((s) => s.school.code)).toEqual(['1000000003']);
    const reporting = (key: string) =>
      (data?.[key] as { items: { reported: boolean }[] }).items.filter((s) => s.reported);
    expect(report.topSchools).toEqual(reporting('desc').slice(0, 2));
    expect(report.bottomSchools).toEqual(reporting('asc').slice(0, 1));
  });

  it('ranks only the schools in a supervising inspector’s remit', async () => {
    const { data } = await api.run(
      VIEWERS.dx02,
      `{ monthlyReport(month: "2025-09") {
          topSchools { school { code } participationRate }
          bottomSchools { school { code } participationRate } } }`,
    );
    expect(data?.monthlyReport).toEqual({
      topSchools: [{ school: { code: '1000000004' }, participationRate: 1 }],
      bottomSchools: [{ school: { code: '1000000002' }, participationRate: 0.9 }],
    });
  });
});

const FLAG_LISTS = `{ monthlyReport(month: "2025-10") {
  newFlags { id code schoolCode month } closedFlags { id code schoolCode month } } }`;

describe('MonthlyReport.newFlags', () => {
  it('lists the flags `flags(month)` shows the user, by code then school', async () => {
    for (const viewer of [VIEWERS.bureau, VIEWERS.dx01, VIEWERS.dx02]) {
      const { data, errors } = await api.run(
        viewer,
        `{ monthlyReport(month: "2025-10") { newFlags { id code schoolCode } }
           flags(month: "2025-10") { items { id } } }`,
      );
      expect(errors).toBeUndefined();
      const listed = (data?.monthlyReport as { newFlags: { id: string }[] }).newFlags;
      const ids = (data?.flags as { items: { id: string }[] }).items.map((f) => f.id);
      expect(listed.map((f) => f.id).sort()).toEqual(ids.sort());
    }
    const { data } = await api.run(VIEWERS.bureau, FLAG_LISTS);
    const flags = (data?.monthlyReport as { newFlags: { code: string; schoolCode: string }[] })
      .newFlags;
    expect(flags.map((f) => `${f.code} ${f.schoolCode}`)).toEqual([
      'MISSING_REPORT 1000000004',
      'NOT_OFFERED 1000000003',
      'PRIORITY_GAP 1000000001',
      'PRIORITY_GAP 1000000002',
      'SHORT_SERVICE 1000000002',
    ]);
  });
});

describe('MonthlyReport.closedFlags', () => {
  it('lists flags with a closing step dated in the month in Asia/Shanghai', async () => {
    const { data, errors } = await api.run(VIEWERS.bureau, FLAG_LISTS);
    expect(errors).toBeUndefined();
    // Dismissed 2025-10-01 00:10 and auto-resolved 2025-10-31 23:30 (Shanghai) count;
    // closed 2025-11-01 00:30 and a RECTIFIED step do not.
    expect((data?.monthlyReport as { closedFlags: unknown[] }).closedFlags).toEqual([
      { id: expect.any(String), code: 'NOT_OFFERED', schoolCode: '1000000003', month: '2025-09' },
      { id: expect.any(String), code: 'SHORT_SERVICE', schoolCode: '1000000001', month: '2025-09' },
    ]);
    const nov = await api.run(
      VIEWERS.bureau,
      `{ monthlyReport(month: "2025-11") { closedFlags { code schoolCode } } }`,
    );
    expect(nov.data?.monthlyReport).toEqual({
      closedFlags: [{ code: 'PRIORITY_GAP', schoolCode: '1000000002' }],
    });
  });

  it('shows a supervising inspector only the flags `flags` shows them', async () => {
    const codes = async (viewer: (typeof VIEWERS)[keyof typeof VIEWERS]) => {
      const { data } = await api.run(viewer, FLAG_LISTS);
      return (data?.monthlyReport as { closedFlags: { schoolCode: string }[] }).closedFlags.map(
        (f) => f.schoolCode,
      );
    };
    // 西山中学 was DX01's in 2025-09 (the flag's month) and is DX02's now.
    expect(await codes(VIEWERS.dx01)).toEqual(['1000000003', '1000000001']);
    expect(await codes(VIEWERS.dx02)).toEqual(['1000000003']);
    expect(await codes(VIEWERS.unlinked)).toEqual([]);
  });
});

describe('MonthlyReport.dataAsOf', () => {
  it('is the load time of the newest batch behind the figures, in +08:00', async () => {
    const { data } = await api.run(
      VIEWERS.bureau,
      `{ monthlyReport(month: "2025-10") { dataAsOf } }`,
    );
    const newest = await scalar(
      api.warehouse,
      `SELECT epoch_ms(max(loaded_at)) FROM load_batches WHERE kind <> 'assignments'`,
    );
    const dataAsOf = (data?.monthlyReport as { dataAsOf: string }).dataAsOf;
    expect(dataAsOf).toBe(shanghaiIso(Number(newest)));
    expect(dataAsOf).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/u);
  });

  it('is null when nothing behind the figures is loaded', async () => {
    const { data } = await api.run(
      VIEWERS.unlinked,
      `{ monthlyReport(month: "2025-10") { dataAsOf } }`,
    );
    expect(data?.monthlyReport).toEqual({ dataAsOf: null });
  });
});

describe('monthlyReport statements', () => {
  it('costs the same statements for every viewer and month', async () => {
    const full = `query ($month: String!) { monthlyReport(month: $month) {
      month dataAsOf overview { month changes { metric } } findings { code schools { code } }
      topSchools { month } bottomSchools { month }
      newFlags { id history { id } } closedFlags { id history { id } } } }`;
    const counts = [];
    for (const viewer of [VIEWERS.bureau, VIEWERS.dx01, VIEWERS.leader])
      for (const month of ['2025-09', '2025-10']) {
        const { errors, queries } = await api.run(viewer, full, { month });
        expect(errors).toBeUndefined();
        counts.push(queries);
      }
    // Overview 1 + its previous/year-earlier months 1, school rows, flag counts, overdue,
    // open flag ages, complaint counts, batches, new flags, closed flags, and one history batch per non-empty
    // flag list (nothing was closed in 2025-09). A leader's report is small-cell protected:
    // the overview adds two statements (the months' fingerprint, the scope's school-months)
    // and a third when the month's blocks are not cached yet; the ranked schools' groups
    // one or two more (their fingerprint, and the blocks when asked alongside the overview's).
    // A fixed cost, whatever the number of schools.
    expect(counts.slice(0, 4)).toEqual([11, 12, 11, 12]);
    expect(counts[4]! - counts[0]!).toBeGreaterThanOrEqual(3);
    expect(counts[4]! - counts[0]!).toBeLessThanOrEqual(5);
    expect(counts[5]! - counts[1]!).toBeGreaterThanOrEqual(3);
    expect(counts[5]! - counts[1]!).toBeLessThanOrEqual(5);
  });

  it('counts as one data root field of the operation’s budget', async () => {
    const reports = (n: number) =>
      Array.from({ length: n }, (_, i) => `r${i}: monthlyReport(month: "2025-10") { month }`);
    const within = await api.run(VIEWERS.bureau, `{ ${reports(LIMITS.maxRootFields).join(' ')} }`);
    expect(within.errors).toBeUndefined();
    const over = await api.run(
      VIEWERS.bureau,
      `{ ${reports(LIMITS.maxRootFields + 1).join(' ')} }`,
    );
    expect(over.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
