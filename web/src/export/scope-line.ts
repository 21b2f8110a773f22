/**
 * The 统计范围 line an export of a filtered view opens with: the server's ScopeSummary
 * (remit, filters, schools in scope, period), the same words the printed report uses.
 */
import type { ExportScopeQuery, ExportScopeQueryVariables } from '../api/__generated__/graphql.ts';
import type { ScopeInput } from '../api/__generated__/schema-types.ts';
import { request } from '../api/client.ts';
import { EXPORT_SCOPE } from '../api/queries/report.ts';

/** Views whose tables cover the filters' scope (a school page or the uploads do not). */
export const SCOPED_VIEWS: ReadonlySet<string> = new Set([
  'overview',
  'priority',
  'schools',
  'satisfaction',
  'flags',
  'report',
]);

export const SCOPE_PREFIX = '统计范围：';

/** `period`: the filter bar's period key (a month, semester or school year). */
export async function scopeLine(period: string, scope: ScopeInput | undefined): Promise<string> {
  const data = await request<ExportScopeQuery, ExportScopeQueryVariables>(EXPORT_SCOPE, {
    period,
    ...(scope ? { scope } : {}),
  });
  return `${SCOPE_PREFIX}${data.scopeSummary.text}`;
}
