/**
 * Monthly reports as townships send them: one workbook per township and month with a
 * 月报 sheet and a 分年级 sheet, or a pair of CSV files from the townships whose
 * clerks export CSV. Each township keeps its own dialect (file-styles.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Rng } from './random.ts';
import type { District, MonthlyReport, ParticipationRow } from './model.ts';
import { MONTHLY_HEADERS, participationHeaders } from './contract-headers.ts';
import { emptyTable, isTimeCell, type Cell, type Table } from './table.ts';
import { fullWidth, gradeCell, monthCell, monthTitle, type TownshipStyle } from './file-styles.ts';
import { parseMonth } from './calendar.ts';
import { writeWorkbook } from './render-xlsx.ts';
import { tableToCsv } from './render-csv.ts';
import { applyMessy, type InvalidRow, type MessySpec } from './messy-rows.ts';

export interface TownshipFiles {
  name: string;
  style: TownshipStyle;
  clerk: string;
  reviewer: string;
}

function monthlyCells(r: MonthlyReport, month: Cell, style: TownshipStyle): Cell[] {
  const end: Cell =
    r.latest_end_time === null
      ? null
      : style.timeCells
        ? { time: r.latest_end_time }
        : r.latest_end_time;
  return [
    r.school_code,
    r.school_name,
    month,
    r.school_days,
    r.service_days,
    r.daily_minutes,
    end,
    r.homework_periods,
    r.written_homework_g12,
    r.fee_per_period,
    r.fee_waived,
    r.waived_but_charged,
    r.fees_published,
    r.teachers_serving,
    r.teacher_pay_per_period,
    r.external_staff,
    r.providers,
    r.providers_unapproved,
    r.largest_group,
    r.incidents,
    r.complaints,
  ];
}

function gradeCells(p: ParticipationRow, month: Cell, style: TownshipStyle): Cell[] {
  return [
    p.school_code,
    month,
    gradeCell(style.grade, p.grade),
    p.enrolled,
    p.applicants,
    p.participants,
    ...(style.fiveDay ? [p.five_day_participants] : []),
    p.left_behind_enrolled,
    p.left_behind_participants,
    p.migrant_enrolled,
    p.migrant_participants,
    p.disabled_enrolled,
    p.disabled_participants,
    p.poor_enrolled,
    p.poor_participants,
  ];
}

/** A few cells typed with the IME on: 18：00 and full-width digits. */
function sprinkleFullWidth(monthly: Table, grades: Table): void {
  const end = monthly.header.indexOf('最晚结束时间');
  const days = monthly.header.indexOf('上学天数');
  monthly.rows.forEach((row, i) => {
    const e = row[end];
    if (i % 5 === 2 && (typeof e === 'string' || (e && isTimeCell(e))))
      row[end] = fullWidth(typeof e === 'string' ? e : e.time, false);
    if (i % 7 === 4 && typeof row[days] === 'number') row[days] = fullWidth(String(row[days]));
  });
  grades.rows.forEach((row, i) => {
    if (i % 11 === 3 && typeof row[3] === 'number') row[3] = fullWidth(String(row[3]));
  });
}

export interface MonthInput {
  month: string;
  township: TownshipFiles;
  reports: MonthlyReport[];
  rows: ParticipationRow[];
  messy: MessySpec[];
}

export async function writeTownshipMonth(
  model: District,
  input: MonthInput,
  outDir: string,
  rng: Rng,
): Promise<{ files: string[]; invalid: InvalidRow[] }> {
  const { month, township: t, reports, rows } = input;
  const { year, month: m } = parseMonth(month);
  const style = t.style;
  const mCell = monthCell(style.month, year, m);
  const csv = style.format !== 'xlsx';

  const monthly = emptyTable('月报', MONTHLY_HEADERS);
  const grades = emptyTable('分年级', participationHeaders(style.fiveDay));
  if (!csv || style.csvTitle) {
    monthly.title = `${t.name}课后服务月报表（${monthTitle(month)}）`;
    grades.title = `${t.name}课后服务分年级参与情况统计表（${monthTitle(month)}）`;
  }
  if (style.noteRow) {
    monthly.notes.push(`填报单位：${t.name}中心学校（盖章）`);
    grades.notes.push(`填报单位：${t.name}中心学校（盖章）`);
  }
  monthly.textColumns = [0];
  grades.textColumns = [0];
  monthly.rows = reports.map((r) => monthlyCells(r, mCell, style));
  const bySchool = new Map<string, ParticipationRow[]>();
  for (const p of rows) bySchool.set(p.school_code, [...(bySchool.get(p.school_code) ?? []), p]);
  for (const r of reports) {
    const own = bySchool.get(r.school_code) ?? [];
    if (style.mergeCodes && own.length > 1)
      grades.merges.push([grades.rows.length, grades.rows.length + own.length - 1, 0]);
    grades.rows.push(...own.map((p) => gradeCells(p, mCell, style)));
  }
  grades.totalFrom = 3;
  const reportDay = `${m === 12 ? year + 1 : year}年${(m % 12) + 1}月${rng.int(3, 8)}日`;
  for (const table of [monthly, grades]) {
    table.footer.push(`填表人：${t.clerk}    审核人：${t.reviewer}`);
    if (style.noteRow) table.footer.push(`填报日期：${reportDay}`);
  }
  if (style.fullWidth) sprinkleFullWidth(monthly, grades);
  const located = input.messy.flatMap((spec) => {
    const hit = applyMessy(spec, monthly, grades, style, model, rng);
    return hit ? [hit] : [];
  });

  const dir = join('月报', month);
  await mkdir(join(outDir, dir), { recursive: true });
  const savedAt = new Date(Date.UTC(m === 12 ? year + 1 : year, m % 12, 5, 8, rng.int(0, 59)));
  const files: string[] = [];
  const invalid: InvalidRow[] = [];
  if (!csv) {
    const file = `${dir}/${t.name}_${monthTitle(month)}课后服务月报.xlsx`;
    await writeWorkbook(join(outDir, file), [monthly, grades], savedAt);
    files.push(file);
    for (const { table, ...rest } of located) invalid.push({ file, sheet: table.sheet, ...rest });
  } else {
    for (const table of [monthly, grades]) {
      const base = `${t.name}_${monthTitle(month)}课后服务_${table.sheet}`;
      const file = `${dir}/${base}.csv`;
      const gbk = style.format === 'csv-gbk';
      await writeFile(
        join(outDir, file),
        tableToCsv(table, {
          encoding: gbk ? 'gbk' : 'utf8-bom',
          thousands: style.thousands,
          trailingBlankRows: gbk ? 2 : 0,
        }),
      );
      files.push(file);
      for (const { table: tt, ...rest } of located)
        if (tt === table) invalid.push({ file, sheet: base, ...rest });
    }
  }
  return { files, invalid };
}
