/**
 * The evaluation's queries (schema/evaluation.graphql) except publishEvaluation and
 * evaluationVersions (evaluation-publish). Every answer starts from the district's
 * evaluation (live or published) and is narrowed to the viewer's scope before anything
 * is counted, ranked or returned: a school outside it reads as absent (null), never as an
 * error that would tell it exists.
 */
import type { Period } from '../../db/calendar.ts';
import type {
  EvaluationMove,
  EvaluationPage,
  EvaluationSummary,
  Locality as GqlLocality,
  PeerComparison,
  Resolvers,
  SchoolEvaluation,
  Stage as GqlStage,
  TownshipGrades,
} from '../__generated__/resolvers-types.ts';
import type { GraphQLContext } from '../context.ts';
import { decodeCursor, nextCursor, pageSize } from '../metrics/cursor.ts';
import { evaluationEngine } from './evaluation-engine.ts';
import { GRADE_LABELS, peerGroupOf } from './evaluation-scoring.ts';
import { assertNotOneSchool } from '../scope/one-school.ts';
import { parsePeriodArg } from '../scope/period-arg.ts';
import { loadDistrictEvaluation } from './evaluation.service.ts';
import {
  equityDisclosure,
  medianShown,
  PROTECTED_MEASURE,
  withheldEvidence,
  type EquityDisclosure,
} from './evaluation-disclosure.ts';
import type { DistrictEvaluation, SchemeInfo } from './evaluation.types.ts';
import {
  districtMedians,
  gradeCounts,
  rankWithin,
  scopeCodes,
  scoreChange,
  type RankedSchool,
  type ScopedEvaluation,
} from './evaluation-view.ts';

/** Largest page of evaluations (a township's or a 督学's schools fit in one). */
export const MAX_EVALUATION_PAGE = 200;
/** Movers shown in the summary, each way. */
export const MOVERS = 10;

/**
 * What a request may see of the priority-group indicator (small-cell protection): each
 * school's withholding and whether its medians show.
 */
interface IndicatorDisclosure {
  equity: EquityDisclosure;
  median: (measure: string) => boolean;
}

async function indicatorDisclosure(
  ctx: GraphQLContext,
  period: Period,
): Promise<IndicatorDisclosure> {
  return {
    equity: await equityDisclosure(ctx, period),
    median: (measure) => medianShown(ctx, measure),
  };
}

function toSchoolEvaluation(
  evaluation: DistrictEvaluation,
  r: RankedSchool,
  disclosure: IndicatorDisclosure,
): SchoolEvaluation {
  const s = r.school;
  const medians = districtMedians(evaluation);
  const peer = peerGroupOf(s.stage, s.locality);
  const group = peer.key;
  const withheldBelow = disclosure.equity(s.schoolCode);
  const withheld = (measure: string) =>
    withheldBelow !== null && measure === PROTECTED_MEASURE ? withheldBelow : null;
  return {
    schoolCode: s.schoolCode,
    schoolName: s.schoolName,
    township: s.township,
    stage: s.stage.toUpperCase() as GqlStage,
    locality: s.locality.toUpperCase() as GqlLocality,
    peerGroup: peer.label,
    score: s.score,
    grade: s.grade,
    gradeLabel: GRADE_LABELS[s.grade],
    rank: r.rank,
    peerRank: r.peerRank,
    peerGroupSize: r.peerGroupSize,
    vetoed: s.vetoed,
    vetoReason: s.vetoReason,
    incomplete: s.incomplete,
    indicators: s.indicators.map((i) => ({
      key: i.key,
      name: i.name,
      points: i.points,
      maxPoints: i.maxPoints,
      value: withheld(i.measure) === null ? i.value : null,
      unit: i.unit,
      evidence:
        withheld(i.measure) === null ? i.evidence : withheldEvidence(withheld(i.measure) as number),
      insufficientData: i.insufficientData,
      peerMedianPoints: medians.peerPoints.get(`${group}/${i.key}`) ?? null,
      peerMedianValue: disclosure.median(i.measure)
        ? (medians.peerValue.get(`${group}/${i.key}`) ?? null)
        : null,
      districtMedianValue: disclosure.median(i.measure)
        ? (medians.districtValue.get(i.key) ?? null)
        : null,
    })),
    deductions: s.deductions.map((d) => ({ ...d })),
    previousScore: r.previous?.score ?? null,
    previousGrade: r.previous?.grade ?? null,
    scoreChange: scoreChange(s.score, r.previous),
    excellentCapped: s.excellentCapped,
  };
}

