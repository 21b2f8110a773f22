/**
 * Small-cell protection of flag texts: a PRIORITY_GAP flag's detail and observed value cite
 * the group's pupils; a leader (and any export) gets them only where the school-month's
 * counts of that group are shown exactly anyway. Fixture district test/fixtures/api,
 * 东城第一小学 (1000000001) in 2025-10: 留守儿童 14 of 20, 残疾儿童 1 of 2 (n = 10).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLContext } from '../../../../server/graphql/context.ts';
import { withheldBelow } from '../../../../server/graphql/flags/flag-disclosure.ts';
import { loadPolicy } from '../../../../server/policy/policy.ts';
import {
  API_FIXTURE_POLICY,
  openApiFixture,
  VIEWERS,
  type ApiFixture,
} from '../../../helpers/api-fixture.ts';

let api: ApiFixture;
const ids: Record<string, string> = {};

async function seedGapFlag(rule: string, detail: string, observed: string): Promise<string> {
  const row = await api.writer.write(({ db }) =>
    db
      .insertInto('flags')
      .values({
        school_code: '1000000001',
        month: '2025-10',
        code: 'PRIORITY_GAP',
        rule,
        source: 'report',
        status: 'OPEN',
        detail,
        raised_by: 'system',
        policy_version: null,
        threshold: '低于全校不超过 10 个百分点',
        observed,
        evidence_batch_id: null,
        visit_id: null,
        rectify_deadline: null,
        rectify_request: null,
        rectify_report: null,
        resolution: null,
        created_at: sql`CAST('2025-11-06T10:00:00+08:00' AS TIMESTAMPTZ)`,
        updated_at: sql`CAST('2025-11-06T10:00:00+08:00' AS TIMESTAMPTZ)`,
      })
      .returning('flag_id')
      .executeTakeFirstOrThrow(),
  );
  return String(row.flag_id);
}

beforeAll(async () => {
  api = await openApiFixture({ now: new Date('2025-11-20T12:00:00+08:00') });
  ids.disabled = await seedGapFlag(
    'PRIORITY_GAP.disabled',
    '残疾儿童参与率 50.0%（2 人中 1 人），低于全校 84.0% 达 34.0 个百分点，超过规定的 10 个百分点',
    '50.0%（全校 84.0%）',
  );
  ids.leftBehind = await seedGapFlag(
    'PRIORITY_GAP.left_behind',
    '留守儿童参与率 70.0%（20 人中 14 人），低于全校 84.0% 达 14.0 个百分点，超过规定的 10 个百分点',
    '70.0%（全校 84.0%）',
  );
});
afterAll(async () => {
  await api?.close();
});

const FLAG = `query($id: ID!) { flag(id: $id) { rule detail observed } }`;

async function flagAs(who: keyof typeof VIEWERS, id: string) {
  const { data, errors } = await api.run(VIEWERS[who], FLAG, { id });
  expect(errors).toBeUndefined();
  return (data as { flag: { rule: string; detail: string; observed: string } }).flag;
}

describe('priority-gap flag texts under small-cell protection', () => {
  it('a leader reads a small group’s flag without its pupils or rate', async () => {
    const flag = await flagAs('leader', ids.disabled as string);
    expect(flag.detail).toBe(
      '残疾儿童参与率低于全校参与率，超过规定的差距（规定：低于全校不超过 10 个百分点）。小群体保护：该群体人数少于10人（或为防止推算一并隐藏），人数和参与率不予显示',
    );
    expect(flag.observed).toBe('<10人');
    expect(`${flag.detail}${flag.observed}`).not.toMatch(/50\.0%|2 人中 1 人/u);
  });

  it('bureau and 督学 keep the exact texts for their work', async () => {
    for (const who of ['bureau', 'dx01'] as const) {
      const flag = await flagAs(who, ids.disabled as string);
      expect(flag.detail).toContain('（2 人中 1 人）');
      expect(flag.observed).toBe('50.0%（全校 84.0%）');
    }
  });

  it('a group shown exactly to a leader anyway keeps its figures (14 of 20)', async () => {
    const flag = await flagAs('leader', ids.leftBehind as string);
    expect(flag.detail).toContain('（20 人中 14 人）');
    expect(flag.observed).toBe('70.0%（全校 84.0%）');
  });

  it('an export withholds them for every role; other flags are never touched', async () => {
    const ctx = {
      viewer: VIEWERS.bureau,
      db: api.warehouse.db,
      policy: loadPolicy(API_FIXTURE_POLICY),
      exportRequest: true,
    } as unknown as GraphQLContext;
    const flag = { schoolCode: '1000000001', month: '2025-10', source: 'REPORT' } as const;
    expect(await withheldBelow(ctx, { ...flag, rule: 'PRIORITY_GAP.disabled' })).toBe(10);
    expect(await withheldBelow(ctx, { ...flag, rule: 'PRIORITY_GAP.left_behind' })).toBeNull();
    expect(await withheldBelow(ctx, { ...flag, rule: 'LATE_END.cap' })).toBeNull();
    const exact = { ...ctx, exportRequest: false } as GraphQLContext;
    expect(await withheldBelow(exact, { ...flag, rule: 'PRIORITY_GAP.disabled' })).toBeNull();
  });
});
