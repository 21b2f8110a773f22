import { currentMonth } from '../../server/db/calendar.ts';
import { fixedKindProgram } from '../load/fixed-kind-program.ts';
import type { KindProgram } from '../load/kind-program.ts';
import { lit } from '../normalize/sql-text.ts';
import { assignmentsSpec } from './assignments/columns.ts';
import { assignmentsPlan, HISTORY_START, settleDefaultMonths } from './assignments/load.ts';
import { monthlySpec } from './monthly/columns.ts';
import { monthlyPlan } from './monthly/load.ts';
import { participationSpec } from './participation/columns.ts';
import { participationPlan } from './participation/load.ts';
import { registrySpec } from './registry/columns.ts';
import { registryPlan } from './registry/load.ts';
import type { ReportKind } from './report-kind.ts';
import { surveyProgram } from './survey/program.ts';

/**
 * A fresh program per load (the survey program keeps the items it found); `now` is the
 * load's clock (an assignments file without 生效月份 changes a school from its month).
 */
export function programFor(kind: ReportKind, now: Date = new Date()): KindProgram {
  switch (kind) {
    case 'registry':
      return fixedKindProgram(registrySpec, registryPlan);
    case 'assignments':
      // Without 生效月份 a school's first assignment covers its whole history and a later
      // one takes effect in the month it is loaded (assignments/load.ts).
      return fixedKindProgram(
        assignmentsSpec,
        assignmentsPlan,
        () => ({ defaults: { effective_month: lit(HISTORY_START) } }),
        () => [settleDefaultMonths(currentMonth(now))],
      );
    case 'monthly':
      return fixedKindProgram(monthlySpec, monthlyPlan);
    case 'participation':
      return fixedKindProgram(participationSpec, participationPlan);
    case 'survey':
      return surveyProgram();
  }
}
