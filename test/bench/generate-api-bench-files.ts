/**
 * The API benchmark's district, in the contract's CSV shapes (report-formats.md): a
 * registry of N schools in 50 townships, one inspector per 10 schools, a monthly report
 * and ~7 grades of participation for every school in every service month of 24
 * consecutive months (18 of them: no service in February, July or August; 10,000 schools ≈
 * 180,000 reports and 1.26M participation rows) and a few thousand survey respondents.
 * The reports follow the default policy except the planted school-months (planted-breaks.ts).
 */
import { join } from 'node:path';
import { SURVEY_LEADING_HEADERS } from '../../etl/demo/contract-headers.ts';
import {
  registryLine,
  REGISTRY_HEADER,
  rng,
  schoolCode,
  schoolDays,
  schoolProfile,
  writeLines,
} from './bench-district.ts';
import { MONTHLY_HEADER, monthlyLine } from './monthly-report.ts';
import {
  PARTICIPATION_HEADER,
  participationLine,
  participationRows,
} from './participation-rows.ts';
import { planBreaks } from './planted-breaks.ts';
import { defaultLimits } from './policy-limits.ts';

/** 24 consecutive months: the `trend` of the benchmark spans all of them. */
export const API_BENCH_MONTHS: readonly string[] = Array.from({ length: 24 }, (_, i) => {
  const index = 2024 * 12 + 6 + i; // 2024-07 … 2026-06
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
});

/**
 * The clock the district is generated and loaded by: just after the last month's report
 * deadline (day 5 of the next month, Asia/Shanghai), so the missing-report sweep judges
 * exactly the generated months, whatever day the benchmark runs.
 */
export const API_BENCH_NOW = new Date('2026-07-06T00:00:00+08:00');

export const SCHOOLS_PER_INSPECTOR = 10;
export const TOWNSHIPS = 50;

export interface ApiBenchOptions {
  schools: number;
  /** Survey respondents over all months. */
  respondents: number;
  /** Every school-month breaks exactly one rule. */
  stress: boolean;
}

export interface ApiBenchFiles {
  /** In load order: registry, assignments, monthly, participation, surveys. */
  paths: string[];
  rows: {
    registry: number;
    assignments: number;
    monthly: number;
    participation: number;
    survey: number;
  };
  /** Planted school-months per rule id. */
  planted: Record<string, number>;
  /** School-months in service months (what the plan covers). */
  schoolMonths: number;
}

export function inspectorId(i: number): string {
  return `DX${String(i + 1).padStart(4, '0')}`;
}

const SURVEY_ITEMS = [
  '1.您对学校课后服务总体是否满意？',
  '2.您对课后服务的内容安排是否满意？',
  '3.您对课后服务的安全管理是否满意？',
  '4.您对课后服务的收费情况是否满意？',
  '5.您对课后服务教师的辅导是否满意？',
];
const ANSWERS = ['非常不满意', '不满意', '一般', '满意', '非常满意'];
const ROLES = ['家长', '家长', '家长', '学生', '学生', '教师'] as const;

