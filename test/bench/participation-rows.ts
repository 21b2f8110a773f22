/**
 * One school-month of 分年级参与情况 rows. Participation is voluntary: applicants come
 * first and participants follow them (demand met ≥ 97 %, above the policy's minimum);
 * priority groups are served at least at the school-month's overall rate, so no group lags
 * it — unless this school-month is planted to break a participation rule.
 */
import {
  clamp,
  PRIORITY_GROUPS,
  type PriorityGroup,
  type SchoolProfile,
} from './bench-district.ts';
import type { PlantedRule } from './planted-breaks.ts';
import type { MonthLimits } from './policy-limits.ts';

export const PARTICIPATION_HEADER =
  '学校标识码,填报月份,年级,在校生数,申请人数,参加人数,留守儿童数,留守儿童参加数,随迁子女数,随迁子女参加数,残疾儿童数,残疾儿童参加数,困难家庭学生数,困难家庭学生参加数,五天全勤参加人数';

export interface GradeRow {
  grade: number;
  enrolled: number;
  applicants: number;
  participants: number;
  group: Record<PriorityGroup, { enrolled: number; participants: number }>;
  fiveDay: number;
}

/** Small children's parents need the service most; grade 9 prepares for the 中考. Kept small so grade rates stay close. */
function gradeOffset(grade: number): number {
  return grade <= 3 ? 0.02 : grade <= 6 ? 0 : -0.02;
}

export function participationRows(
  p: SchoolProfile,
  m: MonthLimits,
  rule: PlantedRule | null,
  random: () => number,
): GradeRow[] {
  const rows = p.grades.map((g) => {
    const rate = clamp(p.applyShare + gradeOffset(g.grade) + (random() - 0.5) * 0.02, 0.3, 0.98);
    let applicants = Math.round(g.enrolled * rate);
    let participants = applicants - Math.floor(applicants * p.shortfall);
    if (rule === 'FORCED_PARTICIPATION.over_applicants') {
      // Whole classes enrolled, whatever the parents asked for.
      applicants = Math.round(g.enrolled * (rate - 0.15));
      participants = Math.min(g.enrolled, Math.max(applicants + 1, Math.round(g.enrolled * 0.98)));
    } else if (rule === 'NOT_OFFERED.turned_away') {
      // Places ran out: 12-25 % of applicants turned away in every grade.
      participants = applicants - Math.round(applicants * (0.12 + random() * 0.13));
    } else if (rule === 'NOT_OFFERED.no_service') {
      participants = 0;
    }
    return { g, applicants, participants };
  });
  if (rule === 'NOT_OFFERED.turned_away') ensureTurnedAway(rows, m.minDemandRate!);

  const enrolled = rows.reduce((n, r) => n + r.g.enrolled, 0);
  const served = rows.reduce((n, r) => n + r.participants, 0);
  const overall = enrolled === 0 ? 0 : served / enrolled;
  const neglected = rule?.startsWith('PRIORITY_GAP.')
    ? (rule.slice('PRIORITY_GAP.'.length) as PriorityGroup)
    : null;
  // Served at the overall rate or better (rounded up), so the group's rate ≥ the school's.
  const bonus = random() * 0.05;
  // A neglected group trails the school by 8-20 points more than the policy allows.
  const lag = (m.maxGapPoints ?? 10) / 100 + 0.08 + random() * 0.12;
  const five = clamp(p.fiveDay + (random() - 0.5) * 0.04, 0, 1);

  return rows.map(({ g, applicants, participants }) => {
    const group = {} as GradeRow['group'];
    for (const name of PRIORITY_GROUPS) {
      const n = g.group[name];
      const servedInGroup =
        participants === 0
          ? 0
          : name === neglected
            ? Math.floor(n * Math.max(0, overall - lag))
            : Math.min(n, Math.ceil(n * (overall + bonus)));
      group[name] = { enrolled: n, participants: servedInGroup };
    }
    return {
      grade: g.grade,
      enrolled: g.enrolled,
      applicants,
      participants,
      group,
      fiveDay: Math.round(participants * five),
    };
  });
}

/** Rounding in tiny grades may leave demand met at the minimum: turn one more away per grade until it is below. */
function ensureTurnedAway(
  rows: { applicants: number; participants: number }[],
  minRate: number,
): void {
  const applied = rows.reduce((n, r) => n + r.applicants, 0);
  for (let guard = 0; guard < 100; guard++) {
    const served = rows.reduce((n, r) => n + r.participants, 0);
    if (served < applied * minRate) return;
    for (const r of rows) if (r.participants > 0) r.participants--;
  }
}

export function participationLine(code: string, month: string, r: GradeRow): string {
  const groups = PRIORITY_GROUPS.map((g) => `${r.group[g].enrolled},${r.group[g].participants}`);
  return `${code},${month},${r.grade},${r.enrolled},${r.applicants},${r.participants},${groups.join(',')},${r.fiveDay}`;
}

/** Participants summed over grades (the monthly report's largest group and fee waivers use it). */
export function totals(rows: readonly GradeRow[]): { participants: number; poorServed: number } {
  return {
    participants: rows.reduce((n, r) => n + r.participants, 0),
    poorServed: rows.reduce((n, r) => n + r.group.poor.participants, 0),
  };
}
