/**
 * The columns lineage shows for each source table and the label each goes by: the report
 * contract's Chinese header, read from the ETL's kind specs where the contract lives
 * (etl/reports/*), so a renamed header changes here too. Only this file of the GraphQL
 * layer reaches into etl/ (eslint's kehou/layers names it).
 */
import { KIND_SPECS, SURVEY_HEADER_KEYS } from '../../../etl/reports/kinds.ts';
import type { SourceTable } from '../__generated__/resolvers-types.ts';

export interface LineageColumn {
  /** Warehouse column. */
  column: string;
  label: string;
}

/** Warehouse columns named differently from the spec's key. */
const WAREHOUSE_NAME: Readonly<Record<string, string>> = {
  school_name: 'school_name_reported',
};

/** Keys that identify the unit (shown by the drawer's heading) rather than its values. */
const UNIT_KEYS = new Set(['school_code', 'month', 'grade', 'serial']);

function specColumns(
  specs: ReadonlyArray<{ key: string; header: string }>,
  table: SourceTable,
): LineageColumn[] {
  return specs
    .filter((c) => !UNIT_KEYS.has(c.key))
    .map((c) => ({
      column: table === 'MONTHLY_REPORTS' ? (WAREHOUSE_NAME[c.key] ?? c.key) : c.key,
      label: c.header,
    }));
}

function kindColumns(kind: 'monthly' | 'participation' | 'registry', table: SourceTable) {
  // Every fixed kind has a spec: KIND_SPECS is keyed by them.
  return specColumns(KIND_SPECS.get(kind)!.columns, table);
}

/** The value columns of each source table, in the contract's order. */
export const LINEAGE_COLUMNS: Readonly<Record<SourceTable, readonly LineageColumn[]>> = {
  MONTHLY_REPORTS: kindColumns('monthly', 'MONTHLY_REPORTS'),
  PARTICIPATION: kindColumns('participation', 'PARTICIPATION'),
  SCHOOLS: kindColumns('registry', 'SCHOOLS'),
  SURVEY_RESPONSES: specColumns(
    SURVEY_HEADER_KEYS.filter((c) => c.key === 'respondent' || c.key === 'submitted_at'),
    'SURVEY_RESPONSES',
  ),
};
