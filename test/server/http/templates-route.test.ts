/**
 * GET /api/templates/:kind.xlsx: each report kind's template generated from the contract
 * (headers, validations, 填表说明), a 学校填报员's filled in with their school, and the round
 * trip: download, fill with exceljs, upload, load exactly the figures written.
 */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCode, loadPaths, type LoadSummary } from '../../../etl/index.ts';
import type { Viewer } from '../../../server/auth/viewer.ts';
import { serverConfigFromEnv } from '../../../server/config.ts';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import type { Role } from '../../../server/db/tables/users.table.ts';
import { WarehouseWriter } from '../../../server/db/writer.ts';
import { createServerLogger } from '../../../server/log.ts';
import { templatesRouter } from '../../../server/http/templates-route.ts';
import { uploadsRouter } from '../../../server/http/uploads-route.ts';
import { monthlySpec } from '../../../etl/reports/monthly/columns.ts';
import { participationSpec } from '../../../etl/reports/participation/columns.ts';
import { registrySpec } from '../../../etl/reports/registry/columns.ts';
import { assignmentsSpec } from '../../../etl/reports/assignments/columns.ts';
import { query } from '../../helpers/with-warehouse.ts';

const REGISTRY = fileURLToPath(new URL('../../fixtures/etl/学校名录.xlsx', import.meta.url));
/** 2024-10-15 in China: the month list runs 2024-10, 2024-09, … 2022-11. */
const NOW = new Date('2024-10-15T10:00:00+08:00');
const log = createServerLogger('test');

function viewer(userId: number, role: Role, schoolCode: string | null = null): Viewer {
  return {
    userId,
    username: `u${userId}`,
    name: role,
    role,
    inspectorId: null,
    schoolCode,
    township: null,
    sessionHash: 'x',
  };
}

/** 河西乡中心小学 (小学, 25 teachers) of the registry fixture, and a school not in it. */
const VIEWERS: Record<string, Viewer> = {
  bureau: viewer(1, 'BUREAU_INSPECTOR'),
  leader: viewer(2, 'LEADERSHIP'),
  inspector: viewer(3, 'SUPERVISING_INSPECTOR'),
  school: viewer(4, 'SCHOOL_REPORTER', '3101010002'),
  unknownSchool: viewer(5, 'SCHOOL_REPORTER', '3101019999'),
  township: viewer(6, 'TOWNSHIP_REVIEWER'),
};

let warehouse: Warehouse;
let writer: WarehouseWriter;
let server: Server;
let base: string;
let tempRoot: string;

