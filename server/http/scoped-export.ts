/**
 * Whole-result exports of the dashboard's lists: `GET /api/export/schools?month=&township=
 * &stage=&locality=&format=csv|xlsx` (or `period=` instead of `month=`: a month, a semester
 * "2024-2025-1" or a school year "2024-2025") writes every school of the signed-in user's
 * scope for the month or period (a 责任督学's own schools only: the rows come through the same scope relation
 * as every GraphQL figure), not the page on screen. The first lines state the scope
 * (ScopeSummary, the report's own definition) and when the file was made. A scope larger
 * than MAX_EXPORT_ROWS is refused rather than cut. A file leaves the system, so its figures
 * are small-cell protected whatever the role (scope/disclosure.ts): the priority-gap
 * columns show only groups whose counts a leader could see.
 */
import type { Request, Response } from 'express';
import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import type { ScopeInput } from '../graphql/__generated__/resolvers-types.ts';
import { shanghaiIso, type Period } from '../db/calendar.ts';
import { periodArg, periodsRequest, summedMonths } from '../graphql/scope/period-arg.ts';
import { scopeRequest } from '../graphql/scope/scope-input.ts';
import { LOCALITY_LABELS, scopeSummary } from '../graphql/scope/scope-summary.ts';
import { schoolPeriods } from '../graphql/schools/school-periods.repository.ts';
import { schoolMonths } from '../graphql/schools/schools.repository.ts';
import { protectRows } from '../graphql/schools/protected-schools.ts';
import { toProtectedSchoolMonth, toSchoolMonth } from '../graphql/schools/schools.service.ts';
import type { Locality, Stage } from '../db/tables/schools.table.ts';
import type { Logger } from '../log.ts';
import type { DistrictPolicy } from '../policy/policy.ts';
import { STAGE_LABELS } from '../policy/month-rules.ts';
import { fail } from './request-audit.ts';

/** Why a school's largest priority gap may be blank or another group's (small-cell protection). */
export const SMALL_CELL_NOTE =
  '小群体保护：人数较少（或为防止推算一并隐藏）的优先群体不计入“优先群体最大落后”，其人数和参与率不予导出';

/** Most rows one export writes (a city's schools are ~10,000). */
export const MAX_EXPORT_ROWS = 50_000;

export type Cell = string | number | null;
export type Kind = 'text' | 'count' | 'rate' | 'points' | 'score';

export interface ExportColumn<Row> {
  header: string;
  kind: Kind;
  value: (row: Row) => Cell;
}

export interface ExportDeps {
  db: Kysely<Database>;
  log: Logger;
  policy: DistrictPolicy;
  now?: () => Date;
  /** Tests: a smaller bound than MAX_EXPORT_ROWS. */
  maxRows?: number;
}

const STAGES: Record<string, ScopeInput['stage']> = {
  PRIMARY: 'PRIMARY',
  JUNIOR: 'JUNIOR',
  NINE_YEAR: 'NINE_YEAR',
  COMPLETE: 'COMPLETE',
};
const LOCALITIES: Record<string, ScopeInput['locality']> = {
  URBAN: 'URBAN',
  TOWN: 'TOWN',
  RURAL: 'RURAL',
};

class BadExportRequest extends Error {}

function param(req: Request, name: string): string | null {
  const value = req.query[name];
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string' || value.length > 100)
    throw new BadExportRequest(`参数 ${name} 无效 / bad ${name}`);
  return value;
}

function scopeOf(req: Request): ScopeInput {
  const stage = param(req, 'stage');
  const locality = param(req, 'locality');
  if (stage !== null && !STAGES[stage]) throw new BadExportRequest('学段无效 / bad stage');
  if (locality !== null && !LOCALITIES[locality])
    throw new BadExportRequest('城乡类型无效 / bad locality');
  return {
    township: param(req, 'township'),
    stage: stage === null ? null : STAGES[stage],
    locality: locality === null ? null : LOCALITIES[locality],
  };
}

