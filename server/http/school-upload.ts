/**
 * What a 学校填报员's upload may hold (issue 17). A school sends its own reports (monthly,
 * participation); the registry (学校名录) and the 督学 assignments (责任督学挂牌) are the
 * bureau's master data: a school that could load them could rename itself, move to another
 * township (another reviewer) or choose its own 督学. A survey export (满意度问卷) loads as
 * one unit per file whose rows name any school, so the load's `onlySchool` cannot keep a
 * school to its own answers (a school could file answers about another); until it can,
 * the bureau loads surveys. Such files are refused whole before the load, with a reason
 * the school reads; the other files load. Rows of another school inside an accepted file
 * are the ETL's to refuse (`onlySchool`).
 */
import { rm } from 'node:fs/promises';
import type { Viewer } from '../auth/viewer.ts';
import { detectHeader } from '../../etl/detect/detect-header.ts';
import { openSource } from '../../etl/load/open-source.ts';
import type { ReportKind } from '../../etl/reports/report-kind.ts';
import { ROLE_LABEL } from '../db/roles.ts';

/** Kinds only the bureau loads. */
export const BUREAU_ONLY_KINDS: readonly ReportKind[] = ['registry', 'assignments', 'survey'];

export const MASTER_DATA_REFUSED =
  `${ROLE_LABEL.SCHOOL_REPORTER}不能上传学校名录、责任督学挂牌表或满意度问卷，请交教育局导入 / ` +
  'a school account cannot upload the school registry, the inspector assignments or survey exports; the bureau loads them';

/** The school whose rows alone an upload by `viewer` may load; null: any school (bureau). */
export function uploadSchoolOf(viewer: Viewer): string | null {
  return viewer.role === 'SCHOOL_REPORTER' ? viewer.schoolCode : null;
}

/** The report kinds the file's sheets hold, by their headers (none when it cannot be read). */
async function kindsOf(path: string, tempDir: string): Promise<ReportKind[]> {
  let source;
  try {
    source = await openSource(path, { tempDir });
  } catch {
    // An unreadable file is the load's to report, as it always has been.
    return [];
  }
  try {
    const previews = source.format === 'xlsx' ? source.sheets.map((s) => s.rows) : [source.preview];
    return previews.flatMap((rows) => {
      const match = detectHeader(rows);
      return match ? [match.kind] : [];
    });
  } finally {
    await source.dispose();
  }
}

/**
 * Removes from `stored` (temp path → the name uploaded) and from disk every file holding a
 * sheet of a bureau-only kind; returns the names refused, in upload order.
 */
export async function dropMasterData(
  stored: Map<string, string>,
  tempDir: string,
): Promise<string[]> {
  const refused: string[] = [];
  for (const [path, name] of [...stored]) {
    const kinds = await kindsOf(path, tempDir);
    if (!kinds.some((k) => BUREAU_ONLY_KINDS.includes(k))) continue;
    stored.delete(path);
    await rm(path, { force: true });
    refused.push(name);
  }
  return refused;
}