function toScheme(scheme: SchemeInfo) {
  return { ...scheme };
}

/**
 * The district's evaluation of a period, once per request: an operation asking for a card
 * and its peer comparison (the school page) measures the district once.
 */
const perRequest = new WeakMap<GraphQLContext, Map<string, Promise<DistrictEvaluation>>>();

function districtEvaluation(
  ctx: GraphQLContext,
  period: Period,
  version: number | null | undefined,
): Promise<DistrictEvaluation> {
  const memo = perRequest.get(ctx) ?? new Map<string, Promise<DistrictEvaluation>>();
  perRequest.set(ctx, memo);
  const key = `${period.key}/${version ?? 'newest'}`;
  let loaded = memo.get(key);
  if (loaded === undefined) {
    loaded = loadDistrictEvaluation(ctx.db, ctx.policy, period, version);
    memo.set(key, loaded);
  }
  return loaded;
}

/** The viewer's evaluation of the period: loaded, narrowed to their scope, ranked. */
async function scoped(
  ctx: GraphQLContext,
  periodText: string,
  scope: Parameters<typeof scopeCodes>[2],
  version: number | null | undefined,
): Promise<{ period: Period; view: ScopedEvaluation }> {
  // A school's own score is a place in a ranking of other schools: refused before any read.
  assertNotOneSchool(ctx.viewer, 'evaluation');
  const period = parsePeriodArg(periodText);
  const [evaluation, codes] = await Promise.all([
    districtEvaluation(ctx, period, version),
    scopeCodes(ctx, period, scope),
  ]);
  return { period, view: rankWithin(evaluation, codes) };
}

function publicationFields(evaluation: DistrictEvaluation) {
  const p = evaluation.publication;
  return {
    published: p !== null,
    publishedAt: p?.publishedAt ?? null,
    publishedBy: p?.publishedBy ?? null,
    version: p?.version ?? null,
  };
}

function move(r: RankedSchool): EvaluationMove {
  const previous = r.previous as NonNullable<RankedSchool['previous']>;
  return {
    schoolCode: r.school.schoolCode,
    schoolName: r.school.schoolName,
    township: r.school.township,
    score: r.school.score,
    previousScore: previous.score,
    change: scoreChange(r.school.score, previous) as number,
    grade: r.school.grade,
    previousGrade: previous.grade,
  };
}

function byTownship(ranked: readonly RankedSchool[]): TownshipGrades[] {
  const towns = new Map<string, RankedSchool[]>();
  for (const r of ranked) {
    const list = towns.get(r.school.township);
    if (list) list.push(r);
    else towns.set(r.school.township, [r]);
  }
  return [...towns.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'zh-CN'))
    .map(([township, list]) => {
      const n = (grade: string) => list.filter((r) => r.school.grade === grade).length;
      return {
        township,
        schools: list.length,
        excellent: n('EXCELLENT'),
        good: n('GOOD'),
        pass: n('PASS'),
        fail: n('FAIL'),
        meanScore:
          list.length === 0 ? null : list.reduce((sum, r) => sum + r.school.score, 0) / list.length,
      };
    });
}

