/**
 * 多方印证 through GraphQL. School 1000000001's October 2025 report says: free (0 元/课时),
 * fees published, 20 of 20 days at 120 minutes, ends 17:50 (cap 18:00 for primaries),
 * 1 homework period, no incidents. Against it (seeded here and in
 * test/fixtures/triangulation/): complaints ILLEGAL_FEES, LATE_END, EXCESS_HOMEWORK and
 * OVERSIZED_GROUP (no rule) in October, LATE_END in September (another month); a visit on
 * 2025-10-15 with FEE_PUBLICITY and SAFETY problems (CONTENT fine) and a SHORT_SERVICE
 * inspection flag (the ILLEGAL_FEES complaint's own flag is no visit finding); a September
 * visit with a SERVICE_TIME problem (another month); ten parents: fees 3/10 dissatisfied (≥ 0.2), homework 1/10 (under), safety 2/10 (exactly
 * 0.2); nine students all dissatisfied with fees (under min_respondents 10). So each of the
 * eight rule × source pairs below fires once. School 1000000002 (DX02's) has no other
 * source: no contradiction.
 */
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';

const EXTRA = fileURLToPath(new URL('../../../fixtures/triangulation/', import.meta.url));

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openApiFixture({ now: new Date('2025-11-10T04:00:00Z'), extraPaths: [EXTRA] });
  await fx.writer.write(async ({ db }) => {
    const complaint = (code: string, on: string) =>
      sql`INSERT INTO complaints (school_code, source, flag_code, received_on, month, allegation,
          complainant_name, complainant_contact, status, handler_user_id, deadline,
          created_by_user_id, created_by)
        VALUES ('1000000001', 'HOTLINE_12345', ${code}, CAST(${on} AS DATE), ${on.slice(0, 7)},
          '家长反映', '王某', '13800000000', 'RECEIVED', NULL, CAST(${on} AS DATE) + 15, 1, 'bureau')`.execute(
        db,
      );
    await complaint('ILLEGAL_FEES', '2025-10-08');
    await complaint('LATE_END', '2025-10-09');
    await complaint('EXCESS_HOMEWORK', '2025-10-20');
    await complaint('OVERSIZED_GROUP', '2025-10-21');
    await complaint('LATE_END', '2025-09-28');
    const visit = async (date: string, checks: [string, string][]) => {
      const { rows } = await sql<{ visit_id: number }>`INSERT INTO visits
          (school_code, visit_date, kind, user_id, username, user_name, inspector_id, findings)
        VALUES ('1000000001', CAST(${date} AS DATE), 'ROUTINE', 3, 'dx01', '张督学', 'DX01', '走访')
        RETURNING visit_id`.execute(db);
      const id = Number(rows[0]?.visit_id);
      for (const [item, result] of checks)
        await sql`INSERT INTO visit_checks (visit_id, item, result, note)
          VALUES (${id}, ${item}, ${result}, NULL)`.execute(db);
      return id;
    };
    const october = await visit('2025-10-15', [
      ['FEE_PUBLICITY', 'PROBLEM'],
      ['SAFETY', 'PROBLEM'],
      ['CONTENT', 'OK'],
    ]);
    await visit('2025-09-18', [['SERVICE_TIME', 'PROBLEM']]);
    await sql`INSERT INTO flags (school_code, month, code, rule, source, status, detail,
        policy_version, threshold, observed, evidence_batch_id, visit_id, raised_by)
      VALUES ('1000000001', '2025-10', 'SHORT_SERVICE', 'SHORT_SERVICE.inspection', 'inspection',
        'OPEN', '走访发现每天只开展一个课时', NULL, NULL, NULL, NULL, ${october}, 'dx01')`.execute(
      db,
    );
    // The ILLEGAL_FEES complaint's own flag: on the complaints side, not a visit finding.
    await sql`INSERT INTO flags (school_code, month, code, rule, source, status, detail,
        policy_version, threshold, observed, evidence_batch_id, visit_id, raised_by)
      VALUES ('1000000001', '2025-10', 'ILLEGAL_FEES', 'ILLEGAL_FEES.complaint', 'inspection',
        'OPEN', '投诉反映收费', NULL, NULL, NULL, NULL, NULL, 'bureau')`.execute(db);
  });
});
afterAll(async () => {
  await fx.close();
});

const QUERY = `query ($code: String!, $month: String!) {
  triangulation(schoolCode: $code, month: $month) {
    schoolCode month
    report { reported feePerPeriod feesPublished schoolDays serviceDays dailyMinutes
      latestEndTime endTimeCap homeworkPeriods incidents participationRate }
    survey { itemText respondent responses dissatisfied dissatisfiedShare }
    complaints { code label count }
    visitFindings { date kind code label }
    contradictions { rule source reportSide otherSide text textEn }
  }
}`;

interface Result {
  report: Record<string, unknown>;
  survey: { itemText: string; respondent: string; responses: number; dissatisfied: number }[];
  complaints: { code: string; label: string; count: number }[] | null;
  visitFindings: { date: string; kind: string; code: string; label: string }[];
  contradictions: { rule: string; source: string; text: string; textEn: string }[];
}

async function ask(viewer = VIEWERS.bureau, code = '1000000001', month = '2025-10') {
  const { data, errors } = await fx.run(viewer, QUERY, { code, month });
  expect(errors).toBeUndefined();
  return (data as { triangulation: Result | null }).triangulation;
}

