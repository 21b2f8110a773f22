import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { BadUserInputError } from '../errors.ts';
import { int, num, rate } from '../metrics/rates.ts';
import { satisfactionTotals } from '../overview/overview.repository.ts';
import { RESPONDENT_KEYS as RESPONDENTS } from '../../db/vocabulary/respondents.ts';
import { satisfactionStats } from '../overview/overview.service.ts';
import { monthRange } from '../scope/months.ts';
import { parsePeriodArg } from '../scope/period-arg.ts';
import { scopeRequest } from '../scope/scope-input.ts';
import { toSchool } from '../schools/schools.service.ts';
import { schoolRows } from '../schools/school-detail.repository.ts';
import { answeredMonths, lowestSchools } from './satisfaction.repository.ts';
import { itemStats } from './satisfaction.service.ts';

export const satisfactionResolvers: Resolvers = {
  Query: {
    satisfaction(_parent, args, ctx) {
      if (args.period != null) {
        if (args.from != null || args.to != null)
          throw new BadUserInputError(
            'from/to 与 period 只能给一种 / give either from and to, or period',
          );
        const period = parsePeriodArg(args.period);
        return {
          from: period.months[0] as string,
          to: period.months[period.months.length - 1] as string,
          period: period.key,
          request: scopeRequest(ctx, args.scope, period.months, 'MONTH'),
        };
      }
      if (args.from == null || args.to == null)
        throw new BadUserInputError('须给出 from 和 to，或 period / give from and to, or period');
      const months = monthRange(args.from, args.to);
      return {
        from: args.from,
        to: args.to,
        period: null,
        request: scopeRequest(ctx, args.scope, months, 'MONTH'),
      };
    },
    satisfactionMonths(_parent, args, ctx) {
      return answeredMonths(ctx.db, (months) => scopeRequest(ctx, args.scope, months, 'MONTH'));
    },
  },
  SatisfactionReport: {
    async byRespondent(parent, _args, ctx) {
      const rows = await satisfactionTotals(ctx.db, parent.request);
      // Single-month windows: counts add up across months without double counting.
      const summed = RESPONDENTS.map((respondent) => {
        const mine = rows.filter((r) => r.respondent === respondent);
        const sum = (pick: (r: (typeof rows)[number]) => unknown) =>
          mine.reduce((a, r) => a + int(pick(r)), 0);
        return {
          month: parent.to,
          respondent,
          responses: sum((r) => r.responses),
          answers: sum((r) => r.answers),
          score_sum: mine.reduce((a, r) => a + (num(r.score_sum) ?? 0), 0),
          satisfied: sum((r) => r.satisfied),
        };
      });
      return satisfactionStats(summed);
    },
    items: (parent, _args, ctx) => itemStats(ctx.db, parent.request),
    async lowestSchools(parent, args, ctx) {
      const respondent = args.respondent ?? 'parent';
      if (!(RESPONDENTS as readonly string[]).includes(respondent))
        throw new BadUserInputError(
          'respondent 应为 parent、student 或 teacher / must be parent, student or teacher',
        );
      const first = args.first ?? 10;
      if (first < 1 || first > 100)
        throw new BadUserInputError('first 应在 1 到 100 之间 / first must be 1..100');
      const rows = await lowestSchools(
        ctx.db,
        parent.request,
        respondent,
        Math.max(1, args.minResponses ?? 5),
        first,
      );
      if (rows.length === 0) return [];
      // The schools were in scope in some month of the range; their registry rows, scoped again.
      const schools = await schoolRows(ctx.db, {
        ...parent.request,
        filter: { schoolCodes: rows.map((r) => r.school_code) },
      });
      const byCode = new Map(schools.map((s) => [s.school_code, toSchool(s)]));
      return rows.flatMap((r) => {
        const school = byCode.get(r.school_code);
        if (!school) return [];
        return [
          {
            school,
            respondent: r.respondent,
            responses: r.responses,
            score: rate(num(r.score_sum), r.answers),
            satisfiedShare: rate(r.satisfied, r.answers),
          },
        ];
      });
    },
  },
};
