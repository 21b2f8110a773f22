import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { BadUserInputError } from '../errors.ts';
import { assertMonth } from '../scope/months.ts';
import { triangulationOf } from './triangulation.service.ts';

const SCHOOL_CODE = /^\d{10}$/u;

export const triangulationResolvers: Resolvers = {
  Query: {
    triangulation(_parent, args, ctx) {
      if (!SCHOOL_CODE.test(args.schoolCode))
        throw new BadUserInputError('学校标识码应为10位数字 / school code must be 10 digits');
      assertMonth(args.month);
      return triangulationOf(ctx, args.schoolCode, args.month);
    },
  },
};
