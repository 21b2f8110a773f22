import { priorityGroup } from '../../db/vocabulary/priority-groups.ts';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { BadUserInputError } from '../errors.ts';
import { schoolFlags } from '../flags/flags.service.ts';
import { decodeCursor, nextCursor, pageOf, pageSize } from '../metrics/cursor.ts';
import { itemStats } from '../satisfaction/satisfaction.service.ts';
import { currentMonth, monthRange } from '../scope/months.ts';
import { periodArg, periodsRequest, summedMonths } from '../scope/period-arg.ts';
import { scopeRequest } from '../scope/scope-input.ts';
import {
  allReportMonths,
  gradeRows,
  inspectorRows,
  scopedReportMonths,
  townshipRows,
} from './school-detail.repository.ts';
import { schoolPeriods } from './school-periods.repository.ts';
import { protectGrades, protectRows, sortByShownGap, sortsByGap } from './protected-schools.ts';
import { schoolMonths, type SchoolMonthRow } from './schools.repository.ts';
import {
  toGradeStat,
  toProtectedGradeStat,
  toProtectedSchoolMonth,
  toSchoolMonth,
} from './schools.service.ts';

const SCHOOL_CODE = /^\d{10}$/u;

export const schoolsResolvers: Resolvers = {
  Query: {
    async schools(_parent, args, ctx) {
      const period = periodArg(args);
      const limit = pageSize(args.first, 100, 200);
      const offset = decodeCursor(args.after);
      const page = {
        sort: args.sort ?? 'CODE',
        descending: args.direction === 'DESC',
        gapGroup: args.group ? priorityGroup(args.group).column : null,
        limit,
        offset,
      } as const;
      const request = scopeRequest(ctx, args.scope, period.months, args.satisfactionWindow);
      const months = summedMonths(ctx.policy, period);
      const rowsOf = (cut: typeof page | null) =>
        period.kind === 'MONTH'
          ? schoolMonths(ctx.db, request, cut)
          : schoolPeriods(ctx.db, periodsRequest(request, [period]), months, cut);
      const protect = await protectRows(
        ctx.db,
        { ...request, months: period.kind === 'MONTH' ? period.months : months },
        period.kind === 'MONTH' ? null : months,
      );
      if (!protect)
        return { period: period.key, months, ...pageOf(await rowsOf(page), offset, toSchoolMonth) };
      const map = (row: SchoolMonthRow) => toProtectedSchoolMonth(row, protect);
      if (!sortsByGap(page.sort))
        return { period: period.key, months, ...pageOf(await rowsOf(page), offset, map) };
      // SQL would order by the withheld gaps too: order the shown figures instead.
      const all = sortByShownGap(
        (await rowsOf(null)).map(map),
        page.sort,
        page.descending,
        args.group ?? null,
      );
      const items = all.slice(offset, offset + limit);
      return {
        period: period.key,
        months,
        total: all.length,
        items,
        endCursor: nextCursor(offset, items.length, all.length),
      };
    },
    async school(_parent, args, ctx) {
      if (!SCHOOL_CODE.test(args.code))
        throw new BadUserInputError('学校标识码应为10位数字 / school code must be 10 digits');
      const period =
        args.month || args.period
          ? periodArg(args)
          : periodArg({}, (await allReportMonths(ctx.db))[0] ?? currentMonth(ctx.now()));
      const month = period.months[period.months.length - 1] as string;
      const summed = summedMonths(ctx.policy, period);
      const asked = scopeRequest(ctx, { schoolCodes: [args.code] }, period.months);
      // Not visible and not existing look the same: null, never FORBIDDEN with details.
      const [row] =
        period.kind === 'MONTH'
          ? await schoolMonths(ctx.db, asked, null)
          : await schoolPeriods(ctx.db, periodsRequest(asked, [period]), summed, null);
      if (!row) return null;
      // Grades and inspectors over the summed months (all of them when none has service).
      const request = { ...asked, months: summed.length > 0 ? summed : period.months };
      const protect = await protectRows(
        ctx.db,
        period.kind === 'MONTH' ? asked : request,
        period.kind === 'MONTH' ? null : summed,
      );
      const current = protect ? toProtectedSchoolMonth(row, protect) : toSchoolMonth(row);
      return { code: args.code, month, period, current, request };
    },
    async townships(_parent, args, ctx) {
      const period = periodArg(args, currentMonth(ctx.now()));
      const rows = await townshipRows(ctx.db, scopeRequest(ctx, null, period.months));
      return rows.map((r) => ({ name: r.township, schools: r.schools }));
    },
    async reportMonths(_parent, _args, ctx) {
      const months = await allReportMonths(ctx.db);
      if (months.length === 0) return [];
      return scopedReportMonths(ctx.db, scopeRequest(ctx, null, months));
    },
  },
  SchoolDetail: {
    school: (parent) => parent.current.school,
    period: (parent) => parent.period.key,
    async series(parent, args, ctx) {
      const months = monthRange(args.from, args.to);
      const request = { ...parent.request, months };
      const [rows, protect] = await Promise.all([
        schoolMonths(ctx.db, request, null),
        protectRows(ctx.db, request),
      ]);
      return rows.map((row) =>
        protect ? toProtectedSchoolMonth(row, protect) : toSchoolMonth(row),
      );
    },
    async grades(parent, _args, ctx) {
      const [rows, protect] = await Promise.all([
        gradeRows(ctx.db, parent.request),
        protectGrades(ctx.db, parent.request, parent.code),
      ]);
      return rows.map((row) =>
        protect
          ? toProtectedGradeStat(row, (groups) => protect(groups, row.grade))
          : toGradeStat(row),
      );
    },
    // A semester's or year's answers: those submitted in its months, each once.
    surveyItems: (parent, args, ctx) =>
      itemStats(
        ctx.db,
        periodsRequest(
          { ...parent.request, window: args.satisfactionWindow ?? 'SEMESTER_TO_DATE' },
          [parent.period],
        ),
      ),
    // Every visible flag of the school, whatever the page's month (newest first, ≤ 200).
    flags: (parent, _args, ctx) => schoolFlags(ctx, parent.code),
    async inspectors(parent, _args, ctx) {
      const rows = await inspectorRows(ctx.db, parent.request);
      return rows.map((r) => ({ id: r.inspector_id, name: r.inspector_name ?? r.inspector_id }));
    },
  },
};
