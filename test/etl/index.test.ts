/**
 * loadPaths end to end on the fixtures of test/fixtures/etl (see make-fixtures.ts for the
 * row-by-row layout). Every figure is computed by hand from those rows.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  exitCode,
  loadPaths,
  type FileResult,
  type LoadSummary,
  type RejectEntry,
} from '../../etl/index.ts';
import type { Warehouse } from '../../server/db/connect.ts';
import { counts, query, scalar, snapshot, useWarehouse } from '../helpers/with-warehouse.ts';
import { MONTHLY_HEADERS } from '../../etl/demo/contract-headers.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/etl/${name}`, import.meta.url));

const REGISTRY = fixture('学校名录.xlsx');
const REGISTRY_GBK = fixture('学校名录-补充.csv');
const ASSIGN_2409 = fixture('督学挂牌-2024-09.csv');
const ASSIGN_2502 = fixture('督学挂牌-2025-02.csv');
const MONTHLY_CLEAN = fixture('月报-2024-09.xlsx');
const MONTHLY_MESSY = fixture('月报-2024-10-混杂.csv');
const PARTICIPATION_XLSX = fixture('分年级参与情况.xlsx');
const PARTICIPATION_GBK = fixture('分年级参与情况-河西乡.csv');
const SURVEY = fixture('满意度问卷-2024秋.xlsx');
const SURVEY_UNKNOWN = fixture('满意度问卷-未知学校.csv');
const UNKNOWN_KIND = fixture('联系人名单.csv');
const BROKEN = fixture('损坏.xlsx');

const MONTHLY_HEADER = [...MONTHLY_HEADERS];

/** 城关第一小学's September row of 月报-2024-09.xlsx, by header. */
const BASE_0001: Record<string, string> = {
  学校标识码: '3101010001',
  学校名称: '城关第一小学',
  填报月份: '2024-09',
  上学天数: '21',
  开展天数: '20',
  '日均服务时长（分钟）': '120',
  最晚结束时间: '18:00',
  每日作业辅导课时: '1',
  一二年级布置书面作业: '否',
  '收费标准（元/课时）': '3.5',
  收费减免人数: '12',
  减免对象仍收费人数: '0',
  收费公示: '是',
  参与教师数: '45',
  '教师课时补助（元/课时）': '50',
  校外人员数: '2',
  第三方机构数: '1',
  其中未经审核机构数: '0',
  最大班额: '45',
  安全事故数: '0',
  投诉数: '1',
};

function monthlyLine(overrides: Record<string, string>): string {
  const row = { ...BASE_0001, ...overrides };
  return MONTHLY_HEADER.map((h) => row[h] ?? '').join(',');
}

function monthlyCsv(rows: ReadonlyArray<Record<string, string>>): string {
  return [MONTHLY_HEADER.join(','), ...rows.map(monthlyLine)].join('\n') + '\n';
}

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'kehou-etl-test-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function tempFile(name: string, content: string | Buffer): Promise<string> {
  const path = join(tmp, name);
  await writeFile(path, content);
  return path;
}

function only(summary: LoadSummary): FileResult {
  expect(summary.files).toHaveLength(1);
  return summary.files[0]!;
}

function counters(r: FileResult) {
  return {
    kind: r.kind,
    unchanged: r.unchanged,
    rowsRead: r.rowsRead,
    rowsSkipped: r.rowsSkipped,
    rowsLoaded: r.rowsLoaded,
    rowsRejected: r.rowsRejected,
    unitsLoaded: r.unitsLoaded,
    unitsRejected: r.unitsRejected,
    error: r.error,
  };
}

