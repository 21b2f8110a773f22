/**
 * The synthetic district both load benchmarks share: school codes, stages and grades, a
 * seeded random source, the county calendar, and each school's habits (size, how many
 * parents apply, priority-group shares, when service ends, …). Habits are drawn per
 * school from its own seed, so the ETL and API benchmarks see the same schools whatever
 * order they generate them in.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

import { clamp, mulberry32 as rng } from '../../etl/demo/random.ts';

// The demo's seeded generator (a function of the seed only) and its clamp.
export { clamp, rng };

/** A uniform integer in [lo, hi]. */
export function between(random: () => number, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

/** Writes the generator's lines in 1 MiB chunks, waiting for the stream to drain. */
export async function writeLines(path: string, lines: () => Generator<string>): Promise<void> {
  const out = createWriteStream(path);
  let buffer = '';
  for (const line of lines()) {
    buffer += line + '\n';
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

export function schoolCode(i: number): string {
  return String(2100000000 + i);
}

export type StageName = '小学' | '初中' | '九年一贯制';

const STAGE_MIX: readonly StageName[] = [
  '小学',
  '九年一贯制',
  '九年一贯制',
  '小学',
  '九年一贯制',
  '初中',
];
const STAGE_GRADES: Record<StageName, readonly number[]> = {
  小学: [1, 2, 3, 4, 5, 6],
  初中: [7, 8, 9],
  九年一贯制: [1, 2, 3, 4, 5, 6, 7, 8, 9],
};

/** Stage of school i: the mix gives 7 grades a school on average. */
export function stage(i: number): StageName {
  return STAGE_MIX[i % STAGE_MIX.length]!;
}

export function grades(i: number): readonly number[] {
  return STAGE_GRADES[stage(i)];
}

export function teachersTotal(i: number): number {
  return 40 + (i % 60);
}

export const LOCALITY = ['城区', '镇区', '乡村'] as const;

// ---------------------------------------------------------------- the calendar

/** The demo calendar's typical school days of a month. */
export { typicalSchoolDays as schoolDays } from '../../etl/demo/calendar.ts';

// ---------------------------------------------------------------- habits of a school

export const PRIORITY_GROUPS = ['left_behind', 'migrant', 'disabled', 'poor'] as const;
export type PriorityGroup = (typeof PRIORITY_GROUPS)[number];

export interface GradeEnrolment {
  grade: number;
  enrolled: number;
  /** Pupils of each priority group in the grade (≤ enrolled). */
  group: Record<PriorityGroup, number>;
}

export interface SchoolProfile {
  index: number;
  code: string;
  stage: StageName;
  grades: readonly GradeEnrolment[];
  /** Share of pupils whose parents apply (participation is voluntary). */
  applyShare: number;
  /** Share of applicants not served: 0, since the default policy's 愿留尽留 is 100 % (every applicant served). */
  shortfall: number;
  /** Share of participants who come all five days. */
  fiveDay: number;
  /** Average service minutes a day. */
  dailyMinutes: number;
  /** How many minutes before the stage's latest end time service usually ends. */
  endSlack: number;
  /** Fee per period where the policy allows one (yuan). */
  fee: number;
  teachersTotal: number;
  /** Share of the school's teachers who serve. */
  serveShare: number;
  teacherPay: number;
  externalStaff: number;
  providers: number;
  /** The school's usual largest group. */
  largestGroup: number;
}

const GROUP_SHARE: Record<PriorityGroup, readonly [number, number]> = {
  left_behind: [0.02, 0.3],
  migrant: [0.02, 0.2],
  disabled: [0.005, 0.02],
  poor: [0.02, 0.1],
};

export function schoolProfile(i: number): SchoolProfile {
  const random = rng(0x9e3779b1 ^ (i * 2654435761));
  const cohort = between(random, 25, 220);
  const shares = Object.fromEntries(
    PRIORITY_GROUPS.map((g) => {
      const [lo, hi] = GROUP_SHARE[g];
      return [g, lo + random() * (hi - lo)];
    }),
  ) as Record<PriorityGroup, number>;
  const enrolment = grades(i).map((grade): GradeEnrolment => {
    const enrolled = Math.max(10, Math.round(cohort * (0.85 + random() * 0.3)));
    const group = Object.fromEntries(
      PRIORITY_GROUPS.map((g) => [
        g,
        Math.min(enrolled, Math.round(enrolled * shares[g] * (0.8 + random() * 0.4))),
      ]),
    ) as Record<PriorityGroup, number>;
    return { grade, enrolled, group };
  });
  return {
    index: i,
    code: schoolCode(i),
    stage: stage(i),
    grades: enrolment,
    applyShare: 0.55 + random() * 0.4,
    // Drawn and dropped, so the rest of the district stays as it was before 愿留尽留 became 100 %.
    shortfall: random() * 0,
    fiveDay: 0.6 + random() * 0.3,
    dailyMinutes: 120 + 5 * between(random, 0, 6),
    endSlack: 10 * between(random, 0, 4),
    fee: Number((1 + random()).toFixed(1)),
    teachersTotal: teachersTotal(i),
    serveShare: 0.5 + random() * 0.45,
    teacherPay: 30 + 5 * between(random, 0, 11),
    externalStaff: between(random, 0, 3),
    providers: between(random, 0, 2),
    largestGroup: between(random, 30, 45),
  };
}

/** Pupils of `group` over the school's grades (what PRIORITY_GAP compares with its minimum). */
export function groupEnrolled(p: SchoolProfile, group: PriorityGroup): number {
  return p.grades.reduce((n, g) => n + g.group[group], 0);
}

export const REGISTRY_HEADER =
  '学校标识码,学校名称,所属乡镇（街道）,学段,城乡类型,办学性质,是否偏远,教师总数';

export function registryLine(i: number, townships: number): string {
  const remote = i % 17 === 0 ? '是' : '否';
  return `${schoolCode(i)},第${i}学校,乡镇${String(i % townships).padStart(2, '0')},${stage(i)},${LOCALITY[i % 3]},公办,${remote},${teachersTotal(i)}`;
}
