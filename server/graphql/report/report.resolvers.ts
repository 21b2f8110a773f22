import type {
  Locality,
  Resolvers,
  ScopeSummary as GqlScopeSummary,
  Stage,
} from '../__generated__/resolvers-types.ts';
import { toFlagParent } from '../flags/flag-row.ts';
import { pageSize } from '../metrics/cursor.ts';
import { periodArg } from '../scope/period-arg.ts';
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
  if (facts.periodLabel !== undefined) {
    // A semester or year: the answers submitted in its months.
    if (facts.month === null || facts.from === null)
      return `${facts.periodLabel}暂无家长、学生问卷答卷`;
    return `${facts.periodLabel}（${monthZh(facts.from)}至${monthZh(facts.month)}提交的答卷）`;
  }
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
    monthlyReport: (_parent, args, ctx) => monthlyReport(ctx, periodArg(args), args.scope),
    scopeSummary: async (_parent, args, ctx) => {
      const period = periodArg(args);
      const request = scopeRequest(ctx, args.scope, period.months);
      return toGqlScope(await scopeSummary(ctx.db, request, period));
    },
  },
  MonthlyReport: {
    month: (parent) => parent.month,
    period: (parent) => parent.period.key,
    periodLabel: (parent) => parent.period.label,
    dataAsOf: (parent) => parent.facts.dataAsOf(),
    // A month: the overview's schoolsInScope, so the letterhead counts exactly the schools
    // the figures do. A semester or year: its schools, each once (the overview counts
    // school-months), as scopeSummary(period) gives.
    scope: async (parent, _args, ctx) => {
      const { filter, viewer } = parent.request;
      if (parent.period.kind !== 'MONTH')
        return toGqlScope(await scopeSummary(ctx.db, parent.request, parent.period));
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
      const window = monthWindow(parent.period.months[0] as string, parent.month);
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
