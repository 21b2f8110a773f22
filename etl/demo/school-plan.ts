/**
 * The hidden traits of one school (size, priority-group shares, habits) that its
 * monthly figures are drawn from. Keeping traits per school is what makes the months of
 * one school look like the same school.
 */
import type { Rng } from './random.ts';
import type { Locality, School, Stage, Township } from './model.ts';
import type { SchoolSketch } from './school-names.ts';

export interface SchoolPlan {
  school: School;
  grades: number[];
  /** Per-grade size of the cohort entering in the first school year (primary grades). */
  cohortBase: number;
  /** Junior grades of a nine-year school take in pupils from the village primaries. */
  juniorFactor: number;
  /** Yearly change of new cohorts (births fall, villages empty). */
  entryTrend: number;
  /** Yearly change of a cohort while in school (transfers to the city). */
  drift: number;
  groupRates: { left_behind: number; migrant: number; disabled: number; poor: number };
  participation: number;
  /** Participation gain per school year as the service matures. */
  trend: number;
  fiveDay: number;
  /** Share of applicants not served for lack of room (a few crowded city schools). */
  shortfall: number;
  classEnd: number;
  dailyMinutes: number;
  homework: number;
  fee: number;
  teacherPay: number;
  serveShare: number;
  external: number;
  providers: number;
  group: number;
}

export function gradesOf(stage: Stage): number[] {
  if (stage === '小学') return [1, 2, 3, 4, 5, 6];
  if (stage === '九年一贯制') return [1, 2, 3, 4, 5, 6, 7, 8, 9];
  return [7, 8, 9];
}

function cohortSize(s: SchoolSketch, rng: Rng): number {
  if (s.ownership === '民办') return rng.int(70, 170);
  if (s.stage === '完全中学') return rng.int(300, 550);
  const urban = s.locality === '城区';
  if (s.stage === '初中') {
    // Each city township's first junior school is one of the county's giant ones.
    if (urban) return s.central ? rng.int(900, 1150) : rng.int(350, 800);
    return s.locality === '镇区' ? rng.int(180, 420) : rng.int(70, 200);
  }
  if (s.stage === '九年一贯制')
    return urban ? rng.int(90, 200) : s.locality === '镇区' ? rng.int(50, 130) : rng.int(20, 60);
  if (urban) return rng.int(150, 380);
  if (s.locality === '镇区') return rng.int(70, 170);
  return s.central ? rng.int(50, 110) : rng.int(8, 45);
}

function groupRates(locality: Locality, priv: boolean, rng: Rng): SchoolPlan['groupRates'] {
  const by = <T>(u: T, z: T, r: T): T => (locality === '城区' ? u : locality === '镇区' ? z : r);
  const [lb, mg, pr] = by(
    [
      [0.01, 0.04],
      [0.12, 0.3],
      [0.02, 0.04],
    ],
    [
      [0.08, 0.2],
      [0.04, 0.12],
      [0.04, 0.08],
    ],
    [
      [0.25, 0.45],
      [0, 0.02],
      [0.08, 0.16],
    ],
  ) as [[number, number], [number, number], [number, number]];
  return {
    left_behind: rng.float(lb[0], lb[1]),
    migrant: priv ? rng.float(0.3, 0.5) : rng.float(mg[0], mg[1]),
    disabled: rng.float(0.002, 0.008),
    poor: priv ? rng.float(0.005, 0.02) : rng.float(pr[0], pr[1]),
  };
}

export function planSchool(
  s: SchoolSketch,
  t: Township,
  code: string,
  townFee: number,
  rng: Rng,
): SchoolPlan {
  const grades = gradesOf(s.stage);
  const cohortBase = cohortSize(s, rng);
  const juniorFactor =
    s.stage === '九年一贯制' ? rng.float(1.1, s.locality === '乡村' ? 1.7 : 1.3) : 1;
  const urban = s.locality === '城区';
  const rural = s.locality === '乡村';
  const junior = s.stage === '初中' || s.stage === '完全中学';
  const pupils = grades.reduce((sum, g) => sum + cohortBase * (g >= 7 ? juniorFactor : 1), 0);
  const ratio = (junior ? 12.5 : urban ? 18 : rural ? 11 : 15) * rng.float(0.9, 1.1);
  const remote = t.mountain && rural && rng.chance(s.central ? 0.3 : 0.75);
  const school: School = {
    school_code: code,
    school_name: s.name,
    township: t.name,
    stage: s.stage,
    locality: s.locality,
    ownership: s.ownership,
    remote: remote ? '是' : '否',
    teachers_total: Math.max(6, Math.round(pupils / ratio)),
  };
  const dailyMinutes = rng.pick([120, 120, 130, 135, 140, 150]);
  // Regular lessons end ~15:30 in primary, later in junior; service runs from there.
  const classEnd = junior
    ? rng.pick([16 * 60, 16 * 60 + 10, 16 * 60 + 20])
    : rng.pick([15 * 60 + 20, 15 * 60 + 30, 15 * 60 + 40]);
  const endCap = junior ? 18 * 60 + 30 : 18 * 60;
  return {
    school,
    grades,
    cohortBase,
    juniorFactor,
    entryTrend: urban
      ? rng.float(-0.03, 0.01)
      : rural
        ? rng.float(-0.08, -0.03)
        : rng.float(-0.05, 0),
    drift: urban
      ? rng.float(0.005, 0.02)
      : rural
        ? rng.float(-0.04, -0.01)
        : rng.float(-0.01, 0.01),
    groupRates: groupRates(s.locality, s.ownership === '民办', rng),
    participation: urban
      ? rng.float(0.8, 0.94)
      : rural
        ? rng.float(0.7, 0.88)
        : rng.float(0.75, 0.92),
    trend: rng.float(0, 0.025),
    fiveDay: rng.float(0.6, 0.85),
    shortfall: urban && rng.chance(0.25) ? rng.float(0.003, 0.015) : 0,
    classEnd,
    dailyMinutes: Math.min(dailyMinutes, endCap - classEnd),
    homework: rng.chance(0.8) ? 1 : 0.5,
    fee: s.ownership === '民办' ? rng.pick([2, 2.3]) : townFee,
    teacherPay: rng.pick([30, 40, 40, 50, 60]),
    serveShare: rng.float(0.72, 0.95),
    external: urban ? rng.int(1, 6) : rng.int(0, 2),
    providers: urban && rng.chance(0.3) ? rng.int(1, 2) : 0,
    group: urban ? rng.int(40, 45) : rural ? rng.int(15, 35) : rng.int(32, 45),
  };
}
