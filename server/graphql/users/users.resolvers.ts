import { ROLE_LABEL, ROLES } from '../../db/roles.ts';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { currentMonth } from '../scope/months.ts';
import { visibleSchoolCodes } from '../scope/visible-schools.ts';
import {
  addAccount,
  changeOwnPassword,
  listAccounts,
  resetAccountPassword,
  setAccountDisabled,
  updateAccountOf,
} from './users.service.ts';

export const usersResolvers: Resolvers = {
  Query: {
    me: (_parent, _args, ctx) => ctx.viewer,
    roles: () => ROLES.map((role) => ({ role, label: ROLE_LABEL[role] })),
    users: (_parent, args, ctx) => listAccounts(ctx, args),
  },
  Mutation: {
    addUser: (_parent, { input }, ctx) => addAccount(ctx, input),
    updateUser: (_parent, { id, input }, ctx) => updateAccountOf(ctx, id, input),
    setUserDisabled: (_parent, { id, disabled }, ctx) => setAccountDisabled(ctx, id, disabled),
    resetUserPassword: (_parent, { id, password }, ctx) => resetAccountPassword(ctx, id, password),
    changeMyPassword: (_parent, { current, next }, ctx) => changeOwnPassword(ctx, current, next),
  },
  User: {
    id: (viewer) => String(viewer.userId),
    username: (viewer) => viewer.username,
    name: (viewer) => viewer.name,
    role: (viewer) => viewer.role,
    roleLabel: (viewer) => ROLE_LABEL[viewer.role],
    inspectorId: (viewer) => viewer.inspectorId,
    schoolCode: (viewer) => viewer.schoolCode,
    township: (viewer) => viewer.township,
    schoolCodes: (_viewer, _args, ctx) =>
      visibleSchoolCodes(ctx.db, {
        viewer: ctx.viewer,
        filter: {},
        // The request's clock, like flags and allowed steps (tests move it).
        months: [currentMonth(ctx.now())],
        policy: ctx.policy,
      }),
  },
};
