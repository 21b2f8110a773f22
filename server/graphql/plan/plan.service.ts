/**
 * Between the plan resolvers and the data: who may read a plan (leadership never; a 督学
 * their own schools in the month; the bureau the district or one 督学's), the schools in
 * scope as the scope module says, and the risk scores of exactly those schools, so a
 * 督学 never gets another school's row, figure or error.
 */
import { assertNotOneSchool } from '../scope/one-school.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { currentMonth, periodOf } from '../../db/calendar.ts';
import { ROLE_LABEL } from '../../db/roles.ts';
import { RISK_BANDS, riskBandLabel } from '../../db/vocabulary/risk-reasons.ts';
import { policyFor } from '../../policy/policy.ts';
import type {
  QueryRiskBandsArgs,
  QueryUnvisitedSchoolsArgs,
  QueryVisitPlanArgs,
  RiskBandInfo,
  UnvisitedSchools,
  VisitPlan,
} from '../__generated__/resolvers-types.ts';
import type { GraphQLContext } from '../context.ts';
import { BadUserInputError, ForbiddenError } from '../errors.ts';
import { pageSize } from '../metrics/cursor.ts';
import { assertMonth } from '../scope/months.ts';
import { parsePeriodArg } from '../scope/period-arg.ts';
import { scopeRequest } from '../scope/scope-input.ts';
import { visibleSchoolCodes } from '../scope/visible-schools.ts';
import { assignedSchoolCodes, inspectorsOf, unvisitedRows } from './plan.repository.ts';
import { planDate, riskScores } from './risk-score.ts';

/** Largest page of a plan and of the unvisited list (what a view can render at once). */
export const MAX_PLAN_PAGE = 300;
const MAX_INSPECTOR_ID = 50;

/**
 * Leadership and a school reporter read no plan (a school must not learn when it is likely
 * to be visited): the refusal is the same whatever the arguments.
 */
function assertMayPlan(viewer: Viewer): void {
  if (viewer.role === 'LEADERSHIP')
    throw new ForbiddenError(
      `${ROLE_LABEL.LEADERSHIP}不能查看走访计划 / leadership may not read visit plans`,
    );
  assertNotOneSchool(viewer, 'plan');
}

function monthArg(ctx: GraphQLContext, month: string | null | undefined): string {
  return month == null ? currentMonth(ctx.now()) : assertMonth(month);
}

function inspectorArg(inspectorId: string | null | undefined): string | null {
  if (inspectorId == null) return null;
  if (inspectorId.length === 0 || inspectorId.length > MAX_INSPECTOR_ID)
    throw new BadUserInputError(
      `inspectorId 无效 / inspectorId must be 1..${MAX_INSPECTOR_ID} characters`,
    );
  return inspectorId;
}

/** Query.visitPlan: the schools in scope in the month, ranked by risk. */
export async function visitPlan(ctx: GraphQLContext, args: QueryVisitPlanArgs): Promise<VisitPlan> {
  const { viewer } = ctx;
  assertMayPlan(viewer);
  const month = monthArg(ctx, args.month);
  const inspectorId = inspectorArg(args.inspectorId);
  const limit = pageSize(args.first, 100, MAX_PLAN_PAGE);
  if (
    viewer.role === 'SUPERVISING_INSPECTOR' &&
    inspectorId !== null &&
    inspectorId !== viewer.inspectorId
  )
    throw new ForbiddenError('只能查看本人的走访计划 / you may read only your own visit plan');
  let codes = await visibleSchoolCodes(ctx.db, scopeRequest(ctx, args.scope, [month], 'MONTH'));
  if (inspectorId !== null) {
    const assigned = new Set(await assignedSchoolCodes(ctx.db, inspectorId, month));
    codes = codes.filter((c) => assigned.has(c));
  }
  const now = ctx.now();
  const scores = await riskScores(ctx.db, ctx.policy, month, codes, { now });
  const page = scores.slice(0, limit);
  const inspectors = await inspectorsOf(
    ctx.db,
    page.map((s) => s.schoolCode),
    month,
  );
  const count = (band: string) => scores.filter((s) => s.band === band).length;
  return {
    month,
    asOf: planDate(month, now),
    total: scores.length,
    high: count('HIGH'),
    medium: count('MEDIUM'),
    low: count('LOW'),
    items: page.map((s, i) => ({
      rank: i + 1,
      schoolCode: s.schoolCode,
      schoolName: s.schoolName,
      township: s.township,
      score: s.score,
      band: s.band,
      bandLabel: riskBandLabel(s.band),
      reasons: s.reasons,
      lastVisit: s.lastVisit,
      inspectors: inspectors.get(s.schoolCode) ?? [],
    })),
  };
}

/** Query.riskBands: the bands with their labels and the month's thresholds (policy: public). */
export function riskBands(ctx: GraphQLContext, args: QueryRiskBandsArgs): RiskBandInfo[] {
  const bands = policyFor(ctx.policy, monthArg(ctx, args.month)).visit_plan.bands;
  const minScore = { HIGH: bands.high, MEDIUM: bands.medium, LOW: 0 } as const;
  return RISK_BANDS.map((b) => ({ band: b.band, label: b.zh, minScore: minScore[b.band] }));
}

/** Query.unvisitedSchools: the bureau's list of schools no one visited in a semester. */
export async function unvisitedSchools(
  ctx: GraphQLContext,
  args: QueryUnvisitedSchoolsArgs,
): Promise<UnvisitedSchools> {
  if (ctx.viewer.role !== 'BUREAU_INSPECTOR')
    throw new ForbiddenError(
      `仅${ROLE_LABEL.BUREAU_INSPECTOR}可以查看未走访学校 / only bureau inspectors may read the unvisited schools`,
    );
  const now = ctx.now();
  const semester =
    args.semester == null
      ? periodOf(currentMonth(now), 'SEMESTER')
      : parsePeriodArg(args.semester, 'semester');
  if (semester.kind !== 'SEMESTER')
    throw new BadUserInputError(
      'semester 应为学期，如 "2025-2026-1" / semester must be a semester such as "2025-2026-1"',
    );
  const limit = pageSize(args.first, 200, MAX_PLAN_PAGE);
  const first = semester.months[0] as string;
  const last = semester.months[semester.months.length - 1] as string;
  // Up to today within the semester: a school cannot have been visited in days to come.
  const to = planDate(last, now);
  const rows = await unvisitedRows(ctx.db, { from: `${first}-01`, to }, limit);
  // The 督学 of the semester's latest month so far.
  const current = currentMonth(now);
  const month = current < last ? (current < first ? first : current) : last;
  const inspectors = await inspectorsOf(
    ctx.db,
    rows.map((r) => r.school_code),
    month,
  );
  return {
    semester: semester.key,
    label: semester.label,
    total: rows[0]?.total ?? 0,
    items: rows.map((r) => ({
      schoolCode: r.school_code,
      schoolName: r.school_name,
      township: r.township,
      lastVisit: r.last_visit,
      inspectors: inspectors.get(r.school_code) ?? [],
    })),
  };
}
