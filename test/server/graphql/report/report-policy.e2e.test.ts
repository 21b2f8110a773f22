/**
 * The report judges each month by the policy version in force for it: here a district file
 * whose 2025-10 version raises the demand-met floor to 99% and lets groups lag by 20 points
 * (loaded through KEHOU_POLICY, so the ETL's flags use the same file).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../../helpers/api-fixture.ts';
import { query } from '../../../helpers/with-warehouse.ts';

let api: ApiFixture;
let dir = '';
const saved = process.env.KEHOU_POLICY;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-report-policy-'));
  const file = join(dir, 'policy.yaml');
  await writeFile(
    file,
    stringify({
      district: '测试区',
      versions: [
        { version: 'A', effective_from: '2021-09', source: '国家默认' },
        {
          version: 'B',
          effective_from: '2025-10',
          source: '测试区课后服务实施方案',
          participation: { min_demand_met_rate: 0.99 },
          priority_gap: { max_gap_points: 20 },
        },
      ],
    }),
  );
  process.env.KEHOU_POLICY = file;
  api = await openApiFixture({ now: new Date('2025-11-20T12:00:00+08:00') });
});
afterAll(async () => {
  await api.close();
  if (saved === undefined) delete process.env.KEHOU_POLICY;
  else process.env.KEHOU_POLICY = saved;
  await rm(dir, { recursive: true, force: true });
});

async function warnings(month: string): Promise<unknown[]> {
  const { data, errors } = await api.run(
    VIEWERS.bureau,
    `query ($month: String!) { monthlyReport(month: $month) {
      findings { severity code text schools { code } } } }`,
    { month },
  );
  expect(errors).toBeUndefined();
  const list = (
    data?.monthlyReport as {
      findings: { severity: string; code: string; text: string; schools: { code: string }[] }[];
    }
  ).findings;
  return list
    .filter((f) => f.code.startsWith('DEMAND_MET') || f.code.startsWith('PRIORITY_GAP'))
    .map((f) => [f.code, f.text, f.schools.map((s) => s.code)]);
}

describe('Query.monthlyReport under a district policy', () => {
  it('judges 2025-10 by version B', async () => {
    expect(await warnings('2025-10')).toEqual([
      // 东城第一小学 served 168 of 170 applicants (98.8%).
      ['DEMAND_MET.BELOW_FLOOR', '1所学校需求满足率低于99%。', ['1000000001']],
      // Only 东城村小's 30 points exceed 20; 东城第一小学's 14 do not.
      [
        'PRIORITY_GAP.LEFT_BEHIND',
        '1所学校留守儿童参与率低于本校学生参与率超过20个百分点。',
        ['1000000002'],
      ],
    ]);
  });

  it('judges 2025-09 by version A', async () => {
    expect(await warnings('2025-09')).toEqual([
      ['DEMAND_MET.BELOW_FLOOR', '1所学校需求满足率低于100%。', ['1000000003']],
      [
        'PRIORITY_GAP.LEFT_BEHIND',
        '2所学校留守儿童参与率低于本校学生参与率超过10个百分点。',
        ['1000000002', '1000000003'],
      ],
      [
        'PRIORITY_GAP.MIGRANT',
        '1所学校随迁子女参与率低于本校学生参与率超过10个百分点。',
        ['1000000001'],
      ],
    ]);
  });

  it('agrees with the flags the ETL raised under the same file', async () => {
    const rows = await query(
      api.warehouse,
      `SELECT rule, policy_version, school_code FROM flags
       WHERE month = '2025-10' AND rule IN ('NOT_OFFERED.turned_away', 'PRIORITY_GAP.left_behind')
       ORDER BY rule, school_code`,
    );
    expect(rows.map((r) => Object.values(r).join(' '))).toEqual([
      'NOT_OFFERED.turned_away B 1000000001',
      'PRIORITY_GAP.left_behind B 1000000002',
    ]);
  });
});
