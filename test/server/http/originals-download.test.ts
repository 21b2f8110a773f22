/**
 * GET /api/originals/:batchId: the loaded file's exact bytes under its own name, for bureau
 * inspectors only, each download an audit row; unknown batches and originals not kept are 404.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCode, loadPaths } from '../../../etl/index.ts';
import type { Viewer } from '../../../server/auth/viewer.ts';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import { keepAndRecordOriginal, originalPath } from '../../../server/db/originals.ts';
import type { Role } from '../../../server/db/tables/users.table.ts';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import { originalsRouter } from '../../../server/http/originals-download.ts';
import { createServerLogger } from '../../../server/log.ts';

// A binary workbook: any re-encoding on the way out would change its bytes.
const FIXTURE = fileURLToPath(new URL('../../fixtures/etl/学校名录.xlsx', import.meta.url));

const viewer = (userId: number, role: Role): Viewer => ({
  userId,
  username: `u${userId}`,
  name: role,
  role,
  inspectorId: null,
  schoolCode: null,
  township: null,
  sessionHash: 'x',
});

let warehouse: Warehouse;
let writer: WarehouseWriter;
let server: Server;
let base: string;
let batchId: string;
let sha256: string;

beforeAll(async () => {
  warehouse = await openWarehouse(':memory:');
  const summary = await loadPaths(warehouse, [FIXTURE], { user: 'test' });
  expect(exitCode(summary)).toBe(0);
  const conn = await warehouse.connect();
  try {
    const row = (
      await conn.runAndReadAll('SELECT batch_id, sha256 FROM load_batches ORDER BY batch_id')
    ).getRowObjectsJS()[0]!;
    batchId = String(row.batch_id);
    sha256 = String(row.sha256);
    // The ETL keeps originals itself (lineage-store); keeping again is a no-op.
    await keepAndRecordOriginal(warehouse, conn, FIXTURE, sha256);
  } finally {
    conn.closeSync();
  }
  writer = await WarehouseWriter.open(warehouse);
  const app = express();
  app.use((req, res, next) => {
    const role = req.get('x-test-role') as Role | undefined;
    if (role) res.locals.viewer = viewer(role === 'BUREAU_INSPECTOR' ? 1 : 2, role);
    next();
  });
  app.use(
    '/api/originals',
    originalsRouter({ warehouse, writer, log: createServerLogger('test') }),
  );
  server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await writer?.close();
  await warehouse?.close();
});

const get = (path: string, role?: Role) =>
  fetch(`${base}/api/originals/${path}`, { headers: role ? { 'x-test-role': role } : {} });

async function auditRows(): Promise<
  { username: string; action: string; target: string; outcome: string }[]
> {
  return (await warehouse.db
    .selectFrom('audit_log')
    .select(['username', 'action', 'target', 'outcome'])
    .orderBy('audit_id')
    .execute()) as never;
}

describe('GET /api/originals/:batchId', () => {
  it('sends the exact bytes under the file name and audits the download', async () => {
    const res = await get(batchId, 'BUREAU_INSPECTOR');
    expect(res.status).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    const original = await readFile(FIXTURE);
    expect(body.equals(original)).toBe(true);
    expect(createHash('sha256').update(body).digest('hex')).toBe(sha256);
    expect(res.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('学校名录.xlsx')}`,
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await auditRows()).at(-1)).toEqual({
      username: 'u1',
      action: 'originals.download',
      target: `batch ${batchId} 学校名录.xlsx`,
      outcome: 'ok',
    });
  });

  it('refuses other roles (403, audited) and anonymous callers (401)', async () => {
    // The school side included: a 学校填报员 keeps its own file, a 学区审核员 reads figures.
    for (const role of [
      'LEADERSHIP',
      'SUPERVISING_INSPECTOR',
      'SCHOOL_REPORTER',
      'TOWNSHIP_REVIEWER',
    ] as const) {
      const res = await get(batchId, role);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
      expect((await auditRows()).at(-1)).toMatchObject({ username: 'u2', outcome: 'denied' });
    }
    expect((await get(batchId)).status).toBe(401);
  });

  it('answers 404 for malformed and unknown batches and for originals not kept', async () => {
    for (const id of ['0', 'abc', '99999', '1e3', '../1'])
      expect((await get(id, 'BUREAU_INSPECTOR')).status).toBe(404);
    await rm((await originalPath(warehouse, sha256))!);
    const res = await get(batchId, 'BUREAU_INSPECTOR');
    expect(res.status).toBe(404);
    expect((await auditRows()).at(-1)).toMatchObject({ outcome: 'failed' });
  });
});
