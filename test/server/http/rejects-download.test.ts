/**
 * GET /api/uploads/rejects/:batchId: every reject of a load batch as CSV (UTF-8 with BOM),
 * in file order, for the bureau inspector only; an unknown or malformed batch is 404.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoadSummary } from '../../../etl/index.ts';
import type { Viewer } from '../../../server/auth/viewer.ts';
import { serverConfigFromEnv } from '../../../server/config.ts';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import type { Role } from '../../../server/db/tables/users.table.ts';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import { createServerLogger } from '../../../server/log.ts';
import { uploadsRouter } from '../../../server/http/uploads-route.ts';
import { until } from '../../helpers/until.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/etl/${name}`, import.meta.url));

const viewer = (userId: number, role: Role): Viewer => ({
  userId,
  username: role.toLowerCase(),
  name: role,
  role,
  inspectorId: null,
  schoolCode: null,
  township: null,
  sessionHash: 'x',
});

let warehouse: Warehouse;
let writer: WarehouseWriter;
let tempRoot: string;
let server: Server;
let base: string;

beforeEach(async () => {
  warehouse = await openWarehouse(':memory:');
  writer = await WarehouseWriter.open(warehouse);
  tempRoot = await mkdtemp(join(tmpdir(), 'kehou-rejects-download-'));
  const app = express();
  app.use((req, res, next) => {
    const role = req.get('x-test-role') as Role | undefined;
    if (role) res.locals.viewer = viewer(1, role);
    next();
  });
  const config = serverConfigFromEnv({});
  const log = createServerLogger('test');
  app.use('/api/uploads', uploadsRouter({ warehouse, writer, config, log, tempRoot }));
  server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await writer.close();
  await warehouse.close();
  await rm(tempRoot, { recursive: true, force: true });
});

const asBureau = { 'x-test-role': 'BUREAU_INSPECTOR' };

async function uploadFixtures(...names: string[]): Promise<LoadSummary> {
  const body = new FormData();
  for (const name of names)
    body.append('files', new Blob([await readFile(fixture(name))]), basename(name));
  const res = await fetch(`${base}/api/uploads`, { method: 'POST', body, headers: asBureau });
  return (await res.json()) as LoadSummary;
}

describe('GET /api/uploads/rejects/:batchId', () => {
  it('sends every reject of the batch as CSV in file order', async () => {
    const summary = await uploadFixtures('学校名录.xlsx', '满意度问卷-未知学校.csv');
    const survey = summary.files.find((f) => f.kind === 'survey')!;
    expect(survey.batchId).toBeGreaterThan(0);
    const res = await fetch(`${base}/api/uploads/rejects/${survey.batchId}`, {
      headers: asBureau,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain(
      '拒绝明细_满意度问卷-未知学校.csv',
    );
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(text.trimEnd().split('\r\n')[0]).toBe(
      '\ufeff文件,工作表,行,列,值,原因,原因（英文）,代码,学校标识码,学校名称',
    );
    expect(text.trimEnd().split(/\r?\n/u).slice(1)).toEqual([
      '满意度问卷-未知学校.csv,满意度问卷-未知学校,3,学校,城关第二小学,学校名称与学校名录不符（请填写名录中的全称或学校标识码）,school name not found in the registry (use the full registered name or the school code),UNKNOWN_SCHOOL_NAME,,城关第二小学',
    ]);
    // The temp CSV is removed once sent.
    const left = async () =>
      (await readdir(warehouse.tempDir)).filter((f) => f.startsWith('rejects-'));
    await until(async () => ((await left()).length === 0 ? true : null));
  });

  it('sends the same list as an XLSX workbook with ?format=xlsx', async () => {
    const summary = await uploadFixtures('学校名录.xlsx', '满意度问卷-未知学校.csv');
    const survey = summary.files.find((f) => f.kind === 'survey')!;
    const res = await fetch(`${base}/api/uploads/rejects/${survey.batchId}?format=xlsx`, {
      headers: asBureau,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain(
      '拒绝明细_满意度问卷-未知学校.xlsx',
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.getWorksheet('拒绝明细')!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).toEqual([
      [
        '文件',
        '工作表',
        '行',
        '列',
        '值',
        '原因',
        '原因（英文）',
        '代码',
        '学校标识码',
        '学校名称',
      ],
      [
        '满意度问卷-未知学校.csv',
        '满意度问卷-未知学校',
        3,
        '学校',
        '城关第二小学',
        '学校名称与学校名录不符（请填写名录中的全称或学校标识码）',
        'school name not found in the registry (use the full registered name or the school code)',
        'UNKNOWN_SCHOOL_NAME',
        undefined,
        '城关第二小学',
      ],
    ]);
    expect(
      (await fetch(`${base}/api/uploads/rejects/999999?format=xlsx`, { headers: asBureau })).status,
    ).toBe(404);
  });

  it('answers 401 without a session, 403 for other roles and 404 for no such batch', async () => {
    const summary = await uploadFixtures('学校名录.xlsx', '满意度问卷-未知学校.csv');
    const id = summary.files.find((f) => f.kind === 'survey')!.batchId!;
    expect((await fetch(`${base}/api/uploads/rejects/${id}`)).status).toBe(401);
    for (const role of ['LEADERSHIP', 'SUPERVISING_INSPECTOR']) {
      const res = await fetch(`${base}/api/uploads/rejects/${id}`, {
        headers: { 'x-test-role': role },
      });
      expect(res.status).toBe(403);
    }
    for (const bad of ['999999', '0', '-1', 'abc', `${id}.5`, '1e3']) {
      const res = await fetch(`${base}/api/uploads/rejects/${bad}`, { headers: asBureau });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
  });
});
