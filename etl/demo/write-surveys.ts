/**
 * Satisfaction surveys as the export of an online questionnaire (问卷星 style): one
 * workbook per township and semester, one row per respondent in submission order, no
 * title row, question texts as headers and answer labels in the cells.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { shanghaiInstant } from '../../server/db/calendar.ts';
import type { District, SurveyResponse } from './model.ts';
import { ANSWER_LABELS, SURVEY_LEADING_HEADERS } from './contract-headers.ts';
import { emptyTable, type Cell } from './table.ts';
import { writeWorkbook } from './render-xlsx.ts';
import type { TownshipFiles } from './write-monthly.ts';

export const COMMENT_QUESTION = '6.您对学校课后服务有什么意见和建议？';

/** 2024-12-10T19:23:05+08:00 → 2024/12/10 19:23:05, the tool's export format. */
function exportTime(iso: string): string {
  const y = iso.slice(0, 4);
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  return `${y}/${m}/${d} ${iso.slice(11, 19)}`;
}

const DETAIL: Record<SurveyResponse['source'], string> = {
  微信: 'N/A',
  手机提交: 'N/A',
  链接: '直接访问',
};

export async function writeTownshipSurvey(
  model: District,
  semester: string,
  township: TownshipFiles,
  responses: readonly SurveyResponse[],
  outDir: string,
): Promise<string | null> {
  if (responses.length === 0) return null;
  const names = new Map(model.schools.map((s) => [s.school_code, s.school_name]));
  const style = township.style;
  const header = [
    ...SURVEY_LEADING_HEADERS,
    style.surveyKey,
    '身份',
    ...model.surveyItems,
    ...(style.surveyComment ? [COMMENT_QUESTION] : []),
  ];
  const t = emptyTable('Sheet1', header);
  if (style.surveyKey === '学校标识码') t.textColumns = [6];
  const sorted = [...responses].sort((a, b) =>
    a.submitted_at < b.submitted_at ? -1 : a.submitted_at > b.submitted_at ? 1 : 0,
  );
  sorted.forEach((r, i) => {
    const row: Cell[] = [
      i + 1,
      exportTime(r.submitted_at),
      `${r.seconds}秒`,
      r.source,
      DETAIL[r.source],
      r.ip,
      style.surveyKey === '学校' ? (names.get(r.school_code) ?? r.school_code) : r.school_code,
      r.role,
      ...r.scores.map((s) => ANSWER_LABELS[s] ?? ''),
    ];
    if (style.surveyComment) row.push(r.comment === '' ? '(空)' : r.comment);
    t.rows.push(row);
  });
  const file = `问卷/${semester}_${township.name}满意度调查.xlsx`;
  await mkdir(join(outDir, '问卷'), { recursive: true });
  const last = sorted[sorted.length - 1]?.submitted_at ?? shanghaiInstant('2024-12-31');
  await writeWorkbook(join(outDir, file), [t], new Date(new Date(last).getTime() + 3 * 86400_000));
  return file;
}
