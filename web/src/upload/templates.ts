/**
 * The report templates the server generates from the contract (GET /api/templates/:kind.xlsx,
 * server/http/templates-route.ts): a 学校填报员's come with the school's code and name filled
 * in. The upload view and the school's home page link to them.
 */
import type { ReportKind } from '../api/upload-answer.ts';

export function templateUrl(kind: ReportKind): string {
  return `/api/templates/${kind}.xlsx`;
}