export async function generateApiBenchFiles(
  dir: string,
  { schools, respondents, stress }: ApiBenchOptions,
): Promise<ApiBenchFiles> {
  const registry = join(dir, 'registry.csv');
  const assignments = join(dir, 'assignments.csv');
  const monthly = join(dir, 'monthly.csv');
  const participation = join(dir, 'participation.csv');
  const allLimits = defaultLimits(API_BENCH_MONTHS);
  const limits = [...allLimits.values()].filter((m) => m.serviceMonth);
  const rows = { registry: schools, assignments: schools, monthly: 0, participation: 0, survey: 0 };

  await writeLines(registry, function* () {
    yield REGISTRY_HEADER;
    for (let i = 0; i < schools; i++) yield registryLine(i, TOWNSHIPS);
  });

  // Inspector k supervises schools 10k … 10k+9 from the first month on.
  await writeLines(assignments, function* () {
    yield '督学编号,督学姓名,学校标识码,生效月份';
    for (let i = 0; i < schools; i++) {
      const k = Math.floor(i / SCHOOLS_PER_INSPECTOR);
      yield `${inspectorId(k)},督学${k + 1},${schoolCode(i)},${API_BENCH_MONTHS[0]}`;
    }
  });

  const profiles = Array.from({ length: schools }, (_, i) => schoolProfile(i));
  const plan = planBreaks({
    schools: profiles,
    months: limits,
    files: 'all',
    stress,
    seed: 7,
    now: API_BENCH_NOW,
  });
  // Both files are written in one pass, so a school-month's report sees its own grade rows.
  const reportLines: string[] = [];
  const random = rng(8);
  await writeLines(participation, function* () {
    yield PARTICIPATION_HEADER;
    for (const [mi, m] of limits.entries()) {
      const days = schoolDays(m.month);
      for (const [si, p] of profiles.entries()) {
        const rule = plan.at(si, mi);
        if (rule === 'MISSING_REPORT.missing') continue;
        const grades = participationRows(p, m, rule, random);
        for (const row of grades) {
          rows.participation++;
          yield participationLine(p.code, m.month, row);
        }
        reportLines.push(monthlyLine(p, m.month, m, rule, grades, days, random));
      }
    }
  });
  rows.monthly = reportLines.length;
  await writeLines(monthly, function* () {
    yield MONTHLY_HEADER;
    yield* reportLines;
  });

  const surveys = await writeSurveys(
    dir,
    limits.map((m) => m.month),
    schools,
    respondents,
    rng(9),
  );
  rows.survey = surveys.rows;
  return {
    paths: [registry, assignments, monthly, participation, ...surveys.paths],
    rows,
    planted: plan.counts,
    schoolMonths: plan.schoolMonths,
  };
}

/** One questionnaire export per block of six service months, respondents in submission order. */
async function writeSurveys(
  dir: string,
  months: readonly string[],
  schools: number,
  respondents: number,
  random: () => number,
): Promise<{ paths: string[]; rows: number }> {
  const paths: string[] = [];
  let rows = 0;
  const perFile = Math.ceil(respondents / Math.ceil(months.length / 6));
  for (let block = 0; block * 6 < months.length; block++) {
    const blockMonths = months.slice(block * 6, block * 6 + 6);
    const path = join(dir, `survey-${blockMonths[0]}.csv`);
    paths.push(path);
    const stamps = Array.from({ length: perFile }, () => {
      const month = blockMonths[Math.floor(random() * blockMonths.length)]!;
      const day = 1 + Math.floor(random() * 28);
      const second = Math.floor(random() * 86400);
      return `${month.replace('-0', '/').replace('-', '/')}/${day} ${String(Math.floor(second / 3600)).padStart(2, '0')}:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}`;
    });
    const sortKey = (s: string) => {
      const [date = '', time = ''] = s.split(' ');
      const [y = '', m = '', d = ''] = date.split('/');
      return `${y}${m.padStart(2, '0')}${d.padStart(2, '0')}${time}`;
    };
    stamps.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    await writeLines(path, function* () {
      yield [...SURVEY_LEADING_HEADERS, '学校标识码', '身份', ...SURVEY_ITEMS].join(',');
      for (const [n, stamp] of stamps.entries()) {
        const school = Math.floor(random() * schools);
        const role = ROLES[Math.floor(random() * ROLES.length)]!;
        const base = 2 + Math.floor(random() * 3);
        const answers = SURVEY_ITEMS.map(() => {
          const level = Math.min(4, Math.max(0, base + Math.floor(random() * 3) - 1));
          return ANSWERS[level]!;
        });
        rows++;
        yield [
          n + 1,
          stamp,
          `${60 + Math.floor(random() * 300)}秒`,
          '微信',
          'N/A',
          '10.0.0.1',
          schoolCode(school),
          role,
          ...answers,
        ].join(',');
      }
    });
  }
  return { paths, rows };
}
