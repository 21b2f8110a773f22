/**
 * The API benchmark's district, in the contract's CSV shapes (report-formats.md): a
 * registry of N schools in ~50 townships, one inspector per 10 schools, a monthly report
 * for every school × 24 consecutive months, ~7 grades of participation per school-month
 * (10,000 × 24 × 7 ≈ 1.7M rows) and a few thousand survey respondents.
 */
import { join } from 'node:path';
import { SURVEY_LEADING_HEADERS } from '../../etl/demo/contract-headers.ts';
import {
  grades,
  PARTICIPATION_HEADER,
  participationLine,
  rng,
  schoolCode,
  stage,
  writeLines,
} from './generate-bench-files.ts';

/** 24 consecutive months: the `trend` of the benchmark spans all of them. */
export const API_BENCH_MONTHS: readonly string[] = Array.from({ length: 24 }, (_, i) => {
  const index = 2024 * 12 + 6 + i; // 2024-07 … 2026-06
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
});

export const SCHOOLS_PER_INSPECTOR = 10;
export const TOWNSHIPS = 50;

export interface ApiBenchOptions {
  schools: number;
  /** Survey respondents over all months. */
  respondents: number;
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
}

export function inspectorId(i: number): string {
  return `DX${String(i + 1).padStart(4, '0')}`;
}

const LOCALITY = ['城区', '镇区', '乡村'] as const;

function teachersTotal(i: number): number {
  return 40 + (i % 60);
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
  { schools, respondents }: ApiBenchOptions,
): Promise<ApiBenchFiles> {
  const registry = join(dir, 'registry.csv');
  const assignments = join(dir, 'assignments.csv');
  const monthly = join(dir, 'monthly.csv');
  const participation = join(dir, 'participation.csv');
  const months = API_BENCH_MONTHS;
  const rows = { registry: schools, assignments: schools, monthly: 0, participation: 0, survey: 0 };

  await writeLines(registry, function* () {
    yield '学校标识码,学校名称,所属乡镇（街道）,学段,城乡类型,办学性质,是否偏远,教师总数';
    for (let i = 0; i < schools; i++) {
      const remote = i % 17 === 0 ? '是' : '否';
      yield `${schoolCode(i)},第${i}学校,乡镇${String(i % TOWNSHIPS).padStart(2, '0')},${stage(i)},${LOCALITY[i % 3]},公办,${remote},${teachersTotal(i)}`;
    }
  });

  // Inspector k supervises schools 10k … 10k+9 from the first month on.
  await writeLines(assignments, function* () {
    yield '督学编号,督学姓名,学校标识码,生效月份';
    for (let i = 0; i < schools; i++) {
      const k = Math.floor(i / SCHOOLS_PER_INSPECTOR);
      yield `${inspectorId(k)},督学${k + 1},${schoolCode(i)},${months[0]}`;
    }
  });

  const random = rng(7);
  await writeLines(monthly, function* () {
    yield '学校标识码,学校名称,填报月份,上学天数,开展天数,日均服务时长（分钟）,最晚结束时间,每日作业辅导课时,一二年级布置书面作业,收费标准（元/课时）,收费减免人数,减免对象仍收费人数,收费公示,参与教师数,教师课时补助（元/课时）,校外人员数,第三方机构数,其中未经审核机构数,最大班额,安全事故数,投诉数';
    for (const month of months) {
      for (let i = 0; i < schools; i++) {
        const schoolDays = 18 + Math.floor(random() * 5);
        const serviceDays =
          random() < 0.03 ? 0 : random() < 0.8 ? schoolDays : Math.floor(random() * schoolDays);
        const minutes = 90 + Math.floor(random() * 61);
        const end =
          serviceDays > 0 ? `${17 + Math.floor(random() * 2)}:${random() < 0.5 ? '30' : '00'}` : '';
        const waived = Math.floor(random() * 20);
        const teachers = Math.floor(teachersTotal(i) * (0.4 + random() * 0.6));
        const providers = Math.floor(random() * 3);
        rows.monthly++;
        yield `${schoolCode(i)},第${i}学校,${month},${schoolDays},${serviceDays},${minutes},${end},1,否,${(2 + random() * 3).toFixed(1)},${waived},${waived > 0 && random() < 0.05 ? 1 : 0},是,${teachers},30,${Math.floor(random() * 4)},${providers},${providers > 0 && random() < 0.1 ? 1 : 0},${40 + Math.floor(random() * 20)},0,${random() < 0.05 ? 1 : 0}`;
      }
    }
  });

  // The same shape as the ETL benchmark's participation rows, over 24 months.
  await writeLines(participation, function* () {
    yield PARTICIPATION_HEADER;
    for (const month of months) {
      for (let i = 0; i < schools; i++) {
        for (const g of grades(i)) {
          rows.participation++;
          yield participationLine(random, schoolCode(i), month, g);
        }
      }
    }
  });

  // One questionnaire export per semester-sized block of six months.
  const surveys: string[] = [];
  const perFile = Math.ceil(respondents / Math.ceil(months.length / 6));
  for (let block = 0; block * 6 < months.length; block++) {
    const blockMonths = months.slice(block * 6, block * 6 + 6);
    const path = join(dir, `survey-${blockMonths[0]}.csv`);
    surveys.push(path);
    const stamps = Array.from({ length: perFile }, () => {
      const month = blockMonths[Math.floor(random() * blockMonths.length)]!;
      const day = 1 + Math.floor(random() * 28);
      const second = Math.floor(random() * 86400);
      return `${month.replace('-0', '/').replace('-', '/')}/${day} ${String(Math.floor(second / 3600)).padStart(2, '0')}:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}`;
    });
    // Exports list respondents in submission order.
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
        rows.survey++;
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

  return { paths: [registry, assignments, monthly, participation, ...surveys], rows };
}
