/**
 * Per-grade participation of one school in one month. Participation is voluntary, so
 * applicants come first and participants follow them ("愿留尽留"); priority groups are
 * served at least as well as the grade unless the school is planned to neglect one, except
 * disabled children at schools with only a few (see DISABLED_LAG) and the groups a school
 * under-serves (under-serving.ts).
 */
import { clamp, type Rng } from './random.ts';
import type { ParticipationRow } from './model.ts';
import type { SchoolPlan } from './school-plan.ts';
import type { GradeEnrolment } from './enrolment.ts';
import type { PlannedBreak } from './rule-breaks.ts';

/** Parents of small children need the service most; grade 9 prepares for the 中考. */
function gradeOffset(grade: number): number {
  if (grade <= 3) return 0.03;
  if (grade <= 6) return 0;
  if (grade <= 8) return -0.03;
  return -0.08;
}

function served(enrolled: number, rate: number, cap: number): number {
  // Rounding up keeps a small group's rate from dipping below the grade's by chance.
  return Math.min(enrolled, cap, Math.ceil(enrolled * clamp(rate, 0, 1)));
}

/** How far disabled children trail the grade's rate where the school has only a few. */
const DISABLED_LAG = 0.08;

/** Rounds up with the probability of the fraction: right on average, whatever the size. */
function unbiased(x: number, rng: Rng): number {
  const whole = Math.floor(x);
  return whole + (rng.next() < x - whole ? 1 : 0);
}

export function participationRows(
  plan: SchoolPlan,
  month: string,
  schoolRate: number,
  grades: readonly (readonly [number, GradeEnrolment])[],
  breaks: readonly PlannedBreak[],
  rng: Rng,
): ParticipationRow[] {
  const has = (v: PlannedBreak['variant']): boolean => breaks.some((b) => b.variant === v);
  const noService = has('none');
  const bonus = rng.float(0, 0.05);
  // Disabled children take part less than others (transport, aides); where a school has
  // fewer than the priority-gap rule's 20 of them, their count is rounded without bias, so
  // one disabled pupil in a grade is not always served. Larger groups keep the rule-safe path.
  const disabledTotal = grades.reduce((n, [, e]) => n + e.disabled, 0);
  const fewDisabled = disabledTotal < 20;
  return grades.map(([grade, e]) => {
    const rate = clamp(schoolRate + gradeOffset(grade) + rng.normal(0, 0.015), 0.3, 0.99);
    let applicants = Math.round(e.enrolled * rate);
    let participants = applicants - Math.round(applicants * plan.shortfall);
    if (has('forced')) {
      // The school enrols whole classes whatever the parents asked for.
      applicants = Math.round(e.enrolled * (rate - 0.15));
      participants = Math.max(applicants + 1, Math.round(e.enrolled * 0.98));
      participants = Math.min(participants, e.enrolled);
    }
    if (noService) participants = 0;
    // Whole classes enrolled: the priority groups are swept in with everyone else.
    const groupRate = has('forced') ? participants / Math.max(1, e.enrolled) + bonus : rate + bonus;
    const gapRate = clamp(rate - rng.float(0.3, 0.38), 0, 1);
    const groupServed = (n: number, neglected: boolean): number =>
      neglected
        ? Math.min(participants, Math.floor(n * gapRate))
        : served(n, groupRate, participants);
    return {
      school_code: plan.school.school_code,
      month,
      grade,
      enrolled: e.enrolled,
      applicants,
      participants,
      five_day_participants: Math.min(
        participants,
        Math.round(participants * clamp(plan.fiveDay + rng.normal(0, 0.03), 0, 1)),
      ),
      left_behind_enrolled: e.left_behind,
      left_behind_participants: groupServed(e.left_behind, has('gap_left_behind')),
      migrant_enrolled: e.migrant,
      migrant_participants: groupServed(e.migrant, has('gap_migrant')),
      disabled_enrolled: e.disabled,
      disabled_participants: fewDisabled
        ? Math.min(
            participants,
            e.disabled,
            unbiased(e.disabled * clamp(groupRate - DISABLED_LAG, 0, 1), rng),
          )
        : groupServed(e.disabled, false),
      poor_enrolled: e.poor,
      poor_participants: groupServed(e.poor, false),
    };
  });
}
