/**
 * GET /api/export/audit: the audit trail as CSV with the 审计日志 view's filters, bureau
 * inspectors only, refused (413) above its bound, and itself audited. Rows: audit-seed.ts.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import { auditExportRouter } from '../../../server/http/audit-export.ts';
import { VIEWERS } from '../../helpers/api-fixture.ts';
import { seedAudit } from '../graphql/audit/audit-seed.ts';

const NOW = new Date('2025-11-20T12:00:00+08:00');

let warehouse: Warehouse;
let writer: WarehouseWriter;
let server: Server;
let base: string;

beforeAll(async () => {
  warehouse = await openWarehouse(':memory:');
  writer = await WarehouseWriter.open(warehouse);
  await writer.write(({ db }) => seedAudit(db));
  const app = express();
  app.use((req, res, next) => {
    const who = req.get('x-test-viewer') as keyof typeof VIEWERS | undefined;
    if (who) res.locals.viewer = VIEWERS[who];
    next();
  });
  const deps = { db: warehouse.db, writer, log: pino({ level: 'silent' }), now: () => NOW };
  app.use('/small/audit', auditExportRouter({ ...deps, maxRows: 3 }));
  app.use('/api/export/audit', auditExportRouter(deps));
  server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await writer?.close();
  await warehouse?.close();
});

const get = (path: string, who?: keyof typeof VIEWERS) =>
  fetch(`${base}${path}`, { headers: who ? { 'x-test-viewer': who } : {} });

async function csvLines(path: string): Promise<string[]> {
  const res = await get(path, 'bureau');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/csv/u);
  expect(res.headers.get('content-disposition')).toContain('.csv');
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
  expect(text.startsWith('\uFEFF')).toBe(true);
  return text.slice(1).split('\r\n').filter(Boolean);
}

const HEADER = '时间（北京时间）,用户名,姓名,类别,操作,操作代码,对象,结果,说明,IP';

describe('GET /api/export/audit', () => {
  it('writes the filtered events newest first, headed by the filter', async () => {
    const lines = await csvLines(`/api/export/audit?category=${encodeURIComponent('登录')}`);
    expect(lines).toEqual([
      '审计日志（共2条）',
      '筛选条件：全部日期；类别 登录',
      '导出时间：2025-11-20 12:00（北京时间）',
      HEADER,
      '2025-11-04 08:00:00,mallory,,登录,登录,auth.login,,失败,wrong_password,10.0.0.9',
      '2025-11-01 09:00:00,bureau,王科长,登录,登录,auth.login,,成功,,10.0.0.1',
    ]);
  });

  it('takes the dates, outcome and text filters of the view', async () => {
    const lines = await csvLines(
      '/api/export/audit?from=2025-11-02&to=2025-11-03&outcome=DENIED&text=not_assigned',
    );
    expect(lines[1]).toBe('筛选条件：日期 2025-11-02 至 2025-11-03；结果 拒绝；包含“not_assigned”');
    expect(lines.slice(4)).toEqual([
      '2025-11-03 00:30:00,dx01,张督学,督导检查,登记督导检查,visits.record,1000000002,拒绝,not_assigned,',
    ]);
    // JSON details are quoted (RFC 4180).
    const upload = await csvLines(`/api/export/audit?category=${encodeURIComponent('上传')}`);
    expect(upload[4]).toBe(
      '2025-11-01 09:05:00,bureau,王科长,上传,上传报表,upload,月报.csv,成功,"{""files"":1}",10.0.0.1',
    );
  });

  it('is itself audited', async () => {
    await csvLines('/api/export/audit?username=dx01');
    const rows = await warehouse.db
      .selectFrom('audit_log')
      .select(['username', 'detail', 'outcome'])
      .where('action', '=', 'audit.export')
      .execute();
    expect(rows.at(-1)).toMatchObject({ username: 'bureau', outcome: 'ok' });
    expect(JSON.parse(rows.at(-1)!.detail!)).toMatchObject({ rows: 2, username: 'dx01' });
  });

  it('refuses other roles, no session, bad filters and too many rows', async () => {
    expect((await get('/api/export/audit')).status).toBe(401);
    for (const who of ['leader', 'dx01', 'school', 'township'] as const)
      expect((await get('/api/export/audit', who)).status).toBe(403);
    for (const query of ['from=2025-11', 'outcome=MAYBE', 'category=x', 'from=a&from=b'])
      expect((await get(`/api/export/audit?${query}`, 'bureau')).status).toBe(400);
    const big = await get('/small/audit', 'bureau');
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe('EXPORT_TOO_LARGE');
    expect((await get('/small/audit?category=%E7%99%BB%E5%BD%95', 'bureau')).status).toBe(200);
  });
});