export const evaluationResolvers: Resolvers = {
  Query: {
    async evaluations(_parent, args, ctx): Promise<EvaluationPage> {
      const first = pageSize(args.first, 50, MAX_EVALUATION_PAGE);
      const offset = decodeCursor(args.after);
      const { period, view } = await scoped(ctx, args.period, args.scope, args.version);
      const { evaluation } = view;
      const matching =
        args.grade === null || args.grade === undefined
          ? view.ranked
          : view.ranked.filter((r) => r.school.grade === args.grade);
      const page = matching.slice(offset, offset + first);
      const disclosure = await indicatorDisclosure(ctx, period);
      return {
        period: period.key,
        periodLabel: period.label,
        schemeVersion: evaluation.scheme.version,
        schemeName: evaluation.scheme.name,
        schemeSource: evaluation.scheme.source,
        ...publicationFields(evaluation),
        total: matching.length,
        items: page.map((r) => toSchoolEvaluation(evaluation, r, disclosure)),
        endCursor: nextCursor(offset, page.length, matching.length),
        gradeCounts: gradeCounts(view.ranked),
      };
    },

    async schoolEvaluation(_parent, args, ctx): Promise<SchoolEvaluation | null> {
      const { period, view } = await scoped(ctx, args.period, null, args.version);
      const r = view.ranked.find((x) => x.school.schoolCode === args.code);
      return r
        ? toSchoolEvaluation(view.evaluation, r, await indicatorDisclosure(ctx, period))
        : null;
    },

    async evaluationSummary(_parent, args, ctx): Promise<EvaluationSummary> {
      const { period, view } = await scoped(ctx, args.period, args.scope, args.version);
      const { evaluation } = view;
      const moved = view.ranked.filter((r) => r.previous !== null).map(move);
      const code = (a: EvaluationMove, b: EvaluationMove) =>
        a.schoolCode < b.schoolCode ? -1 : a.schoolCode > b.schoolCode ? 1 : 0;
      return {
        period: period.key,
        periodLabel: period.label,
        schemeVersion: evaluation.scheme.version,
        published: evaluation.publication !== null,
        version: evaluation.publication?.version ?? null,
        gradeCounts: gradeCounts(view.ranked),
        byTownship: byTownship(view.ranked),
        risers: moved
          .filter((m) => m.change > 0)
          .sort((a, b) => b.change - a.change || code(a, b))
          .slice(0, MOVERS),
        fallers: moved
          .filter((m) => m.change < 0)
          .sort((a, b) => a.change - b.change || code(a, b))
          .slice(0, MOVERS),
      };
    },

    evaluationSchemes() {
      return evaluationEngine().schemes().map(toScheme);
    },

    async peerComparison(_parent, args, ctx): Promise<PeerComparison | null> {
      // Peer and district medians are other schools' figures.
      assertNotOneSchool(ctx.viewer, 'evaluation');
      const period = parsePeriodArg(args.period);
      const [evaluation, codes] = await Promise.all([
        districtEvaluation(ctx, period, null),
        scopeCodes(ctx, period, null),
      ]);
      if (codes !== null && !codes.has(args.code)) return null;
      const school = evaluation.schools.find((s) => s.schoolCode === args.code);
      if (!school) return null;
      const medians = districtMedians(evaluation);
      const peer = peerGroupOf(school.stage, school.locality);
      const group = peer.key;
      const disclosure = await indicatorDisclosure(ctx, period);
      const equityWithheld = disclosure.equity(school.schoolCode) !== null;
      return {
        schoolCode: school.schoolCode,
        period: period.key,
        peerGroup: peer.label,
        peerGroupSize: medians.peerSize.get(group) ?? 0,
        figures: school.indicators.map((i) => ({
          key: i.key,
          name: i.name,
          unit: i.unit,
          value: i.measure === PROTECTED_MEASURE && equityWithheld ? null : i.value,
          peerMedian: disclosure.median(i.measure)
            ? (medians.peerValue.get(`${group}/${i.key}`) ?? null)
            : null,
          districtMedian: disclosure.median(i.measure)
            ? (medians.districtValue.get(i.key) ?? null)
            : null,
        })),
      };
    },
  },
};
