/**
 * Files of one kind in a run load as one group (staged and validated together, one
 * transaction), with the results loading them one by one would give: a later file's
 * version of a school-month wins, each file keeps its own batch, counts and rejects, a
 * file that cannot be read or a failing group changes nothing of the others.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupUnits, loadPaths, type FileResult } from '../../../etl/index.ts';
import type { LoadUnit } from '../../../etl/load/load-unit.ts';
import type { ReportKind } from '../../../etl/reports/report-kind.ts';
import { query, useWarehouse } from '../../helpers/with-warehouse.ts';

const REGISTRY = fileURLToPath(new URL('../../fixtures/etl/学校名录.xlsx', import.meta.url));

const HEADER =
  '学校标识码,学校名称,填报月份,上学天数,开展天数,日均服务时长（分钟）,最晚结束时间,每日作业辅导课时,一二年级布置书面作业,收费标准（元/课时）,收费减免人数,减免对象仍收费人数,收费公示,参与教师数,教师课时补助（元/课时）,校外人员数,第三方机构数,其中未经审核机构数,最大班额,安全事故数,投诉数';

/** A monthly row of 城关第一小学 (3101010001) that follows the default policy. */
function row(month: string, minutes: number, code = '3101010001'): string {
  return `${code},城关第一小学,${month},21,20,${minutes},18:00,1,否,3.5,12,0,是,45,50,2,1,0,45,0,1`;
}

const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