/** Rejects as [sheet, row, column, value, code], sorted by row then column (code points). */
function rejectsOf(r: FileResult): Array<[string, number | null, string, string | null, string]> {
  return r.rejects
    .map(
      (x: RejectEntry) =>
        [x.sheet, x.row, x.column, x.value, x.code] as [
          string,
          number | null,
          string,
          string | null,
          string,
        ],
    )
    .sort((a, b) => (a[1] ?? 0) - (b[1] ?? 0) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
}

const warehouse = useWarehouse();

async function load(w: Warehouse, ...paths: string[]): Promise<LoadSummary> {
  return loadPaths(w, paths);
}

describe('loadPaths: registry', () => {
  it('loads the four schools below the merged title and counts the title as skipped', async () => {
    const w = warehouse();
    const summary = await load(w, REGISTRY);
    // Rows 1 (title) and 3-6 (schools) are read; the header (row 2) is not counted.
    expect(counters(only(summary))).toEqual({
      kind: 'registry',
      unchanged: false,
      rowsRead: 5,
      rowsSkipped: 1,
      rowsLoaded: 4,
      rowsRejected: 0,
      unitsLoaded: 4,
      unitsRejected: 0,
      error: undefined,
    });
    expect(only(summary).rejects).toEqual([]);
    expect(exitCode(summary)).toBe(0);
    expect(
      await query(
        w,
        `SELECT school_code, school_name, township, stage, locality, ownership, remote, teachers_total, source_sheet, source_row
        FROM schools ORDER BY school_code`,
      ),
    ).toEqual([
      {
        school_code: '3101010001',
        school_name: '城关第一小学',
        township: '城关镇',
        stage: 'primary',
        locality: 'urban',
        ownership: 'public',
        remote: false,
        teachers_total: 60,
        source_sheet: '学校名录',
        source_row: 3,
      },
      {
        school_code: '3101010002',
        school_name: '河西乡中心小学',
        township: '河西乡',
        stage: 'primary',
        locality: 'rural',
        ownership: 'public',
        remote: true,
        teachers_total: 25,
        source_sheet: '学校名录',
        source_row: 4,
      },
      {
        school_code: '3101010003',
        school_name: '城关中学',
        township: '城关镇',
        stage: 'junior',
        locality: 'urban',
        ownership: 'public',
        remote: false,
        teachers_total: 80,
        source_sheet: '学校名录',
        source_row: 5,
      },
      {
        school_code: '3101010004',
        school_name: '龙泉九年一贯制学校',
        township: '龙泉镇',
        stage: 'nine_year',
        locality: 'town',
        ownership: 'private',
        remote: false,
        teachers_total: 40,
        source_sheet: '学校名录',
        source_row: 6,
      },
    ]);
  });

  it('keeps GBK school names and the Chinese file name intact', async () => {
    const w = warehouse();
    const r = only(await load(w, REGISTRY_GBK));
    expect([r.kind, r.rowsLoaded, r.rowsRejected]).toEqual(['registry', 1, 0]);
    expect(
      await query(
        w,
        `SELECT school_code, school_name, township, source_sheet, source_row FROM schools`,
      ),
    ).toEqual([
      {
        school_code: '3101010005',
        school_name: '鹿鸣镇塘坳小学',
        township: '鹿鸣镇',
        source_sheet: '学校名录-补充',
        source_row: 2,
      },
    ]);
  });

  it('rejects a school with an unknown stage and loads the other schools', async () => {
    const w = warehouse();
    const path = await tempFile(
      'registry.csv',
      [
        '学校标识码,学校名称,所属乡镇（街道）,学段,城乡类型,办学性质,是否偏远,教师总数',
        '3101010001,城关第一小学,城关镇,小学,城区,公办,否,60',
        '3101010009,城关高级中学,城关镇,高中,城区,公办,否,120',
        '3101010010,新区小学,新区,小学,城区,公办,也许,30',
      ].join('\n') + '\n',
    );
    const r = only(await load(w, path));
    expect(counters(r)).toMatchObject({
      rowsRead: 3,
      rowsSkipped: 0,
      rowsLoaded: 1,
      rowsRejected: 2,
      unitsLoaded: 1,
      unitsRejected: 2,
    });
    expect(rejectsOf(r)).toEqual([
      ['registry', 3, '学段', '高中', 'BAD_ENUM'],
      ['registry', 4, '是否偏远', '也许', 'BAD_YESNO'],
    ]);
    expect(await query(w, `SELECT school_code FROM schools`)).toEqual([
      { school_code: '3101010001' },
    ]);
  });
});

describe('loadPaths: assignments', () => {
  it('loads inspector–school pairs with their effective month and names the inspectors', async () => {
    const w = warehouse();
    await load(w, REGISTRY);
    const r = only(await load(w, ASSIGN_2409));
    expect(counters(r)).toMatchObject({
      kind: 'assignments',
      rowsRead: 4,
      rowsSkipped: 0,
      rowsLoaded: 4,
      unitsLoaded: 4,
      unitsRejected: 0,
    });
    expect(
      await query(
        w,
        `SELECT inspector_id, school_code, effective_month, source_row FROM inspector_assignments ORDER BY school_code`,
      ),
    ).toEqual([
      {
        inspector_id: 'D001',
        school_code: '3101010001',
        effective_month: '2024-09',
        source_row: 2,
      },
      {
        inspector_id: 'D001',
        school_code: '3101010002',
        effective_month: '2024-09',
        source_row: 3,
      },
      {
        inspector_id: 'D002',
        school_code: '3101010003',
        effective_month: '2024-09',
        source_row: 4,
      },
      {
        inspector_id: 'D002',
        school_code: '3101010004',
        effective_month: '2024-09',
        source_row: 5,
      },
    ]);
    expect(
      await query(w, `SELECT inspector_id, inspector_name FROM inspectors ORDER BY 1`),
    ).toEqual([
      { inspector_id: 'D001', inspector_name: '张明' },
      { inspector_id: 'D002', inspector_name: '李华' },
    ]);
  });

  it('closes the earlier period when a later 生效月份 arrives and keeps the history', async () => {
    const w = warehouse();
    await load(w, REGISTRY, ASSIGN_2409);
    const r = only(await load(w, ASSIGN_2502)); // UTF-8 BOM, months written 2025年2月
    expect([r.rowsLoaded, r.unitsLoaded, r.unitsRejected]).toEqual([2, 2, 0]);
    expect(
      await query(
        w,
        `SELECT inspector_id, school_code, valid_from, valid_until FROM inspector_assignment_periods
        ORDER BY school_code, valid_from, inspector_id`,
      ),
    ).toEqual([
      {
        inspector_id: 'D001',
        school_code: '3101010001',
        valid_from: '2024-09',
        valid_until: '2025-02',
      },
      { inspector_id: 'D003', school_code: '3101010001', valid_from: '2025-02', valid_until: null },
      { inspector_id: 'D001', school_code: '3101010002', valid_from: '2024-09', valid_until: null },
      {
        inspector_id: 'D002',
        school_code: '3101010003',
        valid_from: '2024-09',
        valid_until: '2025-02',
      },
      { inspector_id: 'D002', school_code: '3101010003', valid_from: '2025-02', valid_until: null },
      { inspector_id: 'D002', school_code: '3101010004', valid_from: '2024-09', valid_until: null },
    ]);
    // The newest file names D002.
    expect(
      await scalar(w, `SELECT inspector_name FROM inspectors WHERE inspector_id = 'D002'`),
    ).toBe('李华（调整）');
  });

  it('without 生效月份: a first assignment covers the whole history, a later one the current month of Asia/Shanghai', async () => {
    const w = warehouse();
    await load(w, REGISTRY);
    const first = await tempFile(
      '挂牌.csv',
      '督学编号,督学姓名,学校标识码\nD009,赵强,3101010002\n',
    );
    const r = only(await load(w, first));
    expect([r.rowsLoaded, r.unitsRejected]).toEqual([1, 0]);
    const later = await tempFile(
      '挂牌-调整.csv',
      '督学编号,督学姓名,学校标识码\nD010,钱明,3101010002\n',
    );
    expect(only(await load(w, later)).rowsLoaded).toBe(1);
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
    }).formatToParts(new Date());
    const month = `${parts.find((p) => p.type === 'year')?.value}-${parts.find((p) => p.type === 'month')?.value}`;
    expect(
      await query(
        w,
        `SELECT inspector_id, school_code, effective_month FROM inspector_assignments ORDER BY effective_month`,
      ),
    ).toEqual([
      { inspector_id: 'D009', school_code: '3101010002', effective_month: '1900-01' },
      { inspector_id: 'D010', school_code: '3101010002', effective_month: month },
    ]);
  });

  it('rejects a school code that is not in the registry', async () => {
    const w = warehouse();
    await load(w, REGISTRY);
    const path = await tempFile(
      '挂牌.csv',
      '督学编号,督学姓名,学校标识码,生效月份\nD009,赵强,3101010002,2024-09\nD009,赵强,3109999999,2024-09\n',
    );
    const r = only(await load(w, path));
    expect(counters(r)).toMatchObject({
      rowsLoaded: 1,
      rowsRejected: 1,
      unitsLoaded: 1,
      unitsRejected: 1,
    });
    expect(rejectsOf(r)).toEqual([['挂牌', 3, '学校标识码', '3109999999', 'UNKNOWN_SCHOOL']]);
  });
});