beforeAll(async () => {
  warehouse = await openWarehouse(':memory:');
  expect(exitCode(await loadPaths(warehouse, [REGISTRY], { user: 'test' }))).toBe(0);
  writer = await WarehouseWriter.open(warehouse);
  tempRoot = await mkdtemp(join(tmpdir(), 'kehou-templates-test-'));
  const app = express();
  app.use((req, res, next) => {
    const who = req.get('x-test-viewer');
    if (who) res.locals.viewer = VIEWERS[who];
    next();
  });
  app.use('/api/templates', templatesRouter({ warehouse, log, now: () => NOW }));
  app.use(
    '/api/uploads',
    uploadsRouter({ warehouse, writer, config: serverConfigFromEnv({}), log, tempRoot }),
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
  await rm(tempRoot, { recursive: true, force: true });
});

const get = (file: string, who?: string) =>
  fetch(`${base}/api/templates/${file}`, { headers: who ? { 'x-test-viewer': who } : {} });

async function workbook(file: string, who: string): Promise<ExcelJS.Workbook> {
  const res = await get(file, who);
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
  return wb;
}

const rowTexts = (ws: ExcelJS.Worksheet, r: number): unknown[] =>
  (ws.getRow(r).values as unknown[]).slice(1);

/** Column number (1-based) of a header in row 2. */
function col(ws: ExcelJS.Worksheet, header: string): number {
  const i = rowTexts(ws, 2).indexOf(header);
  expect(i, header).toBeGreaterThanOrEqual(0);
  return i + 1;
}

describe('GET /api/templates/:kind.xlsx', () => {
  it('answers 401 without a session and 404, in Chinese and English, for an unknown kind', async () => {
    expect((await get('monthly.xlsx')).status).toBe(401);
    for (const file of ['budget.xlsx', 'monthly.xls', 'monthly']) {
      const res = await get(file, 'bureau');
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        error: {
          code: 'NOT_FOUND',
          message:
            '没有这种报表模板（可用：registry.xlsx、assignments.xlsx、monthly.xlsx、participation.xlsx、survey.xlsx）/ no such report template (available: registry.xlsx, assignments.xlsx, monthly.xlsx, participation.xlsx, survey.xlsx)',
        },
      });
    }
  });

  it('gives every signed-in role every kind, headed by the contract’s own headers', async () => {
    const specs = {
      registry: registrySpec,
      assignments: assignmentsSpec,
      monthly: monthlySpec,
      participation: participationSpec,
    };
    for (const who of ['bureau', 'leader', 'inspector', 'township', 'school']) {
      for (const [kind, spec] of Object.entries(specs)) {
        const res = await get(`${kind}.xlsx`, who);
        expect(res.status, `${who} ${kind}`).toBe(200);
        expect(res.headers.get('content-type')).toBe(
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        );
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
        const ws = wb.worksheets[0]!;
        expect(rowTexts(ws, 2)).toEqual(spec.columns.map((c) => c.header));
        expect(wb.worksheets.map((w) => w.name)[1]).toBe('填表说明');
      }
    }
    const survey = (await workbook('survey.xlsx', 'bureau')).worksheets[0]!;
    expect(rowTexts(survey, 2)).toEqual([
      '序号',
      '提交答卷时间',
      '学校标识码',
      '学校',
      '身份',
      '1.您对学校课后服务总体是否满意？',
      '2.您对课后服务的内容安排是否满意？',
      '3.您对课后服务的安全管理是否满意？',
      '4.您对课后服务的收费情况是否满意？',
      '5.您对课后服务教师的辅导是否满意？',
    ]);
  }, 90_000);

  it('validates months, grades, 是/否, enumerations, counts and codes', async () => {
    const monthly = (await workbook('monthly.xlsx', 'bureau')).getWorksheet('课后服务月报')!;
    expect(monthly.getCell('A1').value).toBe('课后服务月报（填报模板）');
    const at = (ws: ExcelJS.Worksheet, header: string, row = 3) =>
      ws.getCell(row, col(ws, header)).dataValidation;
    const months = at(monthly, '填报月份');
    expect(months.type).toBe('list');
    const listed = String(months.formulae[0]).replace(/"/g, '').split(',');
    expect(listed).toHaveLength(24);
    expect(listed.slice(0, 3)).toEqual(['2024-10', '2024-09', '2024-08']);
    expect(listed.at(-1)).toBe('2022-11');
    expect(at(monthly, '一二年级布置书面作业').formulae).toEqual(['"是,否"']);
    expect(at(monthly, '收费公示', 2002).formulae).toEqual(['"是,否"']);
    expect(at(monthly, '上学天数')).toMatchObject({
      type: 'whole',
      operator: 'between',
      formulae: [0, 23],
    });
    expect(at(monthly, '收费减免人数')).toMatchObject({
      type: 'whole',
      operator: 'greaterThanOrEqual',
      formulae: [0],
    });
    expect(at(monthly, '学校标识码')).toMatchObject({
      type: 'textLength',
      operator: 'equal',
      formulae: [10],
    });
    expect(at(monthly, '每日作业辅导课时')).toMatchObject({ type: 'decimal', formulae: [0, 4] });
    expect(at(monthly, '学校标识码').prompt).toBe(
      '10位数字的学校标识码（以文本格式填写，勿删去前导零）',
    );

    const participation = (await workbook('participation.xlsx', 'bureau')).worksheets[0]!;
    expect(at(participation, '年级').formulae).toEqual([
      '"一年级,二年级,三年级,四年级,五年级,六年级,七年级,八年级,九年级"',
    ]);
    const registry = (await workbook('registry.xlsx', 'bureau')).worksheets[0]!;
    expect(at(registry, '学段').formulae).toEqual([
      '"小学,初中,初级中学,九年一贯制,九年一贯制学校,完全中学"',
    ]);
    expect(at(registry, '城乡类型').formulae).toEqual(['"城区,镇区,乡村,农村"']);
    const survey = (await workbook('survey.xlsx', 'bureau')).worksheets[0]!;
    expect(at(survey, '身份').formulae).toEqual(['"家长,学生,教师"']);
    expect(at(survey, '1.您对学校课后服务总体是否满意？').formulae).toEqual([
      '"非常满意,满意,一般,不满意,非常不满意"',
    ]);

    const notes = (await workbook('monthly.xlsx', 'bureau')).getWorksheet('填表说明')!;
    expect(notes.getCell('A1').value).toBe('课后服务月报填表说明');
    const texts = notes.getColumn(1).values.map(String).join('\n');
    expect(texts).toContain('请勿修改、删除或调换表头');
    expect(texts).toContain('上学天数');
  });

  it('fills in a 学校填报员’s school: code and name, and each grade of its stage', async () => {
    const res = await get('participation.xlsx', 'school');
    expect(res.headers.get('content-disposition')).toContain(
      encodeURIComponent('分年级参与情况-河西乡中心小学-模板.xlsx'),
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('A1').value).toBe(
      '分年级参与情况（填报模板）— 河西乡中心小学（学校标识码 3101010002）',
    );
    // A primary school: grades 1-6 only, in the rows and in the list.
    const rows = [3, 4, 5, 6, 7, 8, 9].map((r) => rowTexts(ws, r).slice(0, 4));
    expect(rows).toEqual([
      ['3101010002', '河西乡中心小学', undefined, '一年级'],
      ['3101010002', '河西乡中心小学', undefined, '二年级'],
      ['3101010002', '河西乡中心小学', undefined, '三年级'],
      ['3101010002', '河西乡中心小学', undefined, '四年级'],
      ['3101010002', '河西乡中心小学', undefined, '五年级'],
      ['3101010002', '河西乡中心小学', undefined, '六年级'],
      [],
    ]);
    expect(ws.getCell(3, 4).dataValidation.formulae).toEqual([
      '"一年级,二年级,三年级,四年级,五年级,六年级"',
    ]);
    const monthly = (await workbook('monthly.xlsx', 'school')).worksheets[0]!;
    expect(rowTexts(monthly, 3)).toEqual(['3101010002', '河西乡中心小学']);
    expect(rowTexts(monthly, 4)).toEqual([]);
    // The bureau's own files are not filled in; a school not in the registry gets its code.
    expect(rowTexts((await workbook('registry.xlsx', 'school')).worksheets[0]!, 3)).toEqual([]);
    expect(rowTexts((await workbook('monthly.xlsx', 'unknownSchool')).worksheets[0]!, 3)).toEqual([
      '3101019999',
    ]);
    // Nobody else gets a school filled in.
    expect(rowTexts((await workbook('monthly.xlsx', 'bureau')).worksheets[0]!, 3)).toEqual([]);
  });

  it('round-trips: the school’s templates filled with exceljs, uploaded and loaded exactly', async () => {
    const monthly = await workbook('monthly.xlsx', 'school');
    const m = monthly.worksheets[0]!;
    const monthlyValues: Record<string, string | number> = {
      填报月份: '2024-09',
      上学天数: 21,
      开展天数: 20,
      日均服务时长: 120,
      最晚结束时间: '17:30',
      每日作业辅导课时: 1,
      一二年级布置书面作业: '否',
      收费标准: 0,
      收费减免人数: 3,
      减免对象仍收费人数: 0,
      收费公示: '是',
      参与教师数: 20,
      教师课时补助: 40,
      校外人员数: 1,
      第三方机构数: 0,
      其中未经审核机构数: 0,
      最大班额: 40,
      安全事故数: 0,
      投诉数: 0,
    };
    for (const [header, value] of Object.entries(monthlyValues)) {
      m.getCell(3, col(m, header)).value = value;
    }

    const participation = await workbook('participation.xlsx', 'school');
    const p = participation.worksheets[0]!;
    // Grade g (rows 3-8): 在校生数 50+g, 申请 40+g, 参加 30+g, the groups 5/4, 3/2, 1/1, 2/2,
    // 五天全勤 20.
    for (let g = 1; g <= 6; g++) {
      const values: Record<string, string | number> = {
        填报月份: '2024-09',
        在校生数: 50 + g,
        申请人数: 40 + g,
        参加人数: 30 + g,
        留守儿童数: 5,
        留守儿童参加数: 4,
        随迁子女数: 3,
        随迁子女参加数: 2,
        残疾儿童数: 1,
        残疾儿童参加数: 1,
        困难家庭学生数: 2,
        困难家庭学生参加数: 2,
        五天全勤参加人数: 20,
      };
      for (const [header, value] of Object.entries(values)) {
        p.getCell(2 + g, col(p, header)).value = value;
      }
    }

    const body = new FormData();
    for (const [name, wb] of [
      ['月报-河西乡中心小学.xlsx', monthly],
      ['分年级-河西乡中心小学.xlsx', participation],
    ] as const) {
      body.append('files', new Blob([await wb.xlsx.writeBuffer()]), name);
    }
    // Uploaded as the bureau: the school's own upload comes with its scoping (schoolwork).
    const res = await fetch(`${base}/api/uploads`, {
      method: 'POST',
      body,
      headers: { 'x-test-viewer': 'bureau' },
    });
    const doc = (await res.json()) as LoadSummary;
    expect(
      doc.files
        .map((f) => [f.kind, f.path, f.rowsLoaded, f.rowsRejected, f.error, f.rejects])
        .sort(),
    ).toEqual([
      ['monthly', '月报-河西乡中心小学.xlsx', 1, 0, undefined, []],
      ['participation', '分年级-河西乡中心小学.xlsx', 6, 0, undefined, []],
    ]);
    expect(res.status).toBe(200);

    expect(
      await query(
        warehouse,
        `SELECT school_code, month, school_days, service_days, daily_minutes, latest_end_time,
          CAST(homework_periods AS DOUBLE) AS homework, written_homework_g12,
          CAST(fee_per_period AS DOUBLE) AS fee, fee_waived, waived_but_charged, fees_published,
          teachers_serving, CAST(teacher_pay_per_period AS DOUBLE) AS pay, external_staff,
          providers, providers_unapproved, largest_group, incidents, complaints, source_row
        FROM monthly_reports`,
      ),
    ).toEqual([
      {
        school_code: '3101010002',
        month: '2024-09',
        school_days: 21,
        service_days: 20,
        daily_minutes: 120,
        latest_end_time: '17:30',
        homework: 1,
        written_homework_g12: false,
        fee: 0,
        fee_waived: 3,
        waived_but_charged: 0,
        fees_published: true,
        teachers_serving: 20,
        pay: 40,
        external_staff: 1,
        providers: 0,
        providers_unapproved: 0,
        largest_group: 40,
        incidents: 0,
        complaints: 0,
        source_row: 3,
      },
    ]);
    // Hand sums over grades 1-6: 在校 6×50+21 = 321, 申请 6×40+21 = 261, 参加 6×30+21 = 201,
    // 留守 30/24, 随迁 18/12, 残疾 6/6, 困难 12/12, 五天全勤 120.
    expect(
      await query(
        warehouse,
        `SELECT count(*) AS grades, min(grade) AS lo, max(grade) AS hi, sum(enrolled) AS enrolled,
          sum(applicants) AS applicants, sum(participants) AS participants,
          sum(left_behind_enrolled) AS lb, sum(left_behind_participants) AS lbp,
          sum(migrant_enrolled) AS mi, sum(migrant_participants) AS mip,
          sum(disabled_enrolled) AS di, sum(disabled_participants) AS dip,
          sum(poor_enrolled) AS po, sum(poor_participants) AS pop,
          sum(five_day_participants) AS five
        FROM participation WHERE school_code = '3101010002' AND month = '2024-09'`,
      ),
    ).toEqual([
      {
        grades: 6,
        lo: 1,
        hi: 6,
        enrolled: 321,
        applicants: 261,
        participants: 201,
        lb: 30,
        lbp: 24,
        mi: 18,
        mip: 12,
        di: 6,
        dip: 6,
        po: 12,
        pop: 12,
        five: 120,
      },
    ]);
  }, 90_000);

  it('round-trips a survey: three answer sheets loaded with their scores', async () => {
    const survey = await workbook('survey.xlsx', 'school');
    const ws = survey.worksheets[0]!;
    // Row 3 comes with the school's code and name; rows 4-5 are written like it.
    const answers = [
      ['家长', ['非常满意', '满意', '一般', '满意', '非常满意']],
      ['家长', ['满意', '满意', '满意', '不满意', '满意']],
      ['学生', ['非常满意', '非常满意', '满意', '一般', '非常不满意']],
    ] as const;
    answers.forEach(([who, items], i) => {
      const r = 3 + i;
      ws.getCell(r, col(ws, '序号')).value = i + 1;
      ws.getCell(r, col(ws, '提交答卷时间')).value = `2024/12/1${i} 19:23:05`;
      ws.getCell(r, col(ws, '学校标识码')).value = '3101010002';
      ws.getCell(r, col(ws, '学校')).value = '河西乡中心小学';
      ws.getCell(r, col(ws, '身份')).value = who;
      items.forEach((a, j) => {
        ws.getCell(r, 6 + j).value = a;
      });
    });
    const body = new FormData();
    body.append('files', new Blob([await survey.xlsx.writeBuffer()]), '问卷-河西乡中心小学.xlsx');
    const res = await fetch(`${base}/api/uploads`, {
      method: 'POST',
      body,
      headers: { 'x-test-viewer': 'bureau' },
    });
    const doc = (await res.json()) as LoadSummary;
    expect(doc.files.map((f) => [f.kind, f.rowsLoaded, f.rowsRejected, f.error])).toEqual([
      ['survey', 3, 0, undefined],
    ]);
    // Scores 5..1: parents 5+4+3+4+5 = 21 and 4+4+4+2+4 = 18, the pupil 5+5+4+3+1 = 18.
    expect(
      await query(
        warehouse,
        `SELECT r.respondent, r.source_row, sum(a.score) AS total, count(*) AS answered
        FROM survey_responses r JOIN survey_answers a USING (batch_id, response_no)
        GROUP BY ALL ORDER BY r.source_row`,
      ),
    ).toEqual([
      { respondent: 'parent', source_row: 3, total: 21, answered: 5 },
      { respondent: 'parent', source_row: 4, total: 18, answered: 5 },
      { respondent: 'student', source_row: 5, total: 18, answered: 5 },
    ]);
    expect(
      await query(warehouse, `SELECT item_no, is_overall FROM survey_items ORDER BY item_no`),
    ).toEqual([
      { item_no: 1, is_overall: true },
      { item_no: 2, is_overall: false },
      { item_no: 3, is_overall: false },
      { item_no: 4, is_overall: false },
      { item_no: 5, is_overall: false },
    ]);
  });
});
