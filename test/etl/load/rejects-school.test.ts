/**
 * Rejects name the school as well as its code: the registry's name when the code is known,
 * else the row's own 学校名称 — on the result, in load_rejects and in the --rejects CSV.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPaths } from '../../../etl/index.ts';
import { RejectSink } from '../../../etl/load/group-rejects.ts';
import { csvPartSelect, writeRejectsXlsx } from '../../../etl/load/rejects-xlsx.ts';
import { renderSummary } from '../../../etl/render-summary.ts';
import { query, useWarehouse } from '../../helpers/with-warehouse.ts';

const REGISTRY = fileURLToPath(new URL('../../fixtures/etl/学校名录.xlsx', import.meta.url));
const HEADER =
  '学校标识码,学校名称,填报月份,上学天数,开展天数,日均服务时长（分钟）,最晚结束时间,每日作业辅导课时,一二年级布置书面作业,收费标准（元/课时）,收费减免人数,减免对象仍收费人数,收费公示,参与教师数,教师课时补助（元/课时）,校外人员数,第三方机构数,其中未经审核机构数,最大班额,安全事故数,投诉数';

const warehouse = useWarehouse();
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-reject-school-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a reject names its school', () => {
  it('by the registry’s name when the code is known, else the row’s 学校名称', async () => {
    await loadPaths(warehouse(), [REGISTRY], { user: 'test' });
    const monthly = join(dir, '月报.csv');
    await writeFile(
      monthly,
      [
        HEADER,
        // Row 2: a known school, written with another name, 参与教师数 −3.
        '3101010001,一小,2024-09,21,20,120,18:00,1,否,0,0,0,是,-3,50,0,0,0,45,0,0',
        // Row 3: a code the registry lacks: the row's own name.
        '3109999999,新开小学,2024-09,21,20,120,18:00,1,否,0,0,0,是,10,50,0,0,0,45,0,0',
      ].join('\n') + '\n',
    );
    // DuckDB writes only inside the warehouse's work folder.
    const sink = new RejectSink(await mkdtemp(join(warehouse().tempDir, 'rejects-')));
    const summary = await loadPaths(warehouse(), [monthly], { user: 'test', rejectSink: sink });
    const file = summary.files[0]!;
    expect(file.rejects.map((r) => [r.row, r.column, r.value, r.schoolCode, r.schoolName])).toEqual(
      [
        [2, '参与教师数', '-3', '3101010001', '城关第一小学'],
        [3, '学校标识码', '3109999999', '3109999999', '新开小学'],
      ],
    );
    expect(
      await query(
        warehouse(),
        'SELECT row_number, school_code, school_name FROM load_rejects ORDER BY rowid',
      ),
    ).toEqual([
      { row_number: 2, school_code: '3101010001', school_name: '城关第一小学' },
      { row_number: 3, school_code: '3109999999', school_name: '新开小学' },
    ]);
    const target = join(dir, 'rejects.csv');
    await sink.saveTo(target);
    const lines = (await readFile(target, 'utf8')).trimEnd().split(/\r?\n/u);
    expect(lines[0]).toBe('\ufeff文件,工作表,行,列,值,原因,原因（英文）,代码,学校标识码,学校名称');
    expect(lines[1]).toMatch(/,3101010001,城关第一小学$/u);
    expect(lines[2]).toMatch(/,3109999999,新开小学$/u);
    // The same list as a workbook (etl load --rejects 拒绝明细.xlsx), and a bounded one.
    const xlsx = join(dir, 'rejects.xlsx');
    const conn = await warehouse().connect();
    await sink.saveXlsxTo(xlsx, conn);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const rows: unknown[][] = [];
    book.getWorksheet('拒绝明细')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows.map((r) => [r[2], r[3], r[4], r[8], r[9]])).toEqual([
      ['行', '列', '值', '学校标识码', '学校名称'],
      [2, '参与教师数', '-3', '3101010001', '城关第一小学'],
      [3, '学校标识码', '3109999999', '3109999999', '新开小学'],
    ]);
    const cut = join(dir, 'cut.xlsx');
    expect(
      await writeRejectsXlsx(createWriteStream(cut), conn, sink.parts.map(csvPartSelect), 1),
    ).toEqual({ written: 1, omitted: 1 });
    conn.closeSync();
    const small = new ExcelJS.Workbook();
    await small.xlsx.readFile(cut);
    expect(small.getWorksheet('拒绝明细')!.rowCount).toBe(2);
    expect(String(small.getWorksheet('说明')!.getCell('A1').value)).toMatch(/^另有 1 条错误超出/u);
    expect(renderSummary(summary)).toContain('第2行 参与教师数 = "-3"（3101010001 城关第一小学）');
  });
});
