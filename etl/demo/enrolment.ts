/**
 * Pupils per grade and school year. A grade's numbers are fixed for the whole school
 * year and move up a grade each September (the 2024 first-graders are the 2025
 * second-graders, a few fewer in the village and a few more in the city).
 */
import { clamp, createRng } from './random.ts';
import type { SchoolPlan } from './school-plan.ts';

export interface GradeEnrolment {
  enrolled: number;
  left_behind: number;
  migrant: number;
  disabled: number;
  poor: number;
}

const FIRST_YEAR = 2024;

function groupCount(enrolled: number, rate: number, noise: number): number {
  return clamp(Math.round(enrolled * rate * noise), 0, enrolled);
}

export class EnrolmentBook {
  private readonly cache = new Map<string, GradeEnrolment>();

  constructor(private readonly seed: number) {}

  /** Enrolment of `grade` at `plan`'s school in the school year starting `year`. */
  get(plan: SchoolPlan, grade: number, year: number): GradeEnrolment {
    const key = `${plan.school.school_code}:${grade}:${year}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const firstGrade = plan.grades[0] ?? grade;
    const yearsIn = grade - firstGrade;
    const entry = year - yearsIn;
    // The cohort's own size is drawn once (from its entry year), so it is the same
    // cohort whichever year it is looked at.
    const cohort = createRng(`${this.seed}/cohort:${plan.school.school_code}:${entry}`);
    const base = plan.cohortBase * (grade >= 7 ? plan.juniorFactor : 1);
    const size = base * Math.pow(1 + plan.entryTrend, entry - FIRST_YEAR) * cohort.normal(1, 0.07);
    const enrolled = Math.max(3, Math.round(size * Math.pow(1 + plan.drift, yearsIn)));
    // Group membership changes a little from year to year (parents leave or return).
    const yearRng = createRng(`${this.seed}/groups:${plan.school.school_code}:${entry}:${year}`);
    const r = plan.groupRates;
    const out: GradeEnrolment = {
      enrolled,
      left_behind: groupCount(enrolled, r.left_behind, yearRng.normal(1, 0.12)),
      migrant: groupCount(enrolled, r.migrant, yearRng.normal(1, 0.12)),
      disabled: groupCount(enrolled, r.disabled, yearRng.float(0.3, 1.8)),
      poor: groupCount(enrolled, r.poor, yearRng.normal(1, 0.15)),
    };
    this.cache.set(key, out);
    return out;
  }
}
