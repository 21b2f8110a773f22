import type {
  Locality,
  Resolvers,
  ScopeSummary as GqlScopeSummary,
  Stage,
} from '../__generated__/resolvers-types.ts';
import { toFlagParent } from '../flags/flag-row.ts';
import { pageSize } from '../metrics/cursor.ts';
import { assertMonth } from '../scope/months.ts';
import { scopeRequest } from '../scope/scope-input.ts';
import { describeScope, monthZh, scopeSummary, type ScopeSummary } from '../scope/scope-summary.ts';
import type { ReportSatisfactionFacts } from './report-facts.ts';
import { flagsByCode, flagsClosedBetween } from './report.repository.ts';
import {
  closedFlagFilter,
  monthlyReport,
  monthWindow,
  newFlagFilter,
  rankedSchools,
  reportFindings,
} from './report.service.ts';

/** Longest school ranking, and longest flag list, one report field returns. */
const MAX_RANKED = 100;
const MAX_FLAGS = 1000;

/** 2025年9月至2025年10月（本学期累计）, or that no parent or student answered. */
export function satisfactionPeriodText(facts: ReportSatisfactionFacts): string {
  if (facts.month === null || facts.from === null) return '暂无家长、学生问卷答卷';
  const span =
    facts.from === facts.month
      ? monthZh(facts.month)
      : `${monthZh(facts.from)}至${monthZh(facts.month)}`;
  return `${span}（${facts.current ? '本学期累计' : '本月所在学期暂无答卷，取最近有答卷的学期累计'}）`;
}

function toGqlScope(summary: ScopeSummary): GqlScopeSummary {
  return {
    ...summary,
    stage: summary.stage === null ? null : (summary.stage.toUpperCase() as Stage),
    locality: summary.locality === null ? null : (summary.locality.toUpperCase() as Locality),
  };
}

export const reportResolvers: Resolvers = {
  Query: {
    monthlyReport: (_parent, args, ctx) => monthlyReport(ctx, assertMonth(args.month), args.scope),
    scopeSummary: async (_parent, args, ctx) =>
      toGqlScope(
        await scopeSummary(ctx.db, scopeRequest(ctx, args.scope, [assertMonth(args.month)])),
      ),
  },
  MonthlyReport: {
    month: (parent) => parent.month,
    dataAsOf: (parent) => parent.facts.dataAsOf(),
    // The overview's schoolsInScope: the letterhead counts exactly the schools the figures do.
    scope: async (parent) => {
      const { filter, viewer } = parent.request;
      const overview = await parent.facts.overview();
      return toGqlScope(describeScope(viewer, filter, parent.month, overview.schoolsInScope));
    },
    overview: (parent) => parent.facts.overview(),
    satisfaction: async (parent) => {
      const facts = await parent.facts.satisfaction();
      return { ...facts, periodText: satisfactionPeriodText(facts) };
    },
    findings: (parent, _args, ctx) => reportFindings(parent, ctx),
    topSchools: (parent, args) =>
      rankedSchools(parent, 'DESC', pageSize(args.first, 5, MAX_RANKED)),
    bottomSchools: (parent, args) =>
      rankedSchools(parent, 'ASC', pageSize(args.first, 5, MAX_RANKED)),
    async newFlags(parent, args, ctx) {
      const limit = pageSize(args.first, 200, MAX_FLAGS);
      const rows = await flagsByCode(ctx.db, parent.view, newFlagFilter(parent), limit);
      return rows.map(toFlagParent);
    },
    async closedFlags(parent, args, ctx) {
      const limit = pageSize(args.first, 200, MAX_FLAGS);
      const window = monthWindow(parent.month);
      const rows = await flagsClosedBetween(
        ctx.db,
        parent.view,
        closedFlagFilter(parent),
        window,
        limit,
      );
      return rows.map(toFlagParent);
    },
  },
};
