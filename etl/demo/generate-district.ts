/**
 * The whole demo district as a plain model, from a seed. Pure: no files, no clock, no
 * Math.random, so the same options always give byte-identical JSON. Writing the model
 * out as report files is write-files.ts's job.
 */
import { clamp, createRng } from './random.ts';
import {
  parseMonth,
  schoolDaysByMonth,
  schoolYearOf,
  semesterOf,
  serviceMonths,
} from './calendar.ts';
import type {
  District,
  MonthlyReport,
  ParticipationRow,
  RuleBreak,
  SurveyResponse,
  UnderServedSchool,
} from './model.ts';
import { generateSchools } from './generate-schools.ts';
import { generateAssignments, generateInspectors } from './generate-inspectors.ts';
import { EnrolmentBook } from './enrolment.ts';
import { plantDoubts } from './planted-doubts.ts';
import { newestMonthMissing, planRuleBreaks } from './rule-breaks.ts';
import { planUnderServing, underServe } from './under-serving.ts';
import { inspectorsByBreaks, planCasework, Remit } from './plan-casework.ts';
import { participationRows } from './generate-participation.ts';
import { monthlyRow } from './generate-monthly.ts';
import { SURVEY_ITEMS, surveyMonth, surveyResponses, surveySemesters } from './generate-surveys.ts';
import { COUNTY } from './names.ts';

export interface DistrictOptions {
  seed?: number;
  schools?: number;
  fromMonth?: string;
  toMonth?: string;
}

export const DEFAULTS = {
  seed: 20240901,
  schools: 150,
  fromMonth: '2024-09',
  toMonth: '2026-10',
} as const;

export function generateDistrict(options: DistrictOptions = {}): District {
  const seed = options.seed ?? DEFAULTS.seed;
  const count = options.schools ?? DEFAULTS.schools;
  const fromMonth = options.fromMonth ?? DEFAULTS.fromMonth;
  const toMonth = options.toMonth ?? DEFAULTS.toMonth;
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`schools must be a positive integer, got ${count}`);
  parseMonth(fromMonth);
  parseMonth(toMonth);
  if (fromMonth > toMonth) throw new Error(`from ${fromMonth} is after to ${toMonth}`);

  const rng = createRng(seed);
  const months = serviceMonths(fromMonth, toMonth);
  const schoolDays = schoolDaysByMonth(months, rng.fork('calendar'));
  const { townships, plans } = generateSchools(count, rng.fork('schools'));
  const schools = plans.map((p) => p.school);
  const inspectors = generateInspectors(count, rng.fork('inspectors'));
  const assignments = generateAssignments(
    schools,
    inspectors,
    fromMonth,
    toMonth,
    rng.fork('assignments'),
  );
  const breaks = planRuleBreaks(plans, months, rng.fork('rule-breaks'));
  // The demo's 责任督学 is the inspector whose schools misbehave most; their schools also get
  // the newest month's missing report and under-served groups when they can.
  const ranking = inspectorsByBreaks(assignments, (s) => breaks.get(s)?.length ?? 0);
  const featured = ranking[0];
  const preferred = new Set(
    featured === undefined ? [] : (new Remit(assignments).current().get(featured) ?? []),
  );
  newestMonthMissing(breaks, plans, preferred, months);
  const under = planUnderServing(plans, breaks, preferred, rng.fork('under-serving'));
  const book = new EnrolmentBook(seed);
  const firstYear = schoolYearOf(months[0] ?? fromMonth);

  const monthly: MonthlyReport[] = [];
  const participation: ParticipationRow[] = [];
  const ruleBreaks: RuleBreak[] = [];
  const surveys: SurveyResponse[] = [];
  const semesters = surveySemesters(months);

  for (const plan of plans) {
    const code = plan.school.school_code;
    const planned = breaks.get(code) ?? [];
    const srng = rng.fork(`reports:${code}`);
    const semesterShift = new Map<string, number>();
    for (const month of months) {
      const active = planned.filter((b) => b.months.has(month));
      const year = schoolYearOf(month);
      const semester = semesterOf(month);
      // Participation moves by semester (new timetable) more than by month.
      let shift = semesterShift.get(semester);
      if (shift === undefined) {
        shift = srng.normal(0, 0.015);
        semesterShift.set(semester, shift);
      }
      const m = parseMonth(month).month;
      const seasonal = m === 1 ? -0.025 : m === 9 ? -0.01 : 0;
      const rate = clamp(
        plan.participation +
          plan.trend * (year - firstYear) +
          shift +
          seasonal +
          srng.normal(0, 0.006),
        0.4,
        0.97,
      );
      if (active.some((b) => b.variant === 'missing')) {
        ruleBreaks.push({
          school_code: code,
          month,
          rule: 'MISSING_REPORT',
          detail: 'no monthly report and no grade rows',
        });
        continue;
      }
      const grades = plan.grades.map((g) => [g, book.get(plan, g, year)] as const);
      const rows = participationRows(plan, month, rate, grades, active, srng);
      for (const [group, points] of Object.entries(under.get(code) ?? {}))
        underServe(rows, group as 'migrant' | 'disabled', points);
      const { report, found } = monthlyRow(
        plan,
        month,
        schoolDays.get(month) ?? 20,
        rows,
        active,
        srng,
      );
      participation.push(...rows);
      monthly.push(report);
      ruleBreaks.push(...found);
    }
    for (const semester of semesters) {
      const year = Number(semester.slice(0, 4)) - (semester.endsWith('春季') ? 1 : 0);
      const pupils = plan.grades.reduce((s, g) => s + book.get(plan, g, year).enrolled, 0);
      surveys.push(
        ...surveyResponses(
          plan,
          semester,
          surveyMonth(semester, months),
          pupils,
          planned,
          rng.fork(`survey:${code}:${semester}`),
        ),
      );
    }
  }

  // Doubts (数据疑点) planted where no rule is broken and no group under-served.
  const flagged = new Set([...ruleBreaks.map((b) => b.school_code), ...under.keys()]);
  const clean = plans
    .map((p) => p.school.school_code)
    .filter((code) => !flagged.has(code) && (breaks.get(code)?.length ?? 0) === 0);
  const plantedDoubts = plantDoubts(participation, clean, rng.fork('planted-doubts'));

  const underServed: UnderServedSchool[] = [...under].flatMap(([school_code, groups]) =>
    (['migrant', 'disabled'] as const)
      .filter((g) => groups[g] !== undefined)
      .map((group) => ({ school_code, group, points: groups[group] as number })),
  );
  const casework = planCasework(
    { toMonth, months, inspectors, assignments, ruleBreaks, ranking },
    rng.fork('casework'),
  );

  return {
    seed,
    county: COUNTY,
    fromMonth,
    toMonth,
    months,
    townships,
    schools,
    inspectors,
    assignments,
    monthly,
    participation,
    surveyItems: SURVEY_ITEMS.slice(),
    surveys,
    ruleBreaks,
    underServed,
    plantedDoubts,
    casework,
  };
}