describe('loadPaths: monthly', () => {
  it('loads the clean workbook with months written four ways and a blank end time on a no-service month', async () => {
    const w = warehouse();
    await load(w, REGISTRY);
    const r = only(await load(w, MONTHLY_CLEAN));
    expect(counters(r)).toEqual({
      kind: 'monthly',
      unchanged: false,
      rowsRead: 5,
      rowsSkipped: 1,
      rowsLoaded: 4,
      rowsRejected: 0,
      unitsLoaded: 4,
      unitsRejected: 0,
      error: undefined,
    });
    expect(
      await query(
        w,
        `SELECT school_code, month, school_days, service_days, daily_minutes, latest_end_time, homework_periods,
          CAST(fee_per_period AS DOUBLE) AS fee, teachers_serving, CAST(teacher_pay_per_period AS DOUBLE) AS pay,
          written_homework_g12, fees_published, source_sheet, source_row
        FROM monthly_reports ORDER BY school_code`,
      ),
    ).toEqual([
      {
        school_code: '3101010001',
        month: '2024-09',
        school_days: 21,
        service_days: 20,
        daily_minutes: 120,
        latest_end_time: '18:00',
        homework_periods: 1,
        fee: 3.5,
        teachers_serving: 45,
        pay: 50,
        written_homework_g12: false,
        fees_published: true,
        source_sheet: '月报',
        source_row: 3,
      },
      // 填报月份 is an Excel date cell here.
      {
        school_code: '3101010002',
        month: '2024-09',
        school_days: 21,
        service_days: 21,
        daily_minutes: 90,
        latest_end_time: '17:30',
        homework_periods: 1.5,
        fee: 0,
        teachers_serving: 20,
        pay: 40,
        written_homework_g12: false,
        fees_published: true,
        source_sheet: '月报',
        source_row: 4,
      },
      {
        school_code: '3101010003',
        month: '2024-09',
        school_days: 21,
        service_days: 19,
        daily_minutes: 100,
        latest_end_time: '18:30',
        homework_periods: 2,
        fee: 5,
        teachers_serving: 60,
        pay: 60,
        written_homework_g12: false,
        fees_published: true,
        source_sheet: '月报',
        source_row: 5,
      },
      // 收费标准 免费 → 0; 开展天数 0 so a blank 最晚结束时间 is allowed.
      {
        school_code: '3101010004',
        month: '2024-09',
        school_days: 21,
        service_days: 0,
        daily_minutes: 0,
        latest_end_time: null,
        homework_periods: 0,
        fee: 0,
        teachers_serving: 0,
        pay: 0,
        written_homework_g12: false,
        fees_published: true,
        source_sheet: '月报',
        source_row: 6,
      },
    ]);
    // Hand sums over the four rows: 20+21+19+0 service days, 45+20+60+0 teachers.
    expect(
      await query(
        w,
        `SELECT sum(service_days)::INTEGER AS days, sum(teachers_serving)::INTEGER AS teachers FROM monthly_reports`,
      ),
    ).toEqual([{ days: 60, teachers: 125 }]);
  });

  it('counts title, blank, total and footer rows of the messy CSV as skipped', async () => {
    const w = warehouse();
    await load(w, REGISTRY);
    const r = only(await load(w, MONTHLY_MESSY));
    // Read: rows 1-2 and 4-15 (14); skipped: 1 title, 2 blank, 6 empty cells, 13 合计, 14 blank, 15 填表人 (6);
    // loaded: rows 4, 5; rejected: rows 7-12, each its own unit.
    expect(counters(r)).toEqual({
      kind: 'monthly',
      unchanged: false,
      rowsRead: 14,
      rowsSkipped: 6,
      rowsLoaded: 2,
      rowsRejected: 6,
      unitsLoaded: 2,
      unitsRejected: 6,
      error: undefined,
    });
    expect(exitCode({ dryRun: false, files: [r] })).toBe(2);
  });

  it('reports every bad value of the messy CSV at its Excel row under the header as written', async () => {
    const w = warehouse();
    await load(w, REGISTRY);
    const r = only(await load(w, MONTHLY_MESSY));
    const sheet = '月报-2024-10-混杂';
    expect(rejectsOf(r)).toEqual([
      [sheet, 7, '开展天数', '23', 'EXCEEDS'],
      // sorted by code point: 其 (U+5176) < 参 (U+53C2) < 最 (U+6700)
      [sheet, 8, '其中未经审核机构数', '2', 'EXCEEDS'],
      [sheet, 8, '参与教师数', '41', 'EXCEEDS_REGISTRY'],
      [sheet, 8, '最晚结束时间', null, 'TIME_REQUIRED'],
      [sheet, 9, '学校标识码', '3101019999', 'UNKNOWN_SCHOOL'],
      [sheet, 10, '日均服务时长（分钟）', '350', 'ABOVE_MAX'],
      [sheet, 11, '上学天数', null, 'REQUIRED'],
      [sheet, 12, '填报月份', '2024-13', 'BAD_MONTH'],
    ]);
    const exceeds = r.rejects.find((x) => x.code === 'EXCEEDS' && x.column === '开展天数');
    expect(exceeds?.reasonZh).toBe('不能大于“上学天数”（22）');
    expect(exceeds?.reason).toBe(`${exceeds?.reasonZh} / ${exceeds?.reasonEn}`);
    expect(r.rejects.find((x) => x.code === 'EXCEEDS_REGISTRY')?.reasonZh).toBe(
      '不能大于学校名录中的教师总数 / teachers_total（40）',
    );
    // The rejects are stored with the batch too.
    expect(
      await query(
        w,
        `SELECT row_number, column_name, value, reason_code FROM load_rejects WHERE batch_id = ${r.batchId} ORDER BY row_number, column_name`,
      ),
    ).toEqual(
      rejectsOf(r).map(([, row, column, value, code]) => ({
        row_number: row,
        column_name: column,
        value,
        reason_code: code,
      })),
    );
  });

  it('reads full-width digits, thousands separators and Chinese time and month forms', async () => {
    const w = warehouse();
    await load(w, REGISTRY);
    await load(w, MONTHLY_MESSY);
    expect(
      await query(
        w,
        `SELECT school_code, month, school_days, service_days, latest_end_time, CAST(fee_per_period AS DOUBLE) AS fee,
          CAST(teacher_pay_per_period AS DOUBLE) AS pay, largest_group, source_sheet, source_row
        FROM monthly_reports ORDER BY school_code, month`,
      ),
    ).toEqual([
      // 2024/10, ２２/２０, 下午6:00, "1,200"
      {
        school_code: '3101010001',
        month: '2024-10',
        school_days: 22,
        service_days: 20,
        latest_end_time: '18:00',
        fee: 3.5,
        pay: 1200,
        largest_group: 45,
        source_sheet: '月报-2024-10-混杂',
        source_row: 4,
      },
      // 2024年10月, 18：00, １．５, "1,234"
      {
        school_code: '3101010002',
        month: '2024-10',
        school_days: 22,
        service_days: 22,
        latest_end_time: '18:00',
        fee: 1.5,
        pay: 40,
        largest_group: 1234,
        source_sheet: '月报-2024-10-混杂',
        source_row: 5,
      },
    ]);
  });

  it('numbers CRLF rows after an empty line above the header as Excel does', async () => {
    const w = warehouse();
    await load(w, REGISTRY);
    const body = ['月报', '', MONTHLY_HEADER.join(','), monthlyLine({})];
    const lf = only(await load(w, await tempFile('lf.csv', body.join('\n') + '\n')));
    const crlf = only(await load(w, await tempFile('crlf.csv', body.join('\r\n') + '\r\n')));
    // Row 1 title, row 2 blank, row 3 header, row 4 data: read 3, skipped 2.
    for (const r of [lf, crlf])
      expect([r.rowsRead, r.rowsSkipped, r.rowsLoaded]).toEqual([3, 2, 1]);
    expect(await query(w, `SELECT source_sheet, source_row FROM monthly_reports`)).toEqual([
      { source_sheet: 'crlf', source_row: 4 },
    ]);
  });

  it('rejects a whole unit with a duplicate row and names the first row', async () => {
    const w = warehouse();
    await load(w, REGISTRY);
    const path = await tempFile(
      'dup.csv',
      monthlyCsv([
        {},
        { '日均服务时长（分钟）': '110' },
        { 学校标识码: '3101010002', 参与教师数: '20' },
      ]),
    );
    const r = only(await load(w, path));
    expect(counters(r)).toMatchObject({
      rowsRead: 3,
      rowsLoaded: 1,
      rowsRejected: 2,
      unitsLoaded: 1,
      unitsRejected: 1,
    });
    expect(rejectsOf(r)).toEqual([['dup', 3, '填报月份', '2024-09', 'DUPLICATE']]);
    expect(r.rejects[0]?.reasonZh).toBe('与dup第2行重复');
    expect(await query(w, `SELECT school_code FROM monthly_reports`)).toEqual([
      { school_code: '3101010002' },
    ]);
  });

  it('keeps the earlier version of a rejected unit while the file’s other units replace theirs', async () => {
    const w = warehouse();
    await load(w, REGISTRY, MONTHLY_CLEAN);
    const firstBatch = Number(await scalar(w, `SELECT min(batch_id) FROM monthly_reports`));
    const correction = await tempFile(
      '更正.csv',
      monthlyCsv([
        { '日均服务时长（分钟）': '150' },
        { 学校标识码: '3101010002', 开展天数: '二十', 参与教师数: '20' },
      ]),
    );
    const r = only(await load(w, correction));
    expect(counters(r)).toMatchObject({
      rowsRead: 2,
      rowsLoaded: 1,
      rowsRejected: 1,
      unitsLoaded: 1,
      unitsRejected: 1,
    });
    expect(rejectsOf(r)).toEqual([['更正', 3, '开展天数', '二十', 'BAD_INT']]);
    expect(
      await query(
        w,
        `SELECT school_code, service_days, daily_minutes, batch_id = ${firstBatch} AS first_batch FROM monthly_reports
        WHERE month = '2024-09' ORDER BY school_code`,
      ),
    ).toEqual([
      { school_code: '3101010001', service_days: 20, daily_minutes: 150, first_batch: false },
      { school_code: '3101010002', service_days: 21, daily_minutes: 90, first_batch: true },
      { school_code: '3101010003', service_days: 19, daily_minutes: 100, first_batch: true },
      { school_code: '3101010004', service_days: 0, daily_minutes: 0, first_batch: true },
    ]);

    // The corrected file replaces the unit; each school-month still has exactly one row.
    await writeFile(
      correction,
      monthlyCsv([
        { '日均服务时长（分钟）': '150' },
        { 学校标识码: '3101010002', 开展天数: '18', 参与教师数: '20' },
      ]),
    );
    const again = only(await load(w, correction));
    expect(counters(again)).toMatchObject({
      unchanged: false,
      rowsLoaded: 2,
      rowsRejected: 0,
      unitsLoaded: 2,
      unitsRejected: 0,
    });
    expect(
      await query(
        w,
        `SELECT school_code, service_days, daily_minutes, source_sheet, source_row FROM monthly_reports
        WHERE school_code IN ('3101010001', '3101010002') ORDER BY school_code`,
      ),
    ).toEqual([
      {
        school_code: '3101010001',
        service_days: 20,
        daily_minutes: 150,
        source_sheet: '更正',
        source_row: 2,
      },
      {
        school_code: '3101010002',
        service_days: 18,
        daily_minutes: 120,
        source_sheet: '更正',
        source_row: 3,
      },
    ]);
    expect(
      await query(
        w,
        `SELECT count(*) AS n, count(DISTINCT (school_code, month)) AS units FROM monthly_reports`,
      ),
    ).toEqual([{ n: 4, units: 4 }]);
  });

  it('rejects every school code when the registry has not been loaded', async () => {
    const w = warehouse();
    const r = only(await load(w, MONTHLY_CLEAN));
    expect(counters(r)).toMatchObject({
      rowsLoaded: 0,
      rowsRejected: 4,
      unitsLoaded: 0,
      unitsRejected: 4,
    });
    expect(r.rejects.map((x) => [x.row, x.code])).toEqual([
      [3, 'UNKNOWN_SCHOOL'],
      [4, 'UNKNOWN_SCHOOL'],
      [5, 'UNKNOWN_SCHOOL'],
      [6, 'UNKNOWN_SCHOOL'],
    ]);
    // Every unit rejected: nothing could be loaded (the contract's exit 1).
    expect(exitCode({ dryRun: false, files: [r] })).toBe(1);
  });
});

