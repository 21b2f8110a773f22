/**
 * GET /metrics on a small seeded warehouse, every count worked out by hand below, at
 * NOW = 2026-12-05 10:00 Beijing (02:00Z): the last 24 h start at 2026-12-04T02:00Z and
 * today, for overdue flags, is 2026-12-05.
 */
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverConfigFromEnv } from '../../../server/config.ts';
import { BACKUP_FILE, MANIFEST_FILE } from '../../../server/db/backup.ts';
import { rotatedFolderName } from '../../../server/db/backup-rotate.ts';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import { metricsRouter } from '../../../server/http/metrics-route.ts';
import { startServer } from '../../../server/http/serve.ts';

const NOW = new Date('2026-12-05T02:00:00Z');
const TOKEN = 'a-metrics-token-of-some-length';

const SEED = [
  `INSERT INTO load_batches (batch_id, file_name, file_path, sha256, kind, status, loaded_by,
     loaded_at, rows_read, rows_skipped, rows_loaded, rows_rejected, units_loaded, units_rejected) VALUES
   -- before the 24 h: a good load
   (1, '东城镇月报.xlsx', '/x', 'a', 'monthly', 'loaded', '王科长', '2026-12-01T02:00:00Z', 3, 0, 3, 0, 3, 0),
   -- one minute before the 24 h: its rejects do not count
   (2, '西山镇月报.xlsx', '/x', 'b', 'monthly', 'loaded', '王科长', '2026-12-04T01:59:00Z', 9, 0, 4, 5, 2, 2),
   -- in the 24 h: 4 school-months in, 1 refused with 2 rows (the newest load that put data in)
   (3, '南湖镇月报.xlsx', '/x', 'c', 'monthly', 'loaded', '王科长', '2026-12-04T03:00:00Z', 6, 0, 4, 2, 4, 1),
   -- in the 24 h: everything refused (3 school-months, 7 rows): not a load that put data in
   (4, '北岗镇月报.xlsx', '/x', 'd', 'monthly', 'loaded', 'school02', '2026-12-04T20:00:00Z', 7, 0, 0, 7, 0, 3),
   -- in the 24 h: the same file again
   (5, '南湖镇月报.xlsx', '/x', 'c', 'monthly', 'unchanged', '王科长', '2026-12-05T01:00:00Z', 0, 0, 0, 0, 0, 0)`,
  `INSERT INTO audit_log (occurred_at, username, action, target, outcome) VALUES
   ('2026-12-04T10:00:00Z', 'school02', 'upload', '坏文件.xlsx', 'failed'),
   ('2026-12-03T10:00:00Z', 'school02', 'upload', '旧坏文件.xlsx', 'failed'),
   ('2026-12-04T11:00:00Z', 'bureau', 'upload', '月报.xlsx', 'ok'),
   ('2026-12-04T12:00:00Z', 'mallory', 'auth.login', NULL, 'failed'),
   ('2026-12-04T19:00:00Z', 'kehou', 'backup', '/srv/b/1', 'ok'),
   ('2026-12-05T00:00:00Z', 'kehou', 'backup', '/srv/b/2', 'failed')`,
  `INSERT INTO flags (flag_id, school_code, month, code, rule, source, status, detail, raised_by, rectify_deadline) VALUES
   (1, '1000000001', '2026-11', 'LATE_END', 'LATE_END.x', 'report', 'OPEN', '放学晚于', 'system', NULL),
   -- past its deadline yesterday: open and overdue
   (2, '1000000002', '2026-11', 'LATE_END', 'LATE_END.x', 'report', 'RECTIFYING', '放学晚于', 'system', '2026-12-04'),
   -- due today: open, not overdue yet
   (3, '1000000003', '2026-11', 'LATE_END', 'LATE_END.x', 'report', 'RECTIFYING', '放学晚于', 'system', '2026-12-05'),
   -- rectified, waiting for the check: open, its old deadline no longer runs
   (4, '1000000004', '2026-10', 'LATE_END', 'LATE_END.x', 'report', 'RECTIFIED', '放学晚于', 'system', '2026-11-01'),
   (5, '1000000005', '2026-10', 'LATE_END', 'LATE_END.x', 'report', 'CLOSED', '放学晚于', 'system', '2026-11-01'),
   (6, '1000000006', '2026-10', 'LATE_END', 'LATE_END.x', 'report', 'DISMISSED', '放学晚于', 'system', NULL)`,
];

