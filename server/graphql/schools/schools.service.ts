/** Maps per-school rows to GraphQL objects; rates via metrics/rates.ts only. */
import type {
  GradeStat,
  PriorityGroupStat,
  School,
  SchoolMonth,
  Stage,
  Locality,
} from '../__generated__/resolvers-types.ts';
import { int, num, rate } from '../metrics/rates.ts';
import { priorityGroupStats } from '../overview/overview.service.ts';
import type { GradeRow } from './school-detail.repository.ts';
import type { SchoolMonthRow } from './schools.repository.ts';

export function toSchool(
  row: Pick<
    SchoolMonthRow,
    | 'school_code'
    | 'school_name'
    | 'township'
    | 'stage'
    | 'locality'
    | 'ownership'
    | 'remote'
    | 'teachers_total'
  >,
): School {
  return {
    code: row.school_code,
    name: row.school_name,
    township: row.township,
    stage: row.stage.toUpperCase() as Stage,
    locality: row.locality.toUpperCase() as Locality,
    ownership: row.ownership,
    remote: row.remote,
    teachersTotal: int(row.teachers_total),
  };
}

/** Withholds a row's small priority groups (small-cell protection), or keeps them. */
export type ProtectGroups = (
  groups: PriorityGroupStat[],
  row: SchoolMonthRow,
) => PriorityGroupStat[];

export function toSchoolMonth(row: SchoolMonthRow): SchoolMonth {
  return toProtectedSchoolMonth(row, (groups) => groups);
}

/**
 * A school's figures with `protect` applied to its priority groups first, so priorityGap
 * and the shortfall are those of the groups shown.
 */
export function toProtectedSchoolMonth(row: SchoolMonthRow, protect: ProtectGroups): SchoolMonth {
  const enrolled = num(row.enrolled);
  const participants = num(row.participants);
  const applicants = num(row.applicants);
  const participationRate = rate(participants, enrolled);
  const groups = protect(
    priorityGroupStats(enrolled === null ? undefined : row, participationRate),
    row,
  );
  const gaps = groups.map((g) => g.gap).filter((g): g is number => g !== null);
  const priorityGap = gaps.length > 0 ? Math.min(...gaps) : null;
  const teachersServing = num(row.teachers_serving);
  return {
    school: toSchool(row),
    month: row.month,
    reported: row.reported,
    offering: (num(row.service_days) ?? 0) > 0,
    schoolDays: num(row.school_days),
    serviceDays: num(row.service_days),
    dailyMinutes: num(row.daily_minutes),
    latestEndTime: row.latest_end_time,
    feePerPeriod: num(row.fee_per_period),
    teachersServing,
    teacherParticipationRate: rate(
      teachersServing,
      row.teachers_base !== undefined
        ? num(row.teachers_base)
        : row.reported
          ? int(row.teachers_total)
          : null,
    ),
    enrolled,
    applicants,
    participants,
    participationRate,
    demandMetRate: rate(participants, applicants),
    fiveDayShare: rate(num(row.five_day_participants), num(row.five_day_base)),
    priorityGroups: groups,
    priorityGap,
    priorityShortfall: priorityGap === null ? null : Math.max(0, -priorityGap),
    // The first group in the vocabulary's order wins a tie.
    priorityShortfallGroup:
      priorityGap !== null && priorityGap < 0
        ? (groups.find((g) => g.gap === priorityGap) ?? null)
        : null,
    satisfactionScore: rate(num(row.satisfaction_score_sum), int(row.satisfaction_answers)),
    satisfactionResponses: int(row.satisfaction_responses),
    openFlags: int(row.open_flags),
    externalStaff: num(row.external_staff),
    providersUnapproved: num(row.providers_unapproved),
    incidents: num(row.incidents),
    complaints: num(row.complaints),
  };
}

export function toGradeStat(row: GradeRow): GradeStat {
  return toProtectedGradeStat(row, (groups) => groups);
}

export function toProtectedGradeStat(
  row: GradeRow,
  protect: (groups: PriorityGroupStat[]) => PriorityGroupStat[],
): GradeStat {
  const participants = int(row.participants);
  const participationRate = rate(participants, int(row.enrolled));
  return {
    grade: row.grade,
    enrolled: int(row.enrolled),
    applicants: int(row.applicants),
    participants,
    participationRate,
    demandMetRate: rate(participants, int(row.applicants)),
    fiveDayShare: rate(num(row.five_day_participants), num(row.five_day_base)),
    priorityGroups: protect(priorityGroupStats(row, participationRate)),
  };
}
