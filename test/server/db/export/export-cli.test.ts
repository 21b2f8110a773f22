/**
 * `npm run -s warehouse -- export <dir> [--json]` as an operator runs it (README "National
 * scale"): a file warehouse of the fixture district exported, the tree read back by the
 * national reader; a second export into the same folder refused; and while another process
 * holds the warehouse (a server, here this test), a clear refusal naming the way round.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../../../server/db/connect.ts';
import type { ExportManifest } from '../../../../server/db/export/export-manifest.ts';
import { AGGREGATES, openNationalReader } from '../../../../server/db/export/national-reader.ts';
import { storePolicyFileOn } from '../../../../server/policy/policy-store.ts';
import { exitCode, loadPaths } from '../../../../etl/index.ts';
import {
  API_FIXTURE_POLICY,
  API_FIXTURES,
  FIXTURE_LOADED_AT,
} from '../../../helpers/api-fixture.ts';
import { runScript } from '../../../helpers/run-script.ts';

const CLI = 'server/db/warehouse-cli.ts';

describe('npm run -s warehouse -- export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kehou-export-cli-'));
  const db = join(dir, 'kehou.duckdb');
  const env = { KEHOU_DB: db };

  beforeAll(async () => {
    const warehouse = await openWarehouse(db);
    try {
      const conn = await warehouse.connect();
      try {
        await storePolicyFileOn(conn, {
          text: readFileSync(API_FIXTURE_POLICY, 'utf8').replace(
            /^district: (.*)$/mu,
            "district: $1\ndistrict_code: '130534'",
          ),
          fileName: 'policy.yaml',
          loadedBy: 'test',
        });
      } finally {
        conn.closeSync();
      }
      const summary = await loadPaths(warehouse, [API_FIXTURES], {
        user: 'test',
        now: FIXTURE_LOADED_AT,
      });
      expect(exitCode(summary)).toBe(0);
    } finally {
      await warehouse.close();
    }
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports into a new folder, and the tree reads back', async () => {
    const target = join(dir, 'export');
    const done = await runScript(CLI, ['export', target, '--json'], { env });
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    const answer = JSON.parse(done.stdout) as { ok: boolean; manifest: ExportManifest };
    expect(answer.ok).toBe(true);
    expect(answer.manifest.district).toEqual({
      code: '130534',
      name: '测试区县 (national defaults, 愿留尽留 relaxed to 95%)',
    });
    expect(JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8'))).toEqual(
      answer.manifest,
    );
    const reader = await openNationalReader([target]);
    try {
      const [row] = await reader.query(
        "SELECT participants FROM participation_monthly WHERE school_code = '1000000003' AND month = '2025-09'",
      );
      expect(row?.participants).toBe(90);
    } finally {
      reader.close();
    }

    const again = await runScript(CLI, ['export', target], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/不为空.*not empty/su);
  }, 60_000);

  it('runs the aggregates over the export into CSV files (warehouse national)', async () => {
    const tree = join(dir, 'export-for-national');
    expect((await runScript(CLI, ['export', tree], { env })).code).toBe(0);
    const out = join(dir, 'national');
    const done = await runScript(CLI, ['national', tree, '--out', out, '--json']);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    const answer = JSON.parse(done.stdout) as { results: { name: string; rows: number }[] };
    expect(answer.results.map((r) => r.name)).toEqual([...AGGREGATES]);
    // 测试区县 reports 2025-09 to 2025-11: one coverage row a month (national.test.ts checks
    // every figure against the server's; here the file must hold what the reader gives).
    const csv = readFileSync(join(out, 'coverage.csv'), 'utf8').trim().split('\n');
    const header = csv[0]!.split(',');
    const october = csv
      .slice(1)
      .map((line) => Object.fromEntries(line.split(',').map((v, i) => [header[i], v])))
      .find((row) => row.month === '2025-10');
    // 2025-10: 4 schools in scope, 3 reporting, 2 offering (hand-computed in national.test.ts).
    expect(october).toMatchObject({
      district: '130534',
      schools_in_scope: '4',
      schools_reporting: '3',
      schools_offering: '2',
    });
    expect(Number(october!.coverage_rate)).toBeCloseTo(2 / 3, 12);
    expect(answer.results.find((r) => r.name === 'coverage')?.rows).toBe(csv.length - 1);

    const refused = await runScript(CLI, ['national', tree, '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/新目录或空目录.*new or empty/su);
    const notTree = await runScript(CLI, ['national', dir, '--out', join(dir, 'n2')]);
    expect(notTree.code).toBe(1);
    expect(notTree.stderr).toMatch(/不是完整的导出目录.*manifest\.json/su);
    const unknown = await runScript(CLI, [
      'national',
      tree,
      '--out',
      join(dir, 'n3'),
      '--only',
      'nope',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no such aggregate: nope');
  }, 90_000);

  it('refuses clearly while another process holds the warehouse', async () => {
    const held = await openWarehouse(db);
    try {
      const target = join(dir, 'while-held');
      const refused = await runScript(CLI, ['export', target], { env });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/正被.*占用/u);
      expect(refused.stderr).toContain('warehouse -- backup');
      expect(existsSync(target)).toBe(false);
    } finally {
      await held.close();
    }
  }, 60_000);
});
