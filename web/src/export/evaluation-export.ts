/**
 * Downloads the 考核结果表 of what the 考核 view shows: every school of the viewer's scope
 * (all pages, fetched here through the API, so a 责任督学's file holds only their own
 * schools), laid out by evaluation-sheet.ts and written in the browser like the other
 * table exports (to-xlsx.ts).
 */
import type {
  EvaluationDistrictQuery,
  EvaluationsSheetQuery,
  EvaluationsSheetQueryVariables,
} from '../api/__generated__/graphql.ts';
import { request } from '../api/client.ts';
import { EVALUATION_DISTRICT, EVALUATIONS_SHEET } from '../api/queries/evaluation.ts';
import { dateTime } from '../format/format.ts';
import { publicationText } from '../format/evaluation.ts';
import { download } from './download.ts';
import {
  buildEvaluationSheet,
  districtName,
  evaluationSheetTitle,
  evaluationSheetXlsx,
  type SheetSchool,
} from './evaluation-sheet.ts';

/** Schools per request while gathering the whole scope. */
const PAGE = 200;

export async function exportEvaluationSheet(
  variables: Omit<EvaluationsSheetQueryVariables, 'first' | 'after'>,
  scopeText: (schools: number) => string,
): Promise<void> {
  const schools: SheetSchool[] = [];
  let head: EvaluationsSheetQuery['evaluations'] | null = null;
  let after: string | null = null;
  do {
    const data: EvaluationsSheetQuery = await request<
      EvaluationsSheetQuery,
      EvaluationsSheetQueryVariables
    >(EVALUATIONS_SHEET, { ...variables, first: PAGE, ...(after ? { after } : {}) });
    head ??= data.evaluations;
    schools.push(...data.evaluations.items);
    after = data.evaluations.endCursor;
  } while (after);
  const district = await request<EvaluationDistrictQuery>(EVALUATION_DISTRICT)
    .then((d) => {
      const newest = [...d.policyVersions].sort((a, b) =>
        b.effectiveFrom.localeCompare(a.effectiveFrom),
      )[0];
      return newest ? districtName(newest.district) : '';
    })
    .catch(() => '');
  const layout = buildEvaluationSheet({
    district,
    periodLabel: head.periodLabel,
    scopeText: scopeText(head.total),
    schemeName: head.schemeName,
    schemeVersion: head.schemeVersion,
    publicationText: publicationText(head),
    exportedAt: dateTime(new Date().toISOString()),
    schools,
  });
  const buffer = await evaluationSheetXlsx(layout);
  download(
    new Blob([buffer], {
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    }),
    `${evaluationSheetTitle(district, head.periodLabel)}.xlsx`,
  );
}