describe('loadPaths: participation', () => {
  it('reads the two-row header and the school code merged over its grade rows', async () => {
    const w = warehouse();
    await load(w, REGISTRY);
    const r = only(await load(w, PARTICIPATION_XLSX));
    // Read: title row 1 and rows 4-11; skipped: title and the 合计 row 11; loaded rows 4-10.
    expect(counters(r)).toEqual({
      kind: 'participation',
      unchanged: false,
      rowsRead: 9,
      rowsSkipped: 2,
      rowsLoaded: 7,
      rowsRejected: 0,
      unitsLoaded: 3,
      unitsRejected: 0,
      error: undefined,
    });
    // participants: 85+95+98 = 278; 140+150 = 290; 40+45 = 85.
    // left-behind participants: 8+10+8 = 26; 15+16 = 31; 4+5 = 9. five-day: 80+90+95 = 265; 130+140 = 270; 38+44 = 82.
    expect(
      await query(
        w,
        `SELECT school_code, month, list(grade ORDER BY grade) AS grades, sum(participants)::INTEGER AS participants,
          sum(left_behind_participants)::INTEGER AS lbp, sum(poor_enrolled)::INTEGER AS poor, sum(five_day_participants)::INTEGER AS five_day
        FROM participation GROUP BY ALL ORDER BY school_code`,
      ),
    ).toEqual([
      {
        school_code: '3101010001',
        month: '2024-09',
        grades: [1, 2, 3],
        participants: 278,
        lbp: 26,
        poor: 15,
        five_day: 265,
      },
      {
        school_code: '3101010003',
        month: '2024-09',
        grades: [7, 8],
        participants: 290,
        lbp: 31,
        poor: 19,
        five_day: 270,
      },
      {
        school_code: '3101010004',
        month: '2024-09',
        grades: [1, 7],
        participants: 85,
        lbp: 9,
        poor: 7,
        five_day: 82,
      },
    ]);
    expect(
      await query(
        w,
        `SELECT school_code, grade, source_sheet, source_row FROM participation ORDER BY source_row`,
      ),
    ).toEqual([
      { school_code: '3101010001', grade: 1, source_sheet: '分年级', source_row: 4 },
      { school_code: '3101010001', grade: 2, source_sheet: '分年级', source_row: 5 },
      { school_code: '3101010001', grade: 3, source_sheet: '分年级', source_row: 6 },
      { school_code: '3101010003', grade: 7, source_sheet: '分年级', source_row: 7 },
      { school_code: '3101010003', grade: 8, source_sheet: '分年级', source_row: 8 },
      { school_code: '3101010004', grade: 1, source_sheet: '分年级', source_row: 9 },
      { school_code: '3101010004', grade: 7, source_sheet: '分年级', source_row: 10 },
    ]);
  });

  it('loads the GBK CSV without the optional 五天全勤 column and rejects the bad units', async () => {
    const w = warehouse();
    await load(w, REGISTRY);
    const r = only(await load(w, PARTICIPATION_GBK));
    expect(counters(r)).toEqual({
      kind: 'participation',
      unchanged: false,
      rowsRead: 5,
      rowsSkipped: 0,
      rowsLoaded: 2,
      rowsRejected: 3,
      unitsLoaded: 1,
      unitsRejected: 3,
      error: undefined,
    });
    const sheet = '分年级参与情况-河西乡';
    expect(rejectsOf(r)).toEqual([
      [sheet, 4, '年级', '一年级', 'GRADE_NOT_IN_STAGE'],
      [sheet, 5, '参加人数', '75', 'EXCEEDS'],
      [sheet, 5, '留守儿童数', '80', 'EXCEEDS'],
      [sheet, 6, '年级', '十年级', 'BAD_GRADE'],
    ]);
    expect(r.rejects.find((x) => x.code === 'GRADE_NOT_IN_STAGE')?.reasonZh).toBe(
      '该年级不属于学校学段（初中）',
    );
    // 30 + 33 participants in 河西乡中心小学 grades 1-2.
    expect(
      await query(
        w,
        `SELECT school_code, month, sum(participants)::INTEGER AS participants, count(five_day_participants)::INTEGER AS five_day,
          min(source_sheet) AS sheet, list(source_row ORDER BY source_row) AS rows
        FROM participation GROUP BY ALL`,
      ),
    ).toEqual([
      {
        school_code: '3101010002',
        month: '2024-09',
        participants: 63,
        five_day: 0,
        sheet,
        rows: [2, 3],
      },
    ]);
  });

  it('rejects grades outside the school’s stage for primary and accepts 1-9 for 九年一贯制', async () => {
    const w = warehouse();
    await load(w, REGISTRY);
    const header =
      '学校标识码,填报月份,年级,在校生数,申请人数,参加人数,留守儿童数,留守儿童参加数,随迁子女数,随迁子女参加数,残疾儿童数,残疾儿童参加数,困难家庭学生数,困难家庭学生参加数,五天全勤参加人数';
    const path = await tempFile(
      'p.csv',
      [
        header,
        '3101010001,2024-09,初一,100,90,80,0,0,0,0,0,0,0,0,70', // 小学 grade 7
        '3101010004,2024-09,9,100,90,80,0,0,0,0,0,0,0,0,70',
        '3101010004,2024-09,6,100,101,80,10,11,0,0,0,0,0,0,81', // applicants > enrolled, group, five-day
      ].join('\n') + '\n',
    );
    const r = only(await load(w, path));
    expect(rejectsOf(r)).toEqual([
      ['p', 2, '年级', '初一', 'GRADE_NOT_IN_STAGE'],
      ['p', 4, '五天全勤参加人数', '81', 'EXCEEDS'],
      ['p', 4, '申请人数', '101', 'EXCEEDS'],
      ['p', 4, '留守儿童参加数', '11', 'EXCEEDS'],
    ]);
    expect(counters(r)).toMatchObject({
      rowsLoaded: 0,
      rowsRejected: 3,
      unitsLoaded: 0,
      unitsRejected: 2,
    });
  });
});