let warehouse: Warehouse;
let server: Server;
let base: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehou-metrics-'));
  // A folder of backup-rotate's, newer than the audited backup: taken with the server stopped.
  const rotated = join(dir, rotatedFolderName(new Date('2026-12-04T21:00:00Z')));
  await mkdir(rotated);
  await writeFile(join(rotated, BACKUP_FILE), '');
  await writeFile(
    join(rotated, MANIFEST_FILE),
    JSON.stringify({ format: 'kehou-backup/1', createdAt: '2026-12-04T21:00:00.000Z' }),
  );
  warehouse = await openWarehouse(':memory:');
  const conn = await warehouse.connect();
  for (const statement of SEED) await conn.run(statement.replace(/^\s*--.*$/gmu, ''));
  conn.closeSync();
  const log = pino({ level: 'silent' });
  const app = express();
  const deps = { warehouse, log, now: () => NOW };
  app.use('/metrics', metricsRouter({ ...deps, token: null, backupRoot: null }));
  app.use('/rooted/metrics', metricsRouter({ ...deps, token: null, backupRoot: dir }));
  app.use('/tokened/metrics', metricsRouter({ ...deps, token: TOKEN, backupRoot: null }));
  server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await warehouse?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The samples of a Prometheus text body, name → value. */
function parse(text: string): Record<string, number> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const [name, value] = line.split(' ');
        return [name, Number(value)];
      }),
  );
}

const EXPECTED = {
  kehou_warehouse_up: 1,
  kehou_warehouse_generation: 1,
  kehou_warehouse_reopens_total: 0,
  kehou_load_batches_24h: 3, // batches 3, 4, 5
  kehou_load_batches_rejected_24h: 2, // batches 3, 4
  kehou_load_rows_rejected_24h: 9, // 2 + 7
  kehou_uploads_failed_24h: 1, // 12-04 10:00Z
  kehou_last_load_timestamp_seconds: Date.parse('2026-12-04T03:00:00Z') / 1000, // batch 3
  kehou_flags_open: 4, // flags 1–4
  kehou_flags_overdue: 1, // flag 2
  kehou_last_backup_timestamp_seconds: Date.parse('2026-12-04T19:00:00Z') / 1000,
  kehou_last_backup_age_seconds: 7 * 3600, // 19:00Z → 02:00Z
};

describe('GET /metrics', () => {
  it('counts loads, failed uploads, open and overdue flags and the backup age', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(parse(text)).toEqual(EXPECTED);
    expect(text).toContain('# TYPE kehou_warehouse_reopens_total counter\n');
    // Counts only: no file, school, user or flag text leaves.
    for (const secret of ['东城镇', '1000000002', '王科长', 'school02', 'mallory', '放学', '/srv'])
      expect(text).not.toContain(secret);
  });

  it('takes the newest backup of the backup root when it is newer than the audited one', async () => {
    const res = await fetch(`${base}/rooted/metrics?format=json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ...EXPECTED,
      kehou_last_backup_timestamp_seconds: Date.parse('2026-12-04T21:00:00Z') / 1000,
      kehou_last_backup_age_seconds: 5 * 3600,
    });
  });

  it('without a token refuses requests that came through a proxy', async () => {
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      const res = await fetch(`${base}/metrics`, { headers: { [header]: '203.0.113.9' } });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
        /仅限本机.*\/ Metrics are for direct local requests only/u,
      );
    }
  });

  it('with a token asks for it from everyone, and takes it through a proxy', async () => {
    const missing = await fetch(`${base}/tokened/metrics`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/u);
    const wrong = await fetch(`${base}/tokened/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}x` },
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${base}/tokened/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}`, 'x-forwarded-for': '203.0.113.9' },
    });
    expect(right.status).toBe(200);
    expect(parse(await right.text())).toEqual(EXPECTED);
  });
});

describe('the metrics settings', () => {
  it('refuse a short KEHOU_METRICS_TOKEN and read KEHOU_BACKUP_ROOT', () => {
    expect(() => serverConfigFromEnv({ KEHOU_METRICS_TOKEN: 'short' })).toThrow(
      /至少需要 16 个字符 \/ must be at least 16 characters/u,
    );
    expect(
      serverConfigFromEnv({ KEHOU_METRICS_TOKEN: TOKEN, KEHOU_BACKUP_ROOT: '/srv/b' }),
    ).toMatchObject({
      metricsToken: TOKEN,
      backupRoot: '/srv/b',
    });
    expect(serverConfigFromEnv({})).toMatchObject({ metricsToken: null, backupRoot: null });
  });

  it('the server of npm start answers /metrics before any session', async () => {
    const running = await startServer({
      env: {},
      config: { dbPath: ':memory:', port: 0, host: '127.0.0.1' },
      log: pino({ level: 'silent' }),
    });
    try {
      const res = await fetch(`${running.url}/metrics`);
      expect(res.status).toBe(200);
      expect(parse(await res.text())).toMatchObject({
        kehou_warehouse_up: 1,
        kehou_load_batches_24h: 0,
        kehou_flags_open: 0,
      });
    } finally {
      await running.close();
    }
  });
});
