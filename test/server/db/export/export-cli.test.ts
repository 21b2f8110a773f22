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
import { openNationalReader } from '../../../../server/db/export/national-reader.ts';
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
