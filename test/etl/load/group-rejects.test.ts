/**
 * A load with more invalid values than its results list: the first REJECTS_LISTED of the
 * load are on the results, in the order the clerk reads the files, the rest are counted per
 * file, and load_rejects holds every one of them, worded exactly as reasonTexts words them.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPaths } from '../../../etl/index.ts';
import { REJECTS_LISTED } from '../../../etl/load/group-rejects.ts';
import { renderSummary } from '../../../etl/render-summary.ts';
import { reasonTexts } from '../../../etl/reports/reasons.ts';
import { query, useWarehouse } from '../../helpers/with-warehouse.ts';

const REGISTRY = fileURLToPath(new URL('../../fixtures/etl/学校名录.xlsx', import.meta.url));

const HEADER =
  '学校标识码,学校名称,填报月份,上学天数,开展天数,日均服务时长（分钟）,最晚结束时间,每日作业辅导课时,一二年级布置书面作业,收费标准（元/课时）,收费减免人数,减免对象仍收费人数,收费公示,参与教师数,教师课时补助（元/课时）,校外人员数,第三方机构数,其中未经审核机构数,最大班额,安全事故数,投诉数';

function row(code: string, schoolDays: string, latestEnd: string): string {
  return `${code},某小学,2024-09,${schoolDays},20,120,${latestEnd},1,否,3.5,12,0,是,45,50,2,1,0,45,0,1`;
}

const warehouse = useWarehouse();
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-rejects-'));
  await copyFile(REGISTRY, join(dir, '学校名录.xlsx'));
  await mkdir(join(dir, '月报'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a load with more invalid values than its results list', () => {
  it('lists the first ones in file order, counts the rest and records them all', async () => {
    // Excel row 2: two bad values (上学天数 is the 4th column, 最晚结束时间 the 7th), then
    // 1,200 rows of schools the registry does not know (rows 3 … 1202): 1,202 rejects.
    const unknown = Array.from({ length: 1200 }, (_, i) =>
      row(String(3101020000 + i), '21', '18:00'),
    );
    await writeFile(
      join(dir, '月报', 'bad.csv'),
      [HEADER, row('3101010001', 'abc', '25:99'), ...unknown].join('\n') + '\n',
    );
    const summary = await loadPaths(warehouse(), [dir], { user: 'test' });
    const bad = summary.files.find((f) => f.path.endsWith('bad.csv'))!;
    expect(REJECTS_LISTED).toBe(1000);
    expect(bad.rowsRejected).toBe(1201);
    expect(bad.rejects).toHaveLength(1000);
    expect(bad.rejectsOmitted).toBe(202);
    expect(bad.rejects.slice(0, 3).map((r) => [r.sheet, r.row, r.column, r.value, r.code])).toEqual(
      [
        ['bad', 2, '上学天数', 'abc', 'BAD_INT'],
        ['bad', 2, '最晚结束时间', '25:99', 'BAD_TIME'],
        ['bad', 3, '学校标识码', '3101020000', 'UNKNOWN_SCHOOL'],
      ],
    );
    expect(bad.rejects.at(-1)).toMatchObject({ row: 1000, value: '3101020997' });
    const unknownText = reasonTexts('UNKNOWN_SCHOOL', null, null);
    expect(bad.rejects[2]).toMatchObject({
      reasonZh: unknownText.zh,
      reasonEn: unknownText.en,
      reason: unknownText.both,
    });

    const recorded = await query(
      warehouse(),
      `SELECT r.row_number, r.column_name, r.value, r.reason_code, r.reason_zh, r.reason_en
       FROM load_rejects r JOIN load_batches b USING (batch_id)
       WHERE b.file_name = 'bad.csv' ORDER BY r.rowid`,
    );
    expect(recorded).toHaveLength(1202);
    expect(recorded.map((r) => r.row_number)).toEqual([
      2,
      2,
      ...Array.from({ length: 1200 }, (_, i) => i + 3),
    ]);
    expect(recorded.at(-1)).toEqual({
      row_number: 1202,
      column_name: '学校标识码',
      value: '3101021199',
      reason_code: 'UNKNOWN_SCHOOL',
      reason_zh: unknownText.zh,
      reason_en: unknownText.en,
    });

    expect(bad.rejectCounts).toEqual([
      {
        column: '学校标识码',
        code: 'UNKNOWN_SCHOOL',
        count: 1200,
        reasonZh: unknownText.zh,
        reasonEn: unknownText.en,
      },
      {
        column: '上学天数',
        code: 'BAD_INT',
        count: 1,
        reasonZh: reasonTexts('BAD_INT', null, null).zh,
        reasonEn: reasonTexts('BAD_INT', null, null).en,
      },
      {
        column: '最晚结束时间',
        code: 'BAD_TIME',
        count: 1,
        reasonZh: reasonTexts('BAD_TIME', null, null).zh,
        reasonEn: reasonTexts('BAD_TIME', null, null).en,
      },
    ]);

    const text = renderSummary(summary);
    expect(text).toContain(`学校标识码: ${unknownText.zh} × 1,200`);
    expect(text).toContain(
      '另有 1,002 条错误（--json 列出本次导入的前 1,000 条；全部见导入记录，或用 --rejects <文件> 导出）',
    );
  });

  it('lists the first 1,000 of the whole load, files together, and counts the rest per file', async () => {
    const unknown = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => row(String(from + i), '21', '18:00'));
    await writeFile(
      join(dir, '月报', 'a.csv'),
      [HEADER, ...unknown(3101020000, 700)].join('\n') + '\n',
    );
    await writeFile(
      join(dir, '月报', 'b.csv'),
      [HEADER, ...unknown(3101030000, 700)].join('\n') + '\n',
    );
    const summary = await loadPaths(warehouse(), [dir], { user: 'test' });
    const a = summary.files.find((f) => f.path.endsWith('a.csv'))!;
    const b = summary.files.find((f) => f.path.endsWith('b.csv'))!;
    expect([a.rejects.length, a.rejectsOmitted]).toEqual([700, undefined]);
    expect([b.rejects.length, b.rejectsOmitted]).toEqual([300, 400]);
    expect(b.rejects.at(-1)).toMatchObject({ row: 301, value: '3101030299' });
    const recorded = await query(
      warehouse(),
      `SELECT b.file_name, count(*)::INTEGER AS n FROM load_rejects r JOIN load_batches b USING (batch_id)
       GROUP BY b.file_name ORDER BY b.file_name`,
    );
    expect(recorded).toEqual([
      { file_name: 'a.csv', n: 700 },
      { file_name: 'b.csv', n: 700 },
    ]);
  });

  it('words a reason with parameters in SQL as reasonTexts does', async () => {
    // 开展天数 22 > 上学天数 21: EXCEEDS with the column's header and the limit.
    await writeFile(
      join(dir, '月报', 'one.csv'),
      [HEADER, row('3101010001', '21', '18:00').replace(',21,20,', ',21,22,')].join('\n') + '\n',
    );
    const summary = await loadPaths(warehouse(), [dir], { user: 'test' });
    const one = summary.files.find((f) => f.path.endsWith('one.csv'))!;
    expect(one.rejectsOmitted).toBeUndefined();
    expect(one.rejects).toHaveLength(1);
    const r = one.rejects[0]!;
    expect(r).toMatchObject({ row: 2, column: '开展天数', value: '22', code: 'EXCEEDS' });
    expect(r.reasonZh).toBe('不能大于“上学天数”（21）');
    expect(r.reasonEn).toBe('must not exceed “上学天数” (21)');
  });
});
