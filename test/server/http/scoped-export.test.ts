/**
 * GET /api/export/schools: the whole scoped school list of a month as CSV or XLSX, headed
 * by the scope it covers, on the fixture district (test/fixtures/api: 东城镇 1000000001
 * 东城第一小学, 1000000002 东城村小; 西山乡 1000000003 西山中学, 1000000004 西山九年一贯制学校;
 * DX01 has 1000000001 from 2025-10, 1000000001 and 1000000003 in 2025-09).
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import ExcelJS from 'exceljs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRouter, SMALL_CELL_NOTE } from '../../../server/http/scoped-export.ts';
import { loadPolicy } from '../../../server/policy/policy.ts';
import { openApiFixture, VIEWERS, type ApiFixture } from '../../helpers/api-fixture.ts';

let api: ApiFixture;
let server: Server;
let base: string;

beforeAll(async () => {
  api = await openApiFixture({ now: new Date('2025-11-20T12:00:00+08:00') });
  const app = express();
  app.use((req, res, next) => {
    const who = req.get('x-test-viewer') as keyof typeof VIEWERS | undefined;
    if (who) res.locals.viewer = VIEWERS[who];
    next();
  });
  app.use(
    '/api/export',
    exportRouter({
      db: api.warehouse.db,
      log: pino({ level: 'silent' }),
      policy: loadPolicy(),
      now: () => new Date('2025-11-20T12:00:00+08:00'),
    }),
  );
  server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await api?.close();
});

const get = (path: string, who?: keyof typeof VIEWERS) =>
  fetch(`${base}${path}`, { headers: who ? { 'x-test-viewer': who } : {} });

async function csvLines(path: string, who: keyof typeof VIEWERS): Promise<string[]> {
  const res = await get(path, who);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/csv/u);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
  expect(text.startsWith('\uFEFF')).toBe(true);
  return text.slice(1).split('\r\n').filter(Boolean);
}

describe('GET /api/export/schools', () => {
  it('writes every school of the district, headed by its scope', async () => {
    const lines = await csvLines('/api/export/schools?month=2025-10', 'leader');
    expect(lines.slice(0, 5)).toEqual([
      '课后服务 学校列表（全部4所）',
      '统计范围：全区（4所学校）；2025年10月',
      '导出时间：2025-11-20 12:00（北京时间）',
      SMALL_CELL_NOTE,
      '学校标识码,学校名称,乡镇（街道）,学段,城乡类型,月报,在校生（人）,申请（人）,参与（人）,学生参与率,需求满足率,优先群体最大落后,落后最多的群体,家长满意度,家长答卷（份）,未办结违规预警（条）',
    ]);
    const rows = lines.slice(5).map((l) => l.split(','));
    expect(rows.map((r) => r[0])).toEqual(['1000000001', '1000000002', '1000000003', '1000000004']);
    // 东城第一小学 2025-10: 168 of 200 (84.0%); parents 100, 75, 25 → 66.7.
    expect(rows[0]?.slice(0, 10)).toEqual([
      '1000000001',
      '东城第一小学',
      '东城镇',
      '小学',
      '城区',
      '已报送',
      '200',
      '170',
      '168',
      '84.0%',
    ]);
    // 需求满足率 168 / 170; the largest shortfall would be 残疾儿童's 1 of 2 (50%) against
    // 84%, but a file gets small-cell-protected figures: 残疾 (2, 1) and 困难 (10, 8) hold
    // counts below 10 and are withheld, so the largest shown is 留守儿童's 14 of 20 (70%),
    // −14.0 points (随迁 15 of 20: −9.0); parents 100, 75, 25 (3 answers); open flags 11.
    expect(rows[0]?.slice(10)).toEqual(['98.8%', '−14.0个百分点', '留守儿童', '66.7', '3', '11']);
    expect(rows[3]?.[5]).toBe('未报送');
  });

  it('protects small groups for every role: a bureau inspector’s file is a leader’s', async () => {
    const leader = await csvLines('/api/export/schools?month=2025-10', 'leader');
    const bureau = await csvLines('/api/export/schools?month=2025-10', 'bureau');
    expect(bureau).toEqual(leader);
    expect(bureau.join('\n')).not.toContain('残疾儿童');
  });

  it('keeps to the filters and to a supervising inspector’s own schools', async () => {
    const township = await csvLines(
      `/api/export/schools?month=2025-10&township=${encodeURIComponent('西山乡')}`,
      'bureau',
    );
    expect(township[1]).toBe('统计范围：全区 · 西山乡（2所学校）；2025年10月');
    expect(township.slice(5).map((l) => l.split(',')[0])).toEqual(['1000000003', '1000000004']);

    const junior = await csvLines('/api/export/schools?month=2025-10&stage=JUNIOR', 'bureau');
    expect(junior[1]).toBe('统计范围：全区 · 初中（1所学校）；2025年10月');
    expect(junior.slice(5).map((l) => l.split(',')[0])).toEqual(['1000000003']);

    const dx01 = await csvLines('/api/export/schools?month=2025-10', 'dx01');
    expect(dx01[1]).toBe('统计范围：责任督学 dx01（DX01）挂牌学校（1所学校）；2025年10月');
    expect(dx01.slice(5).map((l) => l.split(',')[0])).toEqual(['1000000001']);
    // Asking for another township does not widen a 督学's scope.
    const other = await csvLines(
      `/api/export/schools?month=2025-10&township=${encodeURIComponent('西山乡')}`,
      'dx01',
    );
    expect(other.slice(5)).toEqual([]);
  });

  it('writes a 学校填报员 its own school’s row only, and a 学区审核员 its township’s', async () => {
    const bureau = await csvLines('/api/export/schools?month=2025-10', 'bureau');
    const rowOf = (code: string) => bureau.slice(5).find((l) => l.startsWith(`${code},`));

    const school = await csvLines('/api/export/schools?month=2025-10', 'school');
    expect(school[1]).toBe('统计范围：本校（1000000002）（1所学校）；2025年10月');
    // The same row the bureau's file holds for the school: the same small-cell protection.
    expect(school.slice(5)).toEqual([rowOf('1000000002')]);
    // Asking for another township or for everything does not widen it, and no other
    // school is named anywhere in the file.
    const other = await csvLines(
      `/api/export/schools?month=2025-10&township=${encodeURIComponent('西山乡')}`,
      'school',
    );
    expect(other.slice(5)).toEqual([]);
    for (const name of [
      '东城第一小学',
      '西山中学',
      '西山九年一贯制学校',
      '1000000001',
      '1000000003',
    ])
      expect([...school, ...other].join('\n')).not.toContain(name);

    const township = await csvLines('/api/export/schools?month=2025-10', 'township');
    expect(township[1]).toBe('统计范围：东城镇学区（2所学校）；2025年10月');
    expect(township.slice(5)).toEqual([rowOf('1000000001'), rowOf('1000000002')]);
  });

  it('writes the same rows as XLSX, rates as numbers', async () => {
    const res = await get('/api/export/schools?month=2025-10&format=xlsx', 'bureau');
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(2).getCell(1).value).toBe('统计范围：全区（4所学校）；2025年10月');
    expect(sheet.rowCount).toBe(5 + 4);
    expect(sheet.getRow(6).getCell(1).value).toBe('1000000001');
    expect(sheet.getRow(6).getCell(10).value).toBe(168 / 200);
  });

  it('writes a semester: each school summed over its service months, the scope line naming it', async () => {
    const lines = await csvLines('/api/export/schools?period=2025-2026-1', 'leader');
    expect(lines.slice(0, 2)).toEqual([
      '课后服务 学校列表（全部4所）',
      '统计范围：全区（4所学校）；2025-2026学年第一学期',
    ]);
    // Enrolled, applicants, participants: September + October (no report after them).
    const figures = lines.slice(5).map((l) => l.split(',').slice(6, 9));
    expect(figures).toEqual([
      ['300', '240', '238'],
      ['100', '85', '85'],
      ['400', '100', '90'],
      ['30', '30', '30'],
    ]);
    // DX01 had 1000000003 in September only: its September figures alone.
    const dx01 = await csvLines('/api/export/schools?period=2025-2026-1', 'dx01');
    expect(dx01[1]).toBe(
      '统计范围：责任督学 dx01（DX01）挂牌学校（2所学校）；2025-2026学年第一学期',
    );
    expect(
      dx01.slice(5).map((l) => l.split(',').slice(0, 1).concat(l.split(',').slice(6, 9))),
    ).toEqual([
      ['1000000001', '300', '240', '238'],
      ['1000000003', '200', '100', '90'],
    ]);
    const bad = await get('/api/export/schools?period=2025-2027', 'bureau');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain(
      'period 应为月份',
    );
    const both = await get('/api/export/schools?month=2025-10&period=2025-2026', 'bureau');
    expect(both.status).toBe(400);
  });

  it('refuses without a session and with bad parameters', async () => {
    expect((await get('/api/export/schools?month=2025-10')).status).toBe(401);
    expect((await get('/api/export/schools?month=2025-13', 'bureau')).status).toBe(400);
    expect((await get('/api/export/schools?month=2025-10&stage=X', 'bureau')).status).toBe(400);
    expect((await get('/api/export/schools?month=2025-10&format=pdf', 'bureau')).status).toBe(400);
  });

  it('refuses a scope over the bound instead of cutting it', async () => {
    const app = express();
    app.use((_req, res, next) => {
      res.locals.viewer = VIEWERS.bureau;
      next();
    });
    app.use(
      '/x',
      exportRouter({
        db: api.warehouse.db,
        log: pino({ level: 'silent' }),
        policy: loadPolicy(),
        maxRows: 3,
      }),
    );
    const small = createServer(app).listen(0, '127.0.0.1');
    await once(small, 'listening');
    const url = `http://127.0.0.1:${(small.address() as AddressInfo).port}/x/schools`;
    try {
      const over = await fetch(`${url}?month=2025-10`);
      expect(over.status).toBe(413);
      expect(((await over.json()) as { error: { message: string } }).error.message).toMatch(
        /^范围内有4所学校，超过单次导出上限3所/u,
      );
      // 东城镇's 2 schools are within it.
      const within = await fetch(`${url}?month=2025-10&township=${encodeURIComponent('东城镇')}`);
      expect(within.status).toBe(200);
    } finally {
      small.close();
    }
  });
});
