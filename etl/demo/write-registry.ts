/**
 * The two reference workbooks the bureau keeps itself: the school registry (学校名录)
 * and the list of supervising inspectors (责任督学挂牌), both with the template title.
 */
import { join } from 'node:path';
import type { District } from './model.ts';
import { ASSIGNMENT_HEADERS, REGISTRY_HEADERS } from './contract-headers.ts';
import { emptyTable } from './table.ts';
import { writeWorkbook } from './render-xlsx.ts';
import { monthTitle } from './file-styles.ts';

export const REGISTRY_FILE = '学校名录.xlsx';
export const ASSIGNMENT_FILE = '责任督学挂牌.xlsx';

/** Bureau files are saved at the start of the period, 09:30 Beijing time. */
function savedAt(month: string): Date {
  return new Date(`${month}-01T01:30:00Z`);
}

export async function writeRegistry(model: District, outDir: string): Promise<string> {
  const t = emptyTable('学校名录', REGISTRY_HEADERS);
  t.title = `${model.county}义务教育学校名录（${monthTitle(model.fromMonth)}）`;
  t.textColumns = [0];
  for (const s of model.schools) {
    t.rows.push([
      s.school_code,
      s.school_name,
      s.township,
      s.stage,
      s.locality,
      s.ownership,
      s.remote,
      s.teachers_total,
    ]);
  }
  t.footer = ['注：学校标识码以全国中小学生学籍信息管理系统为准；教师总数为在编在岗教师数。'];
  const path = join(outDir, REGISTRY_FILE);
  await writeWorkbook(path, [t], savedAt(model.fromMonth));
  return path;
}

export async function writeAssignments(model: District, outDir: string): Promise<string> {
  const t = emptyTable('责任督学挂牌', ASSIGNMENT_HEADERS);
  t.title = `${model.county}中小学校责任督学挂牌督导名单`;
  t.textColumns = [0, 2, 3];
  for (const a of model.assignments) {
    t.rows.push([a.inspector_id, a.inspector_name, a.school_code, a.effective_month]);
  }
  const versions = [...new Set(model.assignments.map((a) => a.effective_month))];
  t.footer = [`注：自生效月份起按新名单执行（共${versions.length}版：${versions.join('、')}）。`];
  const path = join(outDir, ASSIGNMENT_FILE);
  await writeWorkbook(path, [t], savedAt(versions[versions.length - 1] ?? model.fromMonth));
  return path;
}
