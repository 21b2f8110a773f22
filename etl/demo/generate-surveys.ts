/**
 * End-of-semester satisfaction questionnaires (问卷星 style): mostly parents, some
 * pupils from grade 4 up, a few teachers. A school's answers lean on how it actually
 * behaved that semester, so the dashboard's satisfaction view agrees with its flags.
 */
import { UTC_OFFSET } from '../../server/db/calendar.ts';
import { clamp, type Rng } from './random.ts';
import { semesterOf } from './calendar.ts';
import type { Role, SurveyResponse } from './model.ts';
import type { SchoolPlan } from './school-plan.ts';
import type { PlannedBreak } from './rule-breaks.ts';

export const SURVEY_ITEMS = [
  '1.您对学校课后服务总体是否满意？',
  '2.您对课后服务的内容安排是否满意？',
  '3.您对课后服务的安全管理是否满意？',
  '4.您对课后服务的收费情况是否满意？',
  '5.您对课后服务教师的辅导是否满意？',
];

const COMMENTS = [
  '无',
  '没有',
  '希望增加体育活动',
  '建议增加兴趣课程种类',
  '孩子很喜欢社团活动',
  '希望老师多辅导作业',
  '接孩子时校门口太拥堵',
  '很满意，感谢老师',
  '希望多开展阅读活动',
  '建议周五也延长服务时间',
];
const COMPLAINTS = [
  '放学太晚了，孩子到家天都黑了',
  '说是自愿，其实要求全班都参加',
  '收费太高',
  '作业还是太多',
];
const PLACES = ['河南-周口', '河南-周口', '河南-周口', '河南-郑州', '河南-商丘'];
const MIGRANT_PLACES = ['广东-深圳', '广东-东莞', '浙江-杭州', '江苏-苏州', '上海-上海'];

/** Questionnaires go out in December (autumn) and May (spring). */
function regularSurveyMonth(semester: string): string {
  const year = Number(semester.slice(0, 4));
  return semester.endsWith('秋季') ? `${year}-12` : `${year}-05`;
}

/**
 * The month a semester's questionnaire went out: December or May, except the newest
 * semester's, which the bureau runs in the newest reported month (a mid-term check), so the
 * dashboard's newest month has answers.
 */
export function surveyMonth(semester: string, months: readonly string[]): string {
  const newest = months[months.length - 1];
  if (newest !== undefined && semesterOf(newest) === semester) return newest;
  return regularSurveyMonth(semester);
}

export function surveySemesters(months: readonly string[]): string[] {
  const all = [...new Set(months.map(semesterOf))];
  return all.filter((s) => months.includes(surveyMonth(s, months)));
}

function ip(rng: Rng, away: boolean): string {
  const place = away ? rng.pick(MIGRANT_PLACES) : rng.pick(PLACES);
  const head = rng.pick([223, 171, 123, 117, 39, 115]);
  return `${head}.${rng.int(1, 254)}.${rng.int(0, 255)}.${rng.int(1, 254)}(${place})`;
}

function timestamp(month: string, rng: Rng): string {
  const day = rng.int(8, 26);
  const hour = rng.weighted([
    [12, 1],
    [13, 1],
    [19, 3],
    [20, 4],
    [21, 3],
    [22, 1],
    [7, 1],
  ]);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${month}-${two(day)}T${two(hour)}:${two(rng.int(0, 59))}:${two(rng.int(0, 59))}${UTC_OFFSET}`;
}

export function surveyResponses(
  plan: SchoolPlan,
  semester: string,
  month: string,
  pupilsNow: number,
  breaks: readonly PlannedBreak[],
  rng: Rng,
): SurveyResponse[] {
  const inSemester = breaks.filter((b) => [...b.months].some((m) => semesterOf(m) === semester));
  const mood =
    4.25 + rng.normal(0, 0.2) - (inSemester.length > 0 ? 0.75 : breaks.length > 0 ? 0.2 : 0);
  const feeMood =
    plan.fee === 0 ? 0.25 : inSemester.some((b) => b.rule === 'ILLEGAL_FEES') ? -0.9 : -0.15;
  const offsets = [0, rng.normal(0, 0.1), 0.1, feeMood, rng.normal(0.05, 0.1)];
  const parents = Math.round(clamp(pupilsNow * 0.025, 6, 30) * rng.float(0.8, 1.2));
  const students = plan.grades.some((g) => g >= 4)
    ? Math.round(parents * rng.float(0.15, 0.35))
    : 0;
  const teachers = clamp(Math.round(plan.school.teachers_total * 0.1), 1, 5);
  const roles: Role[] = [
    ...Array<Role>(parents).fill('家长'),
    ...Array<Role>(students).fill('学生'),
    ...Array<Role>(teachers).fill('教师'),
  ];
  const awayShare = plan.groupRates.left_behind;
  return roles.map((role) => {
    // A few respondents are unhappy whatever the school does (every real survey has them).
    const grumpy = rng.chance(0.03) ? -1.6 : 0;
    const bias =
      grumpy + rng.normal(0, 0.4) + (role === '学生' ? -0.15 : role === '教师' ? 0.15 : 0);
    const scores = offsets.map((o, i) =>
      i === 0 ? 0 : clamp(Math.round(mood + o + bias + rng.normal(0, 0.5)), 1, 5),
    );
    const rest = scores.slice(1);
    scores[0] = clamp(
      Math.round(rest.reduce((a, b) => a + b, 0) / rest.length + rng.normal(0, 0.3)),
      1,
      5,
    );
    const unhappy = Math.min(...scores) <= 2;
    return {
      school_code: plan.school.school_code,
      semester,
      submitted_at: timestamp(month, rng),
      seconds: Math.round(clamp(rng.normal(role === '学生' ? 150 : 110, 50), 25, 900)),
      source: rng.weighted([
        ['微信', 0.8],
        ['手机提交', 0.15],
        ['链接', 0.05],
      ] as const),
      ip: ip(rng, role === '家长' && rng.chance(awayShare)),
      role,
      scores,
      comment: rng.chance(0.6)
        ? ''
        : unhappy && inSemester.length > 0
          ? rng.pick(COMPLAINTS)
          : rng.pick(COMMENTS),
    };
  });
}
