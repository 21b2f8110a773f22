import type { KindSpec, ReportKind } from './report-kind.ts';
import { assignmentsSpec } from './assignments/columns.ts';
import { monthlySpec } from './monthly/columns.ts';
import { participationSpec } from './participation/columns.ts';
import { registrySpec } from './registry/columns.ts';
import { SURVEY_HEADER_KEYS } from './survey/columns.ts';

/** The kinds whose columns are fixed by the contract; surveys have question columns. */
export const KIND_SPECS: ReadonlyMap<Exclude<ReportKind, 'survey'>, KindSpec> = new Map([
  ['registry', registrySpec],
  ['assignments', assignmentsSpec],
  ['monthly', monthlySpec],
  ['participation', participationSpec],
] as const);

export { SURVEY_HEADER_KEYS };