describe('loadPaths: survey', () => {
  it('detects the question items, the overall item, scores and respondents', async () => {
    const w = warehouse();
    await load(w, REGISTRY);
    const r = only(await load(w, SURVEY));
    expect(counters(r)).toEqual({
      kind: 'survey',
      unchanged: false,
      rowsRead: 4,
      rowsSkipped: 0,
      rowsLoaded: 4,
      rowsRejected: 0,
      unitsLoaded: 1,
      unitsRejected: 0,
      error: undefined,
    });
    expect(
      await query(w, `SELECT item_no, item_text, is_overall FROM survey_items ORDER BY item_no`),
    ).toEqual([
      { item_no: 1, item_text: '您对学校课后服务总体是否满意？', is_overall: true },
      { item_no: 2, item_text: '您对课后服务的课程内容是否满意？', is_overall: false },
      { item_no: 3, item_text: '您对作业辅导是否满意？', is_overall: false },
    ]);
    expect(
      await query(
        w,
        `SELECT school_code, respondent, month, source_sheet, source_row FROM survey_responses ORDER BY source_row`,
      ),
    ).toEqual([
      {
        school_code: '3101010001',
        respondent: 'parent',
        month: '2024-12',
        source_sheet: 'Sheet1',
        source_row: 2,
      },
      {
        school_code: '3101010001',
        respondent: 'student',
        month: '2024-12',
        source_sheet: 'Sheet1',
        source_row: 3,
      },
      {
        school_code: '3101010003',
        respondent: 'teacher',
        month: '2024-12',
        source_sheet: 'Sheet1',
        source_row: 4,
      },
      {
        school_code: '3101010004',
        respondent: 'parent',
        month: '2024-12',
        source_sheet: 'Sheet1',
        source_row: 5,
      },
    ]);
    // Overall item: 非常满意 5, 满意 4, 一般 3, 非常不满意 1; item 3 of row 5 is blank (no answer).
    expect(
      await query(
        w,
        `SELECT r.source_row, list(a.score ORDER BY a.item_no) AS scores
        FROM survey_responses r JOIN survey_answers a USING (batch_id, response_no) GROUP BY ALL ORDER BY r.source_row`,
      ),
    ).toEqual([
      { source_row: 2, scores: [5, 4, 3] },
      { source_row: 3, scores: [4, 4, 5] },
      { source_row: 4, scores: [3, 2, 4] },
      { source_row: 5, scores: [1, 3] },
    ]);
    expect(
      await scalar(
        w,
        `SELECT avg(score) FROM survey_answers JOIN survey_items USING (batch_id, item_no) WHERE is_overall`,
      ),
    ).toBe(3.25);
  });

  it('rejects the whole file when a school name is not in the registry', async () => {
    const w = warehouse();
    await load(w, REGISTRY);
    const r = only(await load(w, SURVEY_UNKNOWN));
    expect(counters(r)).toMatchObject({
      kind: 'survey',
      rowsRead: 2,
      rowsLoaded: 0,
      rowsRejected: 2,
      unitsLoaded: 0,
      unitsRejected: 1,
    });
    expect(rejectsOf(r)).toEqual([
      ['满意度问卷-未知学校', 3, '学校', '城关第二小学', 'UNKNOWN_SCHOOL_NAME'],
    ]);
    expect(await counts(w)).toMatchObject({
      survey_items: 0,
      survey_responses: 0,
      survey_answers: 0,
    });
  });
});

