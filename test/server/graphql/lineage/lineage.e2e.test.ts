/**
 * `lineage` over the fixture district loaded by the real ETL: a figure traced to the exact
 * row of its fixture file (test/fixtures/api/月报.csv line 3: 1000000001, 2025-09, 参与教师数
 * 28), the replaced version after a correction file (28 → 30, 投诉数 0 → 1), remit and
 * small-cell rules per role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { exitCode, loadPaths } from '../../../../etl/index.ts';
import { FIGURE_LINEAGE } from '../../../../web/src/api/queries/lineage.ts';
import {
  FIXTURE_LOADED_AT,
  openApiFixture,
  VIEWERS,
  type ApiFixture,
} from '../../../helpers/api-fixture.ts';

const CORRECTION = fileURLToPath(
  new URL('../../../fixtures/lineage/月报-更正.csv', import.meta.url),
);

// The dashboard's own operation (web/src/api/queries/lineage.ts).
const LINEAGE = FIGURE_LINEAGE;

interface Row {
  batchId: string;
  fileName: string;
  sheet: string | null;
  row: number | null;
  grade: number | null;
  loadedBy: string;
  loadedAt: string;
  sha256: string;
  values: { column: string; label: string; value: string | null }[];
}
interface Lineage {
  current: Row[];
  history: {
    replacedByBatchId: string;
    replacedByFile: string;
    source: Row;
    changes: { column: string; label: string; old: string | null; new: string | null }[];
  }[];
}

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openApiFixture();
});
afterAll(async () => {
  await fx?.close();
});

async function lineage(
  viewer: (typeof VIEWERS)[keyof typeof VIEWERS],
  schoolCode: string,
  month: string,
  table = 'MONTHLY_REPORTS',
): Promise<Lineage | null> {
  const res = await fx.run(viewer, LINEAGE, { schoolCode, month, table });
  expect(res.errors).toBeUndefined();
  return (res.data?.lineage ?? null) as Lineage | null;
}

const value = (row: Row, column: string) => row.values.find((v) => v.column === column);

describe('Query.lineage', () => {
  it('traces a monthly figure to its file, sheet and Excel row', async () => {
    const l = await lineage(VIEWERS.bureau, '1000000001', '2025-09');
    expect(l?.current).toHaveLength(1);
    const row = l!.current[0]!;
    expect(row.fileName).toBe('月报.csv');
    // Header on line 1, 2024-10 on line 2: the 2025-09 row is line 3.
    expect(row.row).toBe(3);
    expect(row.loadedBy).toBe('test');
    // loaded_at is the load's own clock, not the fixture's `now`.
    expect(row.loadedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/u);
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/u);
    expect(value(row, 'teachers_serving')).toEqual({
      column: 'teachers_serving',
      label: '参与教师数',
      value: '28',
    });
    expect(value(row, 'fees_published')?.value).toBe('是');
    expect(value(row, 'latest_end_time')?.value).toMatch(/^17:50/u);
    expect(l!.history).toEqual([]);
  });

  it('lists participation rows per grade; leadership gets no priority-group counts', async () => {
    const bureau = await lineage(VIEWERS.bureau, '1000000001', '2025-10', 'PARTICIPATION');
    expect(bureau?.current.map((r) => [r.grade, r.row])).toEqual([
      [1, 7],
      [2, 8],
    ]);
    expect(value(bureau!.current[0]!, 'left_behind_participants')).toEqual({
      column: 'left_behind_participants',
      label: '留守儿童参加数',
      value: '6',
    });
    const leader = await lineage(VIEWERS.leader, '1000000001', '2025-10', 'PARTICIPATION');
    expect(value(leader!.current[0]!, 'participants')?.value).toBe('78');
    expect(
      leader!.current[0]!.values.filter((v) =>
        /^(left_behind|migrant|disabled|poor)_/u.test(v.column),
      ),
    ).toEqual([]);
  });

  it('answers null outside the remit, for unknown schools and months without rows', async () => {
    // 1000000001 is DX01's school in 2025-09, not DX02's.
    expect(await lineage(VIEWERS.dx01, '1000000001', '2025-09')).not.toBeNull();
    expect(await lineage(VIEWERS.dx02, '1000000001', '2025-09')).toBeNull();
    expect(await lineage(VIEWERS.unlinked, '1000000001', '2025-09')).toBeNull();
    expect(await lineage(VIEWERS.bureau, '9999999999', '2025-09')).toBeNull();
    expect(await lineage(VIEWERS.bureau, '1000000001', '2023-09')).toBeNull();
  });

  it('refuses a malformed month', async () => {
    const res = await fx.run(VIEWERS.bureau, LINEAGE, {
      schoolCode: '1000000001',
      month: '2025-9',
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('after a correction file: the current row is the new file’s, the old one is history', async () => {
    const before = await lineage(VIEWERS.bureau, '1000000001', '2025-09');
    const summary = await fx.writer.exclusive(() =>
      loadPaths(fx.warehouse, [CORRECTION], { user: 'clerk2', now: FIXTURE_LOADED_AT }),
    );
    expect(exitCode(summary)).toBe(0);
    const l = await lineage(VIEWERS.bureau, '1000000001', '2025-09');
    const current = l!.current[0]!;
    expect(current.fileName).toBe('月报-更正.csv');
    expect(current.row).toBe(2);
    expect(current.loadedBy).toBe('clerk2');
    expect(l!.history).toHaveLength(1);
    const version = l!.history[0]!;
    expect(version.replacedByBatchId).toBe(current.batchId);
    expect(version.replacedByFile).toBe('月报-更正.csv');
    expect(version.source.fileName).toBe('月报.csv');
    expect(version.source.row).toBe(3);
    expect(version.source.batchId).toBe(before!.current[0]!.batchId);
    expect(version.changes).toEqual([
      { column: 'teachers_serving', label: '参与教师数', old: '28', new: '30' },
      { column: 'complaints', label: '投诉数', old: '0', new: '1' },
    ]);
  });
});