const warehouse = useWarehouse();
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-group-'));
  await copyFile(REGISTRY, join(dir, '学校名录.xlsx'));
  await mkdir(join(dir, '月报'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const monthly = (name: string, content: string) => writeFile(join(dir, '月报', name), content);
const byName = (files: readonly FileResult[], name: string) =>
  files.find((f) => f.path.endsWith(name))!;

async function reports() {
  return query(
    warehouse(),
    `SELECT r.month, r.daily_minutes, b.file_name FROM monthly_reports r
      JOIN load_batches b USING (batch_id) WHERE r.school_code = '3101010001' ORDER BY r.month`,
  );
}

describe('loading a folder by groups', () => {
  it('keeps the later file of a school-month, and each file its own batch, counts and rejects', async () => {
    await monthly('a.csv', csv(row('2024-09', 120), row('2024-10', 110)));
    // b corrects a's September and has a row of a school the registry does not know.
    await monthly('b.csv', csv(row('2024-09', 100), row('2024-09', 90, '3101019999')));
    const summary = await loadPaths(warehouse(), [dir], { user: 'test' });
    const a = byName(summary.files, 'a.csv');
    const b = byName(summary.files, 'b.csv');
    expect([a.rowsLoaded, a.unitsLoaded, a.rejects.length]).toEqual([2, 2, 0]);
    expect([b.rowsLoaded, b.rowsRejected, b.unitsLoaded, b.unitsRejected]).toEqual([1, 1, 1, 1]);
    expect(b.rejects.map((r) => [r.sheet, r.row, r.value, r.code])).toEqual([
      ['b', 3, '3101019999', 'UNKNOWN_SCHOOL'],
    ]);
    expect(a.batchId).toBeLessThan(b.batchId!);
    expect(await reports()).toEqual([
      { month: '2024-09', daily_minutes: 100, file_name: 'b.csv' },
      { month: '2024-10', daily_minutes: 110, file_name: 'a.csv' },
    ]);
    const batches = await query(
      warehouse(),
      `SELECT file_name, rows_loaded, rows_rejected FROM load_batches WHERE kind = 'monthly' ORDER BY batch_id`,
    );
    expect(batches).toEqual([
      { file_name: 'a.csv', rows_loaded: 2, rows_rejected: 0 },
      { file_name: 'b.csv', rows_loaded: 1, rows_rejected: 1 },
    ]);
  });

  it('loads a file again after an earlier file of the run replaced its units, so it still wins', async () => {
    await monthly('a.csv', csv(row('2024-09', 120)));
    await monthly('b.csv', csv(row('2024-09', 100)));
    await loadPaths(warehouse(), [dir], { user: 'test' });
    // a is no longer current (b replaced its unit), so it loads again, and so must b after it.
    const again = await loadPaths(warehouse(), [dir], { user: 'test' });
    expect(byName(again.files, '学校名录.xlsx').unchanged).toBe(true);
    expect(byName(again.files, 'a.csv').unchanged).toBe(false);
    expect(byName(again.files, 'b.csv').unchanged).toBe(false);
    expect(await reports()).toEqual([{ month: '2024-09', daily_minutes: 100, file_name: 'b.csv' }]);
  });

  it('loads the files one by one when the group fails, so only a failing one would fail', async () => {
    await monthly('a.csv', csv(row('2024-09', 120)));
    await monthly('b.csv', csv(row('2024-10', 100)));
    let calls = 0;
    const summary = await loadPaths(warehouse(), [dir], {
      user: 'test',
      beforeCommit: () => {
        calls += 1;
        // 1: the registry; 2: both monthly files together; then each alone.
        if (calls === 2) throw new Error('disk full');
      },
    });
    expect(calls).toBe(4);
    expect(summary.files.every((f) => f.error === undefined)).toBe(true);
    expect(await reports()).toEqual([
      { month: '2024-09', daily_minutes: 120, file_name: 'a.csv' },
      { month: '2024-10', daily_minutes: 100, file_name: 'b.csv' },
    ]);
    const [count] = await query(
      warehouse(),
      `SELECT count(*)::INTEGER AS n FROM load_batches WHERE kind = 'monthly'`,
    );
    expect(count?.n).toBe(2);
  });

  it('leaves out a file DuckDB cannot read and loads the rest of its group', async () => {
    await monthly('a.csv', csv(row('2024-09', 120)));
    await monthly('b.csv', csv(row('2024-10', 100), `3101010001,${'x'.repeat(2_100_000)}`));
    await monthly('c.csv', csv(row('2024-11', 90)));
    const summary = await loadPaths(warehouse(), [dir], { user: 'test' });
    expect(byName(summary.files, 'b.csv').error).toMatch(/^CSV 文件第 3 行无法读取/);
    expect(byName(summary.files, 'b.csv').batchId).toBeUndefined();
    expect(await reports()).toEqual([
      { month: '2024-09', daily_minutes: 120, file_name: 'a.csv' },
      { month: '2024-11', daily_minutes: 90, file_name: 'c.csv' },
    ]);
  });
});

describe('groupUnits', () => {
  const unit = (fileIndex: number, kind: ReportKind) => ({ fileIndex, kind }) as LoadUnit;
  const shape = (groups: LoadUnit[][]) =>
    groups.map((g) => g.map((u) => `${u.kind}:${u.fileIndex}`).join(' '));

  it('gathers the kinds between registry units and keeps a registry where the files put it', () => {
    const units = [
      unit(0, 'monthly'),
      unit(1, 'registry'),
      unit(2, 'registry'),
      unit(3, 'participation'),
      unit(4, 'monthly'),
      unit(4, 'survey'),
      unit(5, 'assignments'),
      unit(6, 'monthly'),
    ];
    expect(shape(groupUnits(units))).toEqual([
      'monthly:0',
      'registry:1 registry:2',
      'assignments:5',
      'monthly:4 monthly:6',
      'participation:3',
      'survey:4',
    ]);
  });

  it('splits a kind by size so a group stays small enough to stage at once', () => {
    const units = [unit(0, 'monthly'), unit(1, 'monthly'), unit(2, 'monthly')];
    const mib = 1024 * 1024;
    expect(shape(groupUnits(units, (u) => (u.fileIndex === 1 ? 30 * mib : 2 * mib)))).toEqual([
      'monthly:0 monthly:1',
      'monthly:2',
    ]);
  });
});