describe('loadPaths: files and batches', () => {
  it('gives unchanged for byte-identical bytes and changes no data', async () => {
    const w = warehouse();
    await load(w, REGISTRY, MONTHLY_CLEAN);
    const before = await snapshot(w);
    const summary = await load(w, MONTHLY_CLEAN);
    expect(counters(only(summary))).toEqual({
      kind: 'monthly',
      unchanged: true,
      rowsRead: 0,
      rowsSkipped: 0,
      rowsLoaded: 0,
      rowsRejected: 0,
      unitsLoaded: 0,
      unitsRejected: 0,
      error: undefined,
    });
    expect(exitCode(summary)).toBe(0);
    const after = await snapshot(w);
    for (const table of ['schools', 'monthly_reports', 'load_rejects'] as const)
      expect(after[table]).toEqual(before[table]);
    expect(await query(w, `SELECT kind, status FROM load_batches ORDER BY batch_id`)).toEqual([
      { kind: 'registry', status: 'loaded' },
      { kind: 'monthly', status: 'loaded' },
      { kind: 'monthly', status: 'unchanged' },
    ]);
  });

  it('writes nothing on a dry run but reports the same figures', async () => {
    const w = warehouse();
    const summary = await loadPaths(w, [REGISTRY], { dryRun: true });
    expect(summary.dryRun).toBe(true);
    expect(counters(only(summary))).toMatchObject({
      kind: 'registry',
      rowsRead: 5,
      rowsSkipped: 1,
      rowsLoaded: 4,
      unitsLoaded: 4,
    });
    expect(Object.values(await counts(w)).every((n) => n === 0)).toBe(true);
    // A real load afterwards is not mistaken for "unchanged".
    expect(only(await load(w, REGISTRY)).unchanged).toBe(false);
  });

  it('rolls every table back when the transaction fails just before commit', async () => {
    const w = warehouse();
    await load(w, REGISTRY, ASSIGN_2409, MONTHLY_CLEAN, SURVEY);
    const before = await snapshot(w);
    const beforeCounts = await counts(w);
    const correction = await tempFile(
      '更正.csv',
      monthlyCsv([
        { '日均服务时长（分钟）': '150' },
        { 学校标识码: '3101010002', 参与教师数: '20' },
      ]),
    );
    const summary = await loadPaths(w, [correction, REGISTRY_GBK, ASSIGN_2502, SURVEY_UNKNOWN], {
      beforeCommit: () => {
        throw new Error('injected');
      },
    });
    expect(
      summary.files.map((f) => [f.kind, f.warehouseError, f.error?.includes('injected')]),
    ).toEqual([
      ['monthly', true, true],
      ['registry', true, true],
      ['assignments', true, true],
      ['survey', true, true],
    ]);
    expect(exitCode(summary)).toBe(1);
    expect(await counts(w)).toEqual(beforeCounts);
    expect(await snapshot(w)).toEqual(before);
    // The same bytes load for real afterwards (the failed attempt left no "already loaded" trace).
    const retry = only(await load(w, correction));
    expect([retry.unchanged, retry.rowsLoaded]).toEqual([false, 2]);
  });

  it('loads a folder registry first, then assignments, then the rest', async () => {
    const w = warehouse();
    const dir = join(tmp, 'district');
    await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'sub'), { recursive: true }));
    // Alphabetically: a-月报, b-挂牌, sub/c-问卷, z-名录 — the registry comes last by name.
    await copyFile(MONTHLY_CLEAN, join(dir, 'a-月报.xlsx'));
    await copyFile(ASSIGN_2409, join(dir, 'b-挂牌.csv'));
    await copyFile(SURVEY, join(dir, 'sub', 'c-问卷.xlsx'));
    await copyFile(REGISTRY, join(dir, 'z-名录.xlsx'));
    await writeFile(join(dir, 'notes.md'), '# not a report\n');
    const summary = await load(w, dir);
    expect(
      summary.files.map((f) => [
        f.path.slice(dir.length + 1),
        f.kind,
        f.rowsLoaded,
        f.rowsRejected,
      ]),
    ).toEqual([
      ['z-名录.xlsx', 'registry', 4, 0],
      ['b-挂牌.csv', 'assignments', 4, 0],
      ['a-月报.xlsx', 'monthly', 4, 0],
      [join('sub', 'c-问卷.xlsx'), 'survey', 4, 0],
    ]);
    expect(exitCode(summary)).toBe(0);
  });

  it('gives one result per kind for a workbook holding several kinds', async () => {
    const w = warehouse();
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    const reg = wb.addWorksheet('名录');
    reg.addRow([
      '学校标识码',
      '学校名称',
      '所属乡镇（街道）',
      '学段',
      '城乡类型',
      '办学性质',
      '是否偏远',
      '教师总数',
    ]);
    reg.addRow(['3101010001', '城关第一小学', '城关镇', '小学', '城区', '公办', '否', 60]);
    const mon = wb.addWorksheet('九月');
    mon.addRow(MONTHLY_HEADER);
    mon.addRow(MONTHLY_HEADER.map((h) => BASE_0001[h] ?? ''));
    wb.addWorksheet('说明').addRow(['填表说明：本表由学校填写']);
    const path = join(tmp, 'both.xlsx');
    await wb.xlsx.writeFile(path);
    const summary = await load(w, path);
    expect(summary.files.map((f) => [f.kind, f.sheets, f.rowsLoaded, f.rowsRejected])).toEqual([
      ['registry', ['名录'], 1, 0],
      ['monthly', ['九月'], 1, 0],
    ]);
    expect(await query(w, `SELECT source_sheet, source_row FROM monthly_reports`)).toEqual([
      { source_sheet: '九月', source_row: 2 },
    ]);
  });
});

