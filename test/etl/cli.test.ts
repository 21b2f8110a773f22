/**
 * The CLI as other tools drive it: `node --import tsx etl/cli.ts load <file> --json` with
 * KEHOU_DB pointing at a warehouse file. stdout must be exactly one JSON document.
 */
import ExcelJS from 'exceljs';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../server/db/connect.ts';
import { runScript, type ScriptExit } from '../helpers/run-script.ts';
import { counts, query } from '../helpers/with-warehouse.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/etl/${name}`, import.meta.url));
const flagFixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/flags/${name}`, import.meta.url));

type Run = ScriptExit;

const cli = (db: string, ...args: string[]): Promise<Run> =>
  runScript('etl/cli.ts', args, { env: { KEHOU_DB: db } });

const FILE_KEYS = [
  'path',
  'kind',
  'unchanged',
  'rowsRead',
  'rowsSkipped',
  'rowsLoaded',
  'rowsRejected',
  'unitsLoaded',
  'unitsRejected',
  'rejects',
];

/** Parses stdout as exactly one JSON document (JSON.parse rejects anything around it). */
function json(run: Run): { files: Array<Record<string, unknown>> } {
  expect(run.stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(run.stdout) as { files: Array<Record<string, unknown>> };
}

let dir: string;
let db: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-cli-'));
  db = join(dir, 'kehou.duckdb');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('etl load --json', () => {
  it('prints one JSON document with the contract fields and exits 0 when all is accepted', async () => {
    const run = await cli(db, 'load', fixture('学校名录.xlsx'), '--json');
    expect(run.code).toBe(0);
    const doc = json(run);
    expect(doc.files).toHaveLength(1);
    const file = doc.files[0]!;
    for (const key of FILE_KEYS) expect(file).toHaveProperty(key);
    expect(file).toMatchObject({
      path: fixture('学校名录.xlsx'),
      kind: 'registry',
      unchanged: false,
      rowsRead: 5,
      rowsSkipped: 1,
      rowsLoaded: 4,
      rowsRejected: 0,
      unitsLoaded: 4,
      unitsRejected: 0,
      rejects: [],
    });

    // Loading the same bytes again says so.
    const again = await cli(db, 'load', fixture('学校名录.xlsx'), '--json');
    expect(again.code).toBe(0);
    expect(json(again).files[0]).toMatchObject({
      kind: 'registry',
      unchanged: true,
      rowsLoaded: 0,
    });
  });

  it('exits 2 with every reject located by sheet, row, column, value and reason', async () => {
    const run = await cli(
      db,
      'load',
      fixture('学校名录.xlsx'),
      fixture('满意度问卷-未知学校.csv'),
      '--json',
    );
    expect(run.code).toBe(2);
    const doc = json(run);
    expect(doc.files.map((f) => [f.kind, f.rowsLoaded, f.rowsRejected, f.unitsRejected])).toEqual([
      ['registry', 4, 0, 0],
      ['survey', 0, 2, 1],
    ]);
    expect(doc.files[1]?.rejects).toEqual([
      expect.objectContaining({
        sheet: '满意度问卷-未知学校',
        row: 3,
        column: '学校',
        value: '城关第二小学',
        reason:
          '学校名称与学校名录不符（请填写名录中的全称或学校标识码） / school name not found in the registry (use the full registered name or the school code)',
      }),
    ]);
  });

  it('writes every reject to --rejects as CSV (UTF-8 with BOM), a dry run too', async () => {
    const target = join(dir, '拒绝明细.csv');
    expect((await cli(db, 'load', fixture('学校名录.xlsx'))).code).toBe(0);
    for (const dryRun of [['--dry-run'], []]) {
      const run = await cli(
        db,
        'load',
        fixture('满意度问卷-未知学校.csv'),
        '--rejects',
        target,
        ...dryRun,
      );
      // The survey file is one unit: rejected whole, nothing loaded.
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`拒绝明细已写入 rejects written to ${target}`);
      const text = await readFile(target, 'utf8');
      expect(text.split('\r\n')[0]).toBe(
        '\ufeff文件,工作表,行,列,值,原因,原因（英文）,代码,学校标识码,学校名称',
      );
      expect(text.trimEnd().split(/\r?\n/u).slice(1)).toEqual([
        `${fixture('满意度问卷-未知学校.csv')},满意度问卷-未知学校,3,学校,城关第二小学,学校名称与学校名录不符（请填写名录中的全称或学校标识码）,school name not found in the registry (use the full registered name or the school code),UNKNOWN_SCHOOL_NAME,,城关第二小学`,
      ]);
      await rm(target);
    }
  });

  it('writes the rejects as a workbook when --rejects names an .xlsx file', async () => {
    const target = join(dir, '拒绝明细.xlsx');
    expect((await cli(db, 'load', fixture('学校名录.xlsx'))).code).toBe(0);
    const run = await cli(db, 'load', fixture('满意度问卷-未知学校.csv'), '--rejects', target);
    expect(run.code).toBe(1);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(target);
    const rows: unknown[][] = [];
    book.getWorksheet('拒绝明细')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows.map((r) => [r[1], r[2], r[3], r[4], r[7], r[9]])).toEqual([
      ['工作表', '行', '列', '值', '代码', '学校名称'],
      ['满意度问卷-未知学校', 3, '学校', '城关第二小学', 'UNKNOWN_SCHOOL_NAME', '城关第二小学'],
    ]);
  });

  it('exits 1 for a file of no known kind', async () => {
    const run = await cli(db, 'load', fixture('联系人名单.csv'), '--json');
    expect(run.code).toBe(1);
    const file = json(run).files[0];
    expect(file).toMatchObject({ path: fixture('联系人名单.csv'), kind: null, rowsLoaded: 0 });
    expect(String(file?.error)).toMatch(/unknown report kind/u);
  });

  it('exits 1 when every unit of the file is rejected: nothing was loaded', async () => {
    // The survey names a school the (empty) warehouse does not know.
    const run = await cli(db, 'load', fixture('满意度问卷-未知学校.csv'), '--json');
    expect(run.code).toBe(1);
    expect(json(run).files[0]).toMatchObject({ kind: 'survey', unitsLoaded: 0, unitsRejected: 1 });
  });

  it("cuts DuckDB's message quoting a 10 MB line to the line and the reason", async () => {
    const file = join(dir, '学校名录.csv');
    const header =
      '学校标识码,学校名称,所属乡镇（街道）,学段,城乡类型,办学性质,是否偏远,教师总数\n';
    await writeFile(
      file,
      `${header}1000000001,东城第一小学,东城镇,小学,城区,公办,否,40\n1000000002,${'长'.repeat(3_500_000)},东城镇,小学,乡村,公办,是,20\n`,
    );
    const run = await cli(db, 'load', file, '--json');
    expect(run.code).toBe(1);
    const result = json(run).files[0];
    expect(result).toMatchObject({ kind: 'registry', rowsLoaded: 0 });
    expect(result?.warehouseError).toBeUndefined();
    expect(result?.error).toBe(
      'CSV 文件第 3 行无法读取，文件未导入：该行长 10,500,049 字节，超过 2,000,000 字节的上限 / line 3 of the CSV could not be read, nothing was loaded: Maximum line size of 2000000 bytes exceeded. Actual Size:10500049 bytes.',
    );
    expect(run.stdout.length).toBeLessThan(2_000);
    expect(run.stderr.length).toBeLessThan(5_000);
  });

  it('leaves the warehouse empty on --dry-run', async () => {
    const run = await cli(db, 'load', fixture('学校名录.xlsx'), '--json', '--dry-run');
    expect(run.code).toBe(0);
    expect(json(run).files[0]).toMatchObject({ kind: 'registry', rowsLoaded: 4 });
    const warehouse = await openWarehouse(db);
    try {
      expect(Object.values(await counts(warehouse)).every((n) => n === 0)).toBe(true);
    } finally {
      await warehouse.close();
    }
  });
});

describe('etl policy / etl flags', () => {
  const NOW = ['--now', '2025-12-06T00:00:00+08:00'];
  const FIXTURES = ['学校名录.csv', '月报.csv', '分年级参与情况.csv'].map(flagFixture);

  it('refuses an invalid policy file, listing every issue with its path, before touching the warehouse', async () => {
    const file = join(dir, '坏政策.yaml');
    await writeFile(
      file,
      `district: 测试区
