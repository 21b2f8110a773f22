/**
 * The rectification loop as data: which step moves a flag from which statuses to which,
 * and who may take it. Leadership reads only; a bureau inspector acts on any school; a
 * supervising inspector on the schools assigned to them now (see actsOnSchoolSql). A
 * 学校填报员 takes exactly one step, RECORD_RECTIFICATION (answering the bureau's request
 * with its report), on its own school's flags (flagStepOnSchoolSql); a 学区审核员 takes
 * none. The data layer enforces the same rules in its UPDATE; this module only names them.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import { OPEN_FLAG_STATUSES } from '../../db/flag-statuses.ts';
import { assignedInSql, holderSeesSchoolSql } from '../../db/remit.ts';
import type { FlagAction, FlagStatus } from '../../db/tables/flags.table.ts';
import type { FlagStep } from '../__generated__/resolvers-types.ts';

export interface Transition {
  from: readonly FlagStatus[];
  to: FlagStatus;
  action: FlagAction;
}

export const TRANSITIONS: Readonly<Record<FlagStep, Transition>> = {
  REQUEST_RECTIFICATION: {
    from: ['OPEN', 'RECTIFIED'],
    to: 'RECTIFYING',
    action: 'RECTIFICATION_REQUESTED',
  },
  RECORD_RECTIFICATION: { from: ['RECTIFYING'], to: 'RECTIFIED', action: 'RECTIFIED' },
  CLOSE: { from: ['RECTIFIED'], to: 'CLOSED', action: 'CLOSED' },
  DISMISS: { from: OPEN_FLAG_STATUSES, to: 'DISMISSED', action: 'DISMISSED' },
};

export const FLAG_STEPS = Object.keys(TRANSITIONS) as FlagStep[];

/**
 * Whether the role acts as an inspector: every life-cycle step, visits, complaints. The
 * school's own reporter is not one (its one step is stepsOfRole's).
 */
export function roleMayAct(viewer: Viewer): boolean {
  switch (viewer.role) {
    case 'BUREAU_INSPECTOR':
      return true;
    case 'SUPERVISING_INSPECTOR':
      return viewer.inspectorId !== null;
    case 'LEADERSHIP':
    case 'SCHOOL_REPORTER':
    case 'TOWNSHIP_REVIEWER':
      return false;
  }
}

/** The steps the viewer's role may take at all, on the schools it acts on. */
export function stepsOfRole(viewer: Viewer): readonly FlagStep[] {
  // The school answers the bureau's request; it never requests, closes or dismisses.
  if (viewer.role === 'SCHOOL_REPORTER')
    return viewer.schoolCode === null ? [] : ['RECORD_RECTIFICATION'];
  return roleMayAct(viewer) ? FLAG_STEPS : [];
}

/** Whether the viewer may take `step` on some school (before any flag is read). */
export function mayTakeStep(viewer: Viewer, step: FlagStep): boolean {
  return stepsOfRole(viewer).includes(step);
}

/**
 * Whether the viewer acts on the flag's school now: the row's own verdict
 * (flagStepOnSchoolSql), and for a 学校填报员 its own school whatever the row says (every
 * flag it reads is its school's; this keeps its one step open if a flag query computed
 * the verdict with the inspectors' actsOnSchoolSql).
 */
export function actsOnFlag(
  viewer: Viewer,
  flag: { schoolCode: string; actsOnSchool: boolean },
): boolean {
  if (viewer.role === 'SCHOOL_REPORTER')
    return viewer.schoolCode !== null && flag.schoolCode === viewer.schoolCode;
  return flag.actsOnSchool;
}

/** The steps the viewer may take now on a flag in `status`. */
export function allowedSteps(
  viewer: Viewer,
  status: FlagStatus,
  actsOnSchool: boolean,
): FlagStep[] {
  if (!actsOnSchool) return [];
  return stepsOfRole(viewer).filter((step) => TRANSITIONS[step].from.includes(status));
}

/**
 * SQL truth of "the viewer may act on the school `schoolCode` in `month`": any school for a
 * bureau inspector, none for leadership, and for a supervising inspector the schools in the
 * assignment set in force for that school in `month` (server/db/remit.ts).
 */
export function actsOnSchoolSql(
  viewer: Viewer,
  schoolCode: RawBuilder<unknown>,
  month: string,
): RawBuilder<boolean> {
  if (!roleMayAct(viewer)) return sql<boolean>`FALSE`;
  if (viewer.role === 'BUREAU_INSPECTOR') return sql<boolean>`TRUE`;
  return assignedInSql(viewer.inspectorId as string, schoolCode, sql`${month}`);
}

/**
 * SQL truth of "the viewer may take flag steps on the school `schoolCode` now": an
 * inspector's schools (actsOnSchoolSql), or a 学校填报员's own school. Flag.actsOnSchool
 * and the step's guarded UPDATE use this, with stepsOfRole saying which steps; visits and
 * complaints keep actsOnSchoolSql, on which a school acts never.
 */
export function flagStepOnSchoolSql(
  viewer: Viewer,
  schoolCode: RawBuilder<unknown>,
  month: string,
): RawBuilder<boolean> {
  if (viewer.role === 'SCHOOL_REPORTER')
    return holderSeesSchoolSql(viewer, schoolCode, sql`${month}`);
  return actsOnSchoolSql(viewer, schoolCode, month);
}