const percentText = (v: number) => `${(Math.round(v * 1000) / 10).toFixed(1)}%`;

function cellText(kind: Kind, value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (kind === 'rate') return percentText(value);
  if (kind === 'points') {
    const p = Math.round(value * 1000) / 10;
    return p === 0 ? '持平' : `${p > 0 ? '+' : '−'}${Math.abs(p).toFixed(1)}个百分点`;
  }
  if (kind === 'score') return value.toFixed(1);
  return String(value);
}

/** RFC 4180 quoting; a leading =, +, - or @ of text would run as a formula in Excel. */
function quote(text: string): string {
  const safe = /^[=+\-@]/u.test(text) && !/^-?\d/u.test(text) ? `'${text}` : text;
  return /[",\r\n]/u.test(safe) ? `"${safe.replace(/"/gu, '""')}"` : safe;
}

const SCHOOL_COLUMNS: ExportColumn<ReturnType<typeof toSchoolMonth>>[] = [
  { header: '学校标识码', kind: 'text', value: (r) => r.school.code },
  { header: '学校名称', kind: 'text', value: (r) => r.school.name },
  { header: '乡镇（街道）', kind: 'text', value: (r) => r.school.township },
  {
    header: '学段',
    kind: 'text',
    value: (r) => STAGE_LABELS[r.school.stage.toLowerCase() as Stage],
  },
  {
    header: '城乡类型',
    kind: 'text',
    value: (r) => LOCALITY_LABELS[r.school.locality.toLowerCase() as Locality],
  },
  { header: '月报', kind: 'text', value: (r) => (r.reported ? '已报送' : '未报送') },
  { header: '在校生（人）', kind: 'count', value: (r) => r.enrolled },
  { header: '申请（人）', kind: 'count', value: (r) => r.applicants },
  { header: '参与（人）', kind: 'count', value: (r) => r.participants },
  { header: '学生参与率', kind: 'rate', value: (r) => r.participationRate },
  { header: '需求满足率', kind: 'rate', value: (r) => r.demandMetRate },
  // The largest shortfall and its group, as the schools list shows them.
  {
    header: '优先群体最大落后',
    kind: 'points',
    value: (r) => r.priorityShortfallGroup?.gap ?? null,
  },
  { header: '落后最多的群体', kind: 'text', value: (r) => r.priorityShortfallGroup?.label ?? '' },
  { header: '家长满意度', kind: 'score', value: (r) => r.satisfactionScore },
  { header: '家长答卷（份）', kind: 'count', value: (r) => r.satisfactionResponses },
  { header: '未办结违规预警（条）', kind: 'count', value: (r) => r.openFlags },
];

const NUM_FMT: Record<Kind, string | undefined> = {
  text: undefined,
  count: '#,##0',
  rate: '0.0%',
  points: '0.0%',
  score: '0.0',
};

/** A CSV with the notes' lines first (BOM for Excel), in chunks under backpressure. */
export async function writeCsv<Row>(
  res: Response,
  notes: string[],
  columns: ExportColumn<Row>[],
  rows: readonly Row[],
): Promise<void> {
  res.type('text/csv; charset=utf-8');
  const line = (cells: string[]) => `${cells.map(quote).join(',')}\r\n`;
  res.write(`\uFEFF${notes.map((n) => line([n])).join('')}`);
  res.write(line(columns.map((c) => c.header)));
  // In chunks, so a slow client holds back the writes (backpressure), not the heap.
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows
      .slice(i, i + 500)
      .map((row) => line(columns.map((c) => cellText(c.kind, c.value(row)))))
      .join('');
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

async function writeXlsx<Row>(
  res: Response,
  title: string,
  notes: string[],
  columns: ExportColumn<Row>[],
  rows: readonly Row[],
): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true });
  workbook.creator = '课后督导';
  const sheet = workbook.addWorksheet(title.slice(0, 31), {
    views: [{ state: 'frozen', ySplit: notes.length + 1 }],
  });
  columns.forEach((column, index) => {
    const col = sheet.getColumn(index + 1);
    col.width = Math.max(10, column.header.length * 2 + 2);
  });
  for (const note of notes) sheet.addRow([note]).commit();
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  for (const row of rows) {
    const added = sheet.addRow(columns.map((c) => c.value(row)));
    columns.forEach((c, index) => {
      const fmt = NUM_FMT[c.kind];
      if (fmt) added.getCell(index + 1).numFmt = fmt;
    });
    added.commit();
  }
  sheet.commit();
  await workbook.commit();
}

/** The router, mounted at /api/export after the session middleware. */
export function exportRouter(deps: ExportDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  const maxRows = deps.maxRows ?? MAX_EXPORT_ROWS;
  router.get('/schools', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const viewer = res.locals.viewer as GraphQLContext['viewer'] | undefined;
    if (!viewer) return fail(res, 401, 'UNAUTHENTICATED', '请先登录 / Sign in first');
    let period: Period;
    let scope: ScopeInput;
    let format: 'csv' | 'xlsx';
    try {
      period = periodArg({ month: param(req, 'month'), period: param(req, 'period') });
      scope = scopeOf(req);
      const f = param(req, 'format') ?? 'csv';
      if (f !== 'csv' && f !== 'xlsx') throw new BadExportRequest('格式应为 csv 或 xlsx');
      format = f;
    } catch (error) {
      return fail(res, 400, 'BAD_REQUEST', (error as Error).message);
    }
    // An export: protected figures whatever the role (small-cell protection).
    const ctx = { viewer, policy: deps.policy, now, exportRequest: true } as GraphQLContext;
    const request = scopeRequest(ctx, scope, period.months);
    const summary = await scopeSummary(deps.db, request, period);
    if (summary.schoolsInScope > maxRows)
      return fail(
        res,
        413,
        'EXPORT_TOO_LARGE',
        `范围内有${summary.schoolsInScope}所学校，超过单次导出上限${maxRows}所，请按乡镇或学段分批导出 / more than ${maxRows} schools: narrow the scope`,
      );
    // A semester or year: each school's sums over the period's service months, as
    // `schools(period:)` shows them.
    const months = period.kind === 'MONTH' ? period.months : summedMonths(deps.policy, period);
    const [found, protect] = await Promise.all([
      period.kind === 'MONTH'
        ? schoolMonths(deps.db, request, null)
        : schoolPeriods(deps.db, periodsRequest(request, [period]), months, null),
      protectRows(deps.db, { ...request, months }, period.kind === 'MONTH' ? null : months),
    ]);
    const rows = found.map((row) =>
      protect ? toProtectedSchoolMonth(row, protect) : toSchoolMonth(row),
    );
    const madeAt = shanghaiIso(now().getTime()).slice(0, 16).replace('T', ' ');
    const notes = [
      `课后服务 学校列表（全部${rows.length}所）`,
      `统计范围：${summary.text}`,
      `导出时间：${madeAt}（北京时间）`,
      ...(protect ? [SMALL_CELL_NOTE] : []),
    ];
    const stem = `课后服务_学校列表_${period.key}`;
    res.attachment(`${stem}.${format}`);
    try {
      if (format === 'csv') await writeCsv(res, notes, SCHOOL_COLUMNS, rows);
      else await writeXlsx(res, '学校列表', notes, SCHOOL_COLUMNS, rows);
    } catch (error) {
      // The client went away mid-download: nothing more to answer.
      deps.log.warn({ err: error }, 'schools export interrupted');
      if (!res.headersSent) fail(res, 500, 'INTERNAL_SERVER_ERROR', '导出失败 / export failed');
      else res.destroy();
    }
  });
  return router;
}