versions:
  - version: '1'
    effective_from: '2025-09'
    source: 测试
    end_time: { latest: { primary: '18.00' } }
    fees: { caps: { per_day: -1 } }
`,
    );
    const run = await cli(db, 'policy', file);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      '政策文件无效，未存入 / the policy file is invalid and was not stored',
    );
    expect(run.stderr).toContain(
      '✗ versions[1].end_time.latest.primary: 时间格式应为 HH:MM（如 18:00） / expected HH:MM, e.g. 18:00',
    );
    expect(run.stderr).toContain('✗ versions[1].fees.caps.per_day: ');
    expect(existsSync(db)).toBe(false);
  });

  it('stores a policy, re-judges every school-month by it, and then finds nothing to change', async () => {
    expect((await cli(db, 'load', ...FIXTURES, '--json', ...NOW)).code).toBe(0);
    const file = join(dir, '测试区政策.yaml');
    await writeFile(
      file,
      `district: 测试区
versions:
  - version: v1
    effective_from: '2025-09'
    source: 测试区课后服务实施方案
    fees: { caps: { per_period: 2.3 } }
`,
    );
    const run = await cli(db, 'policy', file, '--json', '--user', '张科长', ...NOW);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      dryRun: false,
      stored: true,
      policy: {
        file: '测试区政策.yaml',
        district: '测试区',
        versions: [{ version: 'v1', effectiveFrom: '2025-09', source: '测试区课后服务实施方案' }],
      },
      // 2.00 a period is within 2.30 now; the other 18 flags now cite version v1.
      total: { raised: 0, updated: 19, resolved: 1, reopened: 0 },
    });
    expect((doc.byCode as Record<string, unknown>).ILLEGAL_FEES).toEqual({
      raised: 0,
      updated: 2,
      resolved: 1,
      reopened: 0,
    });
    const flags = await cli(db, 'flags', ...NOW);
    expect(flags.code).toBe(0);
    expect(flags.stdout).toContain('政策 policy: 测试区（测试区政策.yaml）');
    expect(flags.stdout).toContain(
      '重新判定 re-judged: 新增 raised 0 | 更新 updated 0 | 自动解除 resolved 0 | 重新打开 reopened 0',
    );
    const warehouse = await openWarehouse(db);
    try {
      expect(
        await query(warehouse, `SELECT file_name, loaded_by FROM policy_files ORDER BY policy_id`),
      ).toEqual([
        { file_name: 'district-policy.yaml', loaded_by: 'default' },
        { file_name: '测试区政策.yaml', loaded_by: '张科长' },
      ]);
      expect(
        await query(warehouse, `SELECT DISTINCT policy_version FROM flags WHERE status = 'OPEN'`),
      ).toEqual([{ policy_version: 'v1' }]);
    } finally {
      await warehouse.close();
    }
    // Four CLI processes (load, policy, flags, and the warehouse read): each starts tsx.
  }, 90_000);
});

describe('etl map', () => {
  const mapFixture = (name: string): string =>
    fileURLToPath(new URL(`../fixtures/map/${name}`, import.meta.url));
  const registry = fileURLToPath(new URL('../fixtures/api/学校名录.csv', import.meta.url));

  it('stores a valid map (one JSON document, exit 0) and refuses an invalid one (exit 1, every issue on stderr)', async () => {
    expect((await cli(db, 'load', registry, '--json')).code).toBe(0);
    const run = await cli(db, 'map', mapFixture('partial.geojson'), '--json', '--user', '张科长');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: true,
      stored: true,
      features: 1,
      vertices: 4,
      townships: ['东城镇'],
      missing: ['西山乡'],
    });
    const bad = await cli(db, 'map', mapFixture('invalid.geojson'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      '乡镇地图无效，未存入 / the township map is invalid and was not stored',
    );
    expect(bad.stderr).toContain(
      '✗ features[3]（第4个要素 feature #4） 的乡镇名称 "北河镇" 不在学校名录中 / the township "北河镇" is not in the school registry',
    );
    const warehouse = await openWarehouse(db);
    try {
      expect(await query(warehouse, 'SELECT file_name, loaded_by FROM township_map')).toEqual([
        { file_name: 'partial.geojson', loaded_by: '张科长' },
      ]);
    } finally {
      await warehouse.close();
    }
  });
});
