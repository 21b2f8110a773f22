/**
 * What every report kind declares: its columns (headers, aliases, types), how to tell it
 * from the others by its headers, its unit of loading and its cross-field rules. The
 * generic pipeline (etl/load/) turns these into set-based SQL.
 */
import type { ValueType } from '../normalize/value-types.ts';
import type { ReasonCode } from './reasons.ts';

export type ReportKind = 'registry' | 'assignments' | 'monthly' | 'participation' | 'survey';

/** Folder loads run in this order so codes exist before reports that cite them. */
export const LOAD_ORDER: Readonly<Record<ReportKind, number>> = {
  registry: 0,
  assignments: 1,
  monthly: 2,
  participation: 2,
  survey: 2,
};

export interface ColumnSpec {
  key: string;
  /** The contract's Chinese header, used in rejects when the file's own header is unknown. */
  header: string;
  /** Other headers clerks use (compared after normalisation); the key itself always matches. */
  aliases?: readonly string[];
  type: ValueType;
  /** The column may be missing from a file. */
  optional?: boolean;
  /** A blank cell is allowed (value NULL) instead of rejected. */
  blankAllowed?: boolean;
}

/**
 * A rule over one row's typed values (v_<key>) and registry lookups (reg_*): when `when`
 * is true the value of `column` is rejected with `code` and the two parameters.
 */
export interface RowRule {
  column: string;
  code: ReasonCode;
  when: string;
  p1?: string;
  p2?: string;
}

export interface KindSpec {
  kind: ReportKind;
  columns: readonly ColumnSpec[];
  /** Keys whose presence in a header row identifies this kind. */
  signature: readonly string[];
  /** Keys a header must not contain for this kind (tells monthly from participation). */
  excludes?: readonly string[];
  /** Typed keys that identify a unit of loading; rows sharing them load or fail together. */
  unitKeys: readonly string[];
  /** Typed keys that identify a row; a second row with the same keys is a duplicate. */
  rowKeys: readonly string[];
  /** SQL select list of registry lookups, given the typed school code expression. */
  lookups?: string;
  /** FROM-clause joins providing the lookups (default: schools s by v_school_code). */
  lookupJoin?: string;
  rules: readonly RowRule[];
}
