import { priorityGroup } from '../../db/vocabulary/priority-groups.ts';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { BadUserInputError } from '../errors.ts';
import { schoolFlags } from '../flags/flags.service.ts';
import { decodeCursor, pageOf, pageSize } from '../metrics/cursor.ts';
import { itemStats } from '../satisfaction/satisfaction.service.ts';
import { assertMonth, currentMonth, monthRange } from '../scope/months.ts';
import { scopeRequest } from '../scope/scope-input.ts';
import {
  allReportMonths,
  gradeRows,
  inspectorRows,
  scopedReportMonths,
  townshipRows,
} from './school-detail.repository.ts';
import { schoolMonths } from './schools.repository.ts';
import { toGradeStat, toSchoolMonth } from './schools.service.ts';

const SCHOOL_CODE = /^\d{10}$/u;

export const schoolsResolvers: Resolvers = {
  Query: {
    async schools(_parent, args, ctx) {
      const month = assertMonth(args.month);
      const limit = pageSize(args.first, 100, 200);
      const offset = decodeCursor(args.after);
      const rows = await schoolMonths(
        ctx.db,
        scopeRequest(ctx, args.scope, [month], args.satisfactionWindow),
        {
          sort: args.sort ?? 'CODE',
          descending: args.direction === 'DESC',
          gapGroup: args.group ? priorityGroup(args.group).column : null,
          limit,
          offset,
        },
      );
      return pageOf(rows, offset, toSchoolMonth);
    },
    async school(_parent, args, ctx) {
      if (!SCHOOL_CODE.test(args.code))
        throw new BadUserInputError('学校标识码应为10位数字 / school code must be 10 digits');
      const month = args.month
        ? assertMonth(args.month)
        : ((await allReportMonths(ctx.db))[0] ?? currentMonth(ctx.now()));
      const request = scopeRequest(ctx, { schoolCodes: [args.code] }, [month]);
      // Not visible and not existing look the same: null, never FORBIDDEN with details.
      const [row] = await schoolMonths(ctx.db, request, null);
      if (!row) return null;
      return { code: args.code, month, current: toSchoolMonth(row), request };
    },
    async townships(_parent, args, ctx) {
      const month = args.month ? assertMonth(args.month) : currentMonth(ctx.now());
      const rows = await townshipRows(ctx.db, scopeRequest(ctx, null, [month]));
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
    async series(parent, args, ctx) {
      const months = monthRange(args.from, args.to);
      const rows = await schoolMonths(ctx.db, { ...parent.request, months }, null);
      return rows.map(toSchoolMonth);
    },
    async grades(parent, _args, ctx) {
      return (await gradeRows(ctx.db, parent.request)).map(toGradeStat);
    },
    surveyItems: (parent, args, ctx) =>
      itemStats(ctx.db, {
        ...parent.request,
        window: args.satisfactionWindow ?? 'SEMESTER_TO_DATE',
      }),
    // Every visible flag of the school, whatever the page's month (newest first, ≤ 200).
    flags: (parent, _args, ctx) => schoolFlags(ctx, parent.code),
    async inspectors(parent, _args, ctx) {
      const rows = await inspectorRows(ctx.db, parent.request);
      return rows.map((r) => ({ id: r.inspector_id, name: r.inspector_name ?? r.inspector_id }));
    },
  },
};
