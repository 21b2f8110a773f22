/**
 * The CLI as other tools drive it: `node --import tsx etl/cli.ts load <file> --json` with
 * KEHOU_DB pointing at a warehouse file. stdout must be exactly one JSON document.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../server/db/connect.ts';
import { counts } from '../helpers/with-warehouse.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/etl/${name}`, import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(db: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'etl/cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, KEHOU_DB: db, NODE_ENV: 'test', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

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

  it('exits 1 for a file of no known kind', async () => {
    const run = await cli(db, 'load', fixture('联系人名单.csv'), '--json');
    expect(run.code).toBe(1);
    const file = json(run).files[0];
    expect(file).toMatchObject({ path: fixture('联系人名单.csv'), kind: null, rowsLoaded: 0 });
    expect(String(file?.error)).toMatch(/unknown report kind/u);
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
