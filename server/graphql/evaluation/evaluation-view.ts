/**
 * A district evaluation as one viewer sees it: narrowed to their scope (the scope module's
 * rule over the period's service months: a 责任督学's schools in their remit in the period,
 * district-wide roles the district, both narrowed by the ScopeInput filters), ranked within
 * that scope and within each peer group (stage × 城乡类型) inside it; ties share a rank and a
 * vetoed school ranks after every school that is not. Peer and district medians are the
 * district's, whoever asks, like the scores.
 */
import { isDistrictWide } from '../../auth/viewer.ts';
import type { Period } from '../../db/calendar.ts';
import type { GraphQLContext } from '../context.ts';
import type { ScopeInput } from '../__generated__/resolvers-types.ts';
import { scopeRequest } from '../scope/scope-input.ts';
import { visibleSchoolCodes } from '../scope/visible-schools.ts';
import { serviceMonths } from './evaluation-measures.repository.ts';
import {
  GRADE_LABELS,
  GRADES,
  median,
  peerGroupOf,
  rankCompetition,
} from './evaluation-scoring.ts';
import type { DistrictEvaluation, PreviousResult, ScoredSchool } from './evaluation.types.ts';

/** Fewest schools of a peer group for its medians to be shown (schema: null below 3). */
export const MIN_PEER_GROUP = 3;

/** Schools by peer group (peerGroupOf), each group in the order given. */
function byPeerGroup(schools: readonly ScoredSchool[]): Map<string, ScoredSchool[]> {
  const out = new Map<string, ScoredSchool[]>();
  for (const s of schools) {
    const key = peerGroupOf(s.stage, s.locality).key;
    const members = out.get(key);
    if (members) members.push(s);
    else out.set(key, [s]);
  }
  return out;
}

/**
 * What ranks a school: its score, a vetoed school below every school that is not (its
 * grade is 不合格 whatever the score). Scores are rounded to 0.1, so equal means tied.
 */
const standing = (s: ScoredSchool) => (s.vetoed ? s.score - VETO_OFFSET : s.score);
/** More than any score's range (0..max_score). */
const VETO_OFFSET = 1e6;

const byCode = (a: ScoredSchool, b: ScoredSchool) =>
  a.schoolCode < b.schoolCode ? -1 : a.schoolCode > b.schoolCode ? 1 : 0;

/** Competition ranks (1, 1, 3) by standing, best first; tied schools by code. */
function ranked(schools: readonly ScoredSchool[]): Array<{ item: ScoredSchool; rank: number }> {
  return rankCompetition([...schools].sort(byCode), standing);
}

/** District-wide medians, per peer group and indicator key. */
export interface DistrictMedians {
  peerSize: Map<string, number>;
  /** `${group}/${indicatorKey}` → median points / value. */
  peerPoints: Map<string, number | null>;
  peerValue: Map<string, number | null>;
  /** indicatorKey → median value over the district's schools. */
  districtValue: Map<string, number | null>;
}

const mediansCache = new WeakMap<DistrictEvaluation, DistrictMedians>();

export function districtMedians(evaluation: DistrictEvaluation): DistrictMedians {
  const cached = mediansCache.get(evaluation);
  if (cached) return cached;
  const out: DistrictMedians = {
    peerSize: new Map(),
    peerPoints: new Map(),
    peerValue: new Map(),
    districtValue: new Map(),
  };
  // One pass collects every list the medians need (10,000 schools × 10 indicators).
  const lists = new Map<string, number[]>();
  const push = (key: string, x: number) => {
    const list = lists.get(key);
    if (list) list.push(x);
    else lists.set(key, [x]);
  };
  const keys = new Set<string>();
  for (const s of evaluation.schools) {
    const group = peerGroupOf(s.stage, s.locality).key;
    out.peerSize.set(group, (out.peerSize.get(group) ?? 0) + 1);
    for (const i of s.indicators) {
      keys.add(i.key);
      if (!i.insufficientData) push(`p ${group}/${i.key}`, i.points);
      if (i.value !== null) {
        push(`v ${group}/${i.key}`, i.value);
        push(`d ${i.key}`, i.value);
      }
    }
  }
  for (const key of keys) out.districtValue.set(key, median(lists.get(`d ${key}`) ?? []));
  for (const [group, size] of out.peerSize)
    for (const key of keys) {
      const enough = size >= MIN_PEER_GROUP;
      const at = `${group}/${key}`;
      out.peerPoints.set(at, enough ? median(lists.get(`p ${at}`) ?? []) : null);
      out.peerValue.set(at, enough ? median(lists.get(`v ${at}`) ?? []) : null);
    }
  mediansCache.set(evaluation, out);
  return out;
}

/** A school of the scope with its ranks in it. */
export interface RankedSchool {
  school: ScoredSchool;
  rank: number;
  peerRank: number;
  peerGroupSize: number;
  previous: PreviousResult | null;
}

export interface ScopedEvaluation {
  evaluation: DistrictEvaluation;
  /** Ordered by rank. */
  ranked: RankedSchool[];
}

/**
 * Codes of the schools the viewer may see in the period, or null for "every school of the
 * evaluation" (a district-wide viewer without filters: the scope module's rule then keeps
 * every school open in a service month, which is exactly the evaluation's schools).
 */
export async function scopeCodes(
  ctx: GraphQLContext,
  period: Period,
  input: ScopeInput | null | undefined,
): Promise<Set<string> | null> {
  const request = scopeRequest(ctx, input, serviceMonths(ctx.policy, period));
  const filtered = Object.values(request.filter).some((v) => v !== null && v !== undefined);
  if (isDistrictWide(ctx.viewer.role) && !filtered) return null;
  if (request.months.length === 0) return new Set();
  return new Set(await visibleSchoolCodes(ctx.db, request));
}

/** The evaluation narrowed to `codes` (null: all) and ranked within them. */
export function rankWithin(
  evaluation: DistrictEvaluation,
  codes: ReadonlySet<string> | null,
): ScopedEvaluation {
  const inScope = evaluation.schools.filter((s) => codes === null || codes.has(s.schoolCode));
  const order = ranked(inScope);
  const groups = byPeerGroup(order.map((r) => r.item));
  const peerRanks = new Map<string, number>();
  for (const members of groups.values())
    for (const r of rankCompetition(members, standing)) peerRanks.set(r.item.schoolCode, r.rank);
  const rows = order.map(({ item: school, rank }) => ({
    school,
    rank,
    peerRank: peerRanks.get(school.schoolCode) as number,
    peerGroupSize: (groups.get(peerGroupOf(school.stage, school.locality).key) as ScoredSchool[])
      .length,
    previous: evaluation.previous.get(school.schoolCode) ?? null,
  }));
  return { evaluation, ranked: rows };
}

export function gradeCounts(ranked: readonly RankedSchool[]) {
  return GRADES.map((grade) => ({
    grade,
    label: GRADE_LABELS[grade],
    schools: ranked.filter((r) => r.school.grade === grade).length,
  }));
}

/** Change against the previous period, rounded like scores to avoid 0.30000000000000004. */
export function scoreChange(score: number, previous: PreviousResult | null): number | null {
  return previous === null ? null : Math.round((score - previous.score) * 1e6) / 1e6;
}