describe('triangulation', () => {
  it('puts the report, survey, complaints and visit findings of the month side by side', async () => {
    const t = (await ask()) as Result;
    expect(t.report).toMatchObject({
      reported: true,
      feePerPeriod: 0,
      feesPublished: true,
      schoolDays: 20,
      serviceDays: 20,
      dailyMinutes: 120,
      latestEndTime: '17:50',
      endTimeCap: '18:00（小学）',
      homeworkPeriods: 1,
      incidents: 0,
    });
    // September's complaint is another month's; OVERSIZED_GROUP is listed though no rule reads it.
    expect(t.complaints).toEqual([
      { code: 'EXCESS_HOMEWORK', label: '增加课业负担', count: 1 },
      { code: 'ILLEGAL_FEES', label: '违规收费', count: 1 },
      { code: 'LATE_END', label: '结束时间过晚', count: 1 },
      { code: 'OVERSIZED_GROUP', label: '班额超标', count: 1 },
    ]);
    expect(t.visitFindings).toEqual([
      { date: '2025-10-15', kind: 'CHECK', code: 'FEE_PUBLICITY', label: '收费公示' },
      { date: '2025-10-15', kind: 'CHECK', code: 'SAFETY', label: '安全管理' },
      { date: '2025-10-15', kind: 'FLAG', code: 'SHORT_SERVICE', label: '服务时间不足' },
    ]);
    const fee = t.survey.filter((s) => s.itemText.includes('收费'));
    expect(fee).toEqual([
      expect.objectContaining({ respondent: 'parent', responses: 10, dissatisfied: 3 }),
      expect.objectContaining({ respondent: 'student', responses: 9, dissatisfied: 9 }),
    ]);
  });

  it('finds each rule × source contradiction once, naming both sides', async () => {
    const t = (await ask()) as Result;
    expect(t.contradictions.map((c) => `${c.rule}/${c.source}`)).toEqual([
      'FEES_FREE/COMPLAINT',
      'FEES_FREE/SURVEY',
      'FEES_PUBLISHED/VISIT',
      'END_TIME/COMPLAINT',
      'SERVICE_AMOUNT/VISIT',
      'HOMEWORK/COMPLAINT',
      'SAFETY/VISIT',
      'SAFETY/SURVEY',
    ]);
    const texts = t.contradictions.map((c) => c.text);
    expect(texts).toEqual([
      '月报填报收费标准 0 元/课时（免费），但本月收到“违规收费”类投诉 1 件。',
      '月报填报收费标准 0 元/课时（免费），但家长问卷“您对课后服务的收费情况是否满意？”有 30%（3/10）不满意。',
      '月报填报已收费公示，但2025-10-15 走访检查“收费公示”有问题。',
      '月报填报最晚结束时间 17:50，未超过规定的 18:00（小学），但本月收到“结束时间过晚”类投诉 1 件。',
      '月报填报开展 20 天（上学 20 天）、每天 120 分钟，达到规定，但督导发现“服务时间不足”问题（2025-10-15）。',
      '月报填报每日作业辅导 1 课时，未超过规定，但本月收到“增加课业负担”类投诉 1 件。',
      '月报填报安全事故 0 起，但2025-10-15 走访检查“安全管理”有问题。',
      '月报填报安全事故 0 起，但家长问卷“您对课后服务的安全管理是否满意？”有 20%（2/10）不满意。',
    ]);
    expect(t.contradictions[0]?.textEn).toBe(
      'The report says the service is free, but 1 complaint(s) of Illegal fees came in this month.',
    );
  });

  it('finds no contradiction on a school whose other sources are silent', async () => {
    const t = (await ask(VIEWERS.bureau, '1000000002')) as Result;
    expect(t.report.reported).toBe(true);
    expect(t.complaints).toEqual([]);
    expect(t.visitFindings).toEqual([]);
    expect(t.contradictions).toEqual([]);
  });

  it('judges only the month asked: September has a complaint and a visit but no contradiction rule fires on them in October', async () => {
    const t = (await ask(VIEWERS.bureau, '1000000001', '2025-09')) as Result;
    // September's report (17:50, 16 of 16 days at 110 minutes) against its LATE_END complaint
    // and SERVICE_TIME problem: the end-time rule fires for each; service is short (110 < 120).
    expect(t.contradictions.map((c) => `${c.rule}/${c.source}`)).toEqual([
      'END_TIME/COMPLAINT',
      'END_TIME/VISIT',
    ]);
  });

  it('scopes like the school page: a 督学 outside remit gets null, leadership no complaints', async () => {
    expect(await ask(VIEWERS.dx02)).toBeNull();
    expect(await ask(VIEWERS.unlinked)).toBeNull();
    const mine = (await ask(VIEWERS.dx01)) as Result;
    expect(mine.contradictions).toHaveLength(8);
    const leader = (await ask(VIEWERS.leader)) as Result;
    expect(leader.complaints).toBeNull();
    expect(leader.contradictions.map((c) => `${c.rule}/${c.source}`)).toEqual([
      'FEES_FREE/SURVEY',
      'FEES_PUBLISHED/VISIT',
      'SERVICE_AMOUNT/VISIT',
      'SAFETY/VISIT',
      'SAFETY/SURVEY',
    ]);
    expect(JSON.stringify(leader)).not.toContain('投诉');
  });

  it('refuses a malformed school code or month', async () => {
    const { errors } = await fx.run(VIEWERS.bureau, QUERY, { code: '123', month: '2025-10' });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const bad = await fx.run(VIEWERS.bureau, QUERY, { code: '1000000001', month: '2025-13' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