describe('exitCode', () => {
  it('is 0 when everything is accepted', async () => {
    expect(exitCode(await load(warehouse(), REGISTRY))).toBe(0);
  });

  it('is 2 when some units are rejected', async () => {
    expect(exitCode(await load(warehouse(), REGISTRY, MONTHLY_MESSY))).toBe(2);
  });

  it('is 1 for a file of no known kind and names the file', async () => {
    const summary = await load(warehouse(), UNKNOWN_KIND);
    const r = only(summary);
    expect([r.path, r.kind, r.rowsRead]).toEqual([UNKNOWN_KIND, null, 0]);
    expect(r.error).toMatch(/unknown report kind/u);
    expect(exitCode(summary)).toBe(1);
  });

  it('is 1 for an unreadable workbook and a missing file', async () => {
    const summary = await load(warehouse(), BROKEN, join(tmp, 'missing.csv'));
    expect(summary.files.map((f) => [f.path, f.kind, f.error !== undefined])).toEqual([
      [BROKEN, null, true],
      [join(tmp, 'missing.csv'), null, true],
    ]);
    expect(summary.files[0]?.error).toMatch(/not a readable \.xlsx/u);
    expect(exitCode(summary)).toBe(1);
  });

  it('is 2 when one file loads and another is of no known kind', async () => {
    expect(exitCode(await load(warehouse(), REGISTRY, UNKNOWN_KIND))).toBe(2);
  });

  it('is 1 when a required column is missing', async () => {
    const path = await tempFile(
      '缺列.csv',
      '学校标识码,填报月份,上学天数,开展天数\n3101010001,2024-09,21,20\n',
    );
    const r = only(await load(warehouse(), path));
    expect(r.kind).toBe('monthly');
    expect(r.error).toMatch(/日均服务时长/u);
    expect(exitCode({ dryRun: false, files: [r] })).toBe(1);
  });
});

describe('loadPaths: encodings', () => {
  it('reads the same registry from UTF-8, UTF-8 BOM and GB18030 bytes', async () => {
    const w = warehouse();
    const text =
      '学校标识码,学校名称,所属乡镇（街道）,学段,城乡类型,办学性质,是否偏远,教师总数\r\n3101010007,鄱阳县饶州镇䶮溪小学,饶州镇,小学,镇区,公办,否,33\r\n';
    for (const [name, bytes] of [
      ['u8.csv', Buffer.from(text, 'utf8')],
      ['bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
      ['gb.csv', iconv.encode(text, 'gb18030')],
    ] as const) {
      const r = only(await load(w, await tempFile(name, bytes)));
      expect([name, r.rowsLoaded, r.rowsRejected]).toEqual([name, 1, 0]);
      expect(await scalar(w, `SELECT school_name FROM schools`)).toBe('鄱阳县饶州镇䶮溪小学');
    }
  });
});
