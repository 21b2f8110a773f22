/**
 * Links to the server's whole-result exports (server/http/scoped-export.ts): the file holds
 * every row of the user's scope for the period, not the rows loaded on screen, and opens
 * with the scope it covers. Same origin, so the session cookie goes with the download.
 */
import type { ScopeInput } from '../api/__generated__/schema-types.ts';

export type ExportFormat = 'csv' | 'xlsx';

/** `period`: a month "2025-09", a semester "2025-2026-1" or a school year "2025-2026". */
export function schoolsExportUrl(
  period: string,
  scope: ScopeInput | undefined,
  format: ExportFormat,
): string {
  const query = new URLSearchParams({ period, format });
  if (scope?.township) query.set('township', scope.township);
  if (scope?.stage) query.set('stage', scope.stage);
  if (scope?.locality) query.set('locality', scope.locality);
  return `/api/export/schools?${query.toString()}`;
}
